//! Routes for the collection runner's tests: `/flaky/{key}?fail=N` fails (503) the first N
//! requests per key, then answers 200 with the attempt's number; `/log/{key}/{item}?delay_ms=D`
//! waits D ms, then appends `item` to the key's log, and `/log/{key}` returns the log as a JSON
//! array, so a test can see the order requests finished in. Keys are per process: a test picks
//! its own.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use super::http::Response;

fn attempts() -> &'static Mutex<HashMap<String, u64>> {
    static MAP: OnceLock<Mutex<HashMap<String, u64>>> = OnceLock::new();
    MAP.get_or_init(Mutex::default)
}

fn logs() -> &'static Mutex<HashMap<String, Vec<String>>> {
    static MAP: OnceLock<Mutex<HashMap<String, Vec<String>>>> = OnceLock::new();
    MAP.get_or_init(Mutex::default)
}

pub(crate) fn flaky(key: &str, fail: u64) -> Response {
    let attempt = {
        let mut map = attempts().lock().unwrap_or_else(|p| p.into_inner());
        let n = map.entry(key.to_owned()).or_insert(0);
        *n += 1;
        *n
    };
    let doc = serde_json::json!({ "key": key, "attempt": attempt });
    if attempt <= fail {
        Response::new(503, "application/json", doc.to_string())
    } else {
        Response::new(200, "application/json", doc.to_string())
    }
}

pub(crate) async fn log_append(key: &str, item: &str, delay_ms: u64) -> Response {
    tokio::time::sleep(Duration::from_millis(delay_ms)).await;
    logs()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .entry(key.to_owned())
        .or_default()
        .push(item.to_owned());
    Response::new(200, "application/json", r#"{"ok":true}"#)
}

pub(crate) fn log(key: &str) -> Response {
    let items = logs()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(key)
        .cloned()
        .unwrap_or_default();
    Response::new(
        200,
        "application/json",
        serde_json::json!(items).to_string(),
    )
}
