//! Capturing response values into variables, and redacting secrets from stored text.

use sextant_model::{Capture, CaptureErrorCode, CaptureSource};
use sextant_template::{capture, redact, CaptureError, PathError, MASK};

fn body(variable: &str, path: &str) -> Capture {
    Capture {
        variable: variable.into(),
        source: CaptureSource::Body { path: path.into() },
    }
}

fn header(variable: &str, name: &str) -> Capture {
    Capture {
        variable: variable.into(),
        source: CaptureSource::Header { name: name.into() },
    }
}

const DOC: &str = r#"{
  "token": "abc",
  "user": {"id": 42, "roles": ["admin", "dev"], "profile": {"name": "Ann"}},
  "items": [{"id": "first"}, {"id": "second"}, {"id": "last", "tags": {"a": 1}}],
  "odd key": {"it's": true},
  "nothing": null
}"#;

fn captured(caps: &[Capture]) -> Vec<(String, String)> {
    let (values, failures) = capture(caps, &[], DOC.as_bytes());
    assert!(failures.is_empty(), "{failures:?}");
    values.into_iter().map(|v| (v.name, v.value)).collect()
}

#[test]
fn paths_reach_nested_values_and_array_items() {
    let got = captured(&[
        body("token", "$.token"),
        body("id", "$.user.id"),
        body("name", "$.user.profile.name"),
        body("role", "$.user.roles[1]"),
        body("last", "$.items[-1].id"),
        body("first", "$['items'][0]['id']"),
        body("quoted", r#"$["odd key"]["it's"]"#),
        body("nothing", "$.nothing"),
        body("tags", "$.items[2].tags"),
        body("roles", "$.user.roles"),
        body("wild", "$.items[*].id"),
        body("filtered", "$.items[?(@.id == 'second')].id"),
        body("sliced", "$.user.roles[1:]"),
        body("descendant", "$..profile.name"),
    ]);
    let expect = [
        ("token", "abc"),
        ("id", "42"),
        ("name", "Ann"),
        ("role", "dev"),
        ("last", "last"),
        ("first", "first"),
        ("quoted", "true"),
        ("nothing", "null"),
        ("tags", r#"{"a":1}"#),
        ("roles", r#"["admin","dev"]"#),
        ("wild", "first"),
        ("filtered", "second"),
        ("sliced", "dev"),
        ("descendant", "Ann"),
    ];
    let expect: Vec<(String, String)> = expect
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(got, expect);
}

#[test]
fn missing_paths_and_bad_paths_fail_with_a_reason() {
    let caps = [
        body("a", "$.user.missing"),
        body("b", "$.items[3]"),
        body("c", "$.items[-4]"),
        body("d", "$.token.inner"),
        body("e", "$[?(@.id ==)]"),
        body("ok", "$.token"),
    ];
    let (values, failures) = capture(&caps, &[], DOC.as_bytes());
    assert_eq!(values.len(), 1);
    assert_eq!(values[0].value, "abc");
    let names: Vec<&str> = failures.iter().map(|f| f.variable.as_str()).collect();
    assert_eq!(names, ["a", "b", "c", "d", "e"]);
    assert_eq!(
        failures[0].error,
        CaptureError::NoMatch {
            path: "$.user.missing".into()
        }
    );
    assert_eq!(failures[0].error.code(), CaptureErrorCode::NoMatch);
    assert_eq!(
        failures[4].error,
        CaptureError::InvalidPath {
            path: "$[?(@.id ==)]".into(),
            source: match &failures[4].error {
                CaptureError::InvalidPath { source, .. } => source.clone(),
                other => panic!("{other:?}"),
            }
        }
    );
    assert!(matches!(
        &failures[4].error,
        CaptureError::InvalidPath {
            source: PathError::Syntax(_),
            ..
        }
    ));
    assert!(failures[4]
        .error
        .to_string()
        .contains("invalid path `$[?(@.id ==)]`"));
}

#[test]
fn a_body_that_is_not_json_fails_every_body_capture() {
    for raw in [&b"<html>"[..], b"", b"\xff\xfe"] {
        let (values, failures) = capture(
            &[body("a", "$.x"), header("h", "x-id")],
            &[("X-Id".into(), "7".into())],
            raw,
        );
        assert_eq!(values.len(), 1, "the header capture still works");
        assert_eq!(failures.len(), 1);
        assert!(matches!(failures[0].error, CaptureError::NotJson { .. }));
        assert!(failures[0]
            .error
            .to_string()
            .starts_with("the body is not JSON"));
    }
}

#[test]
fn headers_match_case_insensitively_and_first_wins() {
    let headers = vec![
        ("Set-Cookie".to_string(), "a=1".to_string()),
        ("set-cookie".to_string(), "b=2".to_string()),
        ("Location".to_string(), "/next".to_string()),
    ];
    let (values, failures) = capture(
        &[
            header("cookie", "SET-COOKIE"),
            header("loc", "location"),
            header("etag", "ETag"),
        ],
        &headers,
        b"",
    );
    assert_eq!(values[0].value, "a=1");
    assert_eq!(values[1].value, "/next");
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].variable, "etag");
}

#[test]
fn redact_masks_every_occurrence_and_longest_first() {
    let secrets = vec!["abc".to_string(), "abcdef".to_string()];
    assert_eq!(
        redact("x=abcdef&y=abc&z=abc", &secrets),
        format!("x={MASK}&y={MASK}&z={MASK}")
    );
}

#[test]
fn redact_leaves_very_short_and_empty_secrets_alone() {
    let secrets = vec![String::new(), "a".into(), "é1".into()];
    assert_eq!(redact("a é1 text", &secrets), "a é1 text");
    assert_eq!(redact("plain", &[]), "plain");
}
