//! Reading JSON documents leniently: parse errors with line and column, and small accessors for
//! fields that other tools sometimes write as a string, sometimes as an object, sometimes not at
//! all.

use serde_json::Value;

use crate::InterchangeError;

pub(crate) fn parse(text: &str) -> Result<Value, InterchangeError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str(text).map_err(|e| InterchangeError::InvalidJson {
        line: e.line(),
        column: e.column(),
        message: without_position(&e.to_string()),
    })
}

/// serde_json appends " at line L column C"; the error says that itself.
fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// The field as a string; numbers and booleans are written out, null and absent are `None`.
pub(crate) fn string(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(scalar)
}

pub(crate) fn string_or_empty(v: &Value, key: &str) -> String {
    string(v, key).unwrap_or_default()
}

pub(crate) fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(crate) fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

pub(crate) fn flag(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}
