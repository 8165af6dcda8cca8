//! A request without `contract:` in a collection imported from the FastAPI demo's spec is
//! matched to the operation by its method and URL path, and checked as an imported request is,
//! its result marked "matched by path"; a URL no template matches gets no contract check.
//! A request in a collection that names no spec is checked against the workspace's other
//! specs whose server its URL is on (never another host's), and which spec a collection names
//! is read again once one of its requests is saved or changed by another program.

use std::time::{Duration, Instant};

use sextant_app::{App, AppConfig, SendContext};
use sextant_model::{
    AssertionKind, AssertionResult, ContractRef, HttpRequest, InterchangeFormat, SavedRequest,
};
use sextant_testkit::{HyperServer, PyServer};

#[tokio::test]
async fn a_request_without_a_contract_is_checked_against_the_operation_its_path_matches() {
    let api = PyServer::shared_demo_api();
    let dir = tempfile::tempdir().unwrap();
    let app = App::new(AppConfig::new(dir.path())).unwrap();
    let imported = app
        .import_into_workspace(InterchangeFormat::Openapi, api.url("/openapi.json"), None)
        .await
        .unwrap();
    let collection = imported.paths[0].clone();

    let send = |name: &'static str, url: String| {
        let app = &app;
        let collection = collection.clone();
        async move {
            let saved = SavedRequest::new(name, HttpRequest::get(url));
            assert!(saved.contract.is_none());
            let created = app.request_create(collection, saved.clone()).await.unwrap();
            app.send(
                name,
                &saved,
                Some(SendContext::new(Some(created.path), None)),
                &|_| {},
            )
            .await
            .unwrap()
        }
    };

    let broken = send("by path", api.url("/contract/broken-items/")).await;
    let contract: Vec<_> = broken
        .assertions
        .iter()
        .filter(|a| a.kind == AssertionKind::Contract)
        .collect();
    assert_eq!(contract.len(), 1, "{:#?}", broken.assertions);
    let r = contract[0];
    assert!(!r.passed);
    assert!(r.expected.contains("(matched by path)"), "{r:#?}");
    assert_eq!(r.pointer.as_deref(), Some("/1"));
    assert_eq!(
        r.schema_pointer.as_deref(),
        Some("#/components/schemas/Item/required")
    );

    let item = send("one item", api.url("/items/1")).await;
    let checked: Vec<_> = item
        .assertions
        .iter()
        .filter(|a| a.kind == AssertionKind::Contract)
        .collect();
    assert_eq!(checked.len(), 1, "{:#?}", item.assertions);
    assert!(checked[0].passed, "{:#?}", checked[0]);
    assert!(checked[0].expected.contains("(matched by path)"));

    let unknown = send("no such path", api.url("/no/such/path")).await;
    assert!(
        unknown
            .assertions
            .iter()
            .all(|a| a.kind != AssertionKind::Contract),
        "{:#?}",
        unknown.assertions
    );
}

/// Creates `name` (a GET of `url`, `contract` as given) in `parent` and returns its path.
async fn create(
    app: &App,
    parent: &str,
    name: &str,
    url: String,
    contract: Option<ContractRef>,
) -> String {
    let mut saved = SavedRequest::new(name, HttpRequest::get(url));
    saved.contract = contract;
    app.request_create(parent.to_owned(), saved)
        .await
        .unwrap()
        .path
}

/// Sends the request saved at `path` and returns its contract results.
async fn contract_results(app: &App, path: &str) -> Vec<AssertionResult> {
    let opened = app.request_open(path.to_owned()).await.unwrap();
    let response = app
        .send(
            &opened.saved.name,
            &opened.saved,
            Some(SendContext::new(Some(path.to_owned()), None)),
            &|_| {},
        )
        .await
        .unwrap();
    response
        .assertions
        .into_iter()
        .filter(|a| a.kind == AssertionKind::Contract)
        .collect()
}

#[tokio::test]
async fn a_collection_without_a_spec_is_checked_against_the_workspace_spec_its_server_serves() {
    let api = PyServer::shared_demo_api();
    let other_host = HyperServer::start();
    let dir = tempfile::tempdir().unwrap();
    let app = App::new(AppConfig::new(dir.path())).unwrap();
    app.import_into_workspace(InterchangeFormat::Openapi, api.url("/openapi.json"), None)
        .await
        .unwrap();
    let hand = app.collection_create("Hand written".into()).await.unwrap();

    let broken = create(
        &app,
        &hand,
        "broken",
        api.url("/contract/broken-items/"),
        None,
    )
    .await;
    let results = contract_results(&app, &broken).await;
    assert_eq!(results.len(), 1, "{results:#?}");
    let r = &results[0];
    assert!(!r.passed, "{r:#?}");
    assert!(r.expected.contains("(matched by path)"), "{r:#?}");
    assert_eq!(r.pointer.as_deref(), Some("/1"));
    assert_eq!(
        r.schema_pointer.as_deref(),
        Some("#/components/schemas/Item/required")
    );

    // The same path on another origin (another port of 127.0.0.1, answering `ok` as text,
    // which the demo's spec would reject) is no operation of the demo's spec.
    let elsewhere = create(&app, &hand, "elsewhere", other_host.url("/items/1"), None).await;
    let results = contract_results(&app, &elsewhere).await;
    assert!(results.is_empty(), "{results:#?}");
    let under = create(&app, &hand, "other base", api.url("/no/such/path"), None).await;
    let results = contract_results(&app, &under).await;
    assert!(results.is_empty(), "{results:#?}");
}

#[tokio::test]
async fn the_spec_a_collection_names_is_read_again_after_its_request_is_saved() {
    let api = PyServer::shared_demo_api();
    let dir = tempfile::tempdir().unwrap();
    let app = App::new(AppConfig::new(dir.path())).unwrap();
    let collection = app.collection_create("Named".into()).await.unwrap();
    let contract = ContractRef {
        spec: api.url("/openapi.json"),
        operation: "list_items".into(),
    };
    let naming = create(
        &app,
        &collection,
        "names the spec",
        api.url("/items"),
        Some(contract.clone()),
    )
    .await;
    let broken = create(
        &app,
        &collection,
        "broken",
        api.url("/contract/broken-items/"),
        None,
    )
    .await;
    assert_eq!(contract_results(&app, &broken).await.len(), 1);

    let save = |contract: Option<ContractRef>| {
        let (app, naming) = (&app, naming.clone());
        async move {
            let opened = app.request_open(naming.clone()).await.unwrap();
            let mut saved = opened.saved;
            saved.contract = contract;
            app.request_save(naming, saved, Some(opened.revision))
                .await
                .unwrap();
        }
    };
    save(None).await;
    let results = contract_results(&app, &broken).await;
    assert!(
        results.is_empty(),
        "no request names a spec now: {results:#?}"
    );
    save(Some(contract)).await;
    let results = contract_results(&app, &broken).await;
    assert_eq!(results.len(), 1, "{results:#?}");
    assert!(!results[0].passed);
}

#[tokio::test]
async fn a_change_by_another_program_is_seen_once_the_watcher_reports_it() {
    let api = PyServer::shared_demo_api();
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("workspace");
    let config = |data: &str| {
        let mut config = AppConfig::new(dir.path().join(data));
        config.workspace_dir = Some(ws.clone());
        config
    };
    let app = App::new(config("one")).unwrap();
    let collection = app.collection_create("Named".into()).await.unwrap();
    let contract = ContractRef {
        spec: api.url("/openapi.json"),
        operation: "list_items".into(),
    };
    let naming = create(
        &app,
        &collection,
        "names the spec",
        api.url("/items"),
        Some(contract),
    )
    .await;
    let broken = create(
        &app,
        &collection,
        "broken",
        api.url("/contract/broken-items/"),
        None,
    )
    .await;
    app.workspace_watch(|_| {}).unwrap();
    assert_eq!(contract_results(&app, &broken).await.len(), 1);

    // Another window (its own workspace handle) drops the contract from the request file.
    let other = App::new(config("two")).unwrap();
    let opened = other.request_open(naming.clone()).await.unwrap();
    let mut saved = opened.saved;
    saved.contract = None;
    other
        .request_save(naming, saved, Some(opened.revision))
        .await
        .unwrap();

    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let results = contract_results(&app, &broken).await;
        if results.is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the change was never seen: {results:#?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
