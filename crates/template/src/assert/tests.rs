use sextant_model::{AssertPredicate as P, AssertQuery as Q, Assertion, Variable};

use super::*;

const BODY: &str = r#"{"id": 1, "price": 2.5, "name": "Widget", "tags": ["a", "b"],
  "items": [{"id": 1, "ok": true}, {"id": 2, "ok": false}], "none": null, "empty": {}}"#;

fn input() -> AssertInput<'static> {
    static HEADERS: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    static COOKIES: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    AssertInput {
        status: 404,
        headers: HEADERS.get_or_init(|| {
            vec![(
                "Content-Type".into(),
                "application/json; charset=utf-8".into(),
            )]
        }),
        cookies: COOKIES.get_or_init(|| vec![("session".into(), "s1".into())]),
        body: Some(BODY.as_bytes()),
        body_size: BODY.len() as u64,
        duration_ms: 12.4,
        redirects: 1,
        schema_check: None,
    }
}

#[test]
fn a_schema_file_assertion_asks_the_app_and_reports_the_first_mismatch() {
    let check = |value: &Value, file: &str| -> Result<Option<String>, String> {
        match file {
            "item.json" => Ok((!value.is_object()).then(|| "not an object at /".to_owned())),
            _ => Err("FileNotAllowed: outside".to_owned()),
        }
    };
    let with = AssertInput {
        schema_check: Some(&check),
        ..input()
    };
    let run_with = |a: Assertion| {
        let (prepared, _) = prepare(&[a], &ctx_empty(), &[]);
        evaluate(&prepared, &with, &[]).remove(0)
    };
    let r = run_with(Assertion::new(
        Q::BodyText,
        P::MatchesSchema,
        Some("item.json"),
    ));
    assert!(r.passed, "{r:?}");
    let r = run_with(Assertion::new(
        path("$.tags"),
        P::MatchesSchema,
        Some("item.json"),
    ));
    assert!(!r.passed);
    assert_eq!(
        r.message,
        "$.tags does not match the schema: not an object at /"
    );
    let r = run_with(Assertion::new(
        path("$.id"),
        P::MatchesSchema,
        Some("../x.json"),
    ));
    assert!(!r.passed && r.message.contains("FileNotAllowed"), "{r:?}");
    let r = check_one(Assertion::new(
        Q::BodyText,
        P::MatchesSchema,
        Some("item.json"),
    ));
    assert!(
        !r.passed && r.message.contains("only in a collection"),
        "{r:?}"
    );
}

fn check_one(a: Assertion) -> AssertionResult {
    let (prepared, _) = prepare(&[a], &ctx_empty(), &[]);
    evaluate(&prepared, &input(), &[]).remove(0)
}

fn check(query: Q, predicate: P, value: Option<&str>, negate: bool) -> AssertionResult {
    let mut a = Assertion::new(query, predicate, value);
    a.negate = negate;
    run(&[a]).remove(0)
}

fn run(assertions: &[Assertion]) -> Vec<AssertionResult> {
    let ctx = Context {
        globals: &[],
        chain: &[],
        environment: None,
        runtime: &[],
    };
    let (prepared, secrets) = prepare(assertions, &ctx, &[]);
    evaluate(&prepared, &input(), &secrets)
}

fn path(p: &str) -> Q {
    Q::JsonPath { path: p.into() }
}

fn passes(query: Q, predicate: P, value: Option<&str>) -> bool {
    let yes = check(query.clone(), predicate, value, false);
    let no = check(query, predicate, value, true);
    assert_ne!(yes.passed, no.passed, "negation flips {yes:?}");
    yes.passed
}

#[test]
fn status_messages_name_expected_and_actual() {
    let r = check(Q::Status, P::Equals, Some("200"), false);
    assert!(!r.passed);
    assert_eq!(r.message, "expected status == 200, got 404");
    assert_eq!((r.expected.as_str(), r.actual.as_str()), ("== 200", "404"));
    assert!(passes(Q::Status, P::Equals, Some("404")));
    assert!(passes(Q::Status, P::In, Some("[200, 404]")));
    assert!(passes(Q::Status, P::In, Some("200, 404")));
    assert!(!passes(Q::Status, P::In, Some("200, 201")));
    assert!(passes(Q::Status, P::GreaterOrEqual, Some("400")));
    assert!(!passes(Q::Status, P::Less, Some("400")));
}

#[test]
fn json_values_compare_by_value() {
    assert!(passes(path("$.id"), P::Equals, Some("1.0")));
    assert!(passes(path("$.price"), P::Greater, Some("2")));
    assert!(passes(path("$.price"), P::LessOrEqual, Some("2.5")));
    assert!(passes(path("$.name"), P::Equals, Some("\"Widget\"")));
    assert!(passes(path("$.name"), P::Equals, Some("Widget")));
    assert!(passes(path("$.tags"), P::Equals, Some("[\"a\", \"b\"]")));
    assert!(passes(path("$.id"), P::NotEquals, Some("\"1\"")));
    let r = check(path("$.items[0].id"), P::Equals, Some("2"), false);
    assert_eq!(r.message, "$.items[0].id: expected 2, got 1");
}

#[test]
fn paths_that_select_several_values_read_them_all() {
    assert!(passes(path("$.items[*].id"), P::Equals, Some("[1, 2]")));
    assert!(passes(path("$..ok"), P::Contains, Some("false")));
    assert!(passes(
        path("$.items[?(@.ok == true)].id"),
        P::Equals,
        Some("[1]")
    ));
    assert!(passes(path("$.items[0:1]"), P::Length, Some("1")));
    assert!(!passes(path("$.items[?(@.id > 5)]"), P::Exists, None));
    let r = check(path("$.missing"), P::Equals, Some("1"), true);
    assert!(!r.passed, "a value that is not there fails even negated");
    assert!(r.message.contains("matches nothing"), "{}", r.message);
}

#[test]
fn text_predicates() {
    let ct = || Q::Header {
        name: "content-type".into(),
    };
    assert!(passes(ct(), P::Contains, Some("json")));
    assert!(passes(ct(), P::StartsWith, Some("application/")));
    assert!(passes(ct(), P::EndsWith, Some("utf-8")));
    assert!(passes(ct(), P::Matches, Some(r"^application/\w+;")));
    assert!(!passes(ct(), P::Matches, Some("^text/")));
    assert!(passes(Q::BodyText, P::Contains, Some("Widget")));
    assert!(passes(
        Q::Cookie {
            name: "session".into()
        },
        P::Equals,
        Some("s1")
    ));
    let missing = Q::Header {
        name: "x-none".into(),
    };
    assert!(!passes(missing, P::Exists, None));
    assert!(passes(Q::Redirects, P::Equals, Some("1")));
    assert!(passes(Q::Size, P::Equals, Some(&BODY.len().to_string())));
    assert!(passes(Q::ResponseTime, P::Less, Some("1000")));
}

#[test]
fn emptiness_length_and_types() {
    assert!(passes(path("$.empty"), P::IsEmpty, None));
    assert!(!passes(path("$.tags"), P::IsEmpty, None));
    assert!(passes(path("$.tags"), P::Length, Some("2")));
    assert!(passes(path("$.name"), P::Length, Some("6")));
    for (p, kind) in [
        ("$.name", P::IsString),
        ("$.price", P::IsNumber),
        ("$.id", P::IsInteger),
        ("$.items[0].ok", P::IsBoolean),
        ("$.tags", P::IsArray),
        ("$.empty", P::IsObject),
        ("$.none", P::IsNull),
    ] {
        assert!(passes(path(p), kind, None), "{p} {kind:?}");
    }
    assert!(!passes(path("$.price"), P::IsInteger, None));
    assert!(!passes(path("$.id"), P::IsString, None));
}

#[test]
fn bad_input_fails_with_a_reason() {
    let r = check(Q::BodyText, P::Matches, Some("(unclosed"), false);
    assert!(
        !r.passed && r.message.contains("invalid regular expression"),
        "{r:?}"
    );
    let r = check(
        Q::BodyText,
        P::Matches,
        Some(r"\w{1000}\w{1000}\w{1000}"),
        false,
    );
    assert!(!r.passed && r.message.contains("too large"), "{r:?}");
    let r = check(path("$[?(@.x =)]"), P::Exists, None, false);
    assert!(!r.passed && r.message.contains("invalid path"), "{r:?}");
    let r = check(path("$.tags"), P::Length, Some("two"), false);
    assert!(r.message.contains("not a length"), "{r:?}");
    let mut a = Assertion::new(Q::BodyText, P::Contains, None);
    a.query = path("$.x");
    let text = AssertInput {
        body: Some(b"<html>"),
        ..input()
    };
    let (prepared, _) = prepare(&[a], &ctx_empty(), &[]);
    let r = evaluate(&prepared, &text, &[]).remove(0);
    assert!(r.message.contains("not JSON"), "{r:?}");
    let big = AssertInput {
        body: None,
        body_size: 64 << 20,
        ..input()
    };
    let (prepared, _) = prepare(
        &[Assertion::new(Q::BodyText, P::Exists, None)],
        &ctx_empty(),
        &[],
    );
    let r = evaluate(&prepared, &big, &[]).remove(0);
    assert!(r.message.contains("64 MiB"), "{r:?}");
}

fn ctx_empty() -> Context<'static> {
    Context {
        globals: &[],
        chain: &[],
        environment: None,
        runtime: &[],
    }
}

#[test]
fn values_are_templated_and_disabled_assertions_skipped() {
    let mut off = Assertion::new(Q::Status, P::Equals, Some("1"));
    off.enabled = false;
    let on = Assertion::new(path("$.items[{{i}}].id"), P::Equals, Some("{{want}}"));
    let undefined = Assertion::new(Q::Status, P::Equals, Some("{{nope}}"));
    let globals = [Variable::new("i", "1"), Variable::new("want", "2")];
    let ctx = Context {
        globals: &globals,
        ..ctx_empty()
    };
    let (prepared, _) = prepare(&[off, on, undefined], &ctx, &[]);
    let results = evaluate(&prepared, &input(), &[]);
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].index, 1);
    assert!(results[0].passed, "{:?}", results[0]);
    assert_eq!(results[1].index, 2);
    assert!(!results[1].passed);
    assert!(results[1].message.contains("undefined variable: nope"));
}

#[test]
fn secret_values_are_masked_in_results() {
    let mut token = Variable::new("token", "s3cr3t-value");
    token.secret = true;
    let globals = [token];
    let ctx = Context {
        globals: &globals,
        ..ctx_empty()
    };
    let (prepared, secrets) = prepare(
        &[Assertion::new(Q::BodyText, P::Equals, Some("{{token}}"))],
        &ctx,
        &[],
    );
    let r = evaluate(&prepared, &input(), &secrets).remove(0);
    assert!(
        !r.expected.contains("s3cr3t") && !r.message.contains("s3cr3t"),
        "{r:?}"
    );
}

#[test]
fn json_values_that_differ_come_with_a_line_diff() {
    let r = check(
        path("$.items[0]"),
        P::Equals,
        Some(r#"{"id": 1, "ok": false}"#),
        false,
    );
    assert!(!r.passed);
    let diff = r.diff.expect("a diff");
    assert!(diff.contains("-   \"ok\": false"), "{diff}");
    assert!(diff.contains("+   \"ok\": true"), "{diff}");
    assert!(diff.contains("    \"id\": 1"), "{diff}");
    let r = check(Q::Status, P::Equals, Some("200"), false);
    assert_eq!(r.diff, None, "no diff for scalars");
}
