//! Deferred body files. A collection run keeps each small body in memory when it arrives (no
//! one follows it while it downloads) and hands it here: one thread writes the files in order
//! while the run goes on sending. Creating a file costs 35–300 µs on a busy disk, more than a
//! loopback request; here it no longer holds the run up. [`Settler::settle`] waits until every
//! body handed over before is in its file, so a run that returns has lost nothing. Until its
//! file is written a body stays readable from here ([`Settler::waiting`]).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex, MutexGuard, PoisonError};

enum Job {
    Write(PathBuf),
    Settled(mpsc::Sender<()>),
}

type Waiting = Arc<Mutex<HashMap<PathBuf, Arc<[u8]>>>>;

/// The writer thread of one body store, started on its first file.
#[derive(Debug)]
pub(crate) struct Settler {
    dir: PathBuf,
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
    /// The bodies handed over and not yet in their files, by path.
    waiting: Waiting,
}

fn lock(waiting: &Waiting) -> MutexGuard<'_, HashMap<PathBuf, Arc<[u8]>>> {
    waiting.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Writes the body waiting for `path`, if it still is (a removed body is not written back).
fn write_waiting(dir: &Path, waiting: &Waiting, path: &Path) {
    let body = lock(waiting).get(path).cloned();
    if let Some(body) = body {
        work(dir, path, &body);
        lock(waiting).remove(path);
    }
}

fn write_file(dir: &Path, path: &Path, body: &[u8]) -> std::io::Result<()> {
    let mut file = match std::fs::File::create(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir)?;
            std::fs::File::create(path)?
        }
        other => other?,
    };
    file.write_all(body)
}

fn work(dir: &Path, path: &Path, body: &[u8]) {
    if let Err(e) = write_file(dir, path, body) {
        eprintln!(
            "sextant: cannot write the body file {}: {e}",
            path.display()
        );
    }
}

impl Settler {
    pub(crate) fn new(dir: PathBuf) -> Self {
        Self {
            dir,
            jobs: Mutex::new(None),
            waiting: Waiting::default(),
        }
    }

    /// The body handed over for `path` whose file is not written yet.
    pub(crate) fn waiting(&self, path: &Path) -> Option<Arc<[u8]>> {
        lock(&self.waiting).get(path).cloned()
    }

    /// Drops the body waiting for `path`: it will not be written.
    pub(crate) fn forget(&self, path: &Path) {
        lock(&self.waiting).remove(path);
    }

    /// Queues `body` for the file at `path` (written at once when no thread can be started).
    pub(crate) fn write(&self, path: PathBuf, body: Arc<[u8]>) {
        lock(&self.waiting).insert(path.clone(), body);
        let mut jobs = self.jobs.lock().unwrap_or_else(PoisonError::into_inner);
        if jobs.is_none() {
            let (tx, rx) = mpsc::channel::<Job>();
            let (dir, waiting) = (self.dir.clone(), Arc::clone(&self.waiting));
            let started = std::thread::Builder::new()
                .name("body-files".into())
                .spawn(move || {
                    for job in rx {
                        match job {
                            Job::Write(path) => write_waiting(&dir, &waiting, &path),
                            Job::Settled(done) => {
                                let _ = done.send(());
                            }
                        }
                    }
                });
            if started.is_ok() {
                *jobs = Some(tx);
            }
        }
        match jobs.as_ref() {
            Some(tx) => {
                if let Err(mpsc::SendError(Job::Write(path))) = tx.send(Job::Write(path)) {
                    write_waiting(&self.dir, &self.waiting, &path);
                }
            }
            None => write_waiting(&self.dir, &self.waiting, &path),
        }
    }

    /// Blocks until every body queued before is in its file.
    pub(crate) fn settle(&self) {
        let (done, settled) = mpsc::channel();
        let sent = self
            .jobs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .is_some_and(|tx| tx.send(Job::Settled(done)).is_ok());
        if sent {
            let _ = settled.recv();
        }
    }
}
