//! Row 17 of issue 10: schemas shared through `Arc` reach the window as payloads that write each
//! shared node once. A document whose 64 components each use the next one twice must make a
//! small payload whose table still leads all the way down; ordinary specs must come out with the
//! same content as their model.

use std::path::PathBuf;
use std::sync::Arc;

use sextant_openapi::{
    operation_payload, schema_payload, schema_payload_within, ApiSpec, PayloadTooLarge, Property,
    Schema,
};

/// A generous bound: the hostile payloads are a few kilobytes, their full trees 2^64 nodes.
const PAYLOAD_BOUND: usize = 64 * 1024;

fn corpus(name: &str) -> ApiSpec {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/hostile")
        .join(name);
    sextant_openapi::parse_file(&path).unwrap_or_else(|e| panic!("importing {name}: {e}"))
}

fn fixture(name: &str) -> ApiSpec {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    sextant_openapi::parse_file(&path).unwrap_or_else(|e| panic!("importing {name}: {e}"))
}

/// The node a payload node stands for.
fn resolve<'a>(node: &'a Schema, shared: &'a [Schema]) -> &'a Schema {
    match node.shared_id {
        Some(id) => &shared[id as usize],
        None => node,
    }
}

/// Follows property `a` down through the table as the window does; returns the levels passed
/// and the last node.
fn walk_a<'a>(root: &'a Schema, shared: &'a [Schema]) -> (usize, &'a Schema) {
    let mut node = resolve(root, shared);
    let mut levels = 0;
    while let Some(a) = node.property("a") {
        let b = node.property("b").expect("every level has b too");
        if a.recursive {
            // The importer's links below its depth guard are one node each: nothing to share.
            assert!(b.recursive);
        } else {
            assert!(
                a.shared_id.is_some(),
                "level {levels}: a shared node is inline"
            );
            assert_eq!(a.shared_id, b.shared_id, "a and b share one table entry");
        }
        node = resolve(a, shared);
        levels += 1;
    }
    (levels, node)
}

/// How many levels the model itself has below `root` along `a`.
fn model_depth(root: &Schema) -> usize {
    let mut node = root;
    let mut levels = 0;
    while let Some(a) = node.property("a") {
        node = a;
        levels += 1;
    }
    levels
}

#[test]
fn a_64_level_fan_out_2_spec_makes_small_payloads_that_lead_all_the_way_down() {
    let spec = corpus("17-shared-subtrees.yaml");
    let op = &spec.operations[0];
    let payload = operation_payload(op).expect("within the budget");
    let json = serde_json::to_string(&payload).unwrap();
    assert!(
        json.len() < PAYLOAD_BOUND,
        "operation payload is {} bytes",
        json.len()
    );

    let body = &payload.operation.request_body.as_ref().unwrap().content[0].schema;
    let response = &payload.operation.responses[0].content[0].schema;
    // The body and the response are the same component: one table entry.
    assert_eq!(body.shared_id, response.shared_id);
    let model_root = &op.request_body.as_ref().unwrap().content[0].schema;
    let expected = model_depth(model_root);
    assert!(expected >= 30, "the importer expanded {expected} levels");
    let (levels, last) = walk_a(body, &payload.shared);
    assert_eq!(levels, expected);
    // Where the importer stopped expanding, the link to the next component is kept.
    let name = last.ref_name.clone().expect("the deepest node is named");
    assert!(last.recursive || name == "L64", "{last:?}");

    let l0 = &spec.schemas.iter().find(|s| s.name == "L0").unwrap().schema;
    let payload = schema_payload(l0).expect("within the budget");
    let json = serde_json::to_string(&payload).unwrap();
    assert!(
        json.len() < PAYLOAD_BOUND,
        "schema payload is {} bytes",
        json.len()
    );
    assert_eq!(walk_a(&payload.schema, &payload.shared).0, model_depth(l0));
    // The payload deserialises as the window's type says it is.
    let back: sextant_openapi::SchemaPayload = serde_json::from_str(&json).unwrap();
    assert_eq!(back, payload);
}

/// A model built directly: 64 levels, each node's two properties the same `Arc`.
fn chain(levels: usize) -> Arc<Schema> {
    let mut node = Arc::new(Schema {
        types: vec!["string".into()],
        ref_name: Some(format!("L{levels}")),
        ..Schema::default()
    });
    for level in (0..levels).rev() {
        node = Arc::new(Schema {
            types: vec!["object".into()],
            ref_name: Some(format!("L{level}")),
            properties: ["a", "b"]
                .map(|name| Property {
                    name: name.into(),
                    schema: Arc::clone(&node),
                })
                .to_vec(),
            ..Schema::default()
        });
    }
    node
}

#[test]
fn expanding_through_the_table_reaches_depth_64() {
    let root = chain(64);
    let payload = schema_payload(&root).expect("within the budget");
    let json = serde_json::to_string(&payload).unwrap();
    assert!(json.len() < PAYLOAD_BOUND, "{} bytes", json.len());
    assert_eq!(payload.shared.len(), 64, "levels 1 to 64, each once");
    let (levels, last) = walk_a(&payload.schema, &payload.shared);
    assert_eq!(levels, 64);
    assert_eq!(last.ref_name.as_deref(), Some("L64"));
    assert_eq!(last.types, ["string"]);
}

#[test]
fn a_payload_over_its_budget_is_a_typed_error() {
    let root = chain(64);
    assert_eq!(
        schema_payload_within(&root, 10).unwrap_err(),
        PayloadTooLarge { limit: 10 }
    );
}

#[test]
fn ordinary_specs_come_out_with_the_content_of_their_model() {
    for name in [
        "fastapi-demo.json",
        "fastapi-shop-3.1.json",
        "flasgger-library-2.0.json",
        "httpbin-flasgger.json",
        "smorest-pets-3.0.yaml",
        "recursive-tree.yaml",
    ] {
        let spec = fixture(name);
        for op in &spec.operations {
            let payload = operation_payload(op).unwrap();
            assert_eq!(payload.expand(), *op, "{name}: {}", op.id);
            let json = serde_json::to_string(&payload).unwrap();
            let back: sextant_openapi::OperationPayload = serde_json::from_str(&json).unwrap();
            assert_eq!(back.expand(), *op, "{name}: {} through JSON", op.id);
        }
        for named in &spec.schemas {
            let payload = schema_payload(&named.schema).unwrap();
            assert_eq!(payload.expand(), *named.schema, "{name}: {}", named.name);
            // A schema whose parts are each used once reads exactly as before.
            if payload.shared.is_empty() {
                assert_eq!(payload.schema, *named.schema);
            }
        }
    }
}

#[test]
fn a_recursive_schema_stays_a_link() {
    let spec = fixture("recursive-tree.yaml");
    let recursive = spec
        .schemas
        .iter()
        .find_map(|named| {
            let payload = schema_payload(&named.schema).unwrap();
            let json = serde_json::to_string(&payload).unwrap();
            json.contains("\"recursive\":true").then_some(payload)
        })
        .expect("the fixture has a recursive schema");
    // Expanding ends: the link is a node of its own, not a way back into the table.
    assert!(recursive.expand().ref_name.is_some());
}
