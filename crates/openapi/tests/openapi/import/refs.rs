//! `$ref`s: internal, to other files, recursive, and to nothing.

use std::sync::Arc;

use sextant_openapi::{example_for, parse_str, Schema};

use crate::support::{fixture_text, import};

fn named<'a>(spec: &'a sextant_openapi::ApiSpec, name: &str) -> &'a Arc<Schema> {
    &spec
        .schemas
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no schema {name}"))
        .schema
}

#[test]
fn each_component_is_expanded_once_and_shared() {
    let spec = import("fastapi-shop-3.1.json");
    let product = named(&spec, "Product");
    let create = spec
        .operations
        .iter()
        .find(|o| o.id == "create_product_products_post")
        .unwrap();
    let created = &create.responses[0].content[0].schema;
    assert!(Arc::ptr_eq(product, created), "the same Arc everywhere");
    let list = &spec.operations[0].responses[0].content[0].schema;
    assert!(Arc::ptr_eq(product, list.items.as_ref().unwrap()));
}

#[test]
fn refs_into_paths_with_escapes() {
    let text = r#"
openapi: 3.0.0
paths:
  /a/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema: {type: object, properties: {x: {type: integer}}}
  /b:
    get:
      responses:
        '200':
          description: Same
          content:
            application/json:
              schema:
                $ref: '#/paths/~1a~1%7Bid%7D/get/responses/200/content/application~1json/schema'
        '201':
          $ref: '#/paths/~1a~1{id}/get/responses/200'
"#;
    let spec = parse_str(text).unwrap();
    assert!(spec.warnings.is_empty(), "{:?}", spec.warnings);
    let b = &spec.operations[1];
    let schema = &b.responses[0].content[0].schema;
    assert_eq!(schema.property("x").unwrap().types, ["integer"]);
    assert!(schema.ref_name.as_deref().unwrap().starts_with("#/paths/"));
    assert_eq!(b.responses[1].description, "OK");
}

#[test]
fn other_files_are_followed_relative_to_the_referring_file() {
    let spec = import("split/main.yaml");
    let payment = named(&spec, "Payment");
    let amount = payment.property("amount").unwrap();
    assert_eq!(amount.ref_name.as_deref(), Some("Money"));
    let currency = amount.property("currency").unwrap();
    assert_eq!(
        currency.ref_name.as_deref(),
        Some("Currency"),
        "a ref inside the other file"
    );
    assert_eq!(currency.enum_values.len(), 2);

    let pet = payment.property("pet").unwrap();
    assert_eq!(pet.ref_name.as_deref(), Some("./schemas/pet.json"));
    let price = pet.property("price").unwrap();
    assert!(
        Arc::ptr_eq(price, amount),
        "schemas/pet.json's ../common.yaml is the same file"
    );

    let list = &spec.operations[0];
    assert_eq!(list.parameters[0].name, "limit");
    assert_eq!(
        list.parameters[0].schema.default,
        Some(serde_json::json!(25))
    );
    assert_eq!(list.responses[1].description, "Something broke");

    let names: Vec<&str> = spec.schemas.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Payment", "Money", "Currency"]);
}

#[test]
fn broken_references_to_other_files_are_warnings() {
    let spec = import("split/main.yaml");
    let pointers: Vec<(&str, &str)> = spec
        .warnings
        .iter()
        .map(|w| (w.pointer.as_str(), w.message.as_str()))
        .collect();
    assert_eq!(pointers.len(), 2, "{pointers:?}");
    assert_eq!(
        pointers[0].0,
        "/components/schemas/Payment/properties/note/$ref"
    );
    assert!(
        pointers[0].1.contains("no such schema"),
        "{}",
        pointers[0].1
    );
    assert_eq!(
        pointers[1].0,
        "/components/schemas/Payment/properties/receipt/$ref"
    );
    assert!(
        pointers[1].1.contains("missing-file.yaml"),
        "{}",
        pointers[1].1
    );
    assert!(
        !pointers[1].1.contains(env!("CARGO_MANIFEST_DIR")),
        "no absolute paths"
    );
    let payment = named(&spec, "Payment");
    assert_eq!(
        payment.property("note").unwrap().ref_name.as_deref(),
        Some("Nothing")
    );
}

#[test]
fn other_files_are_not_read_when_importing_text() {
    let spec = parse_str(&fixture_text("split/main.yaml")).unwrap();
    assert_eq!(spec.operations.len(), 2, "the rest still imports");
    let amount = named(&spec, "Payment").property("amount").unwrap();
    assert_eq!(amount.ref_name.as_deref(), Some("Money"));
    assert!(amount.properties.is_empty());
    assert!(spec.warnings.iter().any(|w| w
        .message
        .contains("only read when the document is imported from a file")));
    assert!(spec
        .warnings
        .iter()
        .any(|w| w.pointer == "/paths/~1payments/get/parameters/0/$ref"));
}

#[test]
fn recursive_schemas_become_links() {
    let spec = import("recursive-tree.yaml");
    assert!(spec.warnings.is_empty(), "{:?}", spec.warnings);
    let node = named(&spec, "Node");
    assert!(!node.recursive);
    let child = node.property("children").unwrap().items.as_ref().unwrap();
    assert!(child.recursive);
    assert_eq!(child.ref_name.as_deref(), Some("Node"));
    assert!(child.properties.is_empty(), "a link is not expanded again");
    let parent = node.property("parent").unwrap();
    assert!(parent.nullable);
    assert!(parent.any_of[0].recursive);

    let category = named(&spec, "Category");
    let item = category.property("items").unwrap().items.as_ref().unwrap();
    assert_eq!(item.ref_name.as_deref(), Some("Item"));
    assert!(item.property("category").unwrap().recursive);

    let list = named(&spec, "LinkedList");
    assert!(list.property("next").unwrap().recursive);

    // Finite to serialise and to make examples from.
    let json = serde_json::to_string(&spec).unwrap();
    assert!(json.len() < 20_000, "{}", json.len());
    assert_eq!(
        example_for(node),
        serde_json::json!({"name": "string", "children": []})
    );
}

#[test]
fn long_reference_chains_are_cut_not_overflowed() {
    let mut text = String::from("{\"openapi\": \"3.1.0\", \"components\": {\"schemas\": {");
    let n = 2_000;
    for i in 0..n {
        text.push_str(&format!(
            "\"S{i}\": {{\"type\": \"object\", \"properties\": {{\"next\": {{\"$ref\": \"#/components/schemas/S{}\"}}}}}},",
            i + 1
        ));
    }
    text.push_str(&format!("\"S{n}\": {{\"type\": \"string\"}}}}}}}}"));
    let spec = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || parse_str(&text).unwrap())
        .unwrap()
        .join()
        .expect("no stack overflow");
    assert_eq!(spec.schemas.len(), n + 1);
    assert!(spec
        .warnings
        .iter()
        .any(|w| w.message.contains("deeper than")));
}

#[test]
fn missing_targets_become_warnings_and_empty_named_schemas() {
    let spec = import("missing-ref.yaml");
    assert_eq!(spec.operations.len(), 2, "the rest imports");
    let warnings: Vec<&str> = spec.warnings.iter().map(|w| w.pointer.as_str()).collect();
    assert_eq!(
        warnings,
        [
            "/components/schemas/Thing/properties/other/$ref",
            "/components/schemas/Thing/properties/external/$ref",
            "/paths/~1things/get/parameters/0/$ref",
        ],
        "one warning per missing target, at the first reference"
    );
    let thing = named(&spec, "Thing");
    let other = thing.property("other").unwrap();
    assert_eq!(other.ref_name.as_deref(), Some("Nope"));
    assert!(other.types.is_empty() && other.properties.is_empty());
    let things = &spec.operations[0];
    assert_eq!(
        things.parameters.len(),
        1,
        "the dangling parameter is skipped"
    );
    assert_eq!(things.parameters[0].name, "page");
    let others = &spec.operations[1];
    assert_eq!(
        others.responses[0].content[0].schema.ref_name.as_deref(),
        Some("Nope")
    );
}

#[test]
fn chains_of_parameter_refs_and_ref_loops_end() {
    let text = r#"
openapi: 3.0.0
paths:
  /a:
    get:
      parameters:
        - $ref: '#/components/parameters/A'
        - $ref: '#/components/parameters/Loop1'
      responses: {}
components:
  parameters:
    A: {$ref: '#/components/parameters/B'}
    B: {name: b, in: query, schema: {type: string}}
    Loop1: {$ref: '#/components/parameters/Loop2'}
    Loop2: {$ref: '#/components/parameters/Loop1'}
  schemas:
    Self: {$ref: '#/components/schemas/Self'}
"#;
    let spec = parse_str(text).unwrap();
    let params = &spec.operations[0].parameters;
    assert_eq!(params.len(), 1);
    assert_eq!(params[0].name, "b");
    assert!(spec.warnings.iter().any(|w| w.message.contains("chained")));
    assert!(spec.schemas[0].schema.recursive);
}
