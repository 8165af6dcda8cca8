use serde_json::json;

use super::*;

fn spec(doc: serde_json::Value) -> ApiSpec {
    crate::parse_str(&doc.to_string()).unwrap()
}

fn run(
    spec: &ApiSpec,
    path: &str,
    status: u16,
    headers: &[(&str, &str)],
    body: &str,
) -> Vec<Violation> {
    let op = operation_for(spec, "GET", path).expect("operation");
    let headers: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    check(
        spec,
        op,
        &ContractResponse {
            status,
            headers: &headers,
            body: body.as_bytes(),
        },
    )
    .unwrap()
}

const JSON: &[(&str, &str)] = &[("Content-Type", "application/json")];

fn v31() -> ApiSpec {
    spec(json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/items": {"get": {
            "responses": {
                "200": {
                    "description": "ok",
                    "headers": {"X-Rate-Limit": {"required": true, "schema": {"type": "integer"}}},
                    "content": {"application/json": {"schema": {
                        "type": "object",
                        "required": ["items"],
                        "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}}
                    }}}
                },
                "404": {"description": "missing"}
            }
        }}},
        "components": {"schemas": {
            "Item": {
                "type": "object",
                "required": ["title"],
                "properties": {
                    "title": {"type": "string"},
                    "note": {"type": ["string", "null"]},
                    "price": {"type": "number", "exclusiveMinimum": 0},
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}
                }
            }
        }}
    }))
}

#[test]
fn a_missing_required_property_reads_like_schemathesis_with_both_pointers() {
    let spec = v31();
    let found = run(
        &spec,
        "/items",
        200,
        &[("content-type", "application/json"), ("x-rate-limit", "5")],
        r#"{"items": [{"note": null}]}"#,
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, ViolationKind::Schema);
    assert_eq!(
        found[0].message,
        "Response violates schema: 'title' is a required property at /items/0"
    );
    assert_eq!(found[0].pointer.as_deref(), Some("/items/0"));
    assert_eq!(
        found[0].schema_pointer.as_deref(),
        Some("#/components/schemas/Item/required")
    );
}

#[test]
fn recursion_is_followed_as_deep_as_the_body_goes() {
    let spec = v31();
    let ok = r#"{"items": [{"title": "a", "children": [{"title": "b", "children": [{"title": "c"}]}]}]}"#;
    assert!(run(
        &spec,
        "/items",
        200,
        &[("content-type", "application/json"), ("X-Rate-Limit", "1")],
        ok
    )
    .is_empty());
    let bad =
        r#"{"items": [{"title": "a", "children": [{"title": "b", "children": [{"title": 3}]}]}]}"#;
    let found = run(
        &spec,
        "/items",
        200,
        &[("content-type", "application/json"), ("X-Rate-Limit", "1")],
        bad,
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].pointer.as_deref(),
        Some("/items/0/children/0/children/0/title")
    );
    assert_eq!(
        found[0].schema_pointer.as_deref(),
        Some("#/components/schemas/Item/properties/title/type")
    );
}

#[test]
fn an_undocumented_status_lists_the_documented_ones() {
    let found = run(&v31(), "/items", 403, JSON, "{}");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind, ViolationKind::UndocumentedStatus);
    assert_eq!(
        found[0].message,
        "Undocumented status 403; documented: 200, 404"
    );
}

#[test]
fn a_missing_required_header_and_a_wrong_content_type_are_named() {
    let found = run(
        &v31(),
        "/items",
        200,
        &[("Content-Type", "text/html")],
        "<p>",
    );
    let kinds: Vec<ViolationKind> = found.iter().map(|v| v.kind).collect();
    assert_eq!(
        kinds,
        [
            ViolationKind::MissingHeader,
            ViolationKind::UndocumentedContentType
        ]
    );
    assert_eq!(found[0].message, "Missing required header X-Rate-Limit");
    assert_eq!(
        found[1].message,
        "Undocumented Content-Type text/html; documented: application/json"
    );
    // A body that is not JSON under a JSON media type.
    let found = run(
        &v31(),
        "/items",
        200,
        &[
            ("content-type", "application/json; charset=utf-8"),
            ("x-rate-limit", "1"),
        ],
        "{nope",
    );
    assert_eq!(found[0].kind, ViolationKind::NotJson);
}

#[test]
fn openapi_3_1_type_arrays_and_numeric_exclusive_bounds() {
    let spec = v31();
    let headers = &[("content-type", "application/json"), ("x-rate-limit", "1")];
    assert!(run(
        &spec,
        "/items",
        200,
        headers,
        r#"{"items": [{"title": "a", "note": null, "price": 1}]}"#
    )
    .is_empty());
    let found = run(
        &spec,
        "/items",
        200,
        headers,
        r#"{"items": [{"title": "a", "price": 0}]}"#,
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].pointer.as_deref(), Some("/items/0/price"));
    assert!(
        found[0]
            .message
            .contains("less than or equal to the minimum of 0"),
        "{}",
        found[0].message
    );
}

fn v30() -> ApiSpec {
    spec(json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/pets/{id}": {"get": {
            "responses": {
                "2XX": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
                "default": {"description": "error", "content": {"application/problem+json": {"schema": {"type": "object", "required": ["title"]}}}}
            }
        }}},
        "components": {"schemas": {
            "Pet": {
                "type": "object",
                "required": ["name", "age"],
                "properties": {
                    "name": {"type": "string", "nullable": true},
                    "age": {"type": "integer", "minimum": 0, "exclusiveMinimum": true},
                    "owner": {"allOf": [{"$ref": "#/components/schemas/Owner"}], "nullable": true},
                    "kind": {"type": "string", "enum": ["cat", "dog"], "nullable": true}
                }
            },
            "Owner": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}
        }}
    }))
}

#[test]
fn openapi_3_0_nullable_and_boolean_exclusive_minimum() {
    let spec = v30();
    let ok = r#"{"name": null, "age": 1, "owner": null, "kind": null}"#;
    assert!(run(&spec, "/api/pets/7", 201, JSON, ok).is_empty());
    let found = run(
        &spec,
        "/api/pets/7",
        200,
        JSON,
        r#"{"name": "x", "age": 0, "owner": {}}"#,
    );
    let pointers: Vec<&str> = found.iter().filter_map(|v| v.pointer.as_deref()).collect();
    assert!(pointers.contains(&"/age"), "{found:?}");
    assert!(pointers.contains(&"/owner"), "{found:?}");
    let age = found
        .iter()
        .find(|v| v.pointer.as_deref() == Some("/age"))
        .unwrap();
    assert_eq!(
        age.schema_pointer.as_deref(),
        Some("#/components/schemas/Pet/properties/age/exclusiveMinimum")
    );
    // `default` answers any other status, with its own media type and schema.
    let found = run(
        &spec,
        "/pets/7",
        500,
        &[("content-type", "application/problem+json")],
        "{}",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].pointer.as_deref(), Some(""));
    assert_eq!(
        found[0].message,
        "Response violates schema: 'title' is a required property at /"
    );
    assert_eq!(
        found[0].schema_pointer.as_deref(),
        Some("#/paths/~1pets~1{id}/get/responses/default/content/application~1problem+json/schema/required")
    );
}

#[test]
fn swagger_2_definitions_and_x_nullable() {
    let spec = spec(json!({
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "produces": ["application/json"],
        "paths": {"/users": {"get": {
            "responses": {"200": {"description": "ok", "schema": {
                "type": "array", "items": {"$ref": "#/definitions/User"}
            }}}
        }}},
        "definitions": {"User": {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "integer", "maximum": 10, "exclusiveMaximum": true},
                "email": {"type": "string", "x-nullable": true}
            }
        }}
    }));
    assert!(run(&spec, "/users", 200, JSON, r#"[{"id": 9, "email": null}]"#).is_empty());
    let found = run(
        &spec,
        "/users",
        200,
        JSON,
        r#"[{"id": 10}, {"email": "a"}]"#,
    );
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].pointer.as_deref(), Some("/0/id"));
    assert_eq!(
        found[0].schema_pointer.as_deref(),
        Some("#/definitions/User/properties/id/exclusiveMaximum")
    );
    assert_eq!(
        found[1].message,
        "Response violates schema: 'id' is a required property at /1"
    );
}

#[test]
fn a_body_over_the_budget_is_a_typed_error() {
    let spec = v30();
    let op = operation_for(&spec, "GET", "/pets/1").unwrap();
    let big = vec![b' '; MAX_CONTRACT_BODY + 1];
    let headers = vec![("content-type".to_owned(), "application/json".to_owned())];
    let error = check(
        &spec,
        op,
        &ContractResponse {
            status: 200,
            headers: &headers,
            body: &big,
        },
    )
    .unwrap_err();
    assert!(matches!(error, ContractError::BodyTooLarge { .. }));
}

#[test]
fn operations_are_found_by_method_and_path_template() {
    let spec = spec(json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/items/{id}": {"get": {"operationId": "one", "responses": {"200": {"description": "ok"}}}},
            "/items/new": {"get": {"operationId": "new", "responses": {"200": {"description": "ok"}}}},
            "/items": {"post": {"operationId": "add", "responses": {"200": {"description": "ok"}}}}
        }
    }));
    let id = |m: &str, p: &str| operation_for(&spec, m, p).map(|o| o.id.clone());
    assert_eq!(id("GET", "/v1/items/7?x=1").as_deref(), Some("one"));
    assert_eq!(id("GET", "/items/new").as_deref(), Some("new"));
    assert_eq!(id("post", "/items").as_deref(), Some("add"));
    assert_eq!(id("GET", "/other"), None);
}

#[test]
fn a_schema_file_validates_with_its_own_draft() {
    let schema = json!({"type": "object", "required": ["a"]});
    let failures = validate_schema(&schema, &json!({"b": 1}), 5).unwrap();
    assert_eq!(failures[0].message, "'a' is a required property");
    assert_eq!(failures[0].schema_path, "/required");
    let bad = validate_schema(&json!({"type": 12}), &json!({}), 5).unwrap_err();
    assert!(matches!(bad, ContractError::InvalidSchema(_)));
}
