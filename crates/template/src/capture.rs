//! Storing values from a response into variables so the next request can use them (a login's
//! token, a created item's id).

use serde_json::Value;
use sextant_model::{Capture, CaptureErrorCode, CaptureSource, StreamRecord, Variable};

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
    #[error("the response is not an event stream (text/event-stream, NDJSON)")]
    NotStream,
    #[error("the stream has no {}", describe_record(*nth, event.as_deref()))]
    NoRecord {
        nth: Option<u64>,
        event: Option<String>,
    },
    #[error("the data of the {} is not JSON: {detail}", describe_record(*nth, event.as_deref()))]
    RecordNotJson {
        nth: Option<u64>,
        event: Option<String>,
        detail: String,
    },
}

fn describe_record(nth: Option<u64>, event: Option<&str>) -> String {
    let what = match event {
        Some(event) => format!("`{event}` event"),
        None => "event or record".to_string(),
    };
    match nth {
        Some(n) => format!("{what} number {n}"),
        None => format!("last {what}"),
    }
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
            Self::NotStream => CaptureErrorCode::NotStream,
            Self::NoRecord { .. } => CaptureErrorCode::NoRecord,
            Self::RecordNotJson { .. } => CaptureErrorCode::NotJson,
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
    capture_with_records(captures, headers, body, None)
}

/// [`capture`] for a response whose body is an event stream too: `records` are its events or
/// records (`None` when the body is not a stream), which record captures read.
pub fn capture_with_records(
    captures: &[Capture],
    headers: &[(String, String)],
    body: &[u8],
    records: Option<&[StreamRecord]>,
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
            CaptureSource::Record { path, nth, event } => {
                from_record(records, path, *nth, event.as_deref())
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

/// A JSONPath into the data of the `nth` (from 1; the last without it) record, counting only
/// SSE events of type `event` when given (an event without a type is a `message`).
fn from_record(
    records: Option<&[StreamRecord]>,
    path: &str,
    nth: Option<u64>,
    event: Option<&str>,
) -> Result<String, CaptureError> {
    let records = records.ok_or(CaptureError::NotStream)?;
    let mut matching = records
        .iter()
        .filter(|r| event.is_none_or(|e| r.event.as_deref().unwrap_or("message") == e));
    let record = match nth {
        Some(n) => matching.nth(n.saturating_sub(1) as usize).filter(|_| n > 0),
        None => matching.next_back(),
    }
    .ok_or_else(|| CaptureError::NoRecord {
        nth,
        event: event.map(str::to_string),
    })?;
    let doc: Value =
        serde_json::from_str(&record.data).map_err(|e| CaptureError::RecordNotJson {
            nth,
            event: event.map(str::to_string),
            detail: e.to_string(),
        })?;
    match jsonpath::select(&doc, path) {
        Err(source) => Err(CaptureError::InvalidPath {
            path: path.to_string(),
            source,
        }),
        Ok(None) => Err(CaptureError::NoMatch {
            path: path.to_string(),
        }),
        Ok(Some(Value::String(s))) => Ok(s.clone()),
        Ok(Some(other)) => Ok(other.to_string()),
    }
}
