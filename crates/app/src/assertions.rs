//! Running a request's assertions after its send: the values were templated with the request
//! (`resolve::prepare`), here the response's parts are gathered (the body read from its file,
//! within a budget) and handed to the pure evaluation in `sextant_template::assert`. The results
//! go back with the response; the history records the exchange before they exist, so it is
//! unaffected.

use std::path::PathBuf;

use sextant_model::{AssertQuery, AssertionResult, ContractRef, HttpResponse};
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
}

impl Checks {
    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty() && self.contract.is_none()
    }
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
            match self.body_path(&response.id) {
                Ok(path) => Some(tokio::fs::read(path).await.unwrap_or_default()),
                Err(_) => Some(Vec::new()),
            }
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
        let input = AssertInput {
            status: response.status,
            headers: &headers,
            cookies: &cookies,
            body: body.as_deref(),
            body_size: response.body.size,
            duration_ms: response.timings.total_ms,
            redirects: response.redirects.len(),
        };
        let mut results = assert::evaluate(&checks.list, &input, &checks.secrets);
        if let Some(contract) = &checks.contract {
            results.extend(
                self.run_contract(contract, checks.base.as_deref(), response, body.as_deref())
                    .await,
            );
        }
        results
    }
}
