//! Judging what a query read against an assertion's predicate and value.

use std::cmp::Ordering;

use serde_json::Value;
use sextant_model::{AssertPredicate as P, Assertion};

use super::query::Actual;

/// The most memory a compiled `matches` expression may take (the `regex` crate's size limit):
/// a pattern past it is a failed assertion naming the budget, never a long compile.
pub const MAX_REGEX_BYTES: usize = 1 << 20;

/// `== 200`, `not exists`, `in [1, 2]`.
pub(super) fn describe(a: &Assertion) -> String {
    let mut s = String::new();
    if a.negate {
        s.push_str("not ");
    }
    s.push_str(a.predicate.word());
    if a.predicate.takes_value() {
        s.push(' ');
        s.push_str(a.value.as_deref().unwrap_or(""));
    }
    s
}

/// The value as JSON when it parses as JSON, else as a string.
fn value_json(text: &str) -> Value {
    serde_json::from_str(text.trim()).unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// The expected value as JSON, for a diff.
pub(super) fn expected_json(a: &Assertion) -> Option<Value> {
    a.value.as_deref().map(value_json)
}

/// The value as text: a JSON string is unquoted, anything else is taken as typed.
fn value_text(text: &str) -> String {
    match serde_json::from_str::<Value>(text.trim()) {
        Ok(Value::String(s)) => s,
        _ => text.to_owned(),
    }
}

fn number(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// JSON equality by value: numbers compare numerically (`1 == 1.0`), containers recursively.
pub(super) fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => match (x.as_u64(), y.as_u64()) {
                (Some(x), Some(y)) => x == y,
                _ => number(a) == number(b),
            },
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_eq(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// Equality of what was read with the value typed: text with text, JSON by value.
fn equals(actual: &Actual, value: &str) -> bool {
    match actual {
        Actual::Nothing => false,
        Actual::Text(t) => *t == value_text(value),
        Actual::Json(v) => json_eq(v, &value_json(value)),
    }
}

fn order(actual: &Actual, value: &str) -> Result<Ordering, String> {
    let expected = value_json(value);
    let actual_num = match actual {
        Actual::Json(v) => number(v),
        Actual::Text(t) => t.trim().parse::<f64>().ok(),
        Actual::Nothing => None,
    };
    if let (Some(a), Some(b)) = (actual_num, number(&expected)) {
        return a
            .partial_cmp(&b)
            .ok_or_else(|| "the numbers cannot be compared".to_owned());
    }
    match (actual, &expected) {
        (Actual::Text(a), Value::String(b)) => Ok(a.as_str().cmp(b.as_str())),
        (Actual::Json(Value::String(a)), Value::String(b)) => Ok(a.as_str().cmp(b.as_str())),
        _ => Err(format!(
            "cannot order {} against {}",
            actual.show(),
            value.trim()
        )),
    }
}

fn text_of(actual: &Actual) -> Result<String, String> {
    match actual {
        Actual::Text(t) => Ok(t.clone()),
        Actual::Json(Value::String(s)) => Ok(s.clone()),
        Actual::Json(v @ (Value::Number(_) | Value::Bool(_))) => Ok(v.to_string()),
        other => Err(format!("{} is not text", other.show())),
    }
}

/// The items of an `in` list: a JSON array, else items separated by commas.
fn list(value: &str) -> Vec<String> {
    match serde_json::from_str::<Value>(value.trim()) {
        Ok(Value::Array(items)) => items.iter().map(Value::to_string).collect(),
        _ => value.split(',').map(|s| s.trim().to_owned()).collect(),
    }
}

fn is_integer(v: &Value) -> bool {
    match v {
        Value::Number(n) => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    }
}

/// Whether the predicate holds, before negation; `Err` when it cannot be applied.
pub(super) fn judge(a: &Assertion, actual: &Actual) -> Result<bool, String> {
    let value = a.value.as_deref().unwrap_or("");
    if a.predicate == P::Exists {
        return Ok(*actual != Actual::Nothing);
    }
    if *actual == Actual::Nothing {
        return Err("matches nothing".into());
    }
    let json = match actual {
        Actual::Json(v) => Some(v),
        _ => None,
    };
    Ok(match a.predicate {
        P::Exists => unreachable!("handled above"),
        P::Equals => equals(actual, value),
        P::NotEquals => !equals(actual, value),
        P::Less => order(actual, value)? == Ordering::Less,
        P::LessOrEqual => order(actual, value)? != Ordering::Greater,
        P::Greater => order(actual, value)? == Ordering::Greater,
        P::GreaterOrEqual => order(actual, value)? != Ordering::Less,
        P::Contains => match json {
            Some(Value::Array(items)) => {
                let expected = value_json(value);
                items.iter().any(|item| json_eq(item, &expected))
            }
            Some(Value::Object(map)) => map.contains_key(&value_text(value)),
            _ => text_of(actual)?.contains(&value_text(value)),
        },
        P::StartsWith => text_of(actual)?.starts_with(&value_text(value)),
        P::EndsWith => text_of(actual)?.ends_with(&value_text(value)),
        P::Matches => {
            let re = regex::RegexBuilder::new(&value_text(value))
                .size_limit(MAX_REGEX_BYTES)
                .dfa_size_limit(MAX_REGEX_BYTES)
                .build()
                .map_err(|e| match e {
                    regex::Error::CompiledTooBig(_) => format!(
                        "the regular expression is too large (limit {} KiB)",
                        MAX_REGEX_BYTES >> 10
                    ),
                    other => format!("invalid regular expression: {other}"),
                })?;
            re.is_match(&text_of(actual)?)
        }
        P::IsEmpty => match actual {
            Actual::Text(t) => t.is_empty(),
            Actual::Json(Value::String(s)) => s.is_empty(),
            Actual::Json(Value::Array(v)) => v.is_empty(),
            Actual::Json(Value::Object(m)) => m.is_empty(),
            _ => false,
        },
        P::Length => {
            let n = value
                .trim()
                .parse::<usize>()
                .map_err(|_| format!("`{}` is not a length", value.trim()))?;
            let len = match actual {
                Actual::Text(t) | Actual::Json(Value::String(t)) => t.chars().count(),
                Actual::Json(Value::Array(v)) => v.len(),
                Actual::Json(Value::Object(m)) => m.len(),
                other => return Err(format!("{} has no length", other.show())),
            };
            len == n
        }
        P::IsString => matches!(actual, Actual::Text(_) | Actual::Json(Value::String(_))),
        P::IsNumber => matches!(json, Some(Value::Number(_))),
        P::IsInteger => json.is_some_and(is_integer),
        P::IsBoolean => matches!(json, Some(Value::Bool(_))),
        P::IsArray => matches!(json, Some(Value::Array(_))),
        P::IsObject => matches!(json, Some(Value::Object(_))),
        P::IsNull => matches!(json, Some(Value::Null)),
        P::In => list(value).iter().any(|item| equals(actual, item)),
        P::MatchesSchema => return Err("a schema file needs the app to read it".into()),
    })
}
