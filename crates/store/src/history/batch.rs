//! Recording many entries in few transactions, for a collection run: one transaction per
//! request made a run spend as long committing as sending (each commit appends every page it
//! touched, the full-text index's included, to the WAL).
//!
//! A [`BatchWriter`] is a thread with its own connection to the history file. It keeps one write
//! transaction open over up to [`BatchLimits::max_rows`] entries or [`BatchLimits::max_age`],
//! whichever comes first, and commits a batch that got old while no entry came. Entries reach it
//! through a queue ([`BatchWriter::submit`]), so a run goes on sending while the entry is
//! written, and learns the entry's id from the callback (the run shows it while it goes).
//! The batch's full-text rows are written by one statement just before it commits (the writer
//! holds the insert trigger off meanwhile, see the `fts_hold` migration): indexed entry by
//! entry, the index was flushed to disk at every entry. A committed entry is always findable.
//! Other processes read meanwhile (WAL) and their writes wait for the open batch (at most
//! `max_age`, well under the busy timeout). What a crash can lose is the open batch;
//! [`BatchWriter::flush`] (the end of a run, cancelled or not) and dropping the writer commit it.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
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

/// Called on the writer's thread with the entry's id, or why it was not written.
pub type Recorded = Box<dyn FnOnce(Result<i64, StoreError>) + Send>;

enum Job {
    Entry {
        entry: Box<NewEntry>,
        run: Option<(String, u32)>,
        done: Recorded,
    },
    Flush(mpsc::Sender<Result<(), StoreError>>),
}

/// The writer thread's state: its connection and the open batch.
struct Writer {
    path: PathBuf,
    limits: BatchLimits,
    conn: Connection,
    /// When the open batch got its first entry; `None`: no transaction is open.
    since: Option<Instant>,
    rows: usize,
    /// The first and last ids the open batch wrote (no other writer can meanwhile).
    ids: Option<(i64, i64)>,
}

impl Writer {
    fn run(mut self, jobs: mpsc::Receiver<Job>) {
        loop {
            let wait = self.since.map_or(Duration::from_secs(3600), |since| {
                self.limits.max_age.saturating_sub(since.elapsed())
            });
            match jobs.recv_timeout(wait) {
                Ok(Job::Entry { entry, run, done }) => {
                    let tag = run
                        .as_ref()
                        .map(|(run_id, seq)| RunTag { run_id, seq: *seq });
                    done(self.write(&entry, tag));
                }
                Ok(Job::Flush(done)) => {
                    let _ = done.send(self.commit());
                }
                Err(RecvTimeoutError::Timeout) => self.commit_or_say(),
                Err(RecvTimeoutError::Disconnected) => {
                    self.commit_or_say();
                    return;
                }
            }
        }
    }

    fn commit_or_say(&mut self) {
        if let Err(e) = self.commit() {
            eprintln!("sextant: could not commit to the history: {e}");
        }
    }

    fn commit(&mut self) -> Result<(), StoreError> {
        if self.since.take().is_none() {
            return Ok(());
        }
        self.rows = 0;
        let committed = index(&self.conn, self.ids.take())
            .and_then(|()| self.conn.execute_batch("DELETE FROM fts_hold; COMMIT"));
        if committed.is_err() && !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        committed.map_err(|e| classify(&self.path, e))
    }

    /// Writes one entry in the open batch (opening one if none is) and returns its id. An entry
    /// that cannot be written leaves the batch's other entries in place.
    fn write(&mut self, entry: &NewEntry, run: Option<RunTag<'_>>) -> Result<i64, StoreError> {
        let path = self.path.clone();
        let classify = |e| classify(&path, e);
        if self.since.is_none() {
            let began = self
                .conn
                .execute_batch("BEGIN IMMEDIATE; INSERT OR IGNORE INTO fts_hold VALUES (1)");
            if let Err(e) = began {
                if !self.conn.is_autocommit() {
                    let _ = self.conn.execute_batch("ROLLBACK");
                }
                return Err(classify(e));
            }
            self.since = Some(Instant::now());
        }
        let written = (|| {
            let one = self.conn.savepoint().map_err(classify)?;
            let id = insert_entry(&one, &path, entry)?;
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
        if self.conn.is_autocommit() {
            // Some failures (a full disk) roll the whole transaction back: the batch is over.
            self.since = None;
            self.rows = 0;
            self.ids = None;
        }
        let id = written?;
        self.ids = Some(self.ids.map_or((id, id), |(first, _)| (first, id)));
        self.rows += 1;
        let old = self
            .since
            .is_some_and(|s| s.elapsed() >= self.limits.max_age);
        if self.rows >= self.limits.max_rows || old {
            self.commit()?;
        }
        Ok(id)
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

/// Writes entries of one history in batches on its own thread (see the module docs). Dropping
/// it commits what it holds.
pub struct BatchWriter {
    path: PathBuf,
    limits: BatchLimits,
    jobs: Option<mpsc::Sender<Job>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for BatchWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchWriter")
            .field("path", &self.path)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
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

fn stopped(path: &Path) -> StoreError {
    StoreError::io(
        path,
        std::io::Error::other("the history writer has stopped"),
    )
}

impl BatchWriter {
    pub(super) fn open(path: &Path, limits: BatchLimits) -> Result<BatchWriter, StoreError> {
        let writer = Writer {
            path: path.to_path_buf(),
            limits,
            conn: connect(path)?,
            since: None,
            rows: 0,
            ids: None,
        };
        let (jobs, queue) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("history-batch".into())
            .spawn(move || writer.run(queue))
            .map_err(|e| StoreError::io(path, e))?;
        Ok(BatchWriter {
            path: path.to_path_buf(),
            limits,
            jobs: Some(jobs),
            thread: Some(thread),
        })
    }

    /// Queues one exchange (tagged with its run, if any) for the open batch; `done` gets its id
    /// once it is written (on the writer's thread: keep it short).
    pub fn submit(&self, entry: NewEntry, run: Option<RunTag<'_>>, done: Recorded) {
        let job = Job::Entry {
            entry: Box::new(entry),
            run: run.map(|r| (r.run_id.to_owned(), r.seq)),
            done,
        };
        let refused = match &self.jobs {
            Some(jobs) => jobs.send(job).err().map(|mpsc::SendError(job)| job),
            None => Some(job),
        };
        if let Some(Job::Entry { done, .. }) = refused {
            done(Err(stopped(&self.path)));
        }
    }

    /// Records one exchange in the open batch and returns its id, once it is written.
    pub fn record(&self, entry: &NewEntry, run: Option<RunTag<'_>>) -> Result<i64, StoreError> {
        let (tx, rx) = mpsc::channel();
        self.submit(
            entry.clone(),
            run,
            Box::new(move |id| {
                let _ = tx.send(id);
            }),
        );
        rx.recv().unwrap_or_else(|_| Err(stopped(&self.path)))
    }

    /// Commits the open batch, if any: everything submitted before is in the history after this.
    pub fn flush(&self) -> Result<(), StoreError> {
        let (tx, rx) = mpsc::channel();
        let jobs = self.jobs.as_ref().ok_or_else(|| stopped(&self.path))?;
        jobs.send(Job::Flush(tx)).map_err(|_| stopped(&self.path))?;
        rx.recv().unwrap_or_else(|_| Err(stopped(&self.path)))
    }
}

impl Drop for BatchWriter {
    fn drop(&mut self) {
        // The thread commits what it holds once the queue is closed.
        drop(self.jobs.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
