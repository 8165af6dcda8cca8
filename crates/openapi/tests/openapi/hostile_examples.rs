//! Schemas that ask for enormous examples (issue 10, row 2): Try it and the imported collection
//! stay within their example budgets and say what they cut.

use std::path::PathBuf;

use sextant_model::RequestBody;
use sextant_openapi::{
    collection_for, parse_file, request_for, ApiSpec, TryItOptions, TryItRequest, EXAMPLE_BYTES,
    MAX_STRING_CHARS,
};

fn corpus(name: &str) -> ApiSpec {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/hostile")
        .join(name);
    parse_file(&path).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn try_op(spec: &ApiSpec, method: &str) -> TryItRequest {
    let op = spec
        .operations
        .iter()
        .find(|op| op.method == method)
        .expect("operation");
    request_for(spec, op, &TryItOptions::default())
}

fn body_text(tried: &TryItRequest) -> &str {
    match &tried.request.body {
        RequestBody::Json { text } => text,
        other => panic!("not a JSON body: {other:?}"),
    }
}

#[test]
fn nested_min_items_body_stays_within_the_budget() {
    let spec = corpus("02-min-items.yaml");
    let tried = try_op(&spec, "POST");
    let text = body_text(&tried);
    assert!(
        text.len() <= 2 * EXAMPLE_BYTES,
        "a {} byte body from a 1 KB spec",
        text.len()
    );
    assert!(text.contains(&"x".repeat(58)), "cells are still examples");
    assert!(
        tried.notes.iter().any(|n| n.contains("cut short")),
        "{:?}",
        tried.notes
    );
}

#[test]
fn nested_min_items_in_a_query_parameter_stay_small() {
    let spec = corpus("02-min-items.yaml");
    let tried = try_op(&spec, "PUT");
    let bytes: usize = tried
        .request
        .query
        .iter()
        .map(|q| q.name.len() + q.value.len())
        .sum();
    assert!(bytes <= 2 * EXAMPLE_BYTES, "{bytes} bytes of query");
    assert!(!tried.request.query.is_empty());
}

#[test]
fn huge_min_length_is_capped_and_said() {
    let spec = corpus("02-min-length.yaml");
    let tried = try_op(&spec, "POST");
    let body: serde_json::Value = serde_json::from_str(body_text(&tried)).unwrap();
    assert_eq!(body["text"].as_str().map(str::len), Some(MAX_STRING_CHARS));
    assert_eq!(body["short"], "str", "maxLength below minLength wins");
    assert_eq!(
        body["negative"], "string",
        "out-of-range lengths are ignored"
    );
    assert!(body["nan"].is_number() || body["nan"].is_null());
    let q = &tried.request.query[0];
    assert_eq!(q.value.len(), MAX_STRING_CHARS);
    assert!(
        tried
            .notes
            .iter()
            .any(|n| n.contains("100000000000 characters")),
        "{:?}",
        tried.notes
    );
}

#[test]
fn the_collection_warns_per_operation_and_stays_small() {
    let spec = corpus("02-min-items.yaml");
    let (collection, warnings) = collection_for(&spec, None);
    let written = serde_json::to_string(&collection).unwrap();
    assert!(
        written.len() <= 4 * EXAMPLE_BYTES,
        "{} bytes of collection",
        written.len()
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.pointer == "/paths/~1grid/post" && w.message.contains("cut short")),
        "{warnings:?}"
    );
}

#[test]
fn many_operations_share_one_budget_for_the_import() {
    // 200 operations using the same bomb: each request is capped, and so is the whole import.
    let mut doc = String::from(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    \
         Cell: {type: string, minLength: 4000}\n    \
         Row: {type: array, minItems: 32, items: {$ref: '#/components/schemas/Cell'}}\n    \
         Grid: {type: array, minItems: 32, items: {$ref: '#/components/schemas/Row'}}\npaths:\n",
    );
    for i in 0..200 {
        doc.push_str(&format!(
            "  /g{i}:\n    post:\n      requestBody:\n        content:\n          \
             application/json:\n            schema: {{$ref: '#/components/schemas/Grid'}}\n      \
             responses: {{'200': {{description: ok}}}}\n"
        ));
    }
    let spec = sextant_openapi::parse_str(&doc).unwrap();
    let (collection, warnings) = collection_for(&spec, None);
    let written = serde_json::to_string(&collection).unwrap();
    assert!(
        written.len() <= 24 * 1024 * 1024,
        "{} bytes of collection",
        written.len()
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.message.contains("for the whole import")),
        "the import's own budget ran out"
    );
}
