//! Contract checks in the pytest formats: a request that calls an OpenAPI operation whose
//! contract is handed in gets `check_contract(response, "<operation>")` and the contract as
//! `schemas/<operation>.json`; the same operation called twice is written once; without the
//! contract (plain `generate`) the request is exported as before. (Run against the real demo
//! by `crates/app/tests/code_export_contract.rs`.)

use serde_json::json;
use sextant_export::{
    generate, generate_with_contracts, CodeFormat, CodeOptions, DocumentedContent,
    DocumentedResponse, GeneratedFile, OperationContract,
};
use sextant_model::{Collection, CollectionItem, ContractRef, HttpRequest, SavedRequest};

fn reference(operation: &str) -> ContractRef {
    ContractRef {
        spec: "openapi.yaml".into(),
        operation: operation.into(),
    }
}

fn collection() -> Collection {
    let mut list = SavedRequest::new("List items", HttpRequest::new("GET", "http://api/items"));
    list.contract = Some(reference("GET /items"));
    let mut again = list.clone();
    again.name = "List items again".into();
    let plain = SavedRequest::new("Health", HttpRequest::new("GET", "http://api/health"));
    Collection {
        name: "Shop".into(),
        settings: Default::default(),
        items: vec![
            CollectionItem::Request(list),
            CollectionItem::Request(again),
            CollectionItem::Request(plain),
        ],
        environments: Vec::new(),
    }
}

fn contract() -> OperationContract {
    OperationContract {
        reference: reference("GET /items"),
        responses: vec![DocumentedResponse {
            status: "200".into(),
            required_headers: vec!["X-Total".into()],
            content: vec![DocumentedContent {
                media_type: "application/json".into(),
                schema: Some(json!({
                    "$schema": "https://json-schema.org/draft/2020-12/schema",
                    "type": "array",
                    "items": {"$ref": "#/$defs/d0"},
                    "$defs": {"d0": {"type": "object", "required": ["title"]}}
                })),
            }],
        }],
    }
}

fn file<'a>(files: &'a [GeneratedFile], path: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path}"))
        .contents
}

#[test]
fn requests_with_a_contract_check_it_in_every_pytest_format() {
    let options = CodeOptions {
        app: Some("shop.main:app".into()),
        ..Default::default()
    };
    for format in [
        CodeFormat::Pytest,
        CodeFormat::TestClient,
        CodeFormat::Flask,
    ] {
        let out = generate_with_contracts(&collection(), format, &options, &[contract()]).unwrap();
        let schemas: Vec<&str> = out
            .files
            .iter()
            .filter(|f| f.path.starts_with("schemas/"))
            .map(|f| f.path.as_str())
            .collect();
        assert_eq!(schemas, ["schemas/get_items.json"], "{format:?}");
        let written: serde_json::Value =
            serde_json::from_str(file(&out.files, "schemas/get_items.json")).unwrap();
        assert_eq!(
            written,
            json!({
                "operation": "GET /items",
                "responses": [{
                    "status": "200",
                    "requiredHeaders": ["X-Total"],
                    "content": [{
                        "mediaType": "application/json",
                        "schema": contract().responses[0].content[0].schema,
                    }],
                }],
            })
        );
        let module = file(&out.files, "test_shop.py");
        assert!(
            module.contains("from sextant_support import check_contract\n"),
            "{module}"
        );
        assert_eq!(
            module
                .matches("    check_contract(response, \"get_items\")\n")
                .count(),
            2,
            "{module}"
        );
        let health = module.split("def test_health").nth(1).unwrap();
        assert!(!health.contains("check_contract"), "{health}");
        assert!(file(&out.files, "requirements.txt").contains("jsonschema==4.26.0"));
        assert!(file(&out.files, "README.md").contains("schemas/<operation>.json"));
    }
}

#[test]
fn without_the_contract_the_request_is_exported_unchecked() {
    let out = generate(&collection(), CodeFormat::Pytest, &CodeOptions::default()).unwrap();
    assert!(out.files.iter().all(|f| !f.path.starts_with("schemas/")));
    assert!(!file(&out.files, "test_shop.py").contains("check_contract"));
    assert!(!file(&out.files, "requirements.txt").contains("jsonschema"));
    // Another operation's contract does not apply.
    let mut other = contract();
    other.reference = reference("listItems");
    let out = generate_with_contracts(
        &collection(),
        CodeFormat::Pytest,
        &CodeOptions::default(),
        &[other],
    )
    .unwrap();
    assert!(!file(&out.files, "test_shop.py").contains("check_contract"));
}
