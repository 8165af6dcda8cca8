//! What the response pane offers beside the body views: the request as sent (credentials
//! masked, as the history masks them) and Save body to file (the exact bytes, any size, written
//! atomically), against the fault server on 127.0.0.1.

use sextant_app::{App, AppConfig, Session, SessionTab, MASK};
use sextant_model::{ErrorCode, HttpRequest, KeyValue, RequestBody};
use sextant_store::HistoryQuery;
use sextant_testkit::FaultServer;

fn app(dir: &std::path::Path) -> App {
    App::new(AppConfig::new(dir.join("data"))).unwrap()
}

#[tokio::test]
async fn the_request_as_sent_shows_the_authorization_header_masked() {
    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let mut request = HttpRequest::get(server.url("/json"));
    request
        .headers
        .push(KeyValue::new("Authorization", "Bearer s3cr3t-t0ken-value"));
    request.headers.push(KeyValue::new("X-Trace", "abc"));
    request.query.push(KeyValue::new("page", "2"));
    let response = app.send_request("r1", &request, &|_| {}).await.unwrap();

    let sent = app.sent_request(&response.id).await.unwrap();
    assert_eq!(sent.method, "GET");
    assert_eq!(sent.url, server.url("/json?page=2"));
    let auth = sent
        .headers
        .iter()
        .find(|h| h.name == "Authorization")
        .expect("Authorization is listed");
    assert_eq!(auth.value, format!("Bearer {MASK}"));
    assert!(sent
        .headers
        .iter()
        .any(|h| h.name == "X-Trace" && h.value == "abc"));
    assert_eq!(sent.body_bytes, Some(0));
    let shown = serde_json::to_string(&sent).unwrap();
    assert!(!shown.contains("s3cr3t"), "{shown}");

    let unknown = app.sent_request("no-such-response").await.unwrap_err();
    assert_eq!(unknown.code, ErrorCode::NotFound);
}

/// A POST with a bearer token and a JSON body, sent by `app`.
async fn send_with_token(app: &App, server: &FaultServer) -> sextant_model::HttpResponse {
    let mut request = HttpRequest::get(server.url("/json"));
    request.method = "POST".into();
    request
        .headers
        .push(KeyValue::new("Authorization", "Bearer s3cr3t-t0ken-value"));
    request.body = RequestBody::Json {
        text: r#"{"name":"widget"}"#.into(),
    };
    app.send_request("r1", &request, &|_| {}).await.unwrap()
}

#[tokio::test]
async fn after_a_restart_the_request_as_sent_comes_from_the_history() {
    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    let response = send_with_token(&app(dir.path()), &server).await;

    // A new app on the same data: nothing in memory, the history has the entry.
    let again = app(dir.path());
    let sent = again.sent_request(&response.id).await.unwrap();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.url, server.url("/json"));
    assert!(sent
        .headers
        .iter()
        .any(|h| h.name == "Authorization" && h.value == format!("Bearer {MASK}")));
    assert_eq!(sent.body.as_deref(), Some(r#"{"name":"widget"}"#));
    assert_eq!(sent.body_bytes, Some(17));

    // An entry opened from History without a body file is named `history-<entry id>`.
    let rows = again.history_list(HistoryQuery::default()).await.unwrap();
    let by_entry = again
        .sent_request(&format!("history-{}", rows[0].id))
        .await
        .unwrap();
    assert_eq!(by_entry, sent);
    let gone = again.sent_request("history-999999").await.unwrap_err();
    assert_eq!(gone.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn without_the_history_the_session_carries_the_request_as_sent() {
    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    let no_history = || {
        let mut config = AppConfig::new(dir.path().join("data"));
        config.history = false;
        App::new(config).unwrap()
    };
    let first = no_history();
    let response = send_with_token(&first, &server).await;
    let before = first.sent_request(&response.id).await.unwrap();
    first
        .session_put(Session {
            tabs: vec![SessionTab {
                key: "t".into(),
                path: None,
                response: Some(response.clone()),
                sent: None,
            }],
            ..Session::default()
        })
        .await
        .unwrap();
    let file = std::fs::read_to_string(dir.path().join("data/session.json")).unwrap();
    assert!(
        file.contains("Bearer"),
        "the view is in the session: {file}"
    );
    assert!(!file.contains("s3cr3t"), "masked: {file}");
    drop(first);

    let again = no_history();
    assert_eq!(
        again.sent_request(&response.id).await.unwrap_err().code,
        ErrorCode::NotFound,
        "nothing before the session is read"
    );
    again.session_get().await.unwrap().expect("a session");
    assert_eq!(again.sent_request(&response.id).await.unwrap(), before);
}

#[tokio::test]
async fn save_body_writes_the_exact_bytes_of_a_big_body() {
    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let size: u64 = 5 * 1024 * 1024 + 17;
    let request = HttpRequest::get(server.url(&format!("/bytes/{size}")));
    let response = app.send_request("r2", &request, &|_| {}).await.unwrap();
    assert_eq!(response.body.size, size);

    let dest = dir.path().join("out/saved.bin");
    std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
    std::fs::write(&dest, b"an older file").unwrap();
    let written = app.save_body(&response.id, &dest).await.unwrap();
    assert_eq!(written, size);

    let stored = std::fs::read(app.body_path(&response.id).unwrap()).unwrap();
    let saved = std::fs::read(&dest).unwrap();
    assert_eq!(saved.len() as u64, size);
    assert!(
        saved == stored,
        "the saved file differs from the stored body"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dest.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("saved.bin")]);

    let relative = app
        .save_body(&response.id, std::path::Path::new("saved.bin"))
        .await
        .unwrap_err();
    assert_eq!(relative.code, ErrorCode::InvalidRequest);
    let gone = app
        .save_body("0123456789abcdef", &dir.path().join("x"))
        .await
        .unwrap_err();
    assert_eq!(gone.code, ErrorCode::NotFound, "{gone:?}");
}
