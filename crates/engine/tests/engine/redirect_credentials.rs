//! Credentials on redirects, against two real servers on 127.0.0.1 (two ports: two origins).
//! A hop to another origin carries no credential the request had: secret-looking headers, the
//! rows auth added whatever their name, the API key it put in the query; a hop on the same
//! origin keeps them all. A file body is not re-sent to another origin on 307/308 unless the
//! request's settings allow it.

use sextant_engine::{CancellationToken, Engine, EngineConfig};
use sextant_model::{ErrorCode, HttpRequest, HttpResponse, KeyValue, RequestBody};
use sextant_testkit::FaultServer;

struct Setup {
    engine: Engine,
    first: FaultServer,
    other: FaultServer,
    _dir: tempfile::TempDir,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    Setup {
        engine: Engine::new(EngineConfig::new(dir.path().join("bodies"))).unwrap(),
        first: FaultServer::start(),
        other: FaultServer::start(),
        _dir: dir,
    }
}

fn encode(url: &str) -> String {
    url::form_urlencoded::byte_serialize(url.as_bytes()).collect()
}

/// A request to `first` that redirects (with `status`) to `target`, carrying credentials.
fn with_credentials(s: &Setup, target: &str, status: u16) -> HttpRequest {
    let mut req = HttpRequest::get(s.first.url(&format!(
        "/redirect-to?status={status}&url={}",
        encode(target)
    )));
    for (name, value) in [
        ("X-API-Key", "key-value-1"),
        ("X-Auth-Token", "token-value-2"),
        ("X-Harmless", "auth-value-3"),
        ("Cookie", "typed=cookie-value-4"),
        ("Accept", "application/json"),
    ] {
        req.headers.push(KeyValue::new(name, value));
    }
    req.query.push(KeyValue::new("api_key", "query-value-5"));
    // Auth added X-Harmless: marked as a credential although its name looks innocent.
    req.credentials.push("X-Harmless".into());
    req
}

async fn echoed(s: &Setup, response: &HttpResponse) -> serde_json::Value {
    let body = s
        .engine
        .bodies()
        .read_window(&response.id, 0, 1 << 20)
        .await
        .unwrap();
    serde_json::from_slice(&body).unwrap()
}

fn header_names(echo: &serde_json::Value) -> Vec<String> {
    echo["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h[0].as_str().unwrap().to_ascii_lowercase())
        .collect()
}

#[tokio::test]
async fn another_origin_gets_none_of_the_credentials() {
    let s = setup();
    let target = s.other.url("/echo?api_key=query-value-5&page=2");
    let req = with_credentials(&s, &target, 302);
    let r = s
        .engine
        .send(&req, &CancellationToken::new(), &|_| {})
        .await
        .unwrap();
    assert_eq!(r.redirects.len(), 1);
    assert_eq!(r.url, s.other.url("/echo?page=2"));
    let echo = echoed(&s, &r).await;
    let text = echo.to_string();
    for secret in [
        "key-value-1",
        "token-value-2",
        "auth-value-3",
        "cookie-value-4",
        "query-value-5",
    ] {
        assert!(
            !text.contains(secret),
            "{secret} reached the other origin: {text}"
        );
    }
    assert!(header_names(&echo).contains(&"accept".to_string()));
    assert_eq!(echo["path"], "/echo?page=2");
}

#[tokio::test]
async fn the_same_origin_keeps_every_credential() {
    let s = setup();
    let target = s.first.url("/echo");
    let req = with_credentials(&s, &target, 302);
    let r = s
        .engine
        .send(&req, &CancellationToken::new(), &|_| {})
        .await
        .unwrap();
    let names = header_names(&echoed(&s, &r).await);
    for name in ["x-api-key", "x-auth-token", "x-harmless", "cookie"] {
        assert!(
            names.contains(&name.to_string()),
            "{name} missing: {names:?}"
        );
    }
}

#[tokio::test]
async fn a_file_body_is_not_resent_to_another_origin_on_307() {
    let s = setup();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("id_rsa");
    std::fs::write(&file, "PRIVATE KEY").unwrap();
    let body = RequestBody::Binary {
        path: file.to_string_lossy().into_owned(),
        content_type: None,
    };
    for status in [307, 308] {
        let mut req = with_credentials(&s, &s.other.url("/echo"), status);
        req.method = "POST".into();
        req.body = body.clone();
        let err = s
            .engine
            .send(&req, &CancellationToken::new(), &|_| {})
            .await
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::FileNotAllowed, "{err}");
        assert!(err.to_string().contains("another origin"), "{err}");

        // The same origin gets the file again, as RFC 9110 asks.
        req.url = s.first.url(&format!(
            "/redirect-to?status={status}&url={}",
            encode(&s.first.url("/echo"))
        ));
        let r = s
            .engine
            .send(&req, &CancellationToken::new(), &|_| {})
            .await
            .unwrap();
        assert_eq!(echoed(&s, &r).await["body"], "PRIVATE KEY");

        // The user's setting lets it follow to the other origin, still without credentials.
        req.url = s.first.url(&format!(
            "/redirect-to?status={status}&url={}",
            encode(&s.other.url("/echo"))
        ));
        req.settings.resend_files_cross_origin = true;
        let r = s
            .engine
            .send(&req, &CancellationToken::new(), &|_| {})
            .await
            .unwrap();
        let echo = echoed(&s, &r).await;
        assert_eq!(echo["body"], "PRIVATE KEY");
        assert!(
            !header_names(&echo).contains(&"x-api-key".to_owned()),
            "{echo}"
        );
        req.settings.resend_files_cross_origin = false;
    }
}

#[tokio::test]
async fn a_typed_body_still_follows_a_307_to_another_origin() {
    let s = setup();
    let mut req = with_credentials(&s, &s.other.url("/echo"), 307);
    req.method = "POST".into();
    req.body = RequestBody::Json {
        text: r#"{"a":1}"#.into(),
    };
    let r = s
        .engine
        .send(&req, &CancellationToken::new(), &|_| {})
        .await
        .unwrap();
    assert_eq!(echoed(&s, &r).await["body"], r#"{"a":1}"#);
}
