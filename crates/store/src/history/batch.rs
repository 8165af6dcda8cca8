//! Recording many entries in few transactions, for a collection run: one transaction per
//! request made a run spend as long committing as sending (each commit appends every page it
//! touched, the full-text index's included, to the WAL).
//!
//! A [`BatchWriter`] has its own connection to the history file and keeps one write transaction
//! open over up to [`BatchLimits::max_rows`] entries or [`BatchLimits::max_age`], whichever
//! comes first; a ticker thread commits a batch that got old while no entry came. Each entry
//! gets its id at once (the run shows it while it goes). The batch's full-text rows are written
//! by one statement just before it commits (the writer holds the insert trigger off meanwhile,
//! see the `fts_hold` migration), so a committed entry is always findable. Other
//! processes read meanwhile (WAL) and their writes wait for the open batch (at most `max_age`,
//! well under the busy timeout). What a crash can lose is the open batch; [`BatchWriter::flush`]
//! (the end of a run, cancelled or not) and dropping the writer commit it.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rusqlite::{params, Connection};

use super::insert_entry;
use crate::entry::NewEntry;
use crate::error::StoreError;
use crate::open::{classify, BUSY_TIMEOUT};

/// When a batch is committed.
#[derive(Debug, Clone, Copy)]
pub struct BatchLimits {
    /// Entries in one transaction at most.
    pub max_rows: usize,
    /// How long a batch stays open at most, counted from its first entry.
    pub max_age: Duration,
}

impl Default for BatchLimits {
    fn default() -> Self {
        BatchLimits {
            max_rows: 256,
            max_age: Duration::from_millis(100),
        }
    }
}

/// The run an entry belongs to, and its place in it.
#[derive(Debug, Clone, Copy)]
pub struct RunTag<'a> {
    pub run_id: &'a str,
    pub seq: u32,
}

struct Open {
    conn: Connection,
    /// When the open batch got its first entry; `None`: no transaction is open.
    since: Option<Instant>,
    rows: usize,
    /// The first and last ids the open batch wrote (no other writer can meanwhile).
    ids: Option<(i64, i64)>,
}

struct Inner {
    path: PathBuf,
    limits: BatchLimits,
    state: Mutex<Open>,
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, Open> {
        // An entry that panicked half-way was rolled back to its savepoint when it unwound.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn commit(&self, state: &mut Open) -> Result<(), StoreError> {
        if state.since.take().is_none() {
            return Ok(());
        }
        state.rows = 0;
        let committed = index(&state.conn, state.ids.take())
            .and_then(|()| state.conn.execute_batch("DELETE FROM fts_hold; COMMIT"));
        if committed.is_err() && !state.conn.is_autocommit() {
            let _ = state.conn.execute_batch("ROLLBACK");
        }
        committed.map_err(|e| classify(&self.path, e))
    }

    fn commit_if_old(&self) -> Result<(), StoreError> {
        let mut state = self.lock();
        match state.since {
            Some(since) if since.elapsed() >= self.limits.max_age => self.commit(&mut state),
            _ => Ok(()),
        }
    }
}

/// Writes entries of one history in batches (see the module docs). Dropping it commits.
pub struct BatchWriter {
    inner: Arc<Inner>,
    stop: Option<mpsc::Sender<()>>,
    ticker: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for BatchWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchWriter")
            .field("path", &self.inner.path)
            .field("limits", &self.inner.limits)
            .finish_non_exhaustive()
    }
}

/// Writes the full-text rows of the entries `ids` (first, last) spans.
fn index(conn: &Connection, ids: Option<(i64, i64)>) -> rusqlite::Result<()> {
    let Some((first, last)) = ids else {
        return Ok(());
    };
    conn.prepare_cached(
        "INSERT INTO entries_fts (rowid, url, request, response)
         SELECT id, url, request, response FROM entries_search_text
         WHERE id BETWEEN ?1 AND ?2",
    )?
    .execute(params![first, last])
    .map(drop)
}

/// A second connection to a history that `History::open` has set up (WAL, schema): only the
/// settings that belong to a connection.
fn connect(path: &Path) -> Result<Connection, StoreError> {
    let open_error = |source| StoreError::Open {
        path: path.to_path_buf(),
        source,
    };
    let conn = Connection::open(path).map_err(open_error)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
    // As the main connection: in WAL mode NORMAL loses nothing when a process dies.
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(|e| classify(path, e))?;
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(|e| classify(path, e))?;
    // Each insert inside the open transaction keeps a statement journal (to undo just that
    // statement: the entry, its details and the full-text trigger's rows); in a temporary file
    // that was dozens of writes per entry. In memory it is a few KiB, freed with the statement.
    conn.pragma_update(None, "temp_store", "MEMORY")
        .map_err(|e| classify(path, e))?;
    Ok(conn)
}

impl BatchWriter {
    pub(super) fn open(path: &Path, limits: BatchLimits) -> Result<BatchWriter, StoreError> {
        let inner = Arc::new(Inner {
            path: path.to_path_buf(),
            limits,
            state: Mutex::new(Open {
                conn: connect(path)?,
                since: None,
                rows: 0,
                ids: None,
            }),
        });
        let (stop, stopped) = mpsc::channel::<()>();
        let ticking = Arc::clone(&inner);
        let ticker = std::thread::Builder::new()
            .name("history-batch".into())
            .spawn(move || loop {
                match stopped.recv_timeout(ticking.limits.max_age / 2) {
                    Err(RecvTimeoutError::Timeout) => {
                        if let Err(e) = ticking.commit_if_old() {
                            eprintln!("sextant: could not commit to the history: {e}");
                        }
                    }
                    Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
                }
            })
            .map_err(|e| StoreError::io(path, e))?;
        Ok(BatchWriter {
            inner,
            stop: Some(stop),
            ticker: Some(ticker),
        })
    }

    /// Records one exchange (tagged with its run, if any) in the open batch and returns its id.
    /// An entry that cannot be written leaves the batch's other entries in place.
    pub fn record(&self, entry: &NewEntry, run: Option<RunTag<'_>>) -> Result<i64, StoreError> {
        let inner = &self.inner;
        let classify = |e| classify(&inner.path, e);
        let mut state = inner.lock();
        if state.since.is_none() {
            state
                .conn
                .execute_batch("BEGIN IMMEDIATE; INSERT OR IGNORE INTO fts_hold VALUES (1)")
                .map_err(|e| {
                    if !state.conn.is_autocommit() {
                        let _ = state.conn.execute_batch("ROLLBACK");
                    }
                    classify(e)
                })?;
            state.since = Some(Instant::now());
        }
        let written = (|| {
            let one = state.conn.savepoint().map_err(classify)?;
            let id = insert_entry(&one, &inner.path, entry)?;
            if let Some(run) = run {
                one.prepare_cached(
                    "INSERT OR REPLACE INTO run_entries (entry_id, run_id, seq)
                     VALUES (?1, ?2, ?3)",
                )
                .and_then(|mut stmt| stmt.execute(params![id, run.run_id, run.seq]))
                .map_err(classify)?;
            }
            one.commit().map_err(classify)?;
            Ok::<_, StoreError>(id)
        })();
        if state.conn.is_autocommit() {
            // Some failures (a full disk) roll the whole transaction back: the batch is over.
            state.since = None;
            state.rows = 0;
            state.ids = None;
        }
        let id = written?;
        state.ids = Some(state.ids.map_or((id, id), |(first, _)| (first, id)));
        state.rows += 1;
        let full = state.rows >= inner.limits.max_rows;
        let old = state
            .since
            .is_some_and(|s| s.elapsed() >= inner.limits.max_age);
        if full || old {
            inner.commit(&mut state)?;
        }
        Ok(id)
    }

    /// Commits the open batch, if any: everything recorded so far is in the history after this.
    pub fn flush(&self) -> Result<(), StoreError> {
        let mut state = self.inner.lock();
        self.inner.commit(&mut state)
    }
}

impl Drop for BatchWriter {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(ticker) = self.ticker.take() {
            let _ = ticker.join();
        }
        if let Err(e) = self.flush() {
            eprintln!("sextant: could not commit to the history: {e}");
        }
    }
}
