//! A request without `contract:` in a collection imported from the FastAPI demo's spec is
//! matched to the operation by its method and URL path, and checked as an imported request is,
//! its result marked "matched by path"; a URL no template matches gets no contract check.

use sextant_app::{App, AppConfig, SendContext};
use sextant_model::{AssertionKind, HttpRequest, InterchangeFormat, SavedRequest};
use sextant_testkit::PyServer;

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
