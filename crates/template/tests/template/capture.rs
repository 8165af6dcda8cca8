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

mod records {
    use sextant_model::{Capture, CaptureErrorCode, CaptureSource, StreamRecord};
    use sextant_template::{capture, capture_with_records};

    fn record(index: u64, event: Option<&str>, data: &str) -> StreamRecord {
        StreamRecord {
            index,
            at_ms: None,
            event: event.map(str::to_string),
            id: None,
            data: data.into(),
            retry_ms: None,
            offset: 0,
            problem: None,
            reconnect: None,
        }
    }

    fn from(path: &str, nth: Option<u64>, event: Option<&str>) -> Capture {
        Capture {
            variable: "v".into(),
            source: CaptureSource::Record {
                path: path.into(),
                nth,
                event: event.map(str::to_string),
            },
        }
    }

    fn stream() -> Vec<StreamRecord> {
        vec![
            record(0, Some("token"), r#"{"token":"A","i":0}"#),
            record(1, Some("token"), r#"{"token":"sextant","i":1}"#),
            record(2, None, "not json"),
            record(3, Some("done"), r#"{"done":true,"tokens":2}"#),
        ]
    }

    fn one(cap: Capture) -> Result<String, CaptureErrorCode> {
        let records = stream();
        let (values, failures) = capture_with_records(&[cap], &[], b"", Some(&records));
        match (values.first(), failures.first()) {
            (Some(v), _) => Ok(v.value.clone()),
            (None, Some(f)) => Err(f.error.code()),
            _ => unreachable!(),
        }
    }

    #[test]
    fn the_nth_or_last_event_of_a_type_or_of_any() {
        assert_eq!(one(from("$.tokens", None, None)), Ok("2".into()));
        assert_eq!(one(from("$.token", Some(2), None)), Ok("sextant".into()));
        assert_eq!(
            one(from("$.token", None, Some("token"))),
            Ok("sextant".into())
        );
        assert_eq!(one(from("$.token", Some(1), Some("token"))), Ok("A".into()));
        assert_eq!(
            one(from("$.done", Some(1), Some("done"))),
            Ok("true".into())
        );
    }

    #[test]
    fn what_a_record_capture_cannot_find_is_named() {
        assert_eq!(
            one(from("$.x", Some(9), None)),
            Err(CaptureErrorCode::NoRecord)
        );
        assert_eq!(
            one(from("$.x", Some(0), None)),
            Err(CaptureErrorCode::NoRecord)
        );
        assert_eq!(
            one(from("$.x", None, Some("ping"))),
            Err(CaptureErrorCode::NoRecord)
        );
        assert_eq!(
            one(from("$.x", Some(3), None)),
            Err(CaptureErrorCode::NotJson)
        );
        assert_eq!(
            one(from("$.nope", None, None)),
            Err(CaptureErrorCode::NoMatch)
        );
        let (_, failures) = capture(&[from("$.x", None, None)], &[], b"{}");
        assert_eq!(failures[0].error.code(), CaptureErrorCode::NotStream);
        assert_eq!(
            failures[0].error.to_string(),
            "the response is not an event stream (text/event-stream, NDJSON)"
        );
    }
}
