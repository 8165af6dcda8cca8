//! Finished runs kept in the history and reopened: the Runs list (newest first) and one run read
//! back in the shape the run view renders, with the options "Run again" needs. A run is kept
//! when it ends, whatever its outcome; a history that is off or broken keeps none.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sextant_model::{ApiError, ErrorCode, RunOptions, RunSummary};
use sextant_store::{History, NewRun, RunListing, StoredRun, MAX_KEPT_RUNS};
use ts_rs::TS;

use crate::history::HistoryState;
use crate::App;

/// A kept run as the Runs list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RunRecord {
    pub run_id: String,
    /// Unix milliseconds when it started.
    pub at_ms: i64,
    /// The collection, folder or request run, as the tree names it.
    pub path: String,
    pub name: String,
    pub environment: Option<String>,
    pub total: u32,
    pub passed: u32,
    pub failed: u32,
    pub errors: u32,
    pub duration_ms: f64,
    /// It stopped early (bail or cancel).
    pub stopped: bool,
}

impl From<RunListing> for RunRecord {
    fn from(l: RunListing) -> Self {
        RunRecord {
            run_id: l.run_id,
            at_ms: l.at_ms,
            path: l.path,
            name: l.name,
            environment: l.environment,
            total: l.total,
            passed: l.passed,
            failed: l.failed,
            errors: l.errors,
            duration_ms: l.duration_ms,
            stopped: l.stopped,
        }
    }
}

/// A kept run reopened: what was run, with which options, and its summary as it ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecordedRun {
    pub record: RunRecord,
    pub options: RunOptions,
    pub summary: RunSummary,
}

impl From<StoredRun> for RecordedRun {
    fn from(s: StoredRun) -> Self {
        let record = RunRecord::from(s.listing);
        let summary = RunSummary {
            run_id: record.run_id.clone(),
            total: record.total,
            passed: record.passed,
            failed: record.failed,
            errors: record.errors,
            duration_ms: record.duration_ms,
            results: s.results,
            stopped: record.stopped,
        };
        RecordedRun {
            record,
            options: s.options,
            summary,
        }
    }
}

fn join_error(e: tokio::task::JoinError) -> ApiError {
    ApiError::new(ErrorCode::Internal, format!("run history task: {e}"))
}

impl App {
    fn run_store(&self) -> Result<Arc<History>, ApiError> {
        match &self.history {
            HistoryState::Open { history, .. } => Ok(Arc::clone(history)),
            HistoryState::Failed(e) => Err(e.clone()),
            HistoryState::Off => Err(ApiError::new(
                ErrorCode::InvalidRequest,
                "the history is turned off: runs are not kept",
            )),
        }
    }

    /// Keeps the finished run in the history; a failure to keep it is reported, not raised
    /// (the run itself went fine).
    pub(super) async fn keep_run(
        &self,
        at_ms: i64,
        path: &str,
        name: &str,
        options: &RunOptions,
        summary: &RunSummary,
    ) {
        let HistoryState::Open { history, .. } = &self.history else {
            return;
        };
        let history = Arc::clone(history);
        let (path, name, options, summary) = (
            path.to_owned(),
            name.to_owned(),
            options.clone(),
            summary.clone(),
        );
        let kept = tokio::task::spawn_blocking(move || {
            history.record_run(&NewRun {
                at_ms,
                path: &path,
                name: &name,
                options: &options,
                summary: &summary,
            })
        })
        .await;
        match kept {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("sextant: could not keep the run in the history: {e}"),
            Err(e) => eprintln!("sextant: could not keep the run in the history: {e}"),
        }
    }

    /// The kept runs, newest first: at most `limit` (and never more than the history keeps).
    pub async fn list_runs(&self, limit: u32) -> Result<Vec<RunRecord>, ApiError> {
        let history = self.run_store()?;
        let limit = (limit as usize).min(MAX_KEPT_RUNS);
        let listed = tokio::task::spawn_blocking(move || history.list_runs(limit))
            .await
            .map_err(join_error)??;
        Ok(listed.into_iter().map(RunRecord::from).collect())
    }

    /// The kept run `run_id`, as the run view shows a finished run.
    pub async fn open_run(&self, run_id: &str) -> Result<RecordedRun, ApiError> {
        let history = self.run_store()?;
        let id = run_id.to_owned();
        let stored = tokio::task::spawn_blocking(move || history.read_run(&id))
            .await
            .map_err(join_error)??;
        stored.map(RecordedRun::from).ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                format!("no run {run_id} is kept in the history (it may have been trimmed)"),
            )
        })
    }
}
