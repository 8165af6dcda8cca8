//! The command layer without any host: send, cancel by request id, read body windows, cookies.

use std::sync::Arc;
use std::time::Duration;

use sextant_app::{App, AppConfig, SendContext};
use sextant_model::{ErrorCode, HttpRequest};
use sextant_testkit::FaultServer;

fn app() -> (Arc<App>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    (Arc::new(App::new(AppConfig::new(dir.path())).unwrap()), dir)
}

#[tokio::test]
async fn send_stores_the_body_under_the_data_dir_and_reads_it_back_in_windows() {
    let server = FaultServer::start();
    let (app, dir) = app();
    let r = app
        .send_request(
            "r1",
            &HttpRequest::get(server.url("/bytes/2000000")),
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(r.body.size, 2_000_000);
    assert!(app.body_path(&r.id).unwrap().starts_with(dir.path()));
    let first = app.read_body(&r.id, 0, 5).await.unwrap();
    assert_eq!(first, [0, 1, 2, 3, 4]);
    let capped = app.read_body(&r.id, 0, u64::MAX).await.unwrap();
    assert_eq!(capped.len(), 1 << 20);
    let err = app.read_body("no-such-body", 0, 10).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn cancel_reaches_a_request_by_its_id_and_ids_are_unique_while_in_flight() {
    let server = FaultServer::start();
    let (app, _dir) = app();
    assert!(!app.cancel_request("nothing-running"));
    let sender = Arc::clone(&app);
    let url = server.url("/stall-head");
    let task = tokio::spawn(async move {
        sender
            .send_request("slow", &HttpRequest::get(url), &|_| {})
            .await
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let dup = app
        .send_request("slow", &HttpRequest::get(server.url("/ok")), &|_| {})
        .await
        .unwrap_err();
    assert_eq!(dup.code, ErrorCode::InvalidRequest);
    assert!(app.cancel_request("slow"));
    let err = task.await.unwrap().unwrap_err();
    assert_eq!(err.code, ErrorCode::Cancelled);
    assert!(
        !app.cancel_request("slow"),
        "the id is released when the send ends"
    );
}

#[tokio::test]
async fn cookies_are_listed_and_cleared_through_the_app() {
    let server = FaultServer::start();
    let (app, _dir) = app();
    app.send_request(
        "c",
        &HttpRequest::get(server.url("/set-cookie?name=k&value=v")),
        &|_| {},
    )
    .await
    .unwrap();
    let cookies = app.list_cookies();
    assert_eq!(cookies.len(), 1);
    assert_eq!(cookies[0].domain, "127.0.0.1");
    app.clear_cookies();
    assert!(app.list_cookies().is_empty());
}

#[tokio::test]
async fn an_opened_spec_serves_operations_schemas_and_try_it_by_id() {
    let api = sextant_testkit::PyServer::shared_demo_api();
    let (app, _dir) = app();
    let overview = app.open_spec(&api.url("/openapi.json")).await.unwrap();
    assert_eq!(overview.version, "3.1.0");
    let create = overview
        .operations
        .iter()
        .find(|op| op.method == "POST" && op.path == "/items")
        .expect("POST /items in the overview");

    let op = app
        .spec_operation(&overview.spec_id, &create.id)
        .await
        .unwrap();
    assert!(op.operation.request_body.is_some());
    let schema_name = overview.schema_names.first().expect("named schemas");
    app.spec_schema(&overview.spec_id, schema_name)
        .await
        .unwrap();

    let tried = app
        .try_operation(&overview.spec_id, &create.id, None)
        .await
        .unwrap();
    assert_eq!(tried.request.url, api.url("/items"));
    let r = app
        .send_request("try", &tried.request, &|_| {})
        .await
        .unwrap();
    assert_eq!(r.status, 201);

    // A path parameter stays a `{{variable}}`, its example the request variable's value.
    let get = overview
        .operations
        .iter()
        .find(|op| op.method == "GET" && op.path == "/items/{item_id}")
        .unwrap();
    let tried = app
        .try_operation(&overview.spec_id, &get.id, None)
        .await
        .unwrap();
    assert_eq!(tried.request.url, api.url("/items/{{item_id}}"));
    let mut saved = sextant_model::SavedRequest::new("get", tried.request);
    saved.variables = tried
        .path_params
        .iter()
        .map(|(n, v)| sextant_model::Variable::new(n, v))
        .collect();
    saved.variables[0].value = "2".into();
    let r = app
        .send("try-get", &saved, Some(SendContext::default()), &|_| {})
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.url, api.url("/items/2"));

    let missing = app
        .spec_operation("spec-nope", &create.id)
        .await
        .unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound);
    let missing = app
        .spec_operation(&overview.spec_id, "nope")
        .await
        .unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn opening_a_spec_answers_with_its_outline_and_the_model_follows() {
    let (app, dir) = app();
    let file = dir.path().join("api.yaml");
    std::fs::write(
        &file,
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Gone'}\n",
    )
    .unwrap();
    let outline = app.open_spec(file.to_str().unwrap()).await.unwrap();
    assert!(!outline.complete);
    assert!(outline.warnings.is_empty());
    assert_eq!(outline.source, file.to_str().unwrap());
    assert_eq!(outline.operations[0].id, "getA");

    // Operations wait for the model rather than failing while it is built.
    let op = app.spec_operation(&outline.spec_id, "getA").await.unwrap();
    assert_eq!(op.operation.responses.len(), 1);
    let full = app.spec_overview(&outline.spec_id).await.unwrap();
    assert!(full.complete);
    assert_eq!(full.spec_id, outline.spec_id);
    assert_eq!(full.operations, outline.operations);
    assert!(
        full.warnings.iter().any(|w| w.message.contains("Gone")),
        "{:?}",
        full.warnings
    );
    let missing = app.spec_overview("spec-nope").await.unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn reloading_a_spec_keeps_its_id_and_reports_what_changed() {
    let (app, dir) = app();
    let file = dir.path().join("api.yaml");
    let one = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\n";
    std::fs::write(&file, one).unwrap();
    let overview = app.open_spec(file.to_str().unwrap()).await.unwrap();
    assert_eq!(overview.operations.len(), 1);

    std::fs::write(
        &file,
        format!("{one}  /b:\n    delete:\n      responses: {{'204': {{description: gone}}}}\n"),
    )
    .unwrap();
    let reload = app.reload_spec(&overview.spec_id).await.unwrap();
    assert_eq!(reload.overview.spec_id, overview.spec_id);
    assert_eq!(reload.overview.operations.len(), 2);
    assert_eq!(reload.diff.added.len(), 1);
    assert_eq!(reload.diff.added[0].path, "/b");
    assert_eq!(reload.diff.breaking_count(), 0);
    let b = &reload.overview.operations[1];
    assert!(app.spec_operation(&overview.spec_id, &b.id).await.is_ok());
}

#[tokio::test]
async fn a_pasted_document_imports_and_bad_text_reports_its_location() {
    let (app, _dir) = app();
    let pasted = "openapi: 3.1.0\ninfo: {title: Pasted, version: '1'}\npaths:\n  /p:\n    get:\n      responses: {'200': {description: ok}}\n";
    let overview = app.open_spec(pasted).await.unwrap();
    assert_eq!(overview.title, "Pasted");
    assert_eq!(overview.source, "pasted text");
    let err = app.open_spec("{\"openapi\": \"3.1.0\",").await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidSpec);
    assert!(err.message.contains("line 1"), "{}", err.message);
}

#[tokio::test]
async fn a_spec_url_is_fetched_with_the_settings_the_user_chose() {
    let server = FaultServer::start();
    let (app, _dir) = app();
    let url = server.tls_url("/json");
    // TLS verification is on by default: a self-signed server is refused.
    let err = app.open_spec(&url).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Tls, "{err:?}");
    // Turned off, the fetch succeeds and the error is about the document itself.
    let insecure = sextant_model::RequestSettings {
        verify_tls: false,
        ..Default::default()
    };
    let err = app.open_spec_with(&url, insecure).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidSpec, "{err:?}");
}
