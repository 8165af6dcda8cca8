//! A spec does not choose which of the user's variables fill its requests (issue 10, row 17):
//! every `{{name}}` in a Try it request or an imported collection is defined by the request or
//! the collection itself, and credentials get Sextant's names, not the scheme's.

use sextant_model::{Auth, CollectionItem, SavedRequest};
use sextant_openapi::{parse_str, request_for, to_collection, TryItOptions};

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
servers:
  - url: "https://{tenant}.api.example/{undeclared}"
    variables:
      tenant: {default: "{{githubToken}}"}
components:
  securitySchemes:
    githubToken: {type: apiKey, in: header, name: X-Token}
    awsSecret: {type: http, scheme: bearer}
paths:
  /repos/{owner}:
    post:
      security: [{githubToken: []}]
      parameters:
        - {name: owner, in: path, required: true, schema: {type: string}, example: "{{npmToken}}"}
        - {name: q, in: query, required: true, schema: {type: string, example: "{{ awsKey }}"}}
      requestBody:
        content:
          application/json:
            example: {note: "{{githubToken}} {{$uuid}}"}
      responses: {"200": {description: ok}}
  /other:
    get:
      security: [{awsSecret: []}]
      responses: {"200": {description: ok}}
"#;

/// The names of the `{{name}}` references in `text` (as the template engine reads them).
fn references(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open + 2..].find("}}") else {
            break;
        };
        let inner = &rest[open + 2..open + 2 + close];
        if !inner.trim().is_empty() && !inner.contains(['{', '}', '\n']) {
            out.push(inner.trim().to_owned());
        }
        rest = &rest[open + 2..];
    }
    out
}

fn all_text(saved: &SavedRequest) -> String {
    serde_json::to_string(&(&saved.request, &saved.auth, &saved.variables)).unwrap()
}

#[test]
fn try_it_defines_every_name_it_uses() {
    let spec = parse_str(SPEC).unwrap();
    let options = TryItOptions {
        path_params_as_variables: true,
        credentials_as_auth: true,
        ..TryItOptions::default()
    };
    let op = &spec.operations[0];
    let tried = request_for(&spec, op, &options);
    assert_eq!(
        tried.auth,
        Some(Auth::ApiKey {
            name: "X-Token".into(),
            value: "{{apiKey}}".into(),
            location: sextant_model::ApiKeyLocation::Header,
        })
    );
    let key = tried.variables.iter().find(|v| v.name == "apiKey").unwrap();
    assert!(key.secret && key.value.is_empty());
    let text = serde_json::to_string(&(&tried.request, &tried.auth, &tried.path_params)).unwrap();
    let defined: Vec<&str> = tried
        .variables
        .iter()
        .map(|v| v.name.as_str())
        .chain(tried.path_params.iter().map(|(n, _)| n.as_str()))
        .collect();
    for name in references(&text) {
        assert!(
            name == "$uuid" || defined.contains(&name.as_str()),
            "{{{{{name}}}}} is left to the user's other scopes: {defined:?}"
        );
    }
    for stray in ["githubToken", "npmToken", "awsKey"] {
        let var = tried.variables.iter().find(|v| v.name == stray);
        assert!(
            var.is_some_and(|v| v.value.is_empty()),
            "{stray}: {:?}",
            tried.variables
        );
    }
    assert!(
        tried.notes.iter().any(|n| n.contains("{{npmToken}}")),
        "{:?}",
        tried.notes
    );
}

#[test]
fn the_collection_defines_every_name_its_requests_use() {
    let spec = parse_str(SPEC).unwrap();
    let collection = to_collection(&spec, None);
    let collection_vars: Vec<&str> = collection
        .settings
        .variables
        .iter()
        .map(|v| v.name.as_str())
        .collect();
    for name in ["apiKey", "token", "tenant", "undeclared"] {
        assert!(
            collection_vars.contains(&name),
            "{name}: {collection_vars:?}"
        );
    }
    let credentials: Vec<_> = collection
        .settings
        .variables
        .iter()
        .filter(|v| v.secret)
        .collect();
    assert!(credentials.iter().all(|v| v.value.is_empty()));
    let collection_text = serde_json::to_string(&collection.settings.variables).unwrap();
    for name in references(&collection_text) {
        assert!(collection_vars.contains(&name.as_str()), "{name}");
    }
    for item in &collection.items {
        let CollectionItem::Request(saved) = item else {
            continue;
        };
        for name in references(&all_text(saved)) {
            let defined = collection_vars.contains(&name.as_str())
                || saved.variables.iter().any(|v| v.name == name)
                || name == "$uuid";
            assert!(defined, "{} leaves {{{{{name}}}}} undefined", saved.name);
        }
    }
}
