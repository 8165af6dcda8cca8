//! Version detection and the summary.

use sextant_openapi::{parse_str, summarize, SpecVersion};

use crate::support::import;

#[test]
fn detects_each_version() {
    let cases = [
        (
            "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
            SpecVersion::Swagger2,
            "2.0",
        ),
        ("swagger: 2.0\npaths: {}\n", SpecVersion::Swagger2, "2.0"),
        (
            "openapi: 3.0.0\npaths: {}\n",
            SpecVersion::OpenApi30,
            "3.0.0",
        ),
        ("openapi: 3.0\npaths: {}\n", SpecVersion::OpenApi30, "3.0"),
        (
            "{\"openapi\": \"3.0.4\", \"paths\": {}}",
            SpecVersion::OpenApi30,
            "3.0.4",
        ),
        ("openapi: 3.1.1\n", SpecVersion::OpenApi31, "3.1.1"),
    ];
    for (text, version, raw) in cases {
        let spec = parse_str(text).unwrap_or_else(|err| panic!("{text:?}: {err}"));
        assert_eq!(spec.version, version, "{text:?}");
        assert_eq!(spec.raw_version, raw, "{text:?}");
        assert!(spec.warnings.is_empty(), "{text:?}: {:?}", spec.warnings);
    }
}

#[test]
fn openapi_3_2_reads_as_3_1_with_a_warning() {
    let spec = parse_str("openapi: 3.2.0\npaths: {}\n").unwrap();
    assert_eq!(spec.version, SpecVersion::OpenApi31);
    assert_eq!(spec.raw_version, "3.2.0");
    assert_eq!(spec.warnings.len(), 1);
    assert_eq!(spec.warnings[0].pointer, "/openapi");
}

#[test]
fn fixtures_have_the_expected_versions_and_counts() {
    let cases = [
        ("fastapi-shop-3.1.json", "3.1.0", 4, 6, 6),
        ("fastapi-demo.json", "3.1.0", 11, 14, 14),
        ("smorest-pets-3.0.yaml", "3.0.3", 2, 4, 5),
        ("flasgger-library-2.0.json", "2.0", 4, 6, 3),
        ("httpbin-flasgger.json", "2.0", 52, 78, 0),
        ("split/main.yaml", "3.0.3", 1, 2, 3),
        ("recursive-tree.yaml", "3.1.0", 2, 3, 4),
    ];
    for (name, version, paths, operations, schemas) in cases {
        let summary = summarize(&import(name));
        assert_eq!(summary.version, version, "{name}");
        assert_eq!(summary.paths, paths, "{name}");
        assert_eq!(summary.operations, operations, "{name}");
        assert_eq!(summary.schemas, schemas, "{name}");
    }
}

#[test]
fn a_minimal_document_imports_with_defaults() {
    let spec = parse_str("openapi: 3.1.0\n").unwrap();
    assert_eq!(spec.title, "");
    assert_eq!(spec.servers.len(), 1);
    assert_eq!(spec.servers[0].url, "/");
    assert!(spec.operations.is_empty());
    let summary = summarize(&spec);
    assert_eq!(
        (summary.paths, summary.operations, summary.schemas),
        (0, 0, 0)
    );
}

#[test]
fn operations_keep_document_order() {
    let text = "openapi: 3.0.0\npaths:\n  /z:\n    post: {responses: {}}\n    get: {responses: {}}\n  /a:\n    delete: {responses: {}}\n";
    let spec = parse_str(text).unwrap();
    let order: Vec<String> = spec
        .operations
        .iter()
        .map(|o| format!("{} {}", o.method, o.path))
        .collect();
    assert_eq!(order, ["POST /z", "GET /z", "DELETE /a"]);
    assert_eq!(spec.operations[0].id, "POST /z");
}
