//! Storing values from a response into variables so the next request can use them (a login's
//! token, a created item's id).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sextant_model::{Capture, CaptureSource, Variable};

use crate::jsonpath;

/// A capture that found nothing, and why, for the response view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaptureFailure {
    pub variable: String,
    pub reason: String,
}

/// Runs every capture against a response. A JSON string is captured as its text, any other JSON
/// value as compact JSON (`{"a":1}`, `42`, `true`, `null`). A header is found by case-insensitive
/// name, the first one when repeated. The body is parsed at most once.
pub fn capture(
    captures: &[Capture],
    headers: &[(String, String)],
    body: &[u8],
) -> (Vec<Variable>, Vec<CaptureFailure>) {
    let mut parsed: Option<Result<Value, String>> = None;
    let mut values = Vec::new();
    let mut failures = Vec::new();
    for cap in captures {
        let outcome = match &cap.source {
            CaptureSource::Header { name } => headers
                .iter()
                .find(|(n, _)| n.trim().eq_ignore_ascii_case(name.trim()))
                .map(|(_, v)| v.clone())
                .ok_or_else(|| format!("the response has no `{name}` header")),
            CaptureSource::Body { path } => {
                let doc = parsed.get_or_insert_with(|| {
                    serde_json::from_slice(body).map_err(|e| format!("the body is not JSON: {e}"))
                });
                match doc {
                    Err(reason) => Err(reason.clone()),
                    Ok(doc) => match jsonpath::select(doc, path) {
                        Err(reason) => Err(format!("invalid path `{path}`: {reason}")),
                        Ok(None) => Err(format!("`{path}` matches nothing in the body")),
                        Ok(Some(Value::String(s))) => Ok(s.clone()),
                        Ok(Some(other)) => Ok(other.to_string()),
                    },
                }
            }
        };
        match outcome {
            Ok(value) => values.push(Variable::new(cap.variable.clone(), value)),
            Err(reason) => failures.push(CaptureFailure {
                variable: cap.variable.clone(),
                reason,
            }),
        }
    }
    (values, failures)
}
