//! Swagger 2.0 (flasgger) mapped onto the 3.x-shaped model.

use serde_json::json;
use sextant_openapi::{OAuthFlowKind, ParameterLocation, SecuritySchemeKind, SpecVersion};

use crate::support::import;

#[test]
fn host_base_path_and_schemes_become_servers() {
    let spec = import("flasgger-library-2.0.json");
    assert_eq!(spec.version, SpecVersion::Swagger2);
    let urls: Vec<&str> = spec.servers.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "https://library.example.org/api/v1",
            "http://library.example.org/api/v1"
        ]
    );
    assert!(spec.warnings.is_empty(), "{:?}", spec.warnings);
}

#[test]
fn servers_without_schemes_or_host() {
    let local = sextant_openapi::parse_str(
        "swagger: '2.0'\nhost: localhost:5000\nbasePath: /api/\npaths: {}\n",
    )
    .unwrap();
    assert_eq!(local.servers[0].url, "http://localhost:5000/api");
    let remote =
        sextant_openapi::parse_str("swagger: '2.0'\nhost: api.example.com\npaths: {}\n").unwrap();
    assert_eq!(remote.servers[0].url, "https://api.example.com");
    let relative =
        sextant_openapi::parse_str("swagger: '2.0'\nbasePath: /v2\npaths: {}\n").unwrap();
    assert_eq!(relative.servers[0].url, "/v2");
}

#[test]
fn definitions_become_schemas() {
    let spec = import("flasgger-library-2.0.json");
    let names: Vec<&str> = spec.schemas.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Book", "Author", "Error"]);
    let book = &spec.schemas[0].schema;
    assert_eq!(book.required, ["title", "isbn"]);
    let price = book.property("price").unwrap();
    assert_eq!(price.exclusive_minimum, Some(0.0));
    assert_eq!(price.minimum, None);
    let subtitle = book.property("subtitle").unwrap();
    assert_eq!(subtitle.types, ["string", "null"], "x-nullable");
    assert_eq!(
        book.property("author").unwrap().ref_name.as_deref(),
        Some("Author")
    );
}

#[test]
fn body_parameter_becomes_the_request_body() {
    let spec = import("flasgger-library-2.0.json");
    let add = spec.operations.iter().find(|o| o.id == "addBook").unwrap();
    assert!(add.parameters.is_empty());
    let body = add.request_body.as_ref().unwrap();
    assert!(body.required);
    assert_eq!(body.content.len(), 1);
    assert_eq!(body.content[0].media_type, "application/json");
    assert_eq!(body.content[0].schema.ref_name.as_deref(), Some("Book"));
    assert_eq!(add.responses[0].content[0].media_type, "application/json");
    assert_eq!(add.security[0][0].scheme, "oauth");
}

#[test]
fn form_parameters_become_a_form_body() {
    let spec = import("flasgger-library-2.0.json");
    let cover = spec
        .operations
        .iter()
        .find(|o| o.path == "/books/{book_id}/cover")
        .unwrap();
    assert_eq!(cover.parameters.len(), 1);
    assert_eq!(cover.parameters[0].name, "book_id");
    assert_eq!(cover.parameters[0].schema.types, ["integer"]);
    let body = cover.request_body.as_ref().unwrap();
    assert_eq!(body.content[0].media_type, "multipart/form-data");
    let form = &body.content[0].schema;
    assert_eq!(form.types, ["object"]);
    assert_eq!(form.required, ["file"]);
    let file = form.property("file").unwrap();
    assert_eq!(file.types, ["string"]);
    assert_eq!(file.format.as_deref(), Some("binary"));
    assert_eq!(file.description.as_deref(), Some("The image"));

    let login = spec.operations.iter().find(|o| o.path == "/login").unwrap();
    let body = login.request_body.as_ref().unwrap();
    assert_eq!(
        body.content[0].media_type,
        "application/x-www-form-urlencoded"
    );
    let form = &body.content[0].schema;
    assert_eq!(form.required, ["username", "password"]);
    assert_eq!(
        form.property("remember").unwrap().default,
        Some(json!(false))
    );
    assert!(login.security.is_empty());
}

#[test]
fn query_parameters_and_collection_formats() {
    let spec = import("flasgger-library-2.0.json");
    let list = spec
        .operations
        .iter()
        .find(|o| o.id == "listBooks")
        .unwrap();
    let params = &list.parameters;
    assert_eq!(params[0].location, ParameterLocation::Query);
    assert_eq!(params[0].description.as_deref(), Some("Filter by author"));
    assert_eq!(
        params[0].schema.description, None,
        "not repeated in the schema"
    );
    assert_eq!(
        (params[1].style.as_deref(), params[1].explode),
        (Some("form"), Some(true))
    );
    assert_eq!(
        (params[2].style.as_deref(), params[2].explode),
        (Some("form"), Some(false))
    );
    assert_eq!(params[3].schema.default, Some(json!(10)));
    assert_eq!(params[3].schema.maximum, Some(50.0));
}

#[test]
fn produces_gives_response_media_types() {
    let spec = import("flasgger-library-2.0.json");
    let list = spec
        .operations
        .iter()
        .find(|o| o.id == "listBooks")
        .unwrap();
    let ok = &list.responses[0];
    assert_eq!(ok.content.len(), 1);
    assert_eq!(ok.content[0].media_type, "application/json");
    assert_eq!(ok.content[0].schema.types, ["array"]);
    assert_eq!(
        ok.content[0].example,
        Some(json!([{"title": "Dune", "isbn": "9780441013593"}]))
    );
    assert_eq!(ok.headers[0].name, "X-Total-Count");
    assert_eq!(ok.headers[0].schema.types, ["integer"]);

    let get = spec
        .operations
        .iter()
        .find(|o| o.id == "GET /books/{book_id}")
        .unwrap();
    assert_eq!(
        get.parameters[0].name, "book_id",
        "path-level $ref parameter"
    );
    let not_found = &get.responses[1];
    assert_eq!(not_found.description, "No such book");
    assert_eq!(
        not_found.content[0].schema.ref_name.as_deref(),
        Some("Error")
    );

    let delete = spec
        .operations
        .iter()
        .find(|o| o.id == "DELETE /books/{book_id}")
        .unwrap();
    assert!(
        delete.responses[0].content.is_empty(),
        "no schema, no content"
    );
    assert_eq!(delete.security[0][0].scheme, "basicAuth");
}

#[test]
fn security_definitions_become_schemes() {
    let spec = import("flasgger-library-2.0.json");
    let schemes = &spec.security_schemes;
    assert!(
        matches!(&schemes[0].kind, SecuritySchemeKind::Http { scheme, .. } if scheme == "basic")
    );
    assert!(matches!(
        &schemes[1].kind,
        SecuritySchemeKind::ApiKey { param_name, location: ParameterLocation::Header } if param_name == "X-API-KEY"
    ));
    let SecuritySchemeKind::OAuth2 { flows } = &schemes[2].kind else {
        panic!("{:?}", schemes[2]);
    };
    assert_eq!(flows[0].kind, OAuthFlowKind::AuthorizationCode);
    assert_eq!(flows[0].scopes.len(), 2);
    let list = spec
        .operations
        .iter()
        .find(|o| o.id == "listBooks")
        .unwrap();
    assert_eq!(
        list.security[0][0].scheme, "APIKeyHeader",
        "global security inherited"
    );
}

#[test]
fn real_httpbin_spec_imports_with_repairs() {
    let spec = import("httpbin-flasgger.json");
    assert_eq!(spec.operations.len(), 78);
    assert_eq!(spec.servers[0].url, "https://httpbin.org");
    let bytes = spec
        .operations
        .iter()
        .find(|o| o.path == "/bytes/{n}")
        .unwrap();
    assert_eq!(
        bytes.parameters[0].schema.types,
        ["integer"],
        "`type: int` repaired"
    );
    assert!(spec
        .warnings
        .iter()
        .any(|w| w.pointer == "/paths/~1bytes~1{n}/get/parameters/0/type"));
    // `/anything/{anything}` declares no parameter for `{anything}`: one is added.
    let anything = spec
        .operations
        .iter()
        .find(|o| o.path == "/anything/{anything}")
        .unwrap();
    assert_eq!(anything.parameters[0].name, "anything");
    assert!(anything.parameters[0].required);
}
