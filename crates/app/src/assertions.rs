//! Running a request's assertions after its send: the values were templated with the request
//! (`resolve::prepare`), here the response's parts are gathered (the body read from its file,
//! within a budget) and handed to the pure evaluation in `sextant_template::assert`. The results
//! go back with the response; the history records the exchange before they exist, so it is
//! unaffected.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use sextant_model::{AssertQuery, AssertionResult, ContractRef, ErrorCode, HttpResponse};
use sextant_template::assert::{self, AssertInput, PreparedAssertion};

use crate::App;

/// How much of a response body assertions read: JSONPath needs the whole document in memory.
const MAX_ASSERT_BODY: u64 = 32 * 1024 * 1024;

/// A request's enabled assertions, templated, and the secret values they used (masked in what
/// the results show).
#[derive(Debug, Clone, Default)]
pub(crate) struct Checks {
    pub list: Vec<PreparedAssertion>,
    pub secrets: Vec<String>,
    /// The OpenAPI operation the response is checked against (`crate::contract`).
    pub contract: Option<ContractRef>,
    /// The collection folder, where a relative spec path starts.
    pub base: Option<PathBuf>,
    /// The contract was found by method and path, not named by the request.
    pub by_path: bool,
}

impl Checks {
    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty() && self.contract.is_none()
    }
}

/// The largest JSON Schema file a `matchesSchema` assertion reads.
pub const MAX_SCHEMA_FILE: u64 = 16 * 1024 * 1024;

/// The schema files one run of assertions read, each read once.
#[derive(Default)]
struct SchemaFiles {
    read: Mutex<HashMap<String, Result<serde_json::Value, String>>>,
}

impl SchemaFiles {
    fn check(
        &self,
        base: &Path,
        file: &str,
        value: &serde_json::Value,
    ) -> Result<Option<String>, String> {
        let schema = {
            let mut read = self.read.lock().unwrap_or_else(|p| p.into_inner());
            read.entry(file.to_owned())
                .or_insert_with(|| read_schema(base, file))
                .clone()?
        };
        let failures = sextant_openapi::contract::validate_schema(&schema, value, 1)
            .map_err(|e| e.to_string())?;
        Ok(failures.first().map(|f| {
            format!(
                "{} at {}",
                f.message,
                if f.pointer.is_empty() {
                    "/"
                } else {
                    &f.pointer
                }
            )
        }))
    }
}

/// Reads the schema `file`, relative to the collection folder `base`, which it may not leave
/// (a `FileNotAllowed` refusal, said in the result).
fn read_schema(base: &Path, file: &str) -> Result<serde_json::Value, String> {
    let refused = || {
        format!(
            "{:?}: the schema file {file} is outside the collection folder",
            ErrorCode::FileNotAllowed
        )
    };
    if Path::new(file).is_absolute() {
        return Err(refused());
    }
    let root = base
        .canonicalize()
        .map_err(|e| format!("the collection folder cannot be read: {e}"))?;
    let path = root
        .join(file)
        .canonicalize()
        .map_err(|e| format!("the schema file {file} cannot be read: {e}"))?;
    if !path.starts_with(&root) {
        return Err(refused());
    }
    let size = std::fs::metadata(&path).map_err(|e| e.to_string())?.len();
    if size > MAX_SCHEMA_FILE {
        return Err(format!(
            "{:?}: the schema file {file} is over {} MiB",
            ErrorCode::TooLarge,
            MAX_SCHEMA_FILE >> 20
        ));
    }
    let text = std::fs::read(&path).map_err(|e| format!("cannot read {file}: {e}"))?;
    serde_json::from_slice(&text).map_err(|e| format!("the schema file {file} is not JSON: {e}"))
}

impl App {
    pub(crate) async fn run_assertions(
        &self,
        checks: &Checks,
        response: &HttpResponse,
    ) -> Vec<AssertionResult> {
        let reads_body = checks.contract.is_some()
            || checks.list.iter().any(|c| {
                matches!(
                    c.assertion.query,
                    AssertQuery::JsonPath { .. } | AssertQuery::BodyText
                )
            });
        let body = if reads_body && response.body.size <= MAX_ASSERT_BODY {
            let read = self
                .engine
                .bodies()
                .read_all(&response.id, MAX_ASSERT_BODY)
                .await;
            Some(read.ok().flatten().unwrap_or_default())
        } else {
            None
        };
        let headers: Vec<(String, String)> = response
            .headers
            .iter()
            .map(|h| (h.name.clone(), h.value.clone()))
            .collect();
        let cookies: Vec<(String, String)> = response
            .cookies
            .iter()
            .map(|c| (c.name.clone(), c.value.clone()))
            .collect();
        let schemas = SchemaFiles::default();
        let check = |value: &serde_json::Value, file: &str| match &checks.base {
            Some(base) => schemas.check(base, file, value),
            None => Err("a schema file can be checked only in a collection".to_owned()),
        };
        let input = AssertInput {
            status: response.status,
            headers: &headers,
            cookies: &cookies,
            body: body.as_deref(),
            body_size: response.body.size,
            duration_ms: response.timings.total_ms,
            redirects: response.redirects.len(),
            schema_check: Some(&check),
        };
        let mut results = assert::evaluate(&checks.list, &input, &checks.secrets);
        if let Some(contract) = &checks.contract {
            results.extend(
                self.run_contract(contract, checks, response, body.as_deref())
                    .await,
            );
        }
        results
    }
}
