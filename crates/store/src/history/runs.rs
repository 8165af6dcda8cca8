//! Collection runs in the history: each entry a run recorded carries the run's id and its place
//! in the run, and a finished run is kept whole (its options, counts and every result with its
//! assertions), so it can be listed and reopened after the fact, after a restart too.

use rusqlite::{params, OptionalExtension, TransactionBehavior};
use sextant_model::{RunOptions, RunResult, RunSummary};

use super::History;
use crate::entry::EntrySummary;
use crate::error::StoreError;
use crate::open::classify;

/// Runs kept: recording one more deletes the oldest beyond this (their entries stay).
pub const MAX_KEPT_RUNS: usize = 500;

/// A finished run to keep.
#[derive(Debug, Clone, Copy)]
pub struct NewRun<'a> {
    /// Unix milliseconds when it started.
    pub at_ms: i64,
    /// The collection, folder or request run, as the tree names it.
    pub path: &'a str,
    pub name: &'a str,
    pub options: &'a RunOptions,
    pub summary: &'a RunSummary,
}

/// A kept run as a list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct RunListing {
    pub run_id: String,
    pub at_ms: i64,
    pub path: String,
    pub name: String,
    pub environment: Option<String>,
    pub total: u32,
    pub passed: u32,
    pub failed: u32,
    pub errors: u32,
    pub duration_ms: f64,
    pub stopped: bool,
}

/// A kept run read back whole.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRun {
    pub listing: RunListing,
    pub options: RunOptions,
    /// In run order.
    pub results: Vec<RunResult>,
}

const LISTING_COLUMNS: &str = "run_id, at_ms, path, name, environment, total, passed, failed, \
                               errors, duration_ms, stopped";

fn listing(row: &rusqlite::Row<'_>) -> rusqlite::Result<RunListing> {
    let count = |i: usize| -> rusqlite::Result<u32> {
        Ok(u32::try_from(row.get::<_, i64>(i)?.max(0)).unwrap_or(u32::MAX))
    };
    Ok(RunListing {
        run_id: row.get(0)?,
        at_ms: row.get(1)?,
        path: row.get(2)?,
        name: row.get(3)?,
        environment: row.get(4)?,
        total: count(5)?,
        passed: count(6)?,
        failed: count(7)?,
        errors: count(8)?,
        duration_ms: row.get(9)?,
        stopped: row.get(10)?,
    })
}

fn bad(run_id: &str, what: &str, e: &serde_json::Error) -> StoreError {
    StoreError::BadRow {
        id: 0,
        detail: format!("run {run_id}: its {what} do not read back: {e}"),
    }
}

impl History {
    /// Marks entry `entry_id` as the `seq`-th result of run `run_id`.
    pub fn tag_run(&self, entry_id: i64, run_id: &str, seq: u32) -> Result<(), StoreError> {
        let conn = self.lock();
        conn.prepare_cached(
            "INSERT OR REPLACE INTO run_entries (entry_id, run_id, seq) VALUES (?1, ?2, ?3)",
        )
        .and_then(|mut stmt| stmt.execute(params![entry_id, run_id, seq]))
        .map(|_| ())
        .map_err(|e| classify(&self.path, e))
    }

    /// The entries run `run_id` recorded, in run order (empty when there is no such run).
    pub fn run_entries(&self, run_id: &str) -> Result<Vec<EntrySummary>, StoreError> {
        let conn = self.lock();
        (|| -> rusqlite::Result<Vec<EntrySummary>> {
            let mut stmt = conn.prepare_cached(
                "SELECT e.id, e.at_ms, e.method, e.url, e.status, e.duration_ms, e.body_size,
                    e.error_code, e.collection
                 FROM run_entries AS r JOIN entries AS e ON e.id = r.entry_id
                 WHERE r.run_id = ?1 ORDER BY r.seq, e.id",
            )?;
            let rows = stmt.query_map([run_id], |row| {
                Ok(EntrySummary {
                    id: row.get(0)?,
                    at_ms: row.get(1)?,
                    method: row.get(2)?,
                    url: row.get(3)?,
                    status: row.get(4)?,
                    duration_ms: row.get(5)?,
                    body_size: row.get::<_, i64>(6)?.max(0) as u64,
                    error_code: row.get(7)?,
                    collection: row.get(8)?,
                })
            })?;
            rows.collect()
        })()
        .map_err(|e| classify(&self.path, e))
    }

    /// Keeps the finished run `run.summary` (replacing a run kept under the same id), and drops
    /// the oldest kept runs beyond [`MAX_KEPT_RUNS`].
    pub fn record_run(&self, run: &NewRun<'_>) -> Result<(), StoreError> {
        let summary = run.summary;
        let id = summary.run_id.as_str();
        let options = serde_json::to_string(run.options).map_err(|e| bad(id, "options", &e))?;
        let results = summary
            .results
            .iter()
            .map(serde_json::to_string)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| bad(id, "results", &e))?;
        if !summary.duration_ms.is_finite() {
            return Err(StoreError::InvalidEntry(format!(
                "run {id}: a duration that is not a number"
            )));
        }
        let mut conn = self.lock();
        (|| -> rusqlite::Result<()> {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute("DELETE FROM runs WHERE run_id = ?1", [id])?;
            tx.execute(
                "INSERT INTO runs (run_id, at_ms, path, name, environment, total, passed, failed,
                    errors, duration_ms, stopped, options_json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    id,
                    run.at_ms,
                    run.path,
                    run.name,
                    run.options.environment,
                    summary.total,
                    summary.passed,
                    summary.failed,
                    summary.errors,
                    summary.duration_ms,
                    summary.stopped,
                    options,
                ],
            )?;
            {
                let mut stmt = tx.prepare_cached(
                    "INSERT INTO run_results (run_id, seq, result_json) VALUES (?1, ?2, ?3)",
                )?;
                for (seq, json) in results.iter().enumerate() {
                    stmt.execute(params![id, seq as i64, json])?;
                }
            }
            tx.execute(
                "DELETE FROM runs WHERE run_id IN (
                    SELECT run_id FROM runs ORDER BY at_ms DESC, rowid DESC LIMIT -1 OFFSET ?1
                 )",
                [MAX_KEPT_RUNS as i64],
            )?;
            tx.commit()
        })()
        .map_err(|e| classify(&self.path, e))
    }

    /// The kept runs, newest first, at most `limit`.
    pub fn list_runs(&self, limit: usize) -> Result<Vec<RunListing>, StoreError> {
        let conn = self.lock();
        (|| -> rusqlite::Result<Vec<RunListing>> {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {LISTING_COLUMNS} FROM runs ORDER BY at_ms DESC, rowid DESC LIMIT ?1"
            ))?;
            let rows = stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], listing)?;
            rows.collect()
        })()
        .map_err(|e| classify(&self.path, e))
    }

    /// The kept run `run_id`, whole; `None` when no such run is kept.
    pub fn read_run(&self, run_id: &str) -> Result<Option<StoredRun>, StoreError> {
        let (found, results) = {
            let conn = self.lock();
            (|| -> rusqlite::Result<_> {
                let found = conn
                    .prepare_cached(&format!(
                        "SELECT {LISTING_COLUMNS}, options_json FROM runs WHERE run_id = ?1"
                    ))?
                    .query_row([run_id], |row| {
                        Ok((listing(row)?, row.get::<_, String>(11)?))
                    })
                    .optional()?;
                let mut stmt = conn.prepare_cached(
                    "SELECT result_json FROM run_results WHERE run_id = ?1 ORDER BY seq",
                )?;
                let results = stmt
                    .query_map([run_id], |row| row.get::<_, String>(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok((found, results))
            })()
            .map_err(|e| classify(&self.path, e))?
        };
        let Some((listing, options)) = found else {
            return Ok(None);
        };
        let options = serde_json::from_str(&options).map_err(|e| bad(run_id, "options", &e))?;
        let results = results
            .iter()
            .map(|json| serde_json::from_str(json))
            .collect::<Result<Vec<RunResult>, _>>()
            .map_err(|e| bad(run_id, "results", &e))?;
        Ok(Some(StoredRun {
            listing,
            options,
            results,
        }))
    }
}
