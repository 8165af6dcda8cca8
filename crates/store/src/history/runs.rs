//! Collection runs in the history: each entry a run recorded carries the run's id and its place
//! in the run, so a run can be listed again (reopened) after the fact.

use rusqlite::params;

use super::History;
use crate::entry::EntrySummary;
use crate::error::StoreError;
use crate::open::classify;

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
}
