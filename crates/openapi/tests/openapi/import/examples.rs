//! Example values generated from imported schemas.

use std::sync::Arc;

use serde_json::{json, Value};
use sextant_openapi::{example_for, parse_str, Schema};

use crate::support::import;

fn named(spec: &sextant_openapi::ApiSpec, name: &str) -> Arc<Schema> {
    spec.schemas
        .iter()
        .find(|s| s.name == name)
        .unwrap()
        .schema
        .clone()
}

/// The schema with every document-given example and default removed, so the generator has to
/// work from the constraints alone.
fn without_examples(schema: &Schema) -> Schema {
    let mut schema = schema.clone();
    schema.examples.clear();
    schema.default = None;
    for property in &mut schema.properties {
        property.schema = Arc::new(without_examples(&property.schema));
    }
    schema.any_of = schema
        .any_of
        .iter()
        .map(|s| Arc::new(without_examples(s)))
        .collect();
    schema
}

#[test]
fn fastapi_item_in_example_is_valid() {
    let spec = import("fastapi-demo.json");
    let item_in = named(&spec, "ItemIn");
    let documented = example_for(&item_in);
    assert_eq!(documented["name"], json!("Widget"));

    let generated = example_for(&without_examples(&item_in));
    let object = generated.as_object().expect("an object");
    assert!(
        object["name"].as_str().is_some_and(|n| !n.is_empty()),
        "{generated}"
    );
    assert!(
        object["price"].as_f64().is_some_and(|p| p > 0.0),
        "{generated}"
    );
    assert_eq!(object.len(), 2, "only the required properties: {generated}");
}

#[test]
fn shop_product_in_example_respects_constraints() {
    let spec = import("fastapi-shop-3.1.json");
    let product_in = without_examples(&named(&spec, "ProductIn"));
    assert_eq!(
        example_for(&product_in),
        json!({"name": "string", "price": 1})
    );
    let product = without_examples(&named(&spec, "Product"));
    let example = example_for(&product);
    assert!(
        example.get("id").is_none(),
        "readOnly is left out of request examples"
    );
    assert_eq!(example["category"], json!("misc"), "first enum value");
    assert_eq!(example["created"], json!("2024-01-01T00:00:00Z"));
}

#[test]
fn property_examples_are_used() {
    let spec = import("smorest-pets-3.0.yaml");
    let pet = named(&spec, "Pet");
    assert_eq!(example_for(&pet), json!({"name": "Rex", "weight": 12.5}));
    let owner = named(&spec, "Owner");
    assert_eq!(example_for(&owner), json!({"email": "user@example.com"}));
    let update = named(&spec, "PetUpdate");
    assert_eq!(example_for(&update), json!({}), "nothing required");
}

#[test]
fn formats_bounds_and_composition() {
    let text = r#"
openapi: 3.1.0
components:
  schemas:
    Formats:
      type: object
      required: [when, day, mail, id, site, ip, ip6, code, small, big, ratio, list, flag, maybe, choice]
      properties:
        when: {type: string, format: date-time}
        day: {type: string, format: date}
        mail: {type: string, format: email}
        id: {type: string, format: uuid}
        site: {type: string, format: uri}
        ip: {type: string, format: ipv4}
        ip6: {type: string, format: ipv6}
        code: {type: string, minLength: 8}
        small: {type: integer, maximum: -3}
        big: {type: integer, minimum: 1000}
        ratio: {type: number, exclusiveMinimum: 0, exclusiveMaximum: 1}
        list: {type: array, minItems: 2, uniqueItems: true, items: {type: integer, minimum: 5}}
        flag: {type: boolean}
        maybe: {type: [integer, "null"]}
        choice:
          oneOf:
            - {type: 'null'}
            - {type: string, const: picked}
    Base:
      type: object
      required: [id]
      properties: {id: {type: integer, minimum: 1}}
    Derived:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          required: [name]
          properties: {name: {type: string}}
"#;
    let spec = parse_str(text).unwrap();
    let example = example_for(&named(&spec, "Formats"));
    let expected = json!({
        "when": "2024-01-01T00:00:00Z",
        "day": "2024-01-01",
        "mail": "user@example.com",
        "id": "00000000-0000-4000-8000-000000000000",
        "site": "https://example.com",
        "ip": "192.0.2.1",
        "ip6": "2001:db8::1",
        "code": "stringxx",
        "small": -3,
        "big": 1000,
        "ratio": 0.5,
        "list": [5, 6],
        "flag": true,
        "maybe": 0,
        "choice": "picked",
    });
    assert_eq!(example, expected);
    assert_eq!(
        example_for(&named(&spec, "Derived")),
        json!({"id": 1, "name": "string"})
    );
}

#[test]
fn empty_and_recursive_schemas_stop() {
    assert_eq!(example_for(&Schema::default()), json!({}));
    let spec = import("recursive-tree.yaml");
    let list = named(&spec, "LinkedList");
    assert_eq!(example_for(&list), json!({}));
    let category = named(&spec, "Category");
    assert_eq!(example_for(&category), json!({"title": "string"}));
    let value: Value = example_for(&named(&spec, "Node"));
    assert_eq!(value["children"], json!([]));
}
