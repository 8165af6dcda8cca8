//! Assertions run after each send against the FastAPI demo: passing and failing ones come back
//! with the response, their values templated in the request's scope, in the collection or not.

use sextant_app::{App, AppConfig, SendContext};
use sextant_model::{
    AssertPredicate as P, AssertQuery as Q, Assertion, HttpRequest, SavedRequest, Variable,
};
use sextant_testkit::PyServer;

fn body(path: &str) -> Q {
    Q::JsonPath { path: path.into() }
}

fn item_request(api: &PyServer) -> SavedRequest {
    let mut saved = SavedRequest::new("Item", HttpRequest::get(api.url("/items/{{id}}")));
    saved.variables = vec![Variable::new("id", "1"), Variable::new("want", "1")];
    let mut disabled = Assertion::new(Q::Status, P::Equals, Some("500"));
    disabled.enabled = false;
    let mut not_404 = Assertion::new(Q::Status, P::Equals, Some("404"));
    not_404.negate = true;
    saved.assertions = vec![
        Assertion::new(Q::Status, P::Equals, Some("200")),
        Assertion::new(
            Q::Header {
                name: "content-type".into(),
            },
            P::StartsWith,
            Some("application/json"),
        ),
        Assertion::new(body("$.id"), P::Equals, Some("{{want}}")),
        Assertion::new(body("$.tags"), P::IsArray, None),
        Assertion::new(Q::ResponseTime, P::Less, Some("60000")),
        disabled,
        not_404,
        // The failing ones.
        Assertion::new(Q::Status, P::Equals, Some("201")),
        Assertion::new(body("$.id"), P::Equals, Some("2")),
        Assertion::new(body("$.missing"), P::Exists, None),
        Assertion::new(body("$.tags"), P::Equals, Some(r#"["nope"]"#)),
    ];
    saved
}

#[tokio::test]
async fn passing_and_failing_assertions_come_back_with_the_response() {
    let api = PyServer::shared_demo_api();
    let dir = tempfile::tempdir().unwrap();
    let app = App::new(AppConfig::new(dir.path())).unwrap();
    app.collection_create("shop".into()).await.unwrap();
    let created = app
        .request_create("shop".into(), item_request(api))
        .await
        .unwrap();
    let opened = app.request_open(created.path.clone()).await.unwrap();
    assert_eq!(opened.saved.assertions.len(), 11, "saved and read back");

    let response = app
        .send(
            "item",
            &opened.saved,
            Some(SendContext::new(Some(created.path.clone()), None)),
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    let results = &response.assertions;
    let indexes: Vec<u32> = results.iter().map(|r| r.index).collect();
    assert_eq!(
        indexes,
        [0, 1, 2, 3, 4, 6, 7, 8, 9, 10],
        "the disabled one is skipped"
    );
    let passed: Vec<bool> = results.iter().map(|r| r.passed).collect();
    assert_eq!(
        passed,
        [true, true, true, true, true, true, false, false, false, false],
        "{results:#?}"
    );
    assert_eq!(results[6].message, "expected status == 201, got 200");
    assert_eq!(results[7].message, "$.id: expected 2, got 1");
    assert_eq!(results[7].expected, "== 2");
    assert_eq!(results[7].actual, "1");
    assert!(results[8].message.contains("exists"), "{:?}", results[8]);
    let diff = results[9].diff.as_deref().expect("a diff of two arrays");
    assert!(diff.contains("-   \"nope\""), "{diff}");
}

#[tokio::test]
async fn a_request_sent_without_a_collection_still_runs_its_assertions() {
    let api = PyServer::shared_demo_api();
    let dir = tempfile::tempdir().unwrap();
    let app = App::new(AppConfig::new(dir.path())).unwrap();
    let mut saved = SavedRequest::new(
        "Cookie",
        HttpRequest::get(api.url("/cookies/set?name=session&value=abc123")),
    );
    saved.assertions = vec![
        Assertion::new(
            Q::Cookie {
                name: "session".into(),
            },
            P::Equals,
            Some("abc123"),
        ),
        Assertion::new(Q::BodyText, P::Contains, Some("{{missing}}")),
    ];
    let response = app.send("cookie", &saved, None, &|_| {}).await.unwrap();
    assert_eq!(response.assertions.len(), 2);
    assert!(
        response.assertions[0].passed,
        "{:?}",
        response.assertions[0]
    );
    assert!(!response.assertions[1].passed);
    assert!(
        response.assertions[1]
            .message
            .contains("undefined variable: missing"),
        "{:?}",
        response.assertions[1]
    );
}
