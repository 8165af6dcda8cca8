//! OpenAPI 3.0 as flask-smorest writes it (YAML), including its component references.

use serde_json::json;
use sextant_openapi::{ParameterLocation, SpecVersion};

use crate::support::import;

#[test]
fn nullable_becomes_a_null_type() {
    let spec = import("smorest-pets-3.0.yaml");
    assert_eq!(spec.version, SpecVersion::OpenApi30);
    assert!(spec.warnings.is_empty(), "{:?}", spec.warnings);
    let pet = &spec.schemas[0].schema;
    let species = pet.property("species").unwrap();
    assert_eq!(species.types, ["string", "null"]);
    assert!(species.nullable);
    assert_eq!(
        species.enum_values,
        [json!("dog"), json!("cat"), json!(null)]
    );
    let birthday = pet.property("birthday").unwrap();
    assert_eq!(birthday.types, ["string", "null"]);
    assert_eq!(birthday.format.as_deref(), Some("date"));

    // `nullable` beside allOf without a type: allowed null, types left open.
    let owner = pet.property("owner").unwrap();
    assert!(owner.nullable);
    assert!(owner.types.is_empty());
    assert_eq!(owner.all_of[0].ref_name.as_deref(), Some("Owner"));
    assert_eq!(owner.description.as_deref(), Some("Who owns it"));

    let list = &spec.operations[0];
    let species_param = &list.parameters[0].schema;
    assert_eq!(species_param.types, ["string", "null"]);
}

#[test]
fn boolean_exclusive_bounds_become_numbers() {
    let spec = import("smorest-pets-3.0.yaml");
    let weight = spec.schemas[0].schema.property("weight").unwrap().clone();
    assert_eq!(weight.exclusive_minimum, Some(0.0));
    assert_eq!(weight.minimum, None);
    assert_eq!(
        weight.maximum,
        Some(200.0),
        "exclusiveMaximum: false leaves maximum"
    );
    assert_eq!(weight.exclusive_maximum, None);
    let min_age = &spec.operations[0].parameters[1].schema;
    assert_eq!(min_age.exclusive_minimum, Some(0.0));
    assert_eq!(min_age.minimum, None);
}

#[test]
fn example_becomes_examples() {
    let spec = import("smorest-pets-3.0.yaml");
    let pet = &spec.schemas[0].schema;
    assert_eq!(pet.property("name").unwrap().examples, [json!("Rex")]);
    assert_eq!(pet.property("weight").unwrap().examples, [json!(12.5)]);
    assert_eq!(spec.operations[0].parameters[1].schema.examples, [json!(2)]);
}

#[test]
fn component_references_are_followed() {
    let spec = import("smorest-pets-3.0.yaml");
    let list = &spec.operations[0];
    let page_size = &list.parameters[2];
    assert_eq!(page_size.name, "page_size");
    assert_eq!(page_size.schema.default, Some(json!(10)));
    let ids = &list.parameters[3];
    assert_eq!(ids.style.as_deref(), Some("form"));
    assert_eq!(ids.explode, Some(false));

    let ok = &list.responses[0];
    assert_eq!(ok.status, "200", "YAML integer keys are read as written");
    assert_eq!(ok.headers[0].name, "X-Pagination");
    assert_eq!(
        ok.headers[0].schema.ref_name.as_deref(),
        Some("PaginationMetadata")
    );
    let default = &list.responses[1];
    assert_eq!(default.status, "default");
    assert_eq!(default.description, "Default error response");
    assert_eq!(default.content[0].schema.ref_name.as_deref(), Some("Error"));

    let create = &spec.operations[1];
    let body = create.request_body.as_ref().unwrap();
    assert!(body.required);
    assert_eq!(body.description.as_deref(), Some("The pet to add"));
    assert_eq!(
        body.content[0].example,
        Some(json!({"name": "Rex", "weight": 12.5}))
    );

    let get = &spec.operations[2];
    assert_eq!(get.parameters[0].location, ParameterLocation::Path);
    assert_eq!(get.parameters[0].schema.minimum, Some(1.0));
    assert_eq!(
        get.responses[0].content[0].example,
        Some(json!({"id": 1, "name": "Rex", "species": "dog", "weight": 12.5})),
        "named examples are followed through $ref"
    );
    assert_eq!(get.responses[1].description, "Not Found");

    let patch = &spec.operations[3];
    let names: Vec<&str> = patch.parameters.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        ["pet_id", "If-Match"],
        "path-level first, then the operation's"
    );
}

#[test]
fn operations_without_ids_get_method_and_path() {
    let spec = import("smorest-pets-3.0.yaml");
    let ids: Vec<&str> = spec.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "GET /pets/",
            "POST /pets/",
            "GET /pets/{pet_id}",
            "PATCH /pets/{pet_id}"
        ]
    );
    assert_eq!(spec.servers[0].url, "http://localhost:5000");
}
