//! The scalar values of an example: strings by format and length, integers and numbers within
//! their bounds and step, and the distinct variants that fill a `uniqueItems` array. Apart from
//! the generator because each reads only its own schema's keywords, never the structure around.

use serde_json::{Number, Value};

use super::budget::ExampleBudget;
use super::MAX_STRING_CHARS;
use crate::model::Schema;

/// A variant of `value` that differs from it and from the other variants (by `i`).
pub(super) fn distinct(value: &Value, i: u64) -> Value {
    match value {
        Value::String(s) => Value::String(format!("{s}{i}")),
        Value::Number(n) => match n.as_i64().and_then(|whole| whole.checked_add(i as i64)) {
            Some(whole) => Value::from(whole),
            None => number_value(n.as_f64().unwrap_or(0.0) + i as f64),
        },
        Value::Object(fields) => {
            let mut fields = fields.clone();
            fields.insert("_".to_owned(), Value::from(i));
            Value::Object(fields)
        }
        Value::Array(items) => {
            let mut items = items.clone();
            items.push(Value::from(i));
            Value::Array(items)
        }
        Value::Bool(b) if i == 1 => Value::Bool(!b),
        other => other.clone(),
    }
}

pub(super) fn string(schema: &Schema, budget: &mut ExampleBudget) -> String {
    let formatted = match schema.format.as_deref() {
        Some("date-time") => "2024-01-01T00:00:00Z",
        Some("date") => "2024-01-01",
        Some("time") => "00:00:00Z",
        Some("duration") => "P1D",
        Some("email" | "idn-email") => "user@example.com",
        Some("uuid") => "00000000-0000-4000-8000-000000000000",
        Some("uri" | "url" | "iri") => "https://example.com",
        Some("uri-reference" | "iri-reference" | "json-pointer") => "/",
        Some("uri-template") => "https://example.com/{id}",
        Some("hostname" | "idn-hostname") => "example.com",
        Some("ipv4") => "192.0.2.1",
        Some("ipv6") => "2001:db8::1",
        Some("byte") => "c3RyaW5n",
        Some("binary") => "",
        Some("password") => "password",
        Some("regex") => ".*",
        _ if schema.content_media_type.is_some() => "",
        _ => return padded(schema, budget),
    };
    formatted.to_owned()
}

/// `"string"` padded with `x` to `minLength` (at most [`MAX_STRING_CHARS`]), cut to `maxLength`.
fn padded(schema: &Schema, budget: &mut ExampleBudget) -> String {
    let min = usize::try_from(schema.min_length.unwrap_or(0)).unwrap_or(usize::MAX);
    let max = schema
        .max_length
        .map(|max| usize::try_from(max).unwrap_or(usize::MAX));
    let mut target = min;
    if let Some(max) = max {
        target = target.min(max);
    }
    if target > MAX_STRING_CHARS {
        budget.note(format!(
            "A string asks for at least {min} characters; the example has {MAX_STRING_CHARS}."
        ));
        target = MAX_STRING_CHARS;
    }
    let mut text = "string".to_owned();
    if text.len() < target {
        text.extend(std::iter::repeat_n('x', target - text.len()));
    }
    if let Some(max) = max {
        // ASCII only, so any byte index is a character boundary.
        text.truncate(max);
    }
    text
}

pub(super) fn integer(schema: &Schema) -> Value {
    let lower = match (schema.minimum, schema.exclusive_minimum) {
        (Some(min), Some(ex)) => Some(min.ceil().max(ex.floor() + 1.0)),
        (Some(min), None) => Some(min.ceil()),
        (None, Some(ex)) => Some(ex.floor() + 1.0),
        (None, None) => None,
    };
    let upper = match (schema.maximum, schema.exclusive_maximum) {
        (Some(max), Some(ex)) => Some(max.floor().min(ex.ceil() - 1.0)),
        (Some(max), None) => Some(max.floor()),
        (None, Some(ex)) => Some(ex.ceil() - 1.0),
        (None, None) => None,
    };
    let mut value = 0.0_f64;
    if let Some(lower) = lower {
        value = value.max(lower);
    }
    if let Some(upper) = upper {
        value = value.min(upper);
    }
    if let Some(step) = schema.multiple_of.filter(|m| *m > 0.0) {
        value = (value / step).ceil() * step;
        if upper.is_some_and(|upper| value > upper) {
            value -= step;
        }
    }
    number_value(value)
}

pub(super) fn number(schema: &Schema) -> Value {
    let lower = schema
        .minimum
        .map(|min| (min, false))
        .into_iter()
        .chain(schema.exclusive_minimum.map(|ex| (ex, true)))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let upper = schema
        .maximum
        .map(|max| (max, false))
        .into_iter()
        .chain(schema.exclusive_maximum.map(|ex| (ex, true)))
        .min_by(|a, b| a.0.total_cmp(&b.0));
    let fits = |value: f64| {
        lower.is_none_or(|(bound, open)| if open { value > bound } else { value >= bound })
            && upper.is_none_or(|(bound, open)| if open { value < bound } else { value <= bound })
    };
    let mut value = 0.0;
    if !fits(value) {
        value = match (lower, upper) {
            (Some((low, false)), _) if fits(low) => low,
            (Some((low, true)), _) if fits(low + 1.0) => low + 1.0,
            (_, Some((high, false))) if fits(high) => high,
            (_, Some((high, true))) if fits(high - 1.0) => high - 1.0,
            (Some((low, _)), Some((high, _))) => (low + high) / 2.0,
            _ => 0.0,
        };
    }
    if let Some(step) = schema.multiple_of.filter(|m| *m > 0.0) {
        let stepped = (value / step).ceil() * step;
        if fits(stepped) {
            value = stepped;
        }
    }
    number_value(value)
}

/// A JSON number, written as an integer when it is one (`1`, not `1.0`).
fn number_value(value: f64) -> Value {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        Value::from(value as i64)
    } else {
        Number::from_f64(value).map_or(Value::Null, Value::Number)
    }
}
