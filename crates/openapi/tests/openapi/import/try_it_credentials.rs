//! Try it leaves credentials for the user: a parameter, form field or JSON property that looks
//! like one (`format: password`, a name such as `password` or `client_secret`) gets the
//! document's example or default when it has one, else stays empty and is named in a
//! "Fill in:" note.

use serde_json::{json, Value};
use sextant_model::{KeyValue, RequestBody};
use sextant_openapi::{parse_str, request_for, ApiSpec, TryItOptions, TryItRequest};

/// The one operation of a 3.1 document whose request body is `body` (JSON of a request body).
fn try_body(body: &str) -> TryItRequest {
    let text = format!(
        r#"{{"openapi": "3.1.0", "info": {{"title": "t", "version": "1"}},
            "servers": [{{"url": "http://127.0.0.1:8000"}}],
            "paths": {{"/token": {{"post": {{"requestBody": {body},
              "responses": {{"200": {{"description": "ok"}}}}}}}}}}}}"#
    );
    let spec: ApiSpec = parse_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    request_for(&spec, &spec.operations[0], &TryItOptions::default())
}

fn form_values(tried: &TryItRequest) -> Vec<(String, String, bool)> {
    let fields = match &tried.request.body {
        RequestBody::Form { fields } => fields.clone(),
        RequestBody::Multipart { parts } => parts
            .iter()
            .map(|p| KeyValue {
                name: p.name.clone(),
                value: match &p.value {
                    sextant_model::PartValue::Text { text } => text.clone(),
                    sextant_model::PartValue::File { .. } => "<file>".into(),
                },
                enabled: p.enabled,
            })
            .collect(),
        other => panic!("not a form: {other:?}"),
    };
    fields
        .into_iter()
        .map(|f| (f.name, f.value, f.enabled))
        .collect()
}

fn row(name: &str, value: &str, enabled: bool) -> (String, String, bool) {
    (name.into(), value.into(), enabled)
}

/// FastAPI's `OAuth2PasswordRequestForm`, as FastAPI describes it.
const OAUTH2_PASSWORD_FORM: &str = r#"{"required": true, "content": {
  "application/x-www-form-urlencoded": {"schema": {"type": "object",
    "required": ["username", "password"],
    "properties": {
      "grant_type": {"anyOf": [{"type": "string", "pattern": "^password$"}, {"type": "null"}]},
      "username": {"type": "string", "title": "Username"},
      "password": {"type": "string", "format": "password", "title": "Password"},
      "scope": {"type": "string", "default": ""},
      "client_id": {"anyOf": [{"type": "string"}, {"type": "null"}]},
      "client_secret": {"anyOf": [{"type": "string"}, {"type": "null"}], "format": "password"}
    }}}}}"#;

#[test]
fn the_oauth2_password_form_leaves_username_and_password_empty_and_says_so() {
    let tried = try_body(OAUTH2_PASSWORD_FORM);
    assert_eq!(
        form_values(&tried),
        [
            row("grant_type", "", false),
            row("username", "", true),
            row("password", "", true),
            row("scope", "", false),
            row("client_id", "", false),
            row("client_secret", "", false),
        ]
    );
    assert_eq!(tried.notes, ["Fill in: username, password."]);
}

#[test]
fn examples_and_defaults_of_credentials_are_used() {
    let tried = try_body(
        r#"{"content": {"multipart/form-data": {"schema": {"type": "object",
            "required": ["username", "password", "api_key"],
            "properties": {
              "username": {"type": "string", "examples": ["alice"]},
              "password": {"type": "string", "format": "password", "default": "wonderland"},
              "api_key": {"type": "string"}
            }}}}}"#,
    );
    assert_eq!(
        form_values(&tried),
        [
            row("username", "alice", true),
            row("password", "wonderland", true),
            row("api_key", "", true),
        ]
    );
    assert_eq!(tried.notes, ["Fill in: api_key."]);
}

#[test]
fn fields_that_are_not_credentials_keep_their_generated_values() {
    let tried = try_body(
        r#"{"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object",
            "required": ["name", "grant_type"],
            "properties": {"name": {"type": "string"}, "grant_type": {"type": "string"}}}}}}"#,
    );
    assert_eq!(
        form_values(&tried),
        [
            row("name", "string", true),
            row("grant_type", "string", true)
        ]
    );
    assert!(tried.notes.is_empty(), "{:?}", tried.notes);
}

#[test]
fn a_generated_json_login_body_leaves_its_credentials_empty() {
    let tried = try_body(
        r#"{"content": {"application/json": {"schema": {"type": "object",
            "required": ["email", "password", "client_secret"],
            "properties": {
              "email": {"type": "string", "format": "email"},
              "password": {"type": "string"},
              "client_secret": {"type": "string", "examples": ["s3"]}
            }}}}}"#,
    );
    let RequestBody::Json { text } = &tried.request.body else {
        panic!("not JSON: {:?}", tried.request.body);
    };
    let body: Value = serde_json::from_str(text).unwrap();
    assert_eq!(
        body,
        json!({"email": "user@example.com", "password": "", "client_secret": "s3"})
    );
    assert_eq!(tried.notes, ["Fill in: password."]);
}

#[test]
fn a_json_example_of_the_media_type_is_sent_as_written() {
    let tried = try_body(
        r#"{"content": {"application/json": {
            "schema": {"type": "object", "required": ["password"],
                       "properties": {"password": {"type": "string"}}},
            "example": {"password": "from-the-docs"}}}}"#,
    );
    let RequestBody::Json { text } = &tried.request.body else {
        panic!("not JSON: {:?}", tried.request.body);
    };
    assert_eq!(
        serde_json::from_str::<Value>(text).unwrap(),
        json!({"password": "from-the-docs"})
    );
    assert!(tried.notes.is_empty(), "{:?}", tried.notes);
}

#[test]
fn a_required_credential_parameter_is_left_empty_with_the_body_fields() {
    let text = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "servers": [{"url": "http://127.0.0.1:8000"}],
        "paths": {"/token": {"post": {
          "parameters": [
            {"name": "X-API-Key", "in": "header", "required": true, "schema": {"type": "string"}},
            {"name": "tenant", "in": "query", "required": true, "schema": {"type": "string"}},
            {"name": "X-Session-Token", "in": "header", "required": true,
             "schema": {"type": "string", "examples": ["from-the-docs"]}}
          ],
          "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {
            "type": "object", "required": ["password"],
            "properties": {"password": {"type": "string"}}}}}},
          "responses": {"200": {"description": "ok"}}}}}}"#;
    let spec = parse_str(text).unwrap();
    let tried = request_for(&spec, &spec.operations[0], &TryItOptions::default());
    let header = |name: &str| {
        tried
            .request
            .headers
            .iter()
            .find(|h| h.name == name)
            .map(|h| (h.value.clone(), h.enabled))
    };
    assert_eq!(header("X-API-Key"), Some((String::new(), true)));
    assert_eq!(
        header("X-Session-Token"),
        Some(("from-the-docs".to_owned(), true))
    );
    assert_eq!(tried.request.query, [KeyValue::new("tenant", "string")]);
    assert_eq!(tried.notes, ["Fill in: X-API-Key, password."]);
}
