//! The two-stage import: the overview handed out before the model is built must list exactly
//! what the model will (the window shows it first and swaps in the model's later).

use sextant_openapi::{overview, parse_file_staged, parse_str_staged, SpecOverview};

use crate::support::{fixture, fixture_text};

const GOOD: [&str; 8] = [
    "fastapi-demo.json",
    "fastapi-shop-3.1.json",
    "flasgger-library-2.0.json",
    "httpbin-flasgger.json",
    "missing-ref.yaml",
    "recursive-tree.yaml",
    "smorest-pets-3.0.yaml",
    "split/main.yaml",
];

#[test]
fn the_outline_lists_what_the_model_has() {
    for name in GOOD {
        let mut outline: Option<SpecOverview> = None;
        let spec = parse_file_staged(&fixture(name), |o| outline = Some(o))
            .unwrap_or_else(|err| panic!("importing {name}: {err}"));
        let outline = outline.unwrap_or_else(|| panic!("{name}: no outline"));
        let full = overview(&spec, "", "");
        assert!(!outline.complete && full.complete, "{name}");
        assert!(
            outline.warnings.is_empty(),
            "{name}: the outline reports no warnings"
        );
        assert!(
            !full.operations.is_empty(),
            "{name}: a fixture with operations"
        );
        assert_eq!(outline.operations, full.operations, "{name}: operations");
        assert_eq!(outline.tags, full.tags, "{name}: tags");
        assert_eq!(outline.servers, full.servers, "{name}: servers");
        assert_eq!(
            (
                &outline.title,
                &outline.version,
                &outline.api_version,
                &outline.description
            ),
            (
                &full.title,
                &full.version,
                &full.api_version,
                &full.description
            ),
            "{name}: head"
        );
        // The model adds schemas named in other files after the document's own.
        assert!(
            full.schema_names.starts_with(&outline.schema_names),
            "{name}: {:?} vs {:?}",
            outline.schema_names,
            full.schema_names
        );
    }
}

#[test]
fn schemas_from_other_files_come_with_the_model() {
    let mut outline = None;
    let spec = parse_file_staged(&fixture("split/main.yaml"), |o| outline = Some(o)).unwrap();
    let full = overview(&spec, "", "");
    assert!(full.schema_names.len() > outline.unwrap().schema_names.len());
}

#[test]
fn a_failed_import_gives_no_outline() {
    for name in [
        "bad/truncated.json",
        "bad/truncated.yaml",
        "bad/not-openapi.yaml",
        "bad/unsupported-4.0.yaml",
        "bad/alias-bomb.yaml",
    ] {
        let mut called = false;
        let result = parse_str_staged(&fixture_text(name), |_| called = true);
        assert!(result.is_err(), "{name} imported");
        assert!(!called, "{name}: an outline before the error");
    }
}

#[test]
fn path_items_behind_refs_are_outlined_too() {
    let text = r##"{
      "openapi": "3.1.0",
      "info": {"title": "Refs", "version": "1"},
      "paths": {
        "/shared": {"$ref": "#/components/pathItems/Shared"},
        "/gone": {"$ref": "#/components/pathItems/Missing"}
      },
      "components": {"pathItems": {"Shared": {
        "get": {"operationId": "getShared", "tags": ["common"], "deprecated": true},
        "delete": {"summary": "Remove it"}
      }}}
    }"##;
    let mut outline = None;
    let spec = parse_str_staged(text, |o| outline = Some(o)).unwrap();
    let outline = outline.unwrap();
    let ids: Vec<&str> = outline.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["getShared", "DELETE /shared"]);
    assert!(outline.operations[0].deprecated);
    assert_eq!(outline.operations, overview(&spec, "", "").operations);
    assert_eq!(outline.tags[0].name, "common");
    assert!(
        !spec.warnings.is_empty(),
        "the dead $ref is reported by the model"
    );
}

#[test]
fn the_complete_overview_carries_the_security_schemes_for_the_api_page() {
    let mut outline = None;
    let spec =
        parse_file_staged(&fixture("flasgger-library-2.0.json"), |o| outline = Some(o)).unwrap();
    assert!(outline.unwrap().security_schemes.is_empty());
    let full = overview(&spec, "", "");
    let names: Vec<&str> = full
        .security_schemes
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["basicAuth", "APIKeyHeader", "oauth"]);
    let json = serde_json::to_value(&full.security_schemes[2]).unwrap();
    assert_eq!(json["type"], "oauth2");
    assert_eq!(
        json["flows"][0]["tokenUrl"],
        "https://library.example.org/oauth/token"
    );
}
