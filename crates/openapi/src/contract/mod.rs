//! Contract checks: does a response say what the operation it answers documents? Pure: given
//! the imported [`Operation`] and the response's status, headers and body, [`check`] lists the
//! violations, worded like Schemathesis's so a failure reads the same in Sextant, in a report
//! and in the exported tests: "Undocumented status 403; documented: 200, 404", "Response
//! violates schema: \"title\" is a required property at /items/0".
//!
//! In order: the status must be documented (exactly, by a `2XX` range, or by `default`); then
//! the Content-Type among the documented media types; then the response's required headers;
//! then a JSON body against its media type's schema, JSON Schema 2020-12 through the
//! `jsonschema` crate over the schema the importer normalised (`emit.rs`), so 3.0 `nullable`,
//! boolean exclusive bounds, Swagger 2.0 definitions, `$ref`s and recursion all validate the
//! same way. Budgets end in a [`ContractError`], never a panic: the body (32 MiB, as
//! assertions read), the generated schema's nodes and depth, a regular expression's
//! backtracking, and how many violations are reported.

mod emit;
mod path_match;
mod status;
mod validate;

use serde_json::Value;

use crate::model::{ApiSpec, Operation, SpecVersion};
use crate::pointer::push_escaped;

pub use emit::{MAX_SCHEMA_DEPTH, MAX_SCHEMA_NODES};
pub use path_match::match_by_path;
pub use status::{operation_for, response_for};
pub use validate::{validate_schema, SchemaFailure};

/// The largest body a contract check reads (JSON must be read whole).
pub const MAX_CONTRACT_BODY: usize = 32 * 1024 * 1024;

/// The most schema violations reported for one body: the first ones tell the story.
pub const MAX_VIOLATIONS: usize = 20;

/// What a contract check found wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViolationKind {
    UndocumentedStatus,
    UndocumentedContentType,
    MissingHeader,
    NotJson,
    Schema,
}

/// One way the response breaks its contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub kind: ViolationKind,
    /// One sentence, Schemathesis-style.
    pub message: String,
    /// The JSON pointer of the offending value in the body (`/items/0`, `""` for the root).
    pub pointer: Option<String>,
    /// Where the broken rule is in the document (`#/components/schemas/Item/required`).
    pub schema_pointer: Option<String>,
}

/// Why a response could not be checked at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ContractError {
    #[error("the body is {size} bytes, over the contract check's budget of {limit} bytes")]
    BodyTooLarge { size: usize, limit: usize },
    #[error("the response schema has over {limit} nodes, the contract check's budget")]
    SchemaTooLarge { limit: usize },
    #[error("the response schema nests deeper than {limit} levels, the contract check's budget")]
    SchemaTooDeep { limit: usize },
    #[error("the response schema cannot be used: {0}")]
    InvalidSchema(String),
}

/// The parts of a response a contract check reads.
#[derive(Debug, Clone, Copy)]
pub struct ContractResponse<'a> {
    pub status: u16,
    /// Names in any case; the first of a repeated header counts.
    pub headers: &'a [(String, String)],
    /// The decoded body.
    pub body: &'a [u8],
}

impl ContractResponse<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Checks `response` against `op` of `spec`.
pub fn check(
    spec: &ApiSpec,
    op: &Operation,
    response: &ContractResponse<'_>,
) -> Result<Vec<Violation>, ContractError> {
    let Some(documented) = response_for(op, response.status) else {
        let list: Vec<&str> = op.responses.iter().map(|r| r.status.as_str()).collect();
        return Ok(vec![Violation {
            kind: ViolationKind::UndocumentedStatus,
            message: format!(
                "Undocumented status {}; documented: {}",
                response.status,
                if list.is_empty() {
                    "none".to_owned()
                } else {
                    list.join(", ")
                }
            ),
            pointer: None,
            schema_pointer: Some(responses_pointer(spec, op, None)),
        }]);
    };
    let mut violations = Vec::new();
    for header in documented.headers.iter().filter(|h| h.required) {
        if response.header(&header.name).is_none() {
            violations.push(Violation {
                kind: ViolationKind::MissingHeader,
                message: format!("Missing required header {}", header.name),
                pointer: None,
                schema_pointer: Some(format!(
                    "{}/headers/{}",
                    responses_pointer(spec, op, Some(&documented.status)),
                    escaped(&header.name)
                )),
            });
        }
    }
    if documented.content.is_empty() {
        return Ok(violations);
    }
    let content_type = response.header("content-type").map(media_type);
    let media = match content_type.as_deref() {
        Some(actual) => documented
            .content
            .iter()
            .find(|m| media_matches(&m.media_type, actual)),
        None if response.body.is_empty() => return Ok(violations),
        None => None,
    };
    let Some(media) = media else {
        let list: Vec<&str> = documented
            .content
            .iter()
            .map(|m| m.media_type.as_str())
            .collect();
        violations.push(Violation {
            kind: ViolationKind::UndocumentedContentType,
            message: match content_type {
                Some(actual) => format!(
                    "Undocumented Content-Type {actual}; documented: {}",
                    list.join(", ")
                ),
                None => format!("Missing Content-Type; documented: {}", list.join(", ")),
            },
            pointer: None,
            schema_pointer: Some(format!(
                "{}/content",
                responses_pointer(spec, op, Some(&documented.status))
            )),
        });
        return Ok(violations);
    };
    if !is_json(content_type.as_deref().unwrap_or(&media.media_type)) || is_any(&media.schema) {
        return Ok(violations);
    }
    if response.body.len() > MAX_CONTRACT_BODY {
        return Err(ContractError::BodyTooLarge {
            size: response.body.len(),
            limit: MAX_CONTRACT_BODY,
        });
    }
    let body: Value = match serde_json::from_slice(response.body) {
        Ok(body) => body,
        Err(e) => {
            violations.push(Violation {
                kind: ViolationKind::NotJson,
                message: format!("Response is not valid JSON: {e}"),
                pointer: None,
                schema_pointer: None,
            });
            return Ok(violations);
        }
    };
    let base = match spec.version {
        SpecVersion::Swagger2 => format!(
            "{}/schema",
            responses_pointer(spec, op, Some(&documented.status))
        ),
        _ => format!(
            "{}/content/{}/schema",
            responses_pointer(spec, op, Some(&documented.status)),
            escaped(&media.media_type)
        ),
    };
    let components = match spec.version {
        SpecVersion::Swagger2 => "#/definitions",
        _ => "#/components/schemas",
    };
    let emitted = emit::emit(spec, &media.schema)?;
    let failures = validate::validate_schema(&emitted.document, &body, MAX_VIOLATIONS)?;
    violations.extend(failures.into_iter().map(|f| {
        let schema_pointer = document_pointer(&f.schema_path, &emitted.defs, components, &base);
        Violation {
            kind: ViolationKind::Schema,
            message: format!(
                "Response violates schema: {} at {}",
                f.message,
                if f.pointer.is_empty() {
                    "/"
                } else {
                    &f.pointer
                }
            ),
            pointer: Some(f.pointer),
            schema_pointer: Some(schema_pointer),
        }
    }));
    Ok(violations)
}

/// A response body's `schema` as [`check`] validates against it: a self-contained JSON Schema
/// 2020-12 document (components under `$defs`); `None` when it allows anything. For writing the
/// contract down elsewhere, as the exported pytest suites do.
pub fn schema_document(
    spec: &ApiSpec,
    schema: &std::sync::Arc<crate::model::Schema>,
) -> Result<Option<Value>, ContractError> {
    if is_any(schema) {
        return Ok(None);
    }
    emit::emit(spec, schema).map(|emitted| Some(emitted.document))
}

/// A schema that allows anything: nothing to validate.
fn is_any(schema: &crate::model::Schema) -> bool {
    *schema == crate::model::Schema::default()
}

/// `application/json; charset=utf-8` → `application/json`.
fn media_type(value: &str) -> String {
    value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Whether the documented media type (`application/json`, `image/*`, `*/*`) covers `actual`.
fn media_matches(documented: &str, actual: &str) -> bool {
    let documented = media_type(documented);
    if documented == actual || documented == "*/*" {
        return true;
    }
    match documented.strip_suffix("/*") {
        Some(kind) => actual.split('/').next() == Some(kind),
        None => false,
    }
}

fn is_json(media: &str) -> bool {
    let media = media_type(media);
    media == "application/json" || media.ends_with("+json") || media.ends_with("/json")
}

fn escaped(segment: &str) -> String {
    let mut out = String::new();
    push_escaped(&mut out, segment);
    out
}

/// `#/paths/~1items/get/responses[/200]`.
fn responses_pointer(_spec: &ApiSpec, op: &Operation, status: Option<&str>) -> String {
    let mut out = format!(
        "#/paths/{}/{}/responses",
        escaped(&op.path),
        op.method.to_ascii_lowercase()
    );
    if let Some(status) = status {
        out.push('/');
        out.push_str(&escaped(status));
    }
    out
}

/// The validator's schema location (`/$defs/d0/required`, `/properties/a/type`) as a pointer
/// into the document (`#/components/schemas/Item/required`, `<base>/properties/a/type`).
fn document_pointer(schema_path: &str, defs: &[String], components: &str, base: &str) -> String {
    if let Some(rest) = schema_path.strip_prefix("/$defs/d") {
        let (index, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if let Some(name) = index.parse::<usize>().ok().and_then(|i| defs.get(i)) {
            return format!("{components}/{}{tail}", escaped(name));
        }
    }
    format!("{base}{schema_path}")
}

#[cfg(test)]
mod tests;
