//! Validating a JSON value against a JSON Schema document with the `jsonschema` crate, offline
//! (no reference is fetched) and with a bounded regular-expression engine.

use jsonschema::error::ValidationErrorKind;
use jsonschema::PatternOptions;
use serde_json::Value;

use super::ContractError;

/// How many steps a `pattern` may backtrack before the check gives up on it.
const REGEX_BACKTRACK_LIMIT: usize = 100_000;

/// The longest message kept, in characters (a message may quote a whole value).
const MAX_MESSAGE_CHARS: usize = 300;

/// One way an instance breaks a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaFailure {
    /// `'title' is a required property`.
    pub message: String,
    /// The JSON pointer of the value in the instance (`""`: the root).
    pub pointer: String,
    /// The keyword's location in the schema document (`/properties/items/type`).
    pub schema_path: String,
}

/// Validates `instance` against `schema` (2020-12 unless its `$schema` names another draft),
/// returning at most `max` failures.
pub fn validate_schema(
    schema: &Value,
    instance: &Value,
    max: usize,
) -> Result<Vec<SchemaFailure>, ContractError> {
    let validator = jsonschema::options()
        .with_pattern_options(PatternOptions::fancy_regex().backtrack_limit(REGEX_BACKTRACK_LIMIT))
        .build(schema)
        .map_err(|e| ContractError::InvalidSchema(e.to_string()))?;
    Ok(validator
        .iter_errors(instance)
        .take(max)
        .map(|error| {
            let message = match error.kind() {
                ValidationErrorKind::Required { property } => match property.as_str() {
                    Some(name) => format!("'{name}' is a required property"),
                    None => error.to_string(),
                },
                _ => error.to_string(),
            };
            SchemaFailure {
                message: shorten(message),
                pointer: error.instance_path().as_str().to_owned(),
                schema_path: error.schema_path().as_str().to_owned(),
            }
        })
        .collect())
}

fn shorten(text: String) -> String {
    if text.chars().count() <= MAX_MESSAGE_CHARS {
        return text;
    }
    let cut: String = text.chars().take(MAX_MESSAGE_CHARS).collect();
    format!("{cut}…")
}
