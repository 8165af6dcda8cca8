//! Contract checks on each send: a request that remembers the OpenAPI operation it calls
//! (`SavedRequest.contract`, set by importing a spec as a collection) has its response checked
//! against that operation by `sextant_openapi::contract`, and the violations join the
//! assertion results (kind `contract`), each with the body's JSON pointer, the document's
//! pointer and an assertion that would catch it ("save as assertion").
//!
//! The spec is read where the reference says (a URL through the engine, a file relative to the
//! collection folder or absolute) and kept: a file until it changes on disk, a URL for
//! [`URL_SPEC_TTL`], so a send does not refetch it every time yet a dev server's new spec is
//! seen. The check runs on a blocking thread within [`CONTRACT_TIME`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;
use sextant_model::{
    ApiError, AssertPredicate, AssertQuery, Assertion, AssertionKind, AssertionResult, ContractRef,
    HttpResponse,
};
use sextant_openapi::contract::{self, ContractResponse, Violation, ViolationKind};
use sextant_openapi::ApiSpec;

use crate::App;

/// How long a spec fetched from a URL is reused.
pub const URL_SPEC_TTL: Duration = Duration::from_secs(30);

/// How long one contract check may take.
pub const CONTRACT_TIME: Duration = Duration::from_secs(10);

struct Cached {
    at: Instant,
    modified: Option<SystemTime>,
    spec: Arc<ApiSpec>,
}

/// Specs read for contract checks, by where they were read from, and which spec the
/// workspace's collections name (for contracts matched by path).
#[derive(Default)]
pub(crate) struct ContractSpecs {
    by_source: Mutex<HashMap<String, Cached>>,
    pub(crate) names: crate::contract_by_path::CollectionSpecs,
    pub(crate) folders: crate::contract_by_origin::CollectionFolders,
}

fn modified(path: &str) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

impl App {
    pub(crate) async fn contract_spec(&self, source: &str) -> Result<Arc<ApiSpec>, ApiError> {
        let is_url = source.starts_with("http://") || source.starts_with("https://");
        let stamp = if is_url { None } else { modified(source) };
        {
            let cache = self
                .contracts
                .by_source
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            if let Some(hit) = cache.get(source) {
                let fresh = if is_url {
                    hit.at.elapsed() < URL_SPEC_TTL
                } else {
                    hit.modified == stamp
                };
                if fresh {
                    return Ok(hit.spec.clone());
                }
            }
        }
        let spec = Arc::new(self.import_openapi(source).await?);
        self.contracts
            .by_source
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(
                source.to_owned(),
                Cached {
                    at: Instant::now(),
                    modified: stamp,
                    spec: spec.clone(),
                },
            );
        Ok(spec)
    }

    /// The contract results for `response` (`body`: the decoded body, `None` when over the
    /// assertions' budget). `checks.base` is the collection folder a relative spec path starts
    /// from; a contract found by path (`checks.by_path`) says so in its results.
    pub(crate) async fn run_contract(
        &self,
        reference: &ContractRef,
        checks: &crate::assertions::Checks,
        response: &HttpResponse,
        body: Option<&[u8]>,
    ) -> Vec<AssertionResult> {
        let base = checks.base.as_deref();
        let label = if checks.by_path {
            format!("contract {} (matched by path)", reference.operation)
        } else {
            format!("contract {}", reference.operation)
        };
        let problem =
            |message: String| vec![result(0, false, &label, String::new(), message, None)];
        let source = spec_location(&reference.spec, base);
        let spec = match self.contract_spec(&source).await {
            Ok(spec) => spec,
            Err(e) => return problem(format!("{label}: the spec was not read: {}", e.message)),
        };
        let Some(body) = body else {
            return problem(format!(
                "{label}: the body is {} MiB, too large to check",
                response.body.size >> 20
            ));
        };
        let headers: Vec<(String, String)> = response
            .headers
            .iter()
            .map(|h| (h.name.clone(), h.value.clone()))
            .collect();
        let body = body.to_vec();
        let status = response.status;
        let operation = reference.operation.clone();
        let task = tokio::task::spawn_blocking(move || {
            let op = spec
                .operations
                .iter()
                .find(|op| op.id == operation || format!("{} {}", op.method, op.path) == operation)
                .ok_or_else(|| format!("the spec has no operation {operation}"))?;
            let found = contract::check(
                &spec,
                op,
                &ContractResponse {
                    status,
                    headers: &headers,
                    body: &body,
                },
            )
            .map_err(|e| e.to_string())?;
            let documented: Vec<String> = op.responses.iter().map(|r| r.status.clone()).collect();
            Ok::<_, String>((found, documented, body))
        });
        let (found, documented, body) = match tokio::time::timeout(CONTRACT_TIME, task).await {
            Err(_) => {
                return problem(format!(
                    "{label}: the check took over {} s, its budget",
                    CONTRACT_TIME.as_secs()
                ))
            }
            Ok(Err(e)) => return problem(format!("{label}: {e}")),
            Ok(Ok(Err(e))) => return problem(format!("{label}: {e}")),
            Ok(Ok(Ok(done))) => done,
        };
        if found.is_empty() {
            return vec![result(
                0,
                true,
                &label,
                format!("status {status}"),
                format!("the response matches operation {}", reference.operation),
                None,
            )];
        }
        let parsed: Option<Value> = serde_json::from_slice(&body).ok();
        found
            .into_iter()
            .enumerate()
            .map(|(i, v)| violation_result(i, &label, v, status, &documented, parsed.as_ref()))
            .collect()
    }
}

/// Where to read the spec: a URL as it is, a relative path from the collection folder.
pub(crate) fn spec_location(spec: &str, base: Option<&Path>) -> String {
    if spec.starts_with("http://") || spec.starts_with("https://") {
        return spec.to_owned();
    }
    match base {
        Some(base) if Path::new(spec).is_relative() => PathBuf::from(base)
            .join(spec)
            .to_string_lossy()
            .into_owned(),
        _ => spec.to_owned(),
    }
}

fn result(
    index: usize,
    passed: bool,
    expected: &str,
    actual: String,
    message: String,
    suggestion: Option<Assertion>,
) -> AssertionResult {
    AssertionResult {
        index: u32::try_from(index).unwrap_or(u32::MAX),
        passed,
        expected: expected.to_owned(),
        actual,
        message,
        diff: None,
        kind: AssertionKind::Contract,
        pointer: None,
        schema_pointer: None,
        suggestion,
    }
}

fn violation_result(
    index: usize,
    label: &str,
    v: Violation,
    status: u16,
    documented: &[String],
    body: Option<&Value>,
) -> AssertionResult {
    let (actual, suggestion) = match v.kind {
        ViolationKind::UndocumentedStatus => {
            let want = documented
                .iter()
                .find(|s| s.starts_with('2') && s.parse::<u16>().is_ok())
                .or_else(|| documented.iter().find(|s| s.parse::<u16>().is_ok()));
            (
                format!("status {status}"),
                want.map(|w| Assertion::new(AssertQuery::Status, AssertPredicate::Equals, Some(w))),
            )
        }
        ViolationKind::MissingHeader => {
            let name = v
                .message
                .trim_start_matches("Missing required header ")
                .to_owned();
            (
                "(nothing)".to_owned(),
                Some(Assertion::new(
                    AssertQuery::Header { name },
                    AssertPredicate::Exists,
                    None,
                )),
            )
        }
        ViolationKind::UndocumentedContentType | ViolationKind::NotJson => (String::new(), None),
        ViolationKind::Schema => {
            let pointer = v.pointer.clone().unwrap_or_default();
            let actual = body
                .and_then(|b| b.pointer(&pointer))
                .map(|value| shorten(value.to_string()))
                .unwrap_or_default();
            (actual, schema_suggestion(&pointer, &v.message))
        }
    };
    let mut out = result(index, false, label, actual, v.message, suggestion);
    out.pointer = v.pointer;
    out.schema_pointer = v.schema_pointer;
    out
}

/// An assertion that catches a schema violation: a missing required property `exists`, a value
/// of the wrong type `isString`/`isInteger`/...; `None` for the rest.
fn schema_suggestion(pointer: &str, message: &str) -> Option<Assertion> {
    if let Some(name) = message
        .split_once(": '")
        .and_then(|(_, rest)| rest.split_once("' is a required property"))
        .map(|(name, _)| name)
    {
        let path = json_path(&format!("{pointer}/{}", escape_segment(name)));
        return Some(Assertion::new(
            AssertQuery::JsonPath { path },
            AssertPredicate::Exists,
            None,
        ));
    }
    let wanted = message
        .split_once("is not of type \"")?
        .1
        .split('"')
        .next()?;
    let predicate = match wanted {
        "string" => AssertPredicate::IsString,
        "integer" => AssertPredicate::IsInteger,
        "number" => AssertPredicate::IsNumber,
        "boolean" => AssertPredicate::IsBoolean,
        "array" => AssertPredicate::IsArray,
        "object" => AssertPredicate::IsObject,
        "null" => AssertPredicate::IsNull,
        _ => return None,
    };
    Some(Assertion::new(
        AssertQuery::JsonPath {
            path: json_path(pointer),
        },
        predicate,
        None,
    ))
}

fn escape_segment(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// A JSON pointer as a JSONPath: `/items/0/title` → `$.items[0].title`.
pub(crate) fn json_path(pointer: &str) -> String {
    let mut out = String::from("$");
    for raw in pointer.split('/').skip(1) {
        let segment = raw.replace("~1", "/").replace("~0", "~");
        if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{segment}]"));
        } else if !segment.is_empty()
            && segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !segment.starts_with(|c: char| c.is_ascii_digit())
        {
            out.push('.');
            out.push_str(&segment);
        } else {
            out.push_str(&format!(
                "['{}']",
                segment.replace('\\', "\\\\").replace('\'', "\\'")
            ));
        }
    }
    out
}

const MAX_SHOWN_CHARS: usize = 1000;

fn shorten(text: String) -> String {
    if text.chars().count() <= MAX_SHOWN_CHARS {
        return text;
    }
    let cut: String = text.chars().take(MAX_SHOWN_CHARS).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::json_path;

    #[test]
    fn pointers_become_json_paths() {
        assert_eq!(json_path(""), "$");
        assert_eq!(json_path("/items/0/title"), "$.items[0].title");
        assert_eq!(json_path("/a~1b/c d"), "$['a/b']['c d']");
    }
}
