//! The whole model of each good fixture against a committed snapshot.

use crate::support::{assert_snapshot, import};

#[test]
fn fastapi_shop() {
    assert_snapshot("fastapi-shop-3.1", &import("fastapi-shop-3.1.json"));
}

#[test]
fn fastapi_demo() {
    assert_snapshot("fastapi-demo", &import("fastapi-demo.json"));
}

#[test]
fn smorest_pets() {
    assert_snapshot("smorest-pets-3.0", &import("smorest-pets-3.0.yaml"));
}

#[test]
fn flasgger_library() {
    assert_snapshot("flasgger-library-2.0", &import("flasgger-library-2.0.json"));
}

#[test]
fn httpbin_flasgger() {
    assert_snapshot("httpbin-flasgger", &import("httpbin-flasgger.json"));
}

#[test]
fn split_files() {
    assert_snapshot("split", &import("split/main.yaml"));
}

#[test]
fn recursive_tree() {
    assert_snapshot("recursive-tree", &import("recursive-tree.yaml"));
}

#[test]
fn missing_ref() {
    assert_snapshot("missing-ref", &import("missing-ref.yaml"));
}

#[test]
fn the_model_round_trips_through_json() {
    for name in [
        "fastapi-shop-3.1.json",
        "fastapi-demo.json",
        "smorest-pets-3.0.yaml",
        "flasgger-library-2.0.json",
        "split/main.yaml",
        "recursive-tree.yaml",
    ] {
        let spec = import(name);
        let json = serde_json::to_string(&spec).unwrap();
        let back: sextant_openapi::ApiSpec = serde_json::from_str(&json).unwrap();
        assert_eq!(back, spec, "{name}");
    }
    let explicit_null = sextant_openapi::parse_str(
        "openapi: 3.1.0\ncomponents: {schemas: {N: {type: [string, 'null'], default: null}}}\n",
    )
    .unwrap();
    let json = serde_json::to_string(&explicit_null).unwrap();
    assert!(json.contains("\"default\":null"), "{json}");
    let back: sextant_openapi::ApiSpec = serde_json::from_str(&json).unwrap();
    assert_eq!(
        back.schemas[0].schema.default,
        Some(serde_json::Value::Null)
    );
}
