//! Contract checks against the FastAPI demo: its spec imported as a collection, each request
//! remembers its operation, and every send is checked against it. The demo's
//! `/contract/broken-items` declares a list of `Item` and answers with one missing `name`.

use sextant_app::{App, AppConfig, SendContext};
use sextant_model::{
    AssertPredicate, AssertQuery, AssertionKind, InterchangeFormat, OpenedRequest, TreeNode,
};
use sextant_testkit::PyServer;

fn find<'a>(nodes: &'a [TreeNode], name: &str) -> Option<&'a TreeNode> {
    nodes.iter().find_map(|n| {
        (n.name == name)
            .then_some(n)
            .or_else(|| find(&n.children, name))
    })
}

async fn imported(app: &App, api: &PyServer, name: &str) -> (String, OpenedRequest) {
    let imported = app
        .import_into_workspace(InterchangeFormat::Openapi, api.url("/openapi.json"), None)
        .await
        .unwrap();
    let info = app.workspace_info().await.unwrap();
    let collection = info
        .collections
        .iter()
        .find(|c| c.path == imported.paths[0])
        .unwrap();
    let node = find(&collection.children, name).expect(name);
    let opened = app.request_open(node.path.clone()).await.unwrap();
    (node.path.clone(), opened)
}

#[tokio::test]
async fn a_response_that_breaks_its_schema_is_caught_with_its_pointer() {
    let api = PyServer::shared_demo_api();
    let dir = tempfile::tempdir().unwrap();
    let app = App::new(AppConfig::new(dir.path())).unwrap();
    let (path, opened) = imported(&app, api, "List items (breaks its own schema)").await;
    let contract = opened
        .saved
        .contract
        .clone()
        .expect("the operation is remembered");
    assert_eq!(contract.spec, api.url("/openapi.json"));
    let response = app
        .send(
            "broken",
            &opened.saved,
            Some(SendContext::new(Some(path), None)),
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    let results = &response.assertions;
    assert_eq!(results.len(), 1, "{results:#?}");
    let r = &results[0];
    assert_eq!(r.kind, AssertionKind::Contract);
    assert!(!r.passed);
    assert_eq!(
        r.message,
        "Response violates schema: 'name' is a required property at /1"
    );
    assert_eq!(r.pointer.as_deref(), Some("/1"));
    assert_eq!(
        r.schema_pointer.as_deref(),
        Some("#/components/schemas/Item/required")
    );
    let suggestion = r.suggestion.as_ref().expect("an assertion to save");
    assert_eq!(
        suggestion.query,
        AssertQuery::JsonPath {
            path: "$[1].name".into()
        }
    );
    assert_eq!(suggestion.predicate, AssertPredicate::Exists);
}

#[tokio::test]
async fn a_response_that_keeps_its_contract_passes() {
    let api = PyServer::shared_demo_api();
    let dir = tempfile::tempdir().unwrap();
    let app = App::new(AppConfig::new(dir.path())).unwrap();
    let (path, opened) = imported(&app, api, "List items").await;
    let response = app
        .send(
            "items",
            &opened.saved,
            Some(SendContext::new(Some(path.clone()), None)),
            &|_| {},
        )
        .await
        .unwrap();
    let results = &response.assertions;
    assert_eq!(results.len(), 1, "{results:#?}");
    assert!(results[0].passed, "{results:#?}");
    assert_eq!(results[0].kind, AssertionKind::Contract);

    // The same request made to answer 422 (limit=0): documented by FastAPI, so it passes too;
    // pointed at a path the operation does not document, 404 is an undocumented status.
    let mut saved = opened.saved.clone();
    saved.request.url = saved.request.url.replace("/items", "/nowhere");
    let response = app
        .send(
            "nowhere",
            &saved,
            Some(SendContext::new(Some(path), None)),
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(response.status, 404);
    let r = &response.assertions[0];
    assert!(!r.passed);
    assert_eq!(r.message, "Undocumented status 404; documented: 200, 422");
    let suggestion = r.suggestion.as_ref().unwrap();
    assert_eq!(suggestion.query, AssertQuery::Status);
    assert_eq!(suggestion.value.as_deref(), Some("200"));
}

/// `matchesSchema` reads a JSON Schema file from the collection folder; one outside it is
/// refused (FileNotAllowed), whatever the path says.
#[tokio::test]
async fn a_body_is_checked_against_a_schema_file_in_the_collection_folder() {
    use sextant_model::{Assertion, HttpRequest, SavedRequest};
    let api = PyServer::shared_demo_api();
    let dir = tempfile::tempdir().unwrap();
    let app = App::new(AppConfig::new(dir.path())).unwrap();
    let collection = app.collection_create("shop".into()).await.unwrap();
    let folder = app.workspace_root().join(&collection);
    std::fs::create_dir_all(folder.join("schemas")).unwrap();
    std::fs::write(
        folder.join("schemas/item.json"),
        r#"{"type": "object", "required": ["id", "name"], "properties": {"id": {"type": "integer"}}}"#,
    )
    .unwrap();
    std::fs::write(
        folder.join("schemas/strict.json"),
        r#"{"type": "object", "required": ["sku"]}"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("outside.json"), "{}").unwrap();
    let mut saved = SavedRequest::new("Item", HttpRequest::get(api.url("/items/1")));
    let schema = |file: &str| {
        Assertion::new(
            AssertQuery::BodyText,
            AssertPredicate::MatchesSchema,
            Some(file),
        )
    };
    saved.assertions = vec![
        schema("schemas/item.json"),
        Assertion::new(
            AssertQuery::JsonPath {
                path: "$.id".into(),
            },
            AssertPredicate::MatchesSchema,
            Some("schemas/item.json"),
        ),
        schema("schemas/strict.json"),
        schema("../../outside.json"),
    ];
    let created = app.request_create(collection, saved).await.unwrap();
    let opened = app.request_open(created.path.clone()).await.unwrap();
    let response = app
        .send(
            "schema",
            &opened.saved,
            Some(SendContext::new(Some(created.path), None)),
            &|_| {},
        )
        .await
        .unwrap();
    let r = &response.assertions;
    assert_eq!(r.len(), 4, "{r:#?}");
    assert!(r[0].passed, "{:?}", r[0]);
    assert!(!r[1].passed);
    assert!(
        r[1].message.contains("\"object\""),
        "the id is not an object: {:?}",
        r[1]
    );
    assert_eq!(
        r[2].message,
        "body does not match the schema: 'sku' is a required property at /"
    );
    assert!(r[3].message.contains("FileNotAllowed"), "{:?}", r[3]);
    assert!(r[3].message.contains("outside the collection folder"));
}
