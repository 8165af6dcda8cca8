//! Assertions in a request file: one readable line each, read back as written.

use super::workspace_common::{get, temp_workspace};
use sextant_model::{AssertPredicate as P, AssertQuery as Q, Assertion};

#[test]
fn assertions_are_lines_in_the_request_file_and_read_back() {
    let t = temp_workspace();
    let mut req = get("Items", "https://example.test/items");
    let mut off = Assertion::new(Q::ResponseTime, P::Less, Some("500"));
    off.enabled = false;
    let mut not = Assertion::new(Q::BodyText, P::Contains, Some("error"));
    not.negate = true;
    req.assertions = vec![
        Assertion::new(Q::Status, P::Equals, Some("200")),
        Assertion::new(
            Q::Header {
                name: "content-type".into(),
            },
            P::Contains,
            Some("json"),
        ),
        Assertion::new(
            Q::JsonPath {
                path: "$.items[?(@.name == 'a b')].id".into(),
            },
            P::Equals,
            Some("{{id}}"),
        ),
        Assertion::new(
            Q::JsonPath {
                path: "$.items".into(),
            },
            P::IsArray,
            None,
        ),
        not,
        off,
    ];
    let coll = t.ws.create_collection("Shop").unwrap();
    let saved = t.ws.create_request(&coll, &req).unwrap();
    let text = std::fs::read_to_string(t.root().join(&saved.path)).unwrap();
    assert!(
        text.contains(
            "assertions:\n- status == 200\n- header content-type contains json\n\
             - body $.items[?(@.name == 'a b')].id == {{id}}\n- body $.items isArray\n\
             - not body contains error\n- disabled duration < 500\n"
        ),
        "{text}"
    );
    let back = t.ws.read_request(&saved.path).unwrap().request;
    assert_eq!(back.assertions, req.assertions);
}

#[test]
fn a_line_that_does_not_read_is_an_invalid_file() {
    let t = temp_workspace();
    let coll = t.ws.create_collection("Shop").unwrap();
    std::fs::write(
        t.root().join(&coll).join("bad.yaml"),
        "name: Bad\nmethod: GET\nurl: http://x.test\nassertions:\n- status is 200\n",
    )
    .unwrap();
    let err = t.ws.read_request(&format!("{coll}/bad.yaml")).unwrap_err();
    assert!(err.to_string().contains("unknown predicate `is`"), "{err}");
}
