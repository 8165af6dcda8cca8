//! Storing values from a response into variables so the next request can use them (a login's
//! token, a created item's id).

use serde_json::Value;
use sextant_model::{Capture, CaptureErrorCode, CaptureSource, Variable};

use crate::jsonpath::{self, PathError};

/// A capture that found nothing, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureFailure {
    pub variable: String,
    pub error: CaptureError,
}

/// Why a capture stored nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaptureError {
    #[error("the response has no `{name}` header")]
    NoHeader { name: String },
    #[error("the body is not JSON: {detail}")]
    NotJson { detail: String },
    #[error("invalid path `{path}`: {source}")]
    InvalidPath {
        path: String,
        #[source]
        source: PathError,
    },
    #[error("`{path}` matches nothing in the body")]
    NoMatch { path: String },
    #[error("the body is {} MiB; captures read bodies of up to {} MiB", size / MIB, limit / MIB)]
    BodyTooLarge { size: u64, limit: u64 },
}

const MIB: u64 = 1024 * 1024;

impl CaptureError {
    pub fn code(&self) -> CaptureErrorCode {
        match self {
            Self::NoHeader { .. } => CaptureErrorCode::NoHeader,
            Self::NotJson { .. } => CaptureErrorCode::NotJson,
            Self::InvalidPath { .. } => CaptureErrorCode::InvalidPath,
            Self::NoMatch { .. } => CaptureErrorCode::NoMatch,
            Self::BodyTooLarge { .. } => CaptureErrorCode::BodyTooLarge,
        }
    }
}

/// Runs every capture against a response. A JSON string is captured as its text, any other JSON
/// value as compact JSON (`{"a":1}`, `42`, `true`, `null`). A header is found by case-insensitive
/// name, the first one when repeated. The body is parsed at most once.
pub fn capture(
    captures: &[Capture],
    headers: &[(String, String)],
    body: &[u8],
) -> (Vec<Variable>, Vec<CaptureFailure>) {
    let mut parsed: Option<Result<Value, CaptureError>> = None;
    let mut values = Vec::new();
    let mut failures = Vec::new();
    for cap in captures {
        let outcome = match &cap.source {
            CaptureSource::Header { name } => headers
                .iter()
                .find(|(n, _)| n.trim().eq_ignore_ascii_case(name.trim()))
                .map(|(_, v)| v.clone())
                .ok_or_else(|| CaptureError::NoHeader { name: name.clone() }),
            CaptureSource::Body { path } => {
                let doc = parsed.get_or_insert_with(|| {
                    serde_json::from_slice(body).map_err(|e| CaptureError::NotJson {
                        detail: e.to_string(),
                    })
                });
                match doc {
                    Err(error) => Err(error.clone()),
                    Ok(doc) => match jsonpath::select(doc, path) {
                        Err(source) => Err(CaptureError::InvalidPath {
                            path: path.clone(),
                            source,
                        }),
                        Ok(None) => Err(CaptureError::NoMatch { path: path.clone() }),
                        Ok(Some(Value::String(s))) => Ok(s.clone()),
                        Ok(Some(other)) => Ok(other.to_string()),
                    },
                }
            }
        };
        match outcome {
            Ok(value) => values.push(Variable::new(cap.variable.clone(), value)),
            Err(error) => failures.push(CaptureFailure {
                variable: cap.variable.clone(),
                error,
            }),
        }
    }
    (values, failures)
}
