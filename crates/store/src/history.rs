//! The history handle: record, look up, list and search, and trim on request.
//!
//! Every process (the app, each CLI run) opens its own [`History`] on the same file; SQLite's
//! locking serialises their writes. Each write is one short `BEGIN IMMEDIATE` transaction, so a
//! writer either gets the lock or waits for it (up to the busy timeout) instead of failing
//! half-way when it tries to upgrade a read lock.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

use crate::entry::{Entry, EntrySummary, HistoryQuery, NewEntry, PruneReport, Retention, Source};
use crate::error::StoreError;
use crate::open::{classify, open_connection};
use crate::schema::{Migration, MIGRATIONS};

mod batch;
pub use batch::{BatchLimits, BatchWriter, Recorded, RunTag};
mod runs;
pub use runs::{NewRun, RunListing, StoredRun, MAX_KEPT_RUNS};
mod ws;

/// How many entries one prune transaction deletes, so other writers never wait long.
const PRUNE_BATCH: i64 = 500;

/// A history database, opened by one process. Shareable between threads, whose calls take
/// turns on one connection.
#[derive(Debug)]
pub struct History {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl History {
    /// Opens (creating if needed) the history at `path` and brings its schema up to date.
    ///
    /// An existing database is copied to `<path>.bak-v<old version>` before it is migrated.
    /// A file that is damaged, not SQLite, another program's database, or from a newer Sextant
    /// gives an error and is left untouched.
    pub fn open(path: impl AsRef<Path>) -> Result<History, StoreError> {
        Self::open_with_migrations(path, MIGRATIONS)
    }

    /// Opens with a different list of schema steps: for tests of migration itself.
    #[doc(hidden)]
    pub fn open_with_migrations(
        path: impl AsRef<Path>,
        migrations: &[Migration],
    ) -> Result<History, StoreError> {
        let path = path.as_ref().to_path_buf();
        let conn = open_connection(&path, migrations)?;
        Ok(History {
            path,
            conn: Mutex::new(conn),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records one exchange and returns its id. Ids only grow and are never reused.
    pub fn record(&self, entry: &NewEntry) -> Result<i64, StoreError> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(&self.path, e))?;
        let id = insert_entry(&tx, &self.path, entry)?;
        tx.commit().map_err(|e| classify(&self.path, e))?;
        Ok(id)
    }

    /// Everything recorded for `id`, or `None` when there is no such entry (or it was pruned).
    pub fn get(&self, id: i64) -> Result<Option<Entry>, StoreError> {
        let conn = self.lock();
        let raw = conn
            .prepare_cached(
                "SELECT e.id, e.host, e.at_ms, e.source, e.collection, e.method, e.url,
                    d.request_headers, d.request_body, e.status, d.response_headers,
                    d.response_body_text, e.response_body_path, e.body_size, e.duration_ms,
                    d.timings_json, e.error_code, d.error_message, d.request_as_written,
                    d.request_body_bytes
                 FROM entries AS e JOIN entry_details AS d ON d.entry_id = e.id
                 WHERE e.id = ?1",
            )
            .and_then(|mut stmt| stmt.query_row([id], RawEntry::read).optional())
            .map_err(|e| classify(&self.path, e))?;
        raw.map(RawEntry::into_entry).transpose()
    }

    /// The newest entry whose response body was written to `body_path`, or `None`.
    pub fn find_by_body_path(&self, body_path: &str) -> Result<Option<i64>, StoreError> {
        let conn = self.lock();
        conn.prepare_cached(
            "SELECT id FROM entries WHERE response_body_path = ?1 ORDER BY id DESC LIMIT 1",
        )
        .and_then(|mut stmt| stmt.query_row([body_path], |r| r.get(0)).optional())
        .map_err(|e| classify(&self.path, e))
    }

    /// A page of entries matching `query`, newest first.
    pub fn list(&self, query: &HistoryQuery) -> Result<Vec<EntrySummary>, StoreError> {
        let conn = self.lock();
        crate::list::list(&conn, query).map_err(|e| classify(&self.path, e))
    }

    /// Deletes the oldest entries until every limit set in `policy` holds. The history is
    /// never trimmed except by this call.
    ///
    /// Deletes in small transactions, so other processes keep recording meanwhile; if it fails
    /// part-way, what it deleted so far stays deleted and the error says why it stopped.
    pub fn prune(&self, policy: &Retention) -> Result<PruneReport, StoreError> {
        let mut report = PruneReport::default();
        if let Some(max_age) = policy.max_age_ms {
            let cutoff = now_ms().saturating_sub(i64::try_from(max_age).unwrap_or(i64::MAX));
            self.delete_oldest("at_ms < ?1", cutoff, &mut report)?;
        }
        if let Some(max_entries) = policy.max_entries {
            let newest_dropped: Option<i64> = self.query_optional_i64(
                "SELECT id FROM entries ORDER BY id DESC LIMIT 1 OFFSET ?1",
                i64::try_from(max_entries).unwrap_or(i64::MAX),
            )?;
            if let Some(cut) = newest_dropped {
                self.delete_oldest("id <= ?1", cut, &mut report)?;
            }
        }
        if let Some(max_bytes) = policy.max_total_body_bytes {
            // Walking from the newest entry, the first one whose running total exceeds the
            // budget and everything older go.
            let newest_dropped: Option<i64> = self.query_optional_i64(
                "SELECT max(id) FROM (
                    SELECT id, sum(body_size) OVER (ORDER BY id DESC) AS kept FROM entries
                 ) WHERE kept > ?1",
                i64::try_from(max_bytes).unwrap_or(i64::MAX),
            )?;
            if let Some(cut) = newest_dropped {
                self.delete_oldest("id <= ?1", cut, &mut report)?;
            }
        }
        Ok(report)
    }

    fn query_optional_i64(&self, sql: &str, arg: i64) -> Result<Option<i64>, StoreError> {
        let conn = self.lock();
        conn.query_row(sql, [arg], |r| r.get::<_, Option<i64>>(0))
            .optional()
            .map(Option::flatten)
            .map_err(|e| classify(&self.path, e))
    }

    /// Deletes, oldest first and a batch per transaction, the entries matching `condition`.
    fn delete_oldest(
        &self,
        condition: &str,
        arg: i64,
        report: &mut PruneReport,
    ) -> Result<(), StoreError> {
        let sql = format!(
            "DELETE FROM entries WHERE id IN (
                SELECT id FROM entries WHERE {condition} ORDER BY id LIMIT {PRUNE_BATCH}
             ) RETURNING response_body_path"
        );
        loop {
            // The lock is taken per batch so other threads of this process can record between.
            let mut conn = self.lock();
            let paths = (|| {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let paths = {
                    let mut stmt = tx.prepare_cached(&sql)?;
                    let rows = stmt.query_map([arg], |r| r.get::<_, Option<String>>(0))?;
                    rows.collect::<rusqlite::Result<Vec<_>>>()?
                };
                tx.commit()?;
                Ok(paths)
            })()
            .map_err(|e| classify(&self.path, e))?;
            let deleted = paths.len();
            report.entries_deleted += deleted as u64;
            report.body_paths.extend(paths.into_iter().flatten());
            if (deleted as i64) < PRUNE_BATCH {
                return Ok(());
            }
        }
    }

    /// A writer that records many entries in few transactions (a collection run's), on its own
    /// connection to this history; see [`BatchWriter`].
    pub fn batch_writer(&self, limits: BatchLimits) -> Result<BatchWriter, StoreError> {
        BatchWriter::open(&self.path, limits)
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave the connection half-written: an open
        // transaction is rolled back when its guard drops.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Inserts one entry with `conn` inside the caller's transaction (its full-text row comes with
/// it, by trigger); returns its id.
fn insert_entry(conn: &Connection, path: &Path, entry: &NewEntry) -> Result<i64, StoreError> {
    let body_size = i64::try_from(entry.body_size)
        .map_err(|_| StoreError::InvalidEntry(format!("body size {}", entry.body_size)))?;
    if !entry.duration_ms.is_finite() {
        return Err(StoreError::InvalidEntry(format!(
            "duration {} ms",
            entry.duration_ms
        )));
    }
    let body_bytes = entry
        .request_body_bytes
        .map(|n| {
            i64::try_from(n).map_err(|_| StoreError::InvalidEntry(format!("request body size {n}")))
        })
        .transpose()?;
    let request_headers = headers_json(&entry.request_headers);
    let response_headers = headers_json(&entry.response_headers);
    let host = host_of(&entry.url);

    (|| -> rusqlite::Result<i64> {
        conn.prepare_cached(
            "INSERT INTO entries (at_ms, source, collection, method, url, host, status,
                body_size, duration_ms, error_code, response_body_path)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
            entry.at_ms,
            entry.source.as_str(),
            entry.collection,
            entry.method,
            entry.url,
            host,
            entry.status,
            body_size,
            entry.duration_ms,
            entry.error_code,
            entry.response_body_path,
        ])?;
        let id = conn.last_insert_rowid();
        conn.prepare_cached(
            "INSERT INTO entry_details (entry_id, request_headers, request_body,
                response_headers, response_body_text, timings_json, error_message,
                request_as_written, request_body_bytes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            id,
            request_headers,
            entry.request_body,
            response_headers,
            entry.response_body_text,
            entry.timings_json,
            entry.error_message,
            entry.request_as_written,
            body_bytes,
        ])?;
        Ok(id)
    })()
    .map_err(|e| classify(path, e))
}

fn headers_json(headers: &[(String, String)]) -> String {
    serde_json::to_string(headers).unwrap_or_else(|_| "[]".to_owned())
}

/// The host a URL names, lowercased, for the host filter. URLs typed without a scheme
/// (`api.example.com/x`) are read as HTTP ones, as the sender does.
fn host_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url)
        .or_else(|_| url::Url::parse(&format!("http://{url}")))
        .ok()?;
    parsed.host_str().map(|h| {
        h.trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase()
    })
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// A row of `entries` as stored, before the JSON columns are decoded.
struct RawEntry {
    id: i64,
    host: Option<String>,
    at_ms: i64,
    source: String,
    collection: Option<String>,
    method: String,
    url: String,
    request_headers: String,
    request_body: Option<String>,
    status: Option<u16>,
    response_headers: String,
    response_body_text: Option<String>,
    response_body_path: Option<String>,
    body_size: i64,
    duration_ms: f64,
    timings_json: Option<String>,
    error_code: Option<String>,
    error_message: Option<String>,
    request_as_written: Option<String>,
    request_body_bytes: Option<i64>,
}

impl RawEntry {
    fn read(row: &Row<'_>) -> rusqlite::Result<RawEntry> {
        Ok(RawEntry {
            id: row.get(0)?,
            host: row.get(1)?,
            at_ms: row.get(2)?,
            source: row.get(3)?,
            collection: row.get(4)?,
            method: row.get(5)?,
            url: row.get(6)?,
            request_headers: row.get(7)?,
            request_body: row.get(8)?,
            status: row.get(9)?,
            response_headers: row.get(10)?,
            response_body_text: row.get(11)?,
            response_body_path: row.get(12)?,
            body_size: row.get(13)?,
            duration_ms: row.get(14)?,
            timings_json: row.get(15)?,
            error_code: row.get(16)?,
            error_message: row.get(17)?,
            request_as_written: row.get(18)?,
            request_body_bytes: row.get(19)?,
        })
    }

    fn into_entry(self) -> Result<Entry, StoreError> {
        let id = self.id;
        let bad = |detail: String| StoreError::BadRow { id, detail };
        let headers = |json: &str, which: &str| {
            serde_json::from_str::<Vec<(String, String)>>(json)
                .map_err(|e| bad(format!("{which} headers: {e}")))
        };
        Ok(Entry {
            id,
            host: self.host,
            recorded: NewEntry {
                at_ms: self.at_ms,
                source: Source::parse(&self.source)
                    .ok_or_else(|| bad(format!("unknown source {:?}", self.source)))?,
                collection: self.collection,
                method: self.method,
                url: self.url,
                request_headers: headers(&self.request_headers, "request")?,
                request_body: self.request_body,
                request_as_written: self.request_as_written,
                request_body_bytes: self.request_body_bytes.and_then(|n| u64::try_from(n).ok()),
                status: self.status,
                response_headers: headers(&self.response_headers, "response")?,
                response_body_text: self.response_body_text,
                response_body_path: self.response_body_path,
                body_size: u64::try_from(self.body_size)
                    .map_err(|_| bad(format!("body size {}", self.body_size)))?,
                duration_ms: self.duration_ms,
                timings_json: self.timings_json,
                error_code: self.error_code,
                error_message: self.error_message,
            },
        })
    }
}
