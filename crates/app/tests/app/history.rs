//! Every send is recorded: successes, failures before a response, bodies cut short; secrets
//! masked; listing, opening and pruning through the command layer.

use sextant_app::{App, AppConfig, HistoryFilter, HistoryQuery, Retention, SendMeta, Source};
use sextant_model::{ErrorCode, HttpRequest, KeyValue, RequestBody};
use sextant_testkit::FaultServer;

fn app(dir: &tempfile::TempDir) -> App {
    App::new(AppConfig::new(dir.path())).unwrap()
}

#[tokio::test]
async fn a_successful_send_is_recorded_with_its_response_and_body_file() {
    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir);
    let mut req = HttpRequest::new("POST", server.url("/echo"));
    req.query.push(KeyValue::new("page", "2"));
    req.headers
        .push(KeyValue::new("Authorization", "Bearer tok-SECRET"));
    req.headers.push(KeyValue::new("X-Note", "pineapple-42"));
    req.body = RequestBody::Json {
        text: r#"{"word":"zanzibar","pw":"hunter2"}"#.into(),
    };
    let meta = SendMeta {
        collection: Some("Demo".into()),
        secrets: vec!["hunter2".into()],
        ..SendMeta::default()
    };
    let response = app
        .send_request_with("r1", &req, &meta, &|_| {})
        .await
        .unwrap();
    assert!(dir.path().join("history.sqlite").is_file());

    let rows = app
        .history_list(HistoryQuery {
            text: Some("zanzibar".into()),
            ..HistoryQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].status, Some(200));
    assert_eq!(rows[0].url, server.url("/echo?page=2"));

    let entry = app.history_get(rows[0].id).await.unwrap();
    let rec = &entry.recorded;
    assert_eq!(rec.source, Source::App);
    assert_eq!(rec.collection.as_deref(), Some("Demo"));
    assert_eq!(rec.body_size, response.body.size);
    assert!(rec
        .request_headers
        .contains(&("Authorization".into(), "Bearer •••".into())));
    assert!(rec
        .request_headers
        .contains(&("X-Note".into(), "pineapple-42".into())));
    assert_eq!(
        rec.request_body.as_deref(),
        Some(r#"{"word":"zanzibar","pw":"•••"}"#)
    );
    let text = rec.response_body_text.as_deref().unwrap();
    assert!(
        text.contains("zanzibar") && !text.contains("hunter2"),
        "{text}"
    );
    let timings: sextant_model::Timings =
        serde_json::from_str(rec.timings_json.as_deref().unwrap()).unwrap();
    assert_eq!(timings.total_ms, response.timings.total_ms);

    let view = app.history_entry(rows[0].id).await.unwrap();
    assert_eq!(view.response_id.as_deref(), Some(response.id.as_str()));
    assert_eq!(view.timings.unwrap().total_ms, response.timings.total_ms);

    // Once the body file is gone the entry still opens, with its recorded text only.
    std::fs::remove_file(app.body_path(&response.id).unwrap()).unwrap();
    let view = app.history_entry(rows[0].id).await.unwrap();
    assert_eq!(view.response_id, None);
    assert!(view.response_body_text.unwrap().contains("zanzibar"));
}

#[tokio::test]
async fn failures_are_recorded_with_and_without_a_status() {
    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let refused = HttpRequest::get(format!("http://127.0.0.1:{port}/nothing"));
    let err = app.send_request("a", &refused, &|_| {}).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Connect);
    let cut = app
        .send_request(
            "b",
            &HttpRequest::get(server.url("/reset-mid-body")),
            &|_| {},
        )
        .await
        .unwrap();
    let cut_error = cut.error.clone().expect("body cut short");

    let failed = app
        .history_list(HistoryQuery {
            status_class: Some(0),
            ..HistoryQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].error_code.as_deref(), Some("Connect"));
    let entry = app.history_get(failed[0].id).await.unwrap();
    assert_eq!(entry.recorded.status, None);
    assert!(entry.recorded.error_message.is_some());

    let all = app.history_list(HistoryQuery::default()).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].status, Some(cut.status), "newest first");
    assert_eq!(
        all[0].error_code.as_deref(),
        Some(format!("{:?}", cut_error.code).as_str())
    );
}

#[tokio::test]
async fn missing_entries_are_not_found_and_prune_deletes_body_files() {
    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir);
    let err = app.history_get(12345).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);

    let mut ids = Vec::new();
    for i in 0..3 {
        let r = app
            .send_request(
                &format!("r{i}"),
                &HttpRequest::get(server.url("/json")),
                &|_| {},
            )
            .await
            .unwrap();
        ids.push(r.id);
    }
    let report = app
        .history_prune(Retention {
            max_entries: Some(1),
            ..Retention::default()
        })
        .await
        .unwrap();
    assert_eq!(report.entries_deleted, 2);
    assert!(!app.body_path(&ids[0]).unwrap().exists());
    assert!(!app.body_path(&ids[1]).unwrap().exists());
    assert!(app.body_path(&ids[2]).unwrap().exists());
    let left = app.history_list(HistoryQuery::default()).await.unwrap();
    assert_eq!(left.len(), 1);
}

#[tokio::test]
async fn paging_with_the_ipc_filter_and_history_off() {
    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir);
    for i in 0..5 {
        app.send_request(
            &format!("r{i}"),
            &HttpRequest::get(server.url("/ok")),
            &|_| {},
        )
        .await
        .unwrap();
    }
    let first = app
        .history_list(
            HistoryFilter {
                limit: 3,
                method: Some("  ".into()),
                ..HistoryFilter::default()
            }
            .into(),
        )
        .await
        .unwrap();
    assert_eq!(first.len(), 3);
    let second = app
        .history_list(
            HistoryFilter {
                limit: 3,
                before_id: Some(first[2].id),
                ..HistoryFilter::default()
            }
            .into(),
        )
        .await
        .unwrap();
    assert_eq!(second.len(), 2);
    assert!(second[0].id < first[2].id);

    let off_dir = tempfile::tempdir().unwrap();
    let mut config = AppConfig::new(off_dir.path());
    config.history = false;
    let off = App::new(config).unwrap();
    off.send_request("x", &HttpRequest::get(server.url("/ok")), &|_| {})
        .await
        .unwrap();
    assert!(!off_dir.path().join("history.sqlite").exists());
    assert!(off.history_list(HistoryQuery::default()).await.is_err());
}

#[tokio::test]
async fn a_database_elsewhere_keeps_text_but_no_body_paths() {
    let server = FaultServer::start();
    let scratch = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let mut config = AppConfig::new(scratch.path());
    config.history_source = Source::Cli;
    config.history_db = Some(data.path().join("history.sqlite"));
    let app = App::new(config).unwrap();
    app.send_request("x", &HttpRequest::get(server.url("/json")), &|_| {})
        .await
        .unwrap();
    let rows = app.history_list(HistoryQuery::default()).await.unwrap();
    let entry = app.history_get(rows[0].id).await.unwrap();
    assert_eq!(entry.recorded.source, Source::Cli);
    assert_eq!(entry.recorded.response_body_path, None);
    assert!(entry.recorded.response_body_text.unwrap().contains("world"));
}

/// The CLI opens the history in the data dir without starting the app there: a data dir it
/// creates is owner-only, and one left world-readable is tightened.
#[cfg(unix)]
#[test]
fn a_database_elsewhere_gets_an_owner_only_folder() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let scratch = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let loose = data.path().join("loose");
    std::fs::create_dir(&loose).unwrap();
    std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o755)).unwrap();
    for dir in [data.path().join("fresh/data"), loose] {
        let mut config = AppConfig::new(scratch.path());
        config.history_db = Some(dir.join("history.sqlite"));
        drop(App::new(config).unwrap());
        assert_eq!(mode(&dir), 0o700, "{}", dir.display());
        assert_eq!(mode(&dir.join("history.sqlite")), 0o600);
    }
}

/// What the fault server's `/echo` saw in the Authorization header of `response`.
fn echoed_authorization(app: &App, response: &sextant_model::HttpResponse) -> String {
    let body = std::fs::read(app.body_path(&response.id).unwrap()).unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&body).unwrap();
    doc["headers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h[0].as_str().unwrap().eq_ignore_ascii_case("authorization"))
        .map(|h| h[1].as_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// Every byte the history database holds, WAL included (a secret variable's value is masked
/// everywhere, response bodies too).
fn history_bytes(dir: &std::path::Path) -> String {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with("history.sqlite")
        {
            all.extend(std::fs::read(entry.path()).unwrap());
        }
    }
    String::from_utf8_lossy(&all).into_owned()
}

#[tokio::test]
async fn a_reopened_entry_is_resent_as_written_and_a_secret_not_kept_is_refused() {
    use sextant_app::SendContext;
    use sextant_model::{SavedRequest, Variable};

    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    let mut config = AppConfig::new(dir.path().join("data"));
    config.workspace_dir = Some(dir.path().join("ws"));
    std::fs::create_dir_all(dir.path().join("ws")).unwrap();
    let app = App::new(config).unwrap();
    let secret = |value: &str| Variable {
        secret: true,
        ..Variable::new("token", value)
    };
    app.globals_save(vec![secret("tok-first-1")]).await.unwrap();

    let mut req = HttpRequest::get(server.url("/echo"));
    req.headers
        .push(KeyValue::new("Authorization", "Bearer {{token}}"));
    let saved = SavedRequest::new("me", req);
    let first = app
        .send("w1", &saved, Some(SendContext::default()), &|_| {})
        .await
        .unwrap();
    assert_eq!(echoed_authorization(&app, &first), "Bearer tok-first-1");

    let rows = app.history_list(HistoryQuery::default()).await.unwrap();
    let entry = app.history_entry(rows[0].id).await.unwrap();
    assert!(entry
        .request_headers
        .iter()
        .any(|h| h.name == "Authorization" && h.value == "Bearer •••"));
    let written = entry.written.expect("the request as written is kept");
    assert_eq!(written.saved, saved, "kept exactly as written");
    assert!(!history_bytes(&dir.path().join("data")).contains("tok-first-1"));

    // Sent again from the history, it resolves against today's token.
    app.globals_save(vec![secret("tok-second-2")])
        .await
        .unwrap();
    let context = SendContext::new(written.path.clone(), written.environment.clone());
    let again = app
        .send("w2", &written.saved, Some(context), &|_| {})
        .await
        .unwrap();
    assert_eq!(again.status, 200);
    assert_eq!(echoed_authorization(&app, &again), "Bearer tok-second-2");

    // A token typed literally is not kept: reopened, it is the mask, which is never sent.
    let mut literal = HttpRequest::get(server.url("/echo"));
    literal
        .headers
        .push(KeyValue::new("Authorization", "Bearer typed-LITERAL-9"));
    let literal = SavedRequest::new("literal", literal);
    app.send("w3", &literal, Some(SendContext::default()), &|_| {})
        .await
        .unwrap();
    let rows = app.history_list(HistoryQuery::default()).await.unwrap();
    assert_eq!(rows.len(), 3);
    let written = app
        .history_entry(rows[0].id)
        .await
        .unwrap()
        .written
        .unwrap();
    assert_eq!(written.saved.request.headers[0].value, "Bearer •••");
    // (The echoed response body is the server's and is kept as it came.)
    let recorded = app.history_get(rows[0].id).await.unwrap().recorded;
    let as_written = recorded.request_as_written.unwrap();
    assert!(!as_written.contains("typed-LITERAL-9"), "{as_written}");
    let err = app
        .send("w4", &written.saved, Some(SendContext::default()), &|_| {})
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidRequest);
    assert!(
        err.message.contains("header Authorization") && err.message.contains("enter it"),
        "{}",
        err.message
    );
    // The CLI's path refuses it too, and a refused send is not recorded.
    let err = app
        .send_request("c1", &written.saved.request, &|_| {})
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidRequest, "{}", err.message);
    let rows = app.history_list(HistoryQuery::default()).await.unwrap();
    assert_eq!(rows.len(), 3);
}

#[tokio::test]
async fn a_request_from_a_collection_is_kept_with_its_auth_place_and_environment() {
    use sextant_app::SendContext;
    use sextant_model::{Auth, Environment, SavedRequest, Variable};

    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    let mut config = AppConfig::new(dir.path().join("data"));
    config.workspace_dir = Some(dir.path().join("ws"));
    std::fs::create_dir_all(dir.path().join("ws")).unwrap();
    let app = App::new(config).unwrap();
    let collection = app.collection_create("Api".into()).await.unwrap();
    let environment = |token: &str| Environment {
        name: "local".into(),
        variables: vec![Variable {
            secret: true,
            ..Variable::new("token", token)
        }],
    };
    app.environment_save(collection.clone(), environment("env-token-1"))
        .await
        .unwrap();
    let mut saved = SavedRequest::new("Me", HttpRequest::get(server.url("/echo")));
    saved.auth = Auth::Bearer {
        token: "{{token}}".into(),
    };
    let path = app
        .request_create(collection.clone(), saved.clone())
        .await
        .unwrap()
        .path;
    let context = SendContext::new(Some(path.clone()), Some("local".into()));
    let first = app
        .send("e1", &saved, Some(context), &|_| {})
        .await
        .unwrap();
    assert_eq!(echoed_authorization(&app, &first), "Bearer env-token-1");

    let rows = app.history_list(HistoryQuery::default()).await.unwrap();
    let entry = app.history_entry(rows[0].id).await.unwrap();
    assert_eq!(entry.collection.as_deref(), Some(collection.as_str()));
    let written = entry.written.unwrap();
    assert_eq!(
        written.saved.auth, saved.auth,
        "the auth setting as written"
    );
    assert_eq!(written.path.as_deref(), Some(path.as_str()));
    assert_eq!(written.environment.as_deref(), Some("local"));

    app.environment_save(collection, environment("env-token-2"))
        .await
        .unwrap();
    let context = SendContext::new(written.path, written.environment);
    let again = app
        .send("e2", &written.saved, Some(context), &|_| {})
        .await
        .unwrap();
    assert_eq!(echoed_authorization(&app, &again), "Bearer env-token-2");
}
