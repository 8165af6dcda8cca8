//! Telling the UI when collection files change on disk behind its back (an editor, a `git pull`,
//! another window). Events are gathered until 150 ms pass without a new one (at most 1 s), then
//! reported as workspace-relative paths. Temp files, hidden entries (`.git`) and the data folder
//! are ignored, and so are the workspace's own saves: each save remembers what it left on disk,
//! and a path whose current state is exactly that is not reported.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::atomic::revision_of;
use super::Workspace;
use crate::StoreError;

/// Quiet time that ends a batch of events.
const DEBOUNCE: Duration = Duration::from_millis(150);
/// A batch is reported at the latest this long after its first event.
const MAX_BATCH: Duration = Duration::from_secs(1);
/// How long the workspace remembers one of its own writes.
const REMEMBER: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Expect {
    File(String),
    Dir,
    Absent,
}

/// What the workspace's own recent writes left on disk, by absolute path.
#[derive(Debug, Default)]
pub(crate) struct Recent {
    map: Mutex<HashMap<PathBuf, (Expect, Instant)>>,
}

impl Recent {
    fn put(&self, path: &Path, expect: Expect) {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        map.retain(|_, (_, at)| now.duration_since(*at) < REMEMBER);
        map.insert(path.to_path_buf(), (expect, now));
    }

    pub(crate) fn file(&self, path: &Path, revision: &str) {
        self.put(path, Expect::File(revision.to_string()));
    }

    pub(crate) fn dir(&self, path: &Path) {
        self.put(path, Expect::Dir);
    }

    pub(crate) fn absent(&self, path: &Path) {
        self.put(path, Expect::Absent);
    }

    /// Whether `path` is as the workspace's own write left it, or lies in a folder the workspace
    /// itself just moved away (a delete to the trash, a move, a rename).
    fn is_own(&self, path: &Path, root: &Path) -> bool {
        let map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        let fresh = |p: &Path| map.get(p).filter(|(_, at)| at.elapsed() < REMEMBER);
        if let Some((expect, _)) = fresh(path) {
            return match expect {
                Expect::File(rev) => std::fs::read(path).is_ok_and(|b| revision_of(&b) == *rev),
                Expect::Dir => path.is_dir(),
                Expect::Absent => path.symlink_metadata().is_err(),
            };
        }
        let mut at = path.parent();
        while let Some(p) = at {
            if p == root || !p.starts_with(root) {
                return false;
            }
            if let Some((Expect::Absent, _)) = fresh(p) {
                return p.symlink_metadata().is_err();
            }
            at = p.parent();
        }
        false
    }
}

/// Stops watching when dropped.
pub struct WatchHandle {
    watcher: Option<RecommendedWatcher>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for WatchHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WatchHandle").finish_non_exhaustive()
    }
}

impl Drop for WatchHandle {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        drop(self.watcher.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Workspace {
    /// Calls `on_change` (on a background thread) with the sorted, de-duplicated
    /// workspace-relative paths that changed, created or disappeared, about 150 ms after a burst
    /// of changes ends. It returns once the watches are in place, so a change made after it
    /// returns is reported. Watching stops when the handle is dropped.
    pub fn watch<F>(&self, mut on_change: F) -> Result<WatchHandle, StoreError>
    where
        F: FnMut(Vec<String>) + Send + 'static,
    {
        let (tx, rx) = mpsc::channel();
        let watch_err = |e: notify::Error| StoreError::Watch {
            path: self.root.clone(),
            detail: e.to_string(),
        };
        // Links are not followed: one to `.` or to `/` would otherwise have the watcher walk
        // and watch everything it reaches.
        let config = notify::Config::default().with_follow_symlinks(false);
        let mut watcher = RecommendedWatcher::new(
            move |event| {
                let _ = tx.send(event);
            },
            config,
        )
        .map_err(watch_err)?;
        watcher
            .watch(&self.root, RecursiveMode::Recursive)
            .map_err(watch_err)?;
        let stop = Arc::new(AtomicBool::new(false));
        let filter = Filter {
            root: self.root.clone(),
            data_dir: self.data_dir.clone(),
            recent: Arc::clone(&self.recent),
        };
        let stopped = Arc::clone(&stop);
        let thread = thread::Builder::new()
            .name("sextant-watch".into())
            .spawn(move || {
                let mut batch: Vec<PathBuf> = Vec::new();
                let mut first: Option<Instant> = None;
                while !stopped.load(Ordering::SeqCst) {
                    let wait = match first {
                        Some(at) => DEBOUNCE.min(MAX_BATCH.saturating_sub(at.elapsed())),
                        None => Duration::from_millis(200),
                    };
                    match rx.recv_timeout(wait) {
                        Ok(Ok(event)) => {
                            let event: notify::Event = event;
                            if matches!(event.kind, EventKind::Access(_)) {
                                continue;
                            }
                            first.get_or_insert_with(Instant::now);
                            batch.extend(event.paths);
                        }
                        Ok(Err(_)) => {}
                        Err(RecvTimeoutError::Timeout) => {
                            if first.take().is_some() {
                                let paths = filter.apply(std::mem::take(&mut batch));
                                if !paths.is_empty() {
                                    on_change(paths);
                                }
                            }
                        }
                        Err(RecvTimeoutError::Disconnected) => break,
                    }
                }
            })
            .map_err(|e| StoreError::Watch {
                path: self.root.clone(),
                detail: e.to_string(),
            })?;
        Ok(WatchHandle {
            watcher: Some(watcher),
            stop,
            thread: Some(thread),
        })
    }
}

struct Filter {
    root: PathBuf,
    data_dir: PathBuf,
    recent: Arc<Recent>,
}

impl Filter {
    fn apply(&self, paths: Vec<PathBuf>) -> Vec<String> {
        let mut out = BTreeSet::new();
        for path in paths {
            if path.starts_with(&self.data_dir) {
                continue;
            }
            let Ok(rel) = path.strip_prefix(&self.root) else {
                continue;
            };
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.is_empty() || parts.iter().any(|p| p.starts_with('.')) {
                continue;
            }
            if self.recent.is_own(&path, &self.root) {
                continue;
            }
            out.insert(parts.join("/"));
        }
        out.into_iter().collect()
    }
}
