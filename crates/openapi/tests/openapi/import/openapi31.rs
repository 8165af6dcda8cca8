//! OpenAPI 3.1 as FastAPI writes it: the hand-written shop and the real demo app's document.

use sextant_openapi::{
    AdditionalProperties, Operation, ParameterLocation, SecuritySchemeKind, SpecVersion,
};

use crate::support::import;

fn operation<'a>(ops: &'a [Operation], id: &str) -> &'a Operation {
    ops.iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

#[test]
fn shop_header_servers_and_tags() {
    let spec = import("fastapi-shop-3.1.json");
    assert_eq!(spec.version, SpecVersion::OpenApi31);
    assert_eq!(spec.title, "Shop API");
    assert_eq!(spec.api_version, "2.3.0");
    assert!(spec
        .description
        .as_deref()
        .unwrap()
        .contains("**Markdown**"));
    assert_eq!(spec.servers.len(), 2);
    let region = &spec.servers[0].variables[0];
    assert_eq!(region.name, "region");
    assert_eq!(region.default, "eu");
    assert_eq!(region.enum_values, ["eu", "us"]);
    assert_eq!(spec.servers[1].url, "/api");
    let tags: Vec<&str> = spec.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tags, ["products", "files"]);
    assert!(spec.warnings.is_empty(), "{:?}", spec.warnings);
}

#[test]
fn operation_level_parameters_override_path_level_ones() {
    let spec = import("fastapi-shop-3.1.json");
    let get = operation(&spec.operations, "get_product_products__product_id__get");
    assert_eq!(get.parameters.len(), 2);
    let id = &get.parameters[0];
    assert_eq!(
        (id.name.as_str(), id.location),
        ("product_id", ParameterLocation::Path)
    );
    assert_eq!(
        id.schema.types,
        ["integer"],
        "the operation's own definition wins"
    );
    assert_eq!(id.schema.exclusive_minimum, Some(0.0));
    assert_eq!(id.example, Some(serde_json::json!(7)));
    assert_eq!(id.description, None);
    assert_eq!(get.parameters[1].location, ParameterLocation::Cookie);

    let delete = operation(
        &spec.operations,
        "delete_product_products__product_id__delete",
    );
    assert!(delete.deprecated);
    assert_eq!(
        delete.parameters.len(),
        1,
        "inherits the path-level parameter"
    );
    assert_eq!(delete.parameters[0].schema.types, ["string"]);
    assert_eq!(
        delete.parameters[0].description.as_deref(),
        Some("Path-level description")
    );
    assert!(delete.parameters[0].required);
}

#[test]
fn pydantic_optionals_and_type_arrays_are_nullable() {
    let spec = import("fastapi-shop-3.1.json");
    let list = operation(&spec.operations, "list_products_products_get");
    let q = &list.parameters[0].schema;
    assert!(q.nullable, "anyOf [string, null] is nullable");
    assert_eq!(q.any_of.len(), 2, "and is kept as anyOf");
    assert_eq!(q.any_of[0].types, ["string"]);
    assert_eq!(q.any_of[0].max_length, Some(50));
    assert!(q.types.is_empty());

    let request_id = &list.parameters[2].schema;
    assert_eq!(request_id.types, ["string", "null"]);
    assert!(request_id.nullable);
    assert_eq!(request_id.format.as_deref(), Some("uuid"));
    assert_eq!(list.parameters[2].location, ParameterLocation::Header);

    let limit = &list.parameters[1].schema;
    assert_eq!(limit.exclusive_minimum, Some(0.0));
    assert_eq!(limit.maximum, Some(100.0));
    assert_eq!(limit.default, Some(serde_json::json!(20)));
    assert!(!limit.nullable);
}

#[test]
fn schemas_keep_keywords_and_property_order() {
    let spec = import("fastapi-shop-3.1.json");
    let product = &spec
        .schemas
        .iter()
        .find(|s| s.name == "Product")
        .unwrap()
        .schema;
    let names: Vec<&str> = product.properties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        ["id", "name", "price", "category", "discount", "tags", "created"]
    );
    assert!(product.property("id").unwrap().read_only);
    assert_eq!(
        product.property("name").unwrap().examples,
        [serde_json::json!("Lamp")]
    );
    assert_eq!(
        product.property("price").unwrap().exclusive_minimum,
        Some(0.0)
    );
    assert!(product.property("tags").unwrap().unique_items);
    let category = product.property("category").unwrap();
    assert_eq!(category.ref_name.as_deref(), Some("Category"));
    assert_eq!(category.enum_values.len(), 3);

    // `$ref` with a sibling keyword: the target refined by the sibling.
    let product_in = &spec
        .schemas
        .iter()
        .find(|s| s.name == "ProductIn")
        .unwrap()
        .schema;
    let category_in = product_in.property("category").unwrap();
    assert_eq!(category_in.ref_name.as_deref(), Some("Category"));
    assert_eq!(category_in.default, Some(serde_json::json!("misc")));
    assert_eq!(category_in.enum_values.len(), 3);
    assert_eq!(product_in.examples.len(), 1);

    let validation = &spec
        .schemas
        .iter()
        .find(|s| s.name == "HTTPValidationError")
        .unwrap()
        .schema;
    let detail = validation.property("detail").unwrap();
    assert_eq!(
        detail.items.as_ref().unwrap().ref_name.as_deref(),
        Some("ValidationError")
    );
}

#[test]
fn bodies_responses_and_security() {
    let spec = import("fastapi-shop-3.1.json");
    let upload = operation(
        &spec.operations,
        "upload_image_products__product_id__image_put",
    );
    let body = upload.request_body.as_ref().unwrap();
    assert!(body.required);
    assert_eq!(body.content[0].media_type, "multipart/form-data");
    let form = &body.content[0].schema;
    assert_eq!(form.required, ["image"]);
    let image = form.property("image").unwrap();
    assert_eq!(
        image.content_media_type.as_deref(),
        Some("application/octet-stream")
    );
    assert!(form.property("caption").unwrap().nullable);

    let create = operation(&spec.operations, "create_product_products_post");
    assert_eq!(create.responses[0].status, "201");
    assert_eq!(create.responses[0].headers[0].name, "Location");
    assert_eq!(create.security.len(), 1);
    assert_eq!(create.security[0][0].scheme, "OAuth2PasswordBearer");
    assert_eq!(create.security[0][0].scopes, ["products:write"]);

    let get = operation(&spec.operations, "get_product_products__product_id__get");
    assert_eq!(
        get.security[0][0].scheme, "APIKeyHeader",
        "inherited from the document"
    );
    let not_found = get.responses.iter().find(|r| r.status == "404").unwrap();
    assert_eq!(
        not_found.content[0].example,
        Some(serde_json::json!({"detail": "Product not found"}))
    );

    let health = operation(&spec.operations, "GET /health");
    assert!(
        health.security.is_empty(),
        "`security: []` switches auth off"
    );
    let map = &health.responses[0].content[0].schema;
    assert!(matches!(
        map.additional_properties,
        Some(AdditionalProperties::Schema(_))
    ));

    assert!(matches!(
        &spec.security_schemes[0].kind,
        SecuritySchemeKind::OAuth2 { flows } if flows[0].token_url.as_deref() == Some("token")
    ));
    assert!(matches!(
        &spec.security_schemes[1].kind,
        SecuritySchemeKind::ApiKey { param_name, location: ParameterLocation::Header } if param_name == "X-API-Key"
    ));
}

#[test]
fn the_real_fastapi_demo_imports_cleanly() {
    let spec = import("fastapi-demo.json");
    assert_eq!(spec.version, SpecVersion::OpenApi31);
    assert_eq!(spec.title, "Sextant Demo API");
    assert!(spec.warnings.is_empty(), "{:?}", spec.warnings);
    assert_eq!(spec.operations.len(), 14);
    for operation in &spec.operations {
        assert!(operation.summary.is_some(), "{}", operation.id);
        assert!(!operation.tags.is_empty(), "{}", operation.id);
    }
    for name in ["HTTPValidationError", "ValidationError", "Item", "ItemIn"] {
        assert!(spec.schemas.iter().any(|s| s.name == name), "{name}");
    }
    let upload = operation(&spec.operations, "upload_file");
    let body = upload.request_body.as_ref().unwrap();
    assert_eq!(body.content[0].media_type, "multipart/form-data");
    assert_eq!(
        body.content[0].schema.ref_name.as_deref(),
        Some("Body_upload_file")
    );
    let item = operation(&spec.operations, "get_item");
    assert_eq!(item.parameters[0].location, ParameterLocation::Path);
    assert!(item.parameters[0].required);
    let invalid = item.responses.iter().find(|r| r.status == "422").unwrap();
    assert_eq!(
        invalid.content[0].schema.ref_name.as_deref(),
        Some("HTTPValidationError")
    );
}
