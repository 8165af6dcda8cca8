//! Assertions through Postman test scripts and Insomnia after-response scripts: our assertions
//! exported as `pm.test` lines come back unchanged, the checks people write by hand become
//! assertions, and whatever else a script does is a warning naming the script.

use sextant_interchange::{export_postman, import_insomnia, import_postman, ExportOptions};
use sextant_model::{
    AssertPredicate as P, AssertQuery as Q, Assertion, Collection, CollectionItem, HttpRequest,
    SavedRequest,
};

fn assertion(query: Q, predicate: P, value: Option<&str>, negate: bool) -> Assertion {
    Assertion {
        negate,
        ..Assertion::new(query, predicate, value)
    }
}

fn path(p: &str) -> Q {
    Q::JsonPath { path: p.into() }
}

fn header(name: &str) -> Q {
    Q::Header { name: name.into() }
}

fn collection_with(assertions: Vec<Assertion>) -> Collection {
    let mut saved = SavedRequest::new("Items", HttpRequest::get("http://127.0.0.1:8000/items"));
    saved.assertions = assertions;
    Collection {
        name: "Shop".into(),
        settings: Default::default(),
        items: vec![CollectionItem::Request(saved)],
        environments: Vec::new(),
    }
}

fn only_request(c: &Collection) -> &SavedRequest {
    match &c.items[..] {
        [CollectionItem::Request(r)] => r,
        other => panic!("{other:?}"),
    }
}

/// Every assertion a test script can say, each kind of query and predicate.
fn expressible() -> Vec<Assertion> {
    vec![
        assertion(Q::Status, P::Equals, Some("200"), false),
        assertion(Q::Status, P::In, Some("[200,201]"), false),
        assertion(header("content-type"), P::Contains, Some("json"), false),
        assertion(header("X-Id"), P::Exists, None, false),
        assertion(header("X-Debug"), P::Exists, None, true),
        assertion(
            Q::Cookie {
                name: "session".into(),
            },
            P::Exists,
            None,
            false,
        ),
        assertion(path("$.items[0].name"), P::Equals, Some("\"Pen\""), false),
        assertion(path("$.count"), P::Greater, Some("2"), false),
        assertion(path("$.count"), P::LessOrEqual, Some("10"), false),
        assertion(path("$.error"), P::Exists, None, true),
        assertion(path("$['a b']"), P::IsString, None, false),
        assertion(path("$.id"), P::IsInteger, None, false),
        assertion(path("$.tags"), P::Length, Some("3"), false),
        assertion(path("$.tags"), P::Contains, Some("\"home\""), false),
        assertion(path("$.name"), P::Matches, Some("^P.n/x$"), false),
        assertion(path("$.name"), P::StartsWith, Some("Pe"), true),
        assertion(path("$.note"), P::IsNull, None, false),
        assertion(path("$"), P::IsObject, None, false),
        assertion(path("$.flag"), P::Equals, Some("true"), true),
        assertion(Q::BodyText, P::EndsWith, Some("}"), false),
        assertion(Q::ResponseTime, P::Less, Some("500"), false),
        assertion(Q::Size, P::GreaterOrEqual, Some("1"), false),
    ]
}

#[test]
fn assertions_round_trip_through_a_postman_test_script() {
    let c = collection_with(expressible());
    let exported = export_postman(&c, &ExportOptions::default());
    assert!(exported.warnings.is_empty(), "{:?}", exported.warnings);
    let doc: serde_json::Value = serde_json::from_str(&exported.text).unwrap();
    let event = &doc["item"][0]["event"][0];
    assert_eq!(event["listen"], "test");
    let lines = event["script"]["exec"].as_array().unwrap();
    assert_eq!(lines.len(), expressible().len());
    assert_eq!(
        lines[0],
        "pm.test(\"status == 200\", () => pm.response.to.have.status(200));"
    );
    assert_eq!(
        lines[6],
        "pm.test(\"body $.items[0].name == \\\"Pen\\\"\", () => pm.expect(pm.response.json().items[0].name).to.eql(\"Pen\"));"
    );

    let back = import_postman(&exported.text).unwrap();
    assert!(back.warnings.is_empty(), "{:?}", back.warnings);
    assert_eq!(only_request(&back.value).assertions, expressible());
}

#[test]
fn what_a_script_cannot_say_is_a_comment_and_a_warning() {
    let mut disabled = assertion(Q::Status, P::Equals, Some("201"), false);
    disabled.enabled = false;
    let c = collection_with(vec![
        assertion(path("$..id"), P::Exists, None, false),
        assertion(
            path("$.items[?(@.id == 1)].name"),
            P::Equals,
            Some("\"Pen\""),
            false,
        ),
        assertion(Q::Redirects, P::Equals, Some("0"), false),
        assertion(path("$.id"), P::Equals, Some("{{itemId}}"), false),
        assertion(
            Q::BodyText,
            P::MatchesSchema,
            Some("schemas/item.json"),
            false,
        ),
        disabled,
        assertion(Q::Status, P::Equals, Some("200"), false),
    ]);
    let exported = export_postman(&c, &ExportOptions::default());
    let messages: Vec<&str> = exported
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(messages.len(), 6, "{messages:?}");
    assert!(exported.warnings.iter().all(|w| w.location == "Items"));
    for needle in [
        "the JSONPath $..id has no plain JavaScript equivalent",
        "the JSONPath $.items[?(@.id == 1)].name has no plain",
        "redirect count",
        "{{variables}}",
        "schema file",
        "the disabled assertion \"status == 201\" was not exported",
    ] {
        assert!(
            messages.iter().any(|m| m.contains(needle)),
            "{needle}: {messages:?}"
        );
    }
    let doc: serde_json::Value = serde_json::from_str(&exported.text).unwrap();
    let lines = doc["item"][0]["event"][0]["script"]["exec"]
        .as_array()
        .unwrap();
    assert_eq!(lines[0], "// not exported: body $..id exists");
    // The comments are not read back as anything; the one check that could go, does.
    let back = import_postman(&exported.text).unwrap();
    assert_eq!(
        only_request(&back.value).assertions,
        [assertion(Q::Status, P::Equals, Some("200"), false)]
    );
}

const HAND_WRITTEN: &str = r#"{
  "info": {"name": "Hand", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
  "item": [{
    "name": "Get item",
    "event": [{"listen": "test", "script": {"type": "text/javascript", "exec": [
      "var jsonData = pm.response.json();",
      "pm.test('Status code is 200', function () {",
      "    pm.response.to.have.status(200);",
      "});",
      "pm.test(\"code\", function () { pm.expect(pm.response.code).to.eql(201); });",
      "pm.test(\"fast\", () => {",
      "    pm.expect(pm.response.responseTime).to.be.below(300);",
      "});",
      "pm.test(\"has type\", function () { pm.response.to.have.header(\"Content-Type\"); });",
      "// a comment is nothing",
      "pm.test(\"value\", function () {",
      "    pm.expect(jsonData.a.b).to.eql('x');",
      "    pm.expect(jsonData.list[1]).to.deep.equal({id: 2, tags: ['a']});",
      "    pm.environment.set(\"id\", jsonData.id);",
      "});",
      "console.log(\"done\")"
    ]}},
    {"listen": "prerequest", "script": {"exec": ["pm.variables.set('t', Date.now());"]}}],
    "request": {"method": "GET", "url": "http://127.0.0.1:8000/items/1"}
  }]
}"#;

#[test]
fn hand_written_postman_checks_become_assertions_and_the_rest_a_warning() {
    let imported = import_postman(HAND_WRITTEN).unwrap();
    assert_eq!(
        only_request(&imported.value).assertions,
        [
            assertion(Q::Status, P::Equals, Some("200"), false),
            assertion(Q::Status, P::Equals, Some("201"), false),
            assertion(Q::ResponseTime, P::Less, Some("300"), false),
            assertion(header("Content-Type"), P::Exists, None, false),
            assertion(path("$.a.b"), P::Equals, Some("\"x\""), false),
            assertion(
                path("$.list[1]"),
                P::Equals,
                Some(r#"{"id":2,"tags":["a"]}"#),
                false
            ),
        ]
    );
    let w = &imported.warnings;
    assert_eq!(w.len(), 2, "{w:?}");
    assert_eq!(w[0].location, "Get item");
    assert!(
        w[0].message.starts_with("scripts (test): 2 statement(s)")
            && w[0]
                .message
                .contains("`pm.environment.set(\"id\", jsonData.id);`")
            && w[0].message.contains("`console.log(\"done\")`"),
        "{w:?}"
    );
    assert!(w[1].message.contains("scripts (prerequest)"), "{w:?}");
}

#[test]
fn a_script_that_is_not_javascript_we_read_is_one_warning() {
    let text = HAND_WRITTEN.replace("console.log(\\\"done\\\")", "console.log(\\\"unterminated)");
    let imported = import_postman(&text).unwrap();
    assert!(only_request(&imported.value).assertions.is_empty());
    assert!(
        imported.warnings[0]
            .message
            .contains("the whole script (it does not read as JavaScript"),
        "{:?}",
        imported.warnings
    );
}

#[test]
fn insomnia_after_response_checks_become_assertions() {
    let script = r#"const body = insomnia.response.json();
insomnia.test('ok', () => {
  insomnia.expect(insomnia.response.code).to.equal(200);
  insomnia.expect(body.items).to.have.lengthOf(2);
  insomnia.expect(insomnia.response.headers.get('content-type')).to.include('json');
});
insomnia.environment.set('first', body.items[0].id);"#;
    let export = serde_json::json!({
        "_type": "export", "__export_format": 4,
        "resources": [
            {"_id": "wrk_1", "_type": "workspace", "name": "W"},
            {"_id": "req_1", "_type": "request", "parentId": "wrk_1", "name": "List",
             "method": "GET", "url": "http://127.0.0.1:8000/items",
             "preRequestScript": "insomnia.variables.set('a', 1);",
             "afterResponseScript": script}
        ]
    });
    let imported = import_insomnia(&export.to_string()).unwrap();
    let c = &imported.value[0];
    assert_eq!(
        only_request(c).assertions,
        [
            assertion(Q::Status, P::Equals, Some("200"), false),
            assertion(path("$.items"), P::Length, Some("2"), false),
            assertion(header("content-type"), P::Contains, Some("json"), false),
        ]
    );
    let messages: Vec<&str> = imported
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("pre-request script")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(
            |m| m.starts_with("the after-response script: 1 statement(s)")
                && m.contains("insomnia.environment.set('first', body.items[0].id);")
        ),
        "{messages:?}"
    );
}

#[test]
fn deeply_nested_tests_are_a_warning_not_a_crash() {
    let depth = 20_000;
    let script = format!(
        "{}pm.expect(pm.response.code).to.eql(200);{}",
        "pm.test('t', () => {".repeat(depth),
        "});".repeat(depth)
    );
    let doc = serde_json::json!({
        "info": {"name": "Deep", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": [{"name": "r", "request": {"method": "GET", "url": "http://h/"},
                  "event": [{"listen": "test", "script": {"exec": [script]}}]}]
    });
    let imported = import_postman(&doc.to_string()).unwrap();
    assert!(only_request(&imported.value).assertions.is_empty());
    assert!(
        imported.warnings[0].message.starts_with("scripts (test)"),
        "{:?}",
        imported.warnings
    );
}
