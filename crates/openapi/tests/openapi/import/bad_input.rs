//! Bad input ends in the right error, with a location, quickly, and without a crash.

use std::time::{Duration, Instant};

use sextant_openapi::{parse_file, parse_str, ImportError, MAX_NESTING};

use crate::support::{fixture, fixture_text};

fn error_of(text: &str) -> ImportError {
    match parse_str(text) {
        Ok(spec) => panic!("expected an error, imported {:?}", spec.title),
        Err(err) => err,
    }
}

#[test]
fn truncated_json_is_a_syntax_error_at_the_end() {
    let err = error_of(&fixture_text("bad/truncated.json"));
    let ImportError::Syntax { line, column, .. } = &err else {
        panic!("expected a syntax error, got {err:?}");
    };
    assert_eq!(*line, 8, "{err}");
    assert_eq!(*column, 1, "{err}");
    assert!(
        err.to_string()
            .starts_with("syntax error at line 8, column"),
        "{err}"
    );
    assert!(err.to_string().contains("EOF"), "{err}");
}

#[test]
fn truncated_json_file_gives_the_same_error() {
    let err = parse_file(&fixture("bad/truncated.json")).unwrap_err();
    assert!(
        matches!(err, ImportError::Syntax { line: 8, .. }),
        "{err:?}"
    );
}

#[test]
fn invalid_json_points_at_the_bad_character() {
    let err = error_of("{\n  \"openapi\": \"3.1.0\",\n  \"info\": {\"title\": x}\n}");
    assert!(
        matches!(
            err,
            ImportError::Syntax {
                line: 3,
                column: 21,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn truncated_yaml_is_a_syntax_error_with_a_location() {
    let err = error_of(&fixture_text("bad/truncated.yaml"));
    let ImportError::Syntax {
        line,
        column,
        message,
    } = &err
    else {
        panic!("expected a syntax error, got {err:?}");
    };
    assert!(*line >= 8 && *column >= 1, "{err}");
    assert!(!message.is_empty());
    assert!(err
        .to_string()
        .contains(&format!("line {line}, column {column}")));
}

#[test]
fn yaml_with_bad_indentation_is_a_syntax_error() {
    let err = error_of("openapi: 3.0.0\ninfo:\n  title: x\n version: 1\n");
    assert!(
        matches!(err, ImportError::Syntax { line: 4, .. }),
        "{err:?}"
    );
}

#[test]
fn yaml_without_an_openapi_key_is_not_openapi() {
    let err = error_of(&fixture_text("bad/not-openapi.yaml"));
    assert!(matches!(err, ImportError::NotOpenApi { .. }), "{err:?}");
    assert!(
        err.to_string().contains("no `openapi` or `swagger` key"),
        "{err}"
    );
    assert!(err.to_string().contains("the document root"), "{err}");
}

#[test]
fn non_objects_are_not_openapi() {
    for text in ["[1, 2, 3]", "just a sentence", "42", "~", "", "   \n  "] {
        let err = error_of(text);
        assert!(
            matches!(err, ImportError::NotOpenApi { .. }),
            "{text:?}: {err:?}"
        );
    }
    let err = error_of("openapi: [3, 1]\n");
    assert!(
        matches!(&err, ImportError::NotOpenApi { pointer, .. } if pointer == "/openapi"),
        "{err:?}"
    );
}

#[test]
fn unsupported_versions_name_the_version_and_the_key() {
    let err = error_of(&fixture_text("bad/unsupported-4.0.yaml"));
    assert!(
        matches!(&err, ImportError::UnsupportedVersion { version, pointer } if version == "4.0.0" && pointer == "/openapi"),
        "{err:?}"
    );
    assert!(err.to_string().contains("\"4.0.0\""), "{err}");
    assert!(err.to_string().contains("/openapi"), "{err}");

    let err = error_of(&fixture_text("bad/swagger-1.2.json"));
    assert!(
        matches!(&err, ImportError::UnsupportedVersion { version, pointer } if version == "1.2" && pointer == "/swaggerVersion"),
        "{err:?}"
    );
    for (text, version) in [
        ("swagger: '1.2'\n", "1.2"),
        ("swagger: '3.0'\n", "3.0"),
        ("openapi: 2.0.0\n", "2.0.0"),
        ("openapi: banana\n", "banana"),
    ] {
        let err = error_of(text);
        assert!(
            matches!(&err, ImportError::UnsupportedVersion { version: v, .. } if v == version),
            "{text:?}: {err:?}"
        );
    }
}

/// Runs `f` on a thread with a small stack, so that a recursion problem shows up as a crash of
/// the test rather than passing on a big main-thread stack.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(f)
        .expect("spawning a thread")
        .join()
        .expect("the thread did not panic")
}

fn expect_too_deep(text: String, pointer_prefix: &'static str, segment: &'static str) {
    let err = on_small_stack(move || parse_str(&text).unwrap_err());
    let ImportError::TooDeep {
        pointer,
        line,
        column,
    } = &err
    else {
        panic!("expected TooDeep, got {err:?}");
    };
    assert!(pointer.starts_with(pointer_prefix), "{pointer}");
    let depth = pointer[pointer_prefix.len()..].matches(segment).count();
    assert!(
        depth + pointer_prefix.matches('/').count() >= MAX_NESTING - 1,
        "{pointer}"
    );
    assert!(*line >= 1 && *column >= 1, "{err}");
    assert!(err.to_string().contains(pointer.as_str()), "{err}");
}

#[test]
fn json_nested_ten_thousand_deep_is_too_deep() {
    let n = 10_000;
    let arrays = format!("{}{}", "[".repeat(n), "]".repeat(n));
    expect_too_deep(arrays, "/0", "/0");

    let objects = format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
    expect_too_deep(objects, "/a", "/a");

    let inside = format!(
        "{{\"openapi\": \"3.1.0\", \"paths\": {{\"/x\": {}{}}}}}",
        "[".repeat(n),
        "]".repeat(n)
    );
    expect_too_deep(inside, "/paths/~1x/0", "/0");
}

#[test]
fn yaml_nested_ten_thousand_deep_is_too_deep() {
    let n = 10_000;
    let flow = format!("{}{}", "[".repeat(n), "]".repeat(n));
    // Flow text starting with `[` is taken for JSON; as YAML, put it under a key.
    let flow = format!("openapi: 3.1.0\npaths: {flow}\n");
    expect_too_deep(flow, "/paths/0", "/0");

    let block = format!("openapi: 3.1.0\npaths:\n  {}x\n", "- ".repeat(n));
    expect_too_deep(block, "/paths/0", "/0");

    let mappings = format!(
        "openapi: 3.1.0\npaths: {}1{}\n",
        "{a: ".repeat(n),
        "}".repeat(n)
    );
    expect_too_deep(mappings, "/paths/a", "/a");
}

#[test]
fn nesting_just_under_the_limit_is_fine() {
    let depth = MAX_NESTING - 2;
    let text = format!(
        "{{\"openapi\": \"3.1.0\", \"x\": {}{}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    parse_str(&text).expect("within the limit");
}

#[test]
fn yaml_alias_bomb_is_rejected_quickly() {
    let text = fixture_text("bad/alias-bomb.yaml");
    let started = Instant::now();
    let err = parse_str(&text).unwrap_err();
    let elapsed = started.elapsed();
    let ImportError::AliasBomb { line, column, .. } = &err else {
        panic!("expected AliasBomb, got {err:?}");
    };
    assert!(*line >= 1 && *column >= 1, "{err}");
    assert!(elapsed < Duration::from_secs(2), "took {elapsed:?}");
    assert!(err.to_string().contains("aliases"), "{err}");
}

#[test]
fn quadratic_alias_expansion_is_bounded_too() {
    // Few aliases (under serde_norway's own repetition limit) of one big anchor.
    let mut text = String::from("openapi: 3.1.0\nbig: &big [");
    text.push_str(&"1,".repeat(20_000));
    text.push_str("1]\ncopies: [");
    text.push_str(&"*big,".repeat(5_000));
    text.push_str("*big]\n");
    let started = Instant::now();
    let err = parse_str(&text).unwrap_err();
    assert!(matches!(err, ImportError::AliasBomb { .. }), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn modest_aliases_are_fine() {
    let text = "openapi: 3.0.3\ninfo: {title: Anchors, version: '1'}\npaths:\n  /a:\n    get:\n      responses: &ok\n        '200': {description: OK}\n  /b:\n    get:\n      responses: *ok\n";
    let spec = parse_str(text).expect("anchors used for reuse import");
    assert_eq!(spec.operations.len(), 2);
    assert_eq!(spec.operations[1].responses[0].description, "OK");
}

#[test]
fn invalid_utf8_points_at_the_bad_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.yaml");
    std::fs::write(&path, b"openapi: 3.0.0\ninfo:\n  title: caf\xe9\n").unwrap();
    let err = parse_file(&path).unwrap_err();
    assert!(
        matches!(
            err,
            ImportError::Syntax {
                line: 3,
                column: 13,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn missing_file_is_an_io_error_naming_it() {
    let err = parse_file(&fixture("no-such-file.yaml")).unwrap_err();
    assert!(matches!(err, ImportError::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("no-such-file.yaml"), "{err}");
}

#[test]
fn a_directory_is_not_a_document() {
    let err = parse_file(&fixture("split")).unwrap_err();
    assert!(matches!(err, ImportError::Io { .. }), "{err:?}");
}

#[test]
fn multiple_yaml_documents_are_a_syntax_error() {
    let err = error_of("---\nopenapi: 3.0.0\n---\nopenapi: 3.1.0\n");
    assert!(
        matches!(
            err,
            ImportError::Syntax {
                line: 3,
                column: 1,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn every_truncation_of_a_fixture_is_an_error_or_a_spec_never_a_panic() {
    for name in [
        "smorest-pets-3.0.yaml",
        "fastapi-shop-3.1.json",
        "flasgger-library-2.0.json",
    ] {
        let text = fixture_text(name);
        let mut cut = 0;
        while cut < text.len() {
            if text.is_char_boundary(cut) {
                let _ = parse_str(&text[..cut]);
            }
            cut += 13;
        }
    }
}

#[test]
fn wrong_shapes_everywhere_are_skipped_with_warnings() {
    let text = r#"{
      "openapi": "3.0.0",
      "info": "not an object",
      "servers": {"url": "x"},
      "tags": [1, {"description": "no name"}],
      "security": "none",
      "paths": {
        "/a": "not an item",
        "/b": {"get": [], "post": {"parameters": {"x": 1}, "responses": []}},
        "/c/{id}": {"parameters": [7, {"in": "query"}, {"name": "id", "in": "body"}],
                    "get": {"requestBody": 5, "responses": {"200": "OK", "201": {"content": {"a/b": 3}}},
                            "tags": "x", "security": [5, {"k": "scope"}]}}
      },
      "components": {
        "schemas": {
          "A": {"type": 5, "properties": [], "items": "x", "required": "id", "allOf": {}, "enum": 3,
                "minimum": "1", "additionalProperties": "yes", "discriminator": {"propertyName": 3}},
          "B": [1, 2],
          "C": {"type": ["string", 7, "bogus"], "nullable": "yes", "exclusiveMinimum": "0"}
        },
        "securitySchemes": {"x": {"type": "apiKey", "in": "nowhere"}, "y": 3}
      }
    }"#;
    let spec = parse_str(text).expect("imports what it can");
    assert_eq!(spec.schemas.len(), 3);
    assert!(!spec.warnings.is_empty());
    let c = &spec
        .operations
        .iter()
        .find(|o| o.path == "/c/{id}")
        .unwrap();
    assert_eq!(
        c.parameters.len(),
        1,
        "only the synthesised path parameter: {:?}",
        c.parameters
    );
    assert_eq!(c.parameters[0].name, "id");
    let _ = serde_json::to_string(&spec).unwrap();
}
