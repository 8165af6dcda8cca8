//! "Try it" requests built from the fixtures' operations, plus small inline documents for the
//! cases the fixtures do not have: the URL, the parameters and the security schemes. Bodies
//! are in `try_it_bodies`, which shares this file's helpers.

use sextant_model::{KeyValue, Variable};
use sextant_openapi::{parse_str, request_for, ApiSpec, Operation, TryItOptions, TryItRequest};

use crate::support::import;

const DEMO_SPEC_URL: &str = "http://127.0.0.1:8000/openapi.json";

pub(super) fn operation<'a>(spec: &'a ApiSpec, id: &str) -> &'a Operation {
    spec.operations
        .iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

pub(super) fn try_op(spec: &ApiSpec, id: &str) -> TryItRequest {
    request_for(spec, operation(spec, id), &TryItOptions::default())
}

/// The demo document, resolved against the address it would be fetched from.
pub(super) fn try_demo(id: &str) -> TryItRequest {
    let spec = import("fastapi-demo.json");
    let options = TryItOptions {
        base_url_for_relative: Some(DEMO_SPEC_URL.into()),
        ..TryItOptions::default()
    };
    request_for(&spec, operation(&spec, id), &options)
}

pub(super) fn row(name: &str, value: &str, enabled: bool) -> KeyValue {
    KeyValue {
        name: name.into(),
        value: value.into(),
        enabled,
    }
}

pub(super) fn header<'a>(tried: &'a TryItRequest, name: &str) -> Option<&'a KeyValue> {
    tried
        .request
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
}

pub(super) fn notes_mention(tried: &TryItRequest, text: &str) -> bool {
    tried.notes.iter().any(|n| n.contains(text))
}

/// A one-operation OpenAPI 3.1 document: `paths` is the JSON of the `paths` object.
pub(super) fn inline(extra: &str, paths: &str) -> ApiSpec {
    let text = format!(
        r#"{{"openapi": "3.1.0", "info": {{"title": "t", "version": "1"}}, {extra}
            "paths": {paths}}}"#
    );
    parse_str(&text).unwrap_or_else(|err| panic!("inline document: {err}\n{text}"))
}

// ---- URL ---------------------------------------------------------------------------------

#[test]
fn server_variables_take_their_defaults() {
    let spec = import("fastapi-shop-3.1.json");
    let tried = try_op(&spec, "list_products_products_get");
    assert_eq!(
        tried.request.url,
        "https://eu.shop.example.com/api/products"
    );
    assert_eq!(tried.request.method, "GET");
}

#[test]
fn relative_servers_are_resolved_against_the_base_url() {
    assert_eq!(
        try_demo("list_items").request.url,
        "http://127.0.0.1:8000/items"
    );

    let spec = import("fastapi-shop-3.1.json");
    let op = operation(&spec, "GET /health");
    let options = TryItOptions {
        server_url: Some(spec.servers[1].url.clone()),
        base_url_for_relative: Some("http://localhost:9000/docs/openapi.json".into()),
        ..TryItOptions::default()
    };
    assert_eq!(spec.servers[1].url, "/api");
    assert_eq!(
        request_for(&spec, op, &options).request.url,
        "http://localhost:9000/api/health"
    );
}

#[test]
fn a_relative_server_without_a_base_gives_a_relative_url_and_says_so() {
    let spec = import("fastapi-demo.json");
    let tried = try_op(&spec, "health");
    assert_eq!(tried.request.url, "/health");
    assert!(notes_mention(&tried, "relative"), "{:?}", tried.notes);
}

#[test]
fn an_explicit_server_wins_and_loses_its_trailing_slash() {
    let spec = import("flasgger-library-2.0.json");
    let op = operation(&spec, "listBooks");
    assert_eq!(
        request_for(&spec, op, &TryItOptions::default()).request.url,
        "https://library.example.org/api/v1/books",
        "Swagger 2.0 host + basePath, first scheme"
    );
    let options = TryItOptions {
        server_url: Some("http://127.0.0.1:5000/v1/".into()),
        ..TryItOptions::default()
    };
    assert_eq!(
        request_for(&spec, op, &options).request.url,
        "http://127.0.0.1:5000/v1/books"
    );
}

#[test]
fn operation_servers_override_the_documents() {
    let spec = inline(
        r#""servers": [{"url": "https://api.example.com/{version}",
                       "variables": {"version": {"default": "v2"}}}],"#,
        r#"{"/a": {"get": {"responses": {"200": {"description": "ok"}}}},
            "/b": {"get": {"servers": [{"url": "https://files.example.com/"}],
                           "responses": {"200": {"description": "ok"}}}}}"#,
    );
    assert_eq!(
        try_op(&spec, "GET /a").request.url,
        "https://api.example.com/v2/a"
    );
    assert_eq!(
        try_op(&spec, "GET /b").request.url,
        "https://files.example.com/b"
    );
}

#[test]
fn path_parameters_are_substituted_and_reported() {
    let spec = import("fastapi-shop-3.1.json");
    let tried = try_op(&spec, "get_product_products__product_id__get");
    assert_eq!(
        tried.request.url, "https://eu.shop.example.com/api/products/7",
        "the parameter's example"
    );
    assert_eq!(
        tried.path_params,
        [("product_id".to_owned(), "7".to_owned())]
    );

    let tried = try_demo("delete_item");
    assert_eq!(tried.request.url, "http://127.0.0.1:8000/items/1");
    assert_eq!(tried.request.method, "DELETE");

    let spec = import("flasgger-library-2.0.json");
    let tried = try_op(&spec, "GET /books/{book_id}");
    assert_eq!(
        tried.request.url, "https://library.example.org/api/v1/books/0",
        "generated from the schema"
    );
}

#[test]
fn path_values_are_percent_encoded_as_one_segment() {
    let spec = inline(
        "",
        r#"{"/files/{name}/{ids}": {"get": {"parameters": [
              {"name": "name", "in": "path", "required": true, "schema": {"type": "string"},
               "example": "a b/c?d"},
              {"name": "ids", "in": "path", "required": true,
               "schema": {"type": "array", "items": {"type": "integer"}}, "example": [3, 4]}],
            "responses": {"200": {"description": "ok"}}}}}"#,
    );
    let tried = try_op(&spec, "GET /files/{name}/{ids}");
    assert_eq!(tried.request.url, "/files/a%20b%2Fc%3Fd/3,4");
    assert_eq!(
        tried.path_params,
        [
            ("name".to_owned(), "a b/c?d".to_owned()),
            ("ids".to_owned(), "3,4".to_owned())
        ]
    );
}

#[test]
fn a_template_name_without_a_parameter_is_left_for_the_user() {
    // The importer declares such names itself; an operation built by hand may still lack them.
    let spec = import("fastapi-demo.json");
    let mut op = operation(&spec, "get_item").clone();
    op.parameters.clear();
    let tried = request_for(&spec, &op, &TryItOptions::default());
    assert_eq!(tried.request.url, "/items/{item_id}");
    assert_eq!(tried.path_params, [("item_id".to_owned(), String::new())]);
    assert!(notes_mention(&tried, "declares no such path parameter"));
}

// ---- query, header and cookie parameters ---------------------------------------------------

#[test]
fn required_parameters_come_first() {
    let spec = inline(
        "",
        r#"{"/search": {"get": {"parameters": [
              {"name": "page", "in": "query", "schema": {"type": "integer", "default": 1}},
              {"name": "sort", "in": "query", "schema": {"type": "string"}},
              {"name": "q", "in": "query", "required": true, "schema": {"type": "string"}},
              {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
              {"name": "X-Tenant", "in": "header", "required": true,
               "schema": {"type": "string", "examples": ["acme"]}}],
            "responses": {"200": {"description": "ok"}}}}}"#,
    );
    let tried = try_op(&spec, "GET /search");
    assert_eq!(
        tried.request.query,
        [
            row("q", "string", true),
            row("page", "1", true),
            row("sort", "", false)
        ]
    );
    assert_eq!(
        tried.request.headers,
        [row("X-Tenant", "acme", true), row("X-Trace", "", false)]
    );
}

#[test]
fn optional_parameters_without_a_value_are_disabled_rows() {
    let spec = import("smorest-pets-3.0.yaml");
    let tried = try_op(&spec, "GET /pets/");
    assert_eq!(
        tried.request.query,
        [
            row("species", "", false),
            row("min_age", "2", true),
            row("page_size", "10", true),
            row("ids", "", false)
        ]
    );

    let tried = try_demo("list_items");
    assert_eq!(
        tried.request.query,
        [row("limit", "20", true), row("tag", "tools", true)],
        "FastAPI puts examples in the schema"
    );
}

#[test]
fn required_headers_get_generated_values() {
    let spec = import("smorest-pets-3.0.yaml");
    let tried = try_op(&spec, "PATCH /pets/{pet_id}");
    assert_eq!(
        header(&tried, "If-Match"),
        Some(&row("If-Match", "string", true))
    );
}

#[test]
fn cookie_parameters_share_one_cookie_header() {
    let spec = inline(
        "",
        r#"{"/me": {"get": {"parameters": [
              {"name": "session", "in": "cookie", "required": true, "schema": {"type": "string"},
               "example": "abc"},
              {"name": "theme", "in": "cookie", "schema": {"type": "string", "default": "dark"}},
              {"name": "debug", "in": "cookie", "schema": {"type": "boolean"}}],
            "responses": {"200": {"description": "ok"}}}}}"#,
    );
    let tried = try_op(&spec, "GET /me");
    assert_eq!(
        tried.request.headers,
        [
            row("Cookie", "session=abc; theme=dark", true),
            row("Cookie", "debug=", false)
        ]
    );

    let spec = import("fastapi-shop-3.1.json");
    let tried = try_op(&spec, "get_product_products__product_id__get");
    assert_eq!(
        header(&tried, "Cookie"),
        Some(&row("Cookie", "session=", false))
    );
}

#[test]
fn array_and_object_parameters_follow_their_style() {
    let spec = inline(
        "",
        r#"{"/s": {"get": {"parameters": [
              {"name": "tag", "in": "query", "schema": {"type": "array"}, "example": ["a", "b"]},
              {"name": "ids", "in": "query", "explode": false, "schema": {"type": "array"},
               "example": [1, 2]},
              {"name": "words", "in": "query", "style": "pipeDelimited", "explode": false,
               "schema": {"type": "array"}, "example": ["x", "y"]},
              {"name": "filter", "in": "query", "style": "deepObject",
               "schema": {"type": "object"}, "example": {"color": "red"}},
              {"name": "X-Ids", "in": "header", "schema": {"type": "array"}, "example": [1, 2]}],
            "responses": {"200": {"description": "ok"}}}}}"#,
    );
    let tried = try_op(&spec, "GET /s");
    assert_eq!(
        tried.request.query,
        [
            row("tag", "a", true),
            row("tag", "b", true),
            row("ids", "1,2", true),
            row("words", "x|y", true),
            row("filter[color]", "red", true)
        ]
    );
    assert_eq!(tried.request.headers, [row("X-Ids", "1,2", true)]);
}

// ---- security ----------------------------------------------------------------------------

#[test]
fn api_keys_become_placeholders_named_by_sextant_and_defined_by_the_request() {
    let spec = import("fastapi-shop-3.1.json");
    let tried = try_op(&spec, "list_products_products_get");
    assert_eq!(
        header(&tried, "X-API-Key"),
        Some(&row("X-API-Key", "{{apiKey}}", true))
    );
    assert!(
        notes_mention(&tried, "{{apiKey}}") && notes_mention(&tried, "APIKeyHeader"),
        "{:?}",
        tried.notes
    );
    assert_eq!(
        tried.variables,
        [Variable {
            secret: true,
            ..Variable::new("apiKey", "")
        }]
    );

    let spec = inline(
        r#""components": {"securitySchemes": {
              "q": {"type": "apiKey", "in": "query", "name": "api_key"},
              "c": {"type": "apiKey", "in": "cookie", "name": "sid"}}},
           "security": [{"q": [], "c": []}],"#,
        r#"{"/x": {"get": {"responses": {"200": {"description": "ok"}}}}}"#,
    );
    let tried = try_op(&spec, "GET /x");
    assert_eq!(tried.request.query, [row("api_key", "{{apiKey}}", true)]);
    assert_eq!(
        tried.request.headers,
        [row("Cookie", "sid={{apiKey2}}", true)]
    );
    let names: Vec<&str> = tried.variables.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["apiKey", "apiKey2"]);
}

#[test]
fn basic_and_bearer_fill_the_authorization_header() {
    let spec = import("flasgger-library-2.0.json");
    let tried = try_op(&spec, "DELETE /books/{book_id}");
    assert_eq!(
        header(&tried, "Authorization"),
        Some(&row("Authorization", "Basic {{username:password}}", true))
    );
    assert!(notes_mention(&tried, "Base64"), "{:?}", tried.notes);

    let spec = inline(
        r#""components": {"securitySchemes": {
              "jwt": {"type": "http", "scheme": "Bearer", "bearerFormat": "JWT"}}},"#,
        r#"{"/x": {"get": {"security": [{"jwt": []}],
                           "responses": {"200": {"description": "ok"}}}}}"#,
    );
    let tried = try_op(&spec, "GET /x");
    assert_eq!(
        tried.request.headers,
        [row("Authorization", "Bearer {{token}}", true)]
    );
    assert!(notes_mention(&tried, "JWT"), "{:?}", tried.notes);
}

#[test]
fn oauth2_only_adds_a_note() {
    let spec = import("flasgger-library-2.0.json");
    let tried = try_op(&spec, "addBook");
    assert!(header(&tried, "Authorization").is_none());
    assert!(
        notes_mention(&tried, "OAuth 2.0") && notes_mention(&tried, "write"),
        "{:?}",
        tried.notes
    );
}

#[test]
fn the_first_alternative_with_declared_schemes_is_used() {
    let spec = inline(
        r#""components": {"securitySchemes": {
              "key": {"type": "apiKey", "in": "header", "name": "X-Key"}}},"#,
        r#"{"/x": {"get": {"security": [{"missing": []}, {"key": []}],
                           "responses": {"200": {"description": "ok"}}}},
            "/y": {"get": {"security": [{"missing": []}],
                           "responses": {"200": {"description": "ok"}}}},
            "/z": {"get": {"security": [{}, {"key": []}],
                           "responses": {"200": {"description": "ok"}}}}}"#,
    );
    let tried = try_op(&spec, "GET /x");
    assert_eq!(tried.request.headers, [row("X-Key", "{{apiKey}}", true)]);
    let tried = try_op(&spec, "GET /y");
    assert!(tried.request.headers.is_empty());
    assert!(
        notes_mention(&tried, "does not declare"),
        "{:?}",
        tried.notes
    );
    let tried = try_op(&spec, "GET /z");
    assert!(
        tried.request.headers.is_empty(),
        "anonymous access comes first"
    );
}

#[test]
fn operations_without_security_need_no_notes() {
    let tried = try_demo("get_item");
    assert!(tried.notes.is_empty(), "{:?}", tried.notes);
    assert!(tried.request.headers.is_empty());
    assert!(tried.missing_files.is_empty());
}
