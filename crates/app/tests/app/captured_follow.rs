//! Captured values follow their request: a token captured by an unsaved request is still
//! defined after that request is saved into a collection, for every request of the collection,
//! after the request is moved into another collection, and after that collection is renamed.

use sextant_app::{App, AppConfig, SendContext};
use sextant_model::{
    Capture, CaptureSource, HttpRequest, KeyValue, RequestBody, SavedRequest, Variable,
};
use sextant_testkit::PyServer;

fn login(api: &PyServer) -> SavedRequest {
    let mut request = HttpRequest::new("POST", api.url("/token"));
    request.body = RequestBody::Form {
        fields: vec![
            KeyValue::new("username", "alice"),
            KeyValue::new("password", "wonderland"),
        ],
    };
    let mut saved = SavedRequest::new("Log in", request);
    saved.captures = vec![Capture {
        variable: "token".into(),
        source: CaptureSource::Body {
            path: "$.access_token".into(),
        },
    }];
    saved
}

fn echo_with_token(api: &PyServer) -> SavedRequest {
    let mut request = HttpRequest::new("POST", api.url("/echo"));
    request
        .headers
        .push(KeyValue::new("Authorization", "Bearer {{token}}"));
    SavedRequest::new("Who am I", request)
}

/// What the login captures from the demo API.
fn token() -> [Variable; 1] {
    [Variable::new("token", "token-alice")]
}

#[tokio::test]
async fn a_token_captured_before_the_save_is_defined_in_the_collection_and_after_a_move() {
    let api = PyServer::shared_demo_api();
    let dir = tempfile::tempdir().unwrap();
    let app = App::new(AppConfig::new(dir.path())).unwrap();
    app.collection_create("shop".into()).await.unwrap();
    app.collection_create("other".into()).await.unwrap();

    // An unsaved tab logs in: the token lands in the scope of requests outside any collection.
    let saved = login(api);
    let response = app
        .send("login", &saved, Some(SendContext::default()), &|_| {})
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(app.captured_values(None).values, token());

    // Saved into `shop`: the collection has the token, and another request there uses it.
    let created = app.request_create("shop".into(), saved).await.unwrap();
    assert_eq!(app.captured_values(Some(&created.path)).values, token());
    let echo = app
        .request_create("shop".into(), echo_with_token(api))
        .await
        .unwrap();
    let opened = app.request_open(echo.path.clone()).await.unwrap();
    let undefined = app
        .variables_check(Some(echo.path.clone()), opened.saved.clone(), None)
        .await
        .unwrap();
    assert!(undefined.is_empty(), "{undefined:?}");
    let echoed = app
        .send(
            "echo",
            &opened.saved,
            Some(SendContext::new(Some(echo.path.clone()), None)),
            &|_| {},
        )
        .await
        .unwrap();
    let body = app.read_body(&echoed.id, 0, 64 * 1024).await.unwrap();
    let body = String::from_utf8_lossy(&body);
    assert!(body.contains("Bearer token-alice"), "{body}");

    // Moved into `other`: the login takes its token along; `shop` keeps its copy.
    let moved = app
        .item_move(created.path.clone(), "other".into())
        .await
        .unwrap();
    assert_eq!(app.captured_values(Some(&moved)).values, token());
    assert_eq!(app.captured_values(Some(&echo.path)).values, token());

    // A renamed collection keeps them.
    let renamed = app
        .item_rename("other".into(), "elsewhere".into())
        .await
        .unwrap();
    assert!(app.captured_values(Some("other/x.yaml")).values.is_empty());
    assert_eq!(app.captured_values(Some(&renamed)).values, token());
}
