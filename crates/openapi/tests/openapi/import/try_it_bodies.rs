//! "Try it" request bodies: JSON (from examples or generated, valid against FastAPI's model),
//! text, binary, urlencoded forms and multipart parts, from the fixtures and inline documents.

use serde_json::Value;
use sextant_model::{MultipartPart, PartValue, RequestBody};
use sextant_openapi::{request_for, TryItOptions, TryItRequest};

use super::try_it::{header, inline, notes_mention, operation, row, try_demo, try_op};
use crate::support::import;

fn json_body(tried: &TryItRequest) -> Value {
    let RequestBody::Json { text } = &tried.request.body else {
        panic!("not a JSON body: {:?}", tried.request.body);
    };
    serde_json::from_str(text).unwrap_or_else(|err| panic!("{err}: {text}"))
}

/// FastAPI's `ItemIn`: `name` a non-empty string, `price` a number greater than 0, the
/// optional fields of the right types.
fn assert_valid_item_in(body: &Value) {
    let object = body.as_object().expect("an object");
    assert!(
        object["name"].as_str().is_some_and(|n| !n.is_empty()),
        "{body}"
    );
    assert!(object["price"].as_f64().is_some_and(|p| p > 0.0), "{body}");
    if let Some(tags) = object.get("tags") {
        assert!(tags
            .as_array()
            .is_some_and(|t| t.iter().all(Value::is_string)));
    }
    if let Some(description) = object.get("description") {
        assert!(description.is_string() || description.is_null());
    }
}

#[test]
fn fastapi_create_item_gets_a_valid_json_body() {
    let tried = try_demo("create_item");
    assert_eq!(tried.request.method, "POST");
    assert_eq!(tried.request.url, "http://127.0.0.1:8000/items");
    let RequestBody::Json { text } = &tried.request.body else {
        panic!("not JSON: {:?}", tried.request.body);
    };
    assert!(text.contains("\n  "), "pretty-printed: {text}");
    let body = json_body(&tried);
    assert_eq!(body["name"], "Widget", "the documented example");
    assert_valid_item_in(&body);
    assert!(
        header(&tried, "Content-Type").is_none(),
        "the JSON body kind sets it"
    );
}

#[test]
fn without_examples_the_json_body_is_generated_and_still_valid() {
    let spec = import("fastapi-demo.json");
    let mut op = operation(&spec, "create_item").clone();
    let body = op.request_body.as_mut().unwrap();
    for media in &mut body.content {
        media.example = None;
        let mut schema = (*media.schema).clone();
        schema.examples.clear();
        for property in &mut schema.properties {
            let mut inner = (*property.schema).clone();
            inner.examples.clear();
            property.schema = inner.into();
        }
        media.schema = schema.into();
    }
    let tried = request_for(&spec, &op, &TryItOptions::default());
    let body = json_body(&tried);
    assert_valid_item_in(&body);
    assert_eq!(body, serde_json::json!({"name": "string", "price": 1}));
}

#[test]
fn json_is_preferred_over_text() {
    let tried = try_demo("echo");
    assert_eq!(json_body(&tried), serde_json::json!({"hello": "world"}));
}

#[test]
fn other_json_media_types_keep_their_content_type() {
    let spec = inline(
        "",
        r#"{"/x": {"post": {"requestBody": {"content": {
              "application/xml": {"schema": {"type": "object"}},
              "application/vnd.api+json": {"schema": {"type": "object",
                  "properties": {"a": {"type": "integer"}}, "required": ["a"]}}}},
            "responses": {"200": {"description": "ok"}}}}}"#,
    );
    let tried = try_op(&spec, "POST /x");
    assert_eq!(json_body(&tried), serde_json::json!({"a": 0}));
    assert_eq!(
        header(&tried, "Content-Type"),
        Some(&row("Content-Type", "application/vnd.api+json", true))
    );
}

#[test]
fn text_bodies_and_binary_bodies() {
    let spec = inline(
        "",
        r#"{"/note": {"post": {"requestBody": {"content": {
              "text/plain; charset=utf-8": {"schema": {"type": "string"}, "example": "hi"}}},
            "responses": {"200": {"description": "ok"}}}},
            "/blob": {"put": {"requestBody": {"content": {
              "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
            "responses": {"200": {"description": "ok"}}}}}"#,
    );
    let tried = try_op(&spec, "POST /note");
    assert_eq!(
        tried.request.body,
        RequestBody::Text {
            content_type: "text/plain; charset=utf-8".into(),
            text: "hi".into()
        }
    );
    let tried = try_op(&spec, "PUT /blob");
    assert_eq!(
        tried.request.body,
        RequestBody::Binary {
            path: String::new(),
            content_type: Some("application/octet-stream".into())
        }
    );
    assert_eq!(tried.missing_files, ["body"]);
}

#[test]
fn urlencoded_forms_have_the_required_fields_and_switched_off_others() {
    let spec = import("flasgger-library-2.0.json");
    let tried = try_op(&spec, "POST /login");
    // Credentials without an example are the user's to type (`try_it_credentials`).
    assert_eq!(
        tried.request.body,
        RequestBody::Form {
            fields: vec![
                row("username", "", true),
                row("password", "", true),
                row("remember", "false", false),
            ]
        }
    );
    assert_eq!(tried.notes, ["Fill in: username, password."]);
}

#[test]
fn multipart_file_parts_are_left_for_the_user() {
    let tried = try_demo("upload_file");
    assert_eq!(
        tried.request.body,
        RequestBody::Multipart {
            parts: vec![
                MultipartPart {
                    name: "file".into(),
                    enabled: false,
                    value: PartValue::File {
                        path: String::new(),
                        filename: None,
                        content_type: None
                    },
                },
                MultipartPart {
                    name: "note".into(),
                    enabled: true,
                    value: PartValue::Text {
                        text: "greeting".into()
                    },
                },
            ]
        }
    );
    assert_eq!(tried.missing_files, ["file"]);
    assert!(notes_mention(&tried, "\"file\""), "{:?}", tried.notes);
}

#[test]
fn multipart_files_in_swagger2_and_openapi31_forms() {
    let spec = import("flasgger-library-2.0.json");
    let tried = try_op(&spec, "POST /books/{book_id}/cover");
    assert_eq!(tried.missing_files, ["file"], "Swagger 2.0 `type: file`");
    let RequestBody::Multipart { parts } = &tried.request.body else {
        panic!("not multipart: {:?}", tried.request.body);
    };
    assert!(matches!(parts[0].value, PartValue::File { .. }));
    assert_eq!(parts[1].name, "caption");
    assert!(!parts[1].enabled, "optional and without example");

    let spec = import("fastapi-shop-3.1.json");
    let tried = try_op(&spec, "upload_image_products__product_id__image_put");
    assert_eq!(tried.missing_files, ["image"], "3.1 `contentMediaType`");
}
