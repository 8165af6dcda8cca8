//! Shared helpers: a temp directory with a database path in it, and entries to record.

use std::path::PathBuf;

use sextant_store::{NewEntry, Source};

/// A temp dir that lives as long as the value, and the history path inside it.
pub struct TempDb {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

pub fn temp_db() -> TempDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("history.sqlite");
    TempDb { dir, path }
}

/// A plain successful GET of `url`, sent at `at_ms`.
pub fn entry(at_ms: i64, url: &str) -> NewEntry {
    NewEntry {
        at_ms,
        source: Source::App,
        collection: None,
        method: "GET".into(),
        url: url.into(),
        request_headers: vec![("accept".into(), "application/json".into())],
        request_body: None,
        request_as_written: None,
        request_body_bytes: None,
        status: Some(200),
        response_headers: vec![("content-type".into(), "application/json".into())],
        response_body_text: Some(r#"{"ok":true}"#.into()),
        response_body_path: None,
        body_size: 11,
        duration_ms: 12.5,
        timings_json: None,
        error_code: None,
        error_message: None,
    }
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_millis() as i64
}
