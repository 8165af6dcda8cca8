//! Digest and the API key cookie through the command layer: a saved request's auth is templated,
//! the engine answers httpbin's Digest challenge, and the history keeps no password.

use sextant_app::{App, AppConfig, HistoryQuery, SendContext};
use sextant_model::{ApiKeyLocation, Auth, DigestAlgorithm, HttpRequest, SavedRequest, Variable};
use sextant_testkit::PyServer;

fn app(dir: &std::path::Path) -> App {
    let mut config = AppConfig::new(dir.join("data"));
    config.workspace_dir = Some(dir.join("ws"));
    std::fs::create_dir_all(dir.join("ws")).unwrap();
    App::new(config).unwrap()
}

#[tokio::test]
async fn a_saved_digest_request_signs_in_and_the_history_keeps_no_password() {
    let httpbin = PyServer::shared_httpbin();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let password = "pw-Digest-9Zq";
    let mut saved = SavedRequest::new(
        "Digest",
        HttpRequest::get(httpbin.url(&format!(
            "/digest-auth/auth/{{{{user}}}}/{password}/SHA-256"
        ))),
    );
    saved.variables = vec![Variable::new("user", "ann")];
    saved.auth = Auth::Digest {
        username: "{{user}}".into(),
        password: password.into(),
        algorithm: DigestAlgorithm::Auto,
    };
    let r = app
        .send("d", &saved, Some(SendContext::default()), &|_| {})
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.redirects.len(), 1);
    assert_eq!(r.redirects[0].status, 401);
    // The request as sent shows the answer the engine added, masked.
    let sent = app.sent_request(&r.id).await.unwrap();
    let authorization: Vec<&str> = sent
        .headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("authorization"))
        .map(|h| h.value.as_str())
        .collect();
    assert_eq!(authorization, ["Digest •••"]);
    assert!(r.auth_headers[0]
        .value
        .starts_with("Digest username=\"ann\""));

    let rows = app.history_list(HistoryQuery::default()).await.unwrap();
    let entry = app.history_entry(rows[0].id).await.unwrap();
    let written = entry.written.unwrap();
    match &written.saved.auth {
        Auth::Digest { password: kept, .. } => assert_ne!(kept, password),
        other => panic!("not digest: {other:?}"),
    }
}

#[tokio::test]
async fn an_api_key_cookie_reaches_the_server() {
    let httpbin = PyServer::shared_httpbin();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let mut saved = SavedRequest::new("Cookie", HttpRequest::get(httpbin.url("/cookies")));
    saved.auth = Auth::ApiKey {
        name: "session".into(),
        value: "s-1".into(),
        location: ApiKeyLocation::Cookie,
    };
    let r = app
        .send("c", &saved, Some(SendContext::default()), &|_| {})
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    let body = std::fs::read_to_string(app.body_path(&r.id).unwrap()).unwrap();
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["cookies"]["session"], "s-1");
}
