//! Running a collection or folder as a test suite: the options a run takes ([`RunOptions`]),
//! the events it streams while it goes ([`RunEvent`]), what each request came to
//! ([`RunResult`]) and the whole run's outcome ([`RunSummary`]). The window's run view and the
//! CLI's reporters read the same values.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{ApiError, AssertionResult};

fn one() -> u32 {
    1
}

/// How to run a collection or folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RunOptions {
    /// The collection's environment to use.
    #[serde(default)]
    pub environment: Option<String>,
    /// A CSV (header row) or JSON (array of objects) data file: one iteration per row, its
    /// columns as variables of that iteration.
    #[serde(default)]
    pub data: Option<String>,
    /// How many times to run the requests (without a data file; with one, the rows decide).
    #[serde(default = "one")]
    pub iterations: u32,
    /// A pause between requests.
    #[serde(default)]
    pub delay_ms: u32,
    /// Stop at the first failed request.
    #[serde(default)]
    pub bail: bool,
    /// How many times to send a failed request again.
    #[serde(default)]
    pub retries: u32,
    #[serde(default)]
    pub retry_interval_ms: u32,
    /// Requests sent at once (a folder marked sequential keeps its order).
    #[serde(default = "one")]
    pub parallel: u32,
    /// Run only requests with one of these tags (empty: all).
    #[serde(default)]
    pub include_tags: Vec<String>,
    /// Skip requests with one of these tags.
    #[serde(default)]
    pub exclude_tags: Vec<String>,
    /// Run only these request paths (as the tree names them); empty: all.
    #[serde(default)]
    pub only: Vec<String>,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            environment: None,
            data: None,
            iterations: 1,
            delay_ms: 0,
            bail: false,
            retries: 0,
            retry_interval_ms: 0,
            parallel: 1,
            include_tags: Vec::new(),
            exclude_tags: Vec::new(),
            only: Vec::new(),
        }
    }
}

/// What one request of a run came to (the last attempt's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RunResult {
    /// From 1.
    pub iteration: u32,
    /// The request's path in the workspace, as the tree names it.
    pub path: String,
    pub name: String,
    pub method: String,
    /// The URL as sent (secrets masked), or as written when it could not be sent.
    pub url: String,
    /// `None` when no response arrived (or the request was skipped).
    pub status: Option<u16>,
    pub duration_ms: f64,
    /// Sends made (1 plus the retries used); 0 when skipped.
    pub attempts: u32,
    pub assertions: Vec<AssertionResult>,
    /// A response arrived and every assertion passed (a skipped request counts as passed).
    pub passed: bool,
    /// Why no response arrived (refused connection, undefined variable, ...).
    pub error: Option<ApiError>,
    /// The history entry of the last attempt.
    pub history_id: Option<i64>,
    /// Set when the request was not sent, saying why (a WebSocket request).
    #[serde(default)]
    pub skipped: Option<String>,
}

/// A whole run's outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RunSummary {
    pub run_id: String,
    /// Requests run (every iteration's), skipped ones included.
    pub total: u32,
    pub passed: u32,
    /// Requests that got a response that failed an assertion, or none at all.
    pub failed: u32,
    /// Of the failed, those with no response (connection refused, timeout, undefined variable).
    pub errors: u32,
    pub duration_ms: f64,
    /// In run order: iteration, then tree order.
    pub results: Vec<RunResult>,
    /// True when the run stopped early (bail or cancel).
    #[serde(default)]
    pub stopped: bool,
}

/// Progress of a run, streamed while it goes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum RunEvent {
    /// `total`: the requests the run will make (iterations × requests).
    #[serde(rename_all = "camelCase")]
    Started {
        run_id: String,
        total: u32,
    },
    RequestStarted {
        iteration: u32,
        path: String,
        name: String,
    },
    RequestFinished {
        result: RunResult,
    },
    Finished {
        summary: RunSummary,
    },
}
