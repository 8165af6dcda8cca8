//! Response bodies live in files, not in memory: the engine streams each body to
//! `<data dir>/bodies/<id>.body` and the UI reads windows of it on demand. The last
//! [`RECENT_BODIES`] small bodies (see [`KEEP_BYTES`]) are also kept in memory, because what
//! follows a send (its history entry's text, its assertions, its captures) reads them at once:
//! a run of hundreds of requests then opens each body file only to write it.

use std::collections::VecDeque;
use std::io::SeekFrom;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use tokio::io::{AsyncReadExt, AsyncSeekExt};

use crate::body_settle::Settler;
pub use crate::body_sink::KEEP_BYTES;
use crate::EngineError;

/// The largest window one read returns (WebKitGTK's IPC moves ~65 MB/s: keep each call short).
pub const MAX_WINDOW: u64 = 1024 * 1024;
/// Small bodies kept in memory at most (at most 4 MiB with [`KEEP_BYTES`]).
pub const RECENT_BODIES: usize = 64;

type Recent = VecDeque<(String, Arc<[u8]>)>;

#[derive(Debug, Clone)]
pub struct BodyStore {
    dir: PathBuf,
    recent: Arc<Mutex<Recent>>,
    settler: Arc<Settler>,
}

impl BodyStore {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        let dir = dir.into();
        Self {
            settler: Arc::new(Settler::new(dir.clone())),
            dir,
            recent: Arc::default(),
        }
    }

    /// Keeps body `id` in memory and has it written to its file by the store's writer thread
    /// (a deferred body, see [`crate::SendLimits::deferred_file`]).
    pub(crate) fn keep_and_write(&self, id: &str, body: Vec<u8>) -> Result<(), EngineError> {
        let path = self.path(id)?;
        let body: Arc<[u8]> = body.into();
        if body.len() <= KEEP_BYTES {
            self.remember(id, Arc::clone(&body));
        }
        self.settler.write(path, body);
        Ok(())
    }

    /// Blocks until every deferred body handed over before is in its file.
    pub fn settle(&self) {
        self.settler.settle();
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Creates the file for body `id`. Synchronous: creating a file is a few microseconds, and
    /// the store's folder is made only when the file cannot be created without it.
    pub(crate) fn create(&self, id: &str) -> Result<std::fs::File, EngineError> {
        let path = self.path(id)?;
        let cannot = |e| EngineError::io(format!("cannot create {}", path.display()), e);
        match std::fs::File::create(&path) {
            Ok(file) => Ok(file),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(&self.dir).map_err(|e| {
                    EngineError::io(format!("cannot create {}", self.dir.display()), e)
                })?;
                std::fs::File::create(&path).map_err(cannot)
            }
            Err(e) => Err(cannot(e)),
        }
    }

    fn recent(&self) -> std::sync::MutexGuard<'_, Recent> {
        self.recent.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Keeps the whole of body `id` (already in its file) in memory, dropping the oldest.
    pub(crate) fn keep(&self, id: &str, body: Vec<u8>) {
        if body.len() <= KEEP_BYTES {
            self.remember(id, body.into());
        }
    }

    fn remember(&self, id: &str, body: Arc<[u8]>) {
        let mut recent = self.recent();
        if recent.len() >= RECENT_BODIES {
            recent.pop_front();
        }
        recent.push_back((id.to_owned(), body));
    }

    fn kept(&self, id: &str) -> Option<Arc<[u8]>> {
        let recent = self
            .recent()
            .iter()
            .rev()
            .find(|(kept, _)| kept == id)
            .map(|(_, body)| Arc::clone(body));
        recent.or_else(|| self.settler.waiting(&self.path(id).ok()?))
    }

    async fn open(&self, id: &str) -> Result<tokio::fs::File, EngineError> {
        let path = self.path(id)?;
        match tokio::fs::File::open(&path).await {
            Ok(f) => Ok(f),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(EngineError::NotFound(id.to_string()))
            }
            Err(e) => Err(EngineError::io(
                format!("cannot open {}", path.display()),
                e,
            )),
        }
    }

    /// The whole of body `id` when it has at most `max` bytes; `Ok(None)` when it is longer.
    pub async fn read_all(&self, id: &str, max: u64) -> Result<Option<Vec<u8>>, EngineError> {
        if let Some(body) = self.kept(id) {
            return Ok((body.len() as u64 <= max).then(|| body.to_vec()));
        }
        let mut file = self.open(id).await?;
        let mut buf = Vec::new();
        (&mut file)
            .take(max.saturating_add(1))
            .read_to_end(&mut buf)
            .await
            .map_err(|e| EngineError::io("cannot read body", e))?;
        Ok((buf.len() as u64 <= max).then_some(buf))
    }

    /// The file holding body `id`. Ids are generated by the engine; anything else is refused so
    /// a caller can never name a path outside the store.
    pub fn path(&self, id: &str) -> Result<PathBuf, EngineError> {
        let valid = !id.is_empty()
            && id.len() <= 64
            && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !valid {
            return Err(EngineError::NotFound(id.to_string()));
        }
        Ok(self.dir.join(format!("{id}.body")))
    }

    /// Reads up to `len` bytes (capped at [`MAX_WINDOW`]) from `offset`; empty past the end.
    pub async fn read_window(
        &self,
        id: &str,
        offset: u64,
        len: u64,
    ) -> Result<Vec<u8>, EngineError> {
        if let Some(body) = self.kept(id) {
            let start = usize::try_from(offset)
                .unwrap_or(usize::MAX)
                .min(body.len());
            let end = start.saturating_add(usize::try_from(len.min(MAX_WINDOW)).unwrap_or(0));
            return Ok(body[start..end.min(body.len())].to_vec());
        }
        let mut file = self.open(id).await?;
        file.seek(SeekFrom::Start(offset))
            .await
            .map_err(|e| EngineError::io("cannot seek in body", e))?;
        let mut buf = Vec::new();
        file.take(len.min(MAX_WINDOW))
            .read_to_end(&mut buf)
            .await
            .map_err(|e| EngineError::io("cannot read body", e))?;
        Ok(buf)
    }

    /// Removes body `id` and what was made from it (its pretty-printed copy).
    pub async fn remove(&self, id: &str) -> Result<(), EngineError> {
        let path = self.path(id)?;
        self.recent().retain(|(kept, _)| kept != id);
        self.settler.forget(&path);
        let _ = tokio::fs::remove_file(path.with_extension("pretty")).await;
        match tokio::fs::remove_file(&path).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(EngineError::io(
                format!("cannot remove {}", path.display()),
                e,
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_cannot_escape_the_store() {
        let store = BodyStore::new("/tmp/x");
        assert!(store.path("../etc/passwd").is_err());
        assert!(store.path("a/b").is_err());
        assert!(store.path("").is_err());
        assert!(store.path("0f3a-b2").is_ok());
    }

    #[tokio::test]
    async fn kept_bodies_read_like_their_files() {
        let dir = tempfile::tempdir().unwrap();
        let store = BodyStore::new(dir.path().join("bodies"));
        drop(store.create("a1").unwrap());
        std::fs::write(store.path("a1").unwrap(), b"0123456789").unwrap();
        let from_file = store.read_window("a1", 3, 4).await.unwrap();
        store.keep("a1", b"0123456789".to_vec());
        assert_eq!(store.read_window("a1", 3, 4).await.unwrap(), from_file);
        assert_eq!(store.read_window("a1", 8, 100).await.unwrap(), b"89");
        assert!(store.read_window("a1", 20, 4).await.unwrap().is_empty());
        assert_eq!(
            store.read_all("a1", 10).await.unwrap().unwrap(),
            b"0123456789"
        );
        assert_eq!(store.read_all("a1", 9).await.unwrap(), None);
        store.remove("a1").await.unwrap();
        assert!(store.read_window("a1", 0, 4).await.is_err());
        assert!(store.read_all("a1", 10).await.is_err());
        for i in 0..=RECENT_BODIES {
            store.keep(&format!("b{i}"), vec![1]);
        }
        assert!(store.kept("b0").is_none());
        assert!(store.kept(&format!("b{RECENT_BODIES}")).is_some());
    }

    #[tokio::test]
    async fn deferred_bodies_reach_their_files_by_settle() {
        let dir = tempfile::tempdir().unwrap();
        let store = BodyStore::new(dir.path().join("bodies"));
        store.keep_and_write("d1", b"deferred".to_vec()).unwrap();
        assert_eq!(
            store.read_all("d1", 100).await.unwrap().unwrap(),
            b"deferred"
        );
        store.settle();
        let path = store.path("d1").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"deferred");
        for i in 0..200 {
            store
                .keep_and_write(&format!("e{i}"), vec![b'x'; i])
                .unwrap();
        }
        // Past the last RECENT_BODIES, a body not yet in its file is read from the queue.
        for i in 0..200 {
            let read = store.read_all(&format!("e{i}"), 1000).await.unwrap();
            assert_eq!(read.unwrap(), vec![b'x'; i]);
        }
        store.settle();
        for i in 0..200 {
            let path = store.path(&format!("e{i}")).unwrap();
            assert_eq!(std::fs::read(&path).unwrap(), vec![b'x'; i]);
        }
        assert!(store.keep_and_write("../escape", Vec::new()).is_err());
    }
}
