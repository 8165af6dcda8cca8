//! The writer behind a body file. A response is shown while it downloads (the window reads
//! windows of the growing file, the CLI follows it to stdout), so what arrived must reach the
//! file soon: bytes are batched in a small buffer and flushed (written, never fsynced: a stored
//! body is a copy of what the server sent) once [`FLUSH_BYTES`] are pending or the oldest pending
//! byte is [`FLUSH_INTERVAL`] old, whichever comes first. Memory stays one buffer.
//!
//! Most bodies are small, and a run sends hundreds of them: the first [`DIRECT_BYTES`] of a body
//! are written straight to the file from the task (a write of a few KiB to the page cache takes
//! microseconds, less than handing it to the blocking pool and back, which `tokio::fs` does for
//! every call). Past that the file moves to the blocking pool, where a slow disk cannot stall
//! the runtime. A body of at most [`KEEP_BYTES`] is also kept whole in memory, so the history's
//! text and the assertions read it without opening the file again.

use std::io::Write;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::time::Instant;

use crate::BodyStore;

/// Pending bytes that trigger a write to the file.
pub(crate) const FLUSH_BYTES: usize = 64 * 1024;
/// The longest a byte waits in the buffer while more keep coming (or none do).
pub(crate) const FLUSH_INTERVAL: Duration = Duration::from_millis(50);
/// Bytes of a body written from the task itself before the file moves to the blocking pool.
pub(crate) const DIRECT_BYTES: u64 = 1024 * 1024;
/// The largest body kept in memory beside its file.
pub const KEEP_BYTES: usize = 64 * 1024;

enum Target {
    /// No file yet (a deferred body, see [`crate::SendLimits::deferred_file`]): made when the
    /// body outgrows [`KEEP_BYTES`].
    Deferred {
        store: BodyStore,
        id: String,
    },
    Direct(std::fs::File),
    Pooled(tokio::fs::File),
    /// Between the two, or after a failed move.
    Gone,
}

pub(crate) struct BodySink {
    target: Target,
    pending: Vec<u8>,
    written: u64,
    oldest: Option<Instant>,
    /// The whole body so far, while it fits in [`KEEP_BYTES`].
    kept: Option<Vec<u8>>,
}

impl BodySink {
    pub fn new(file: std::fs::File) -> Self {
        Self {
            target: Target::Direct(file),
            ..Self::new_without_file()
        }
    }

    /// A sink that makes no file while the body stays within [`KEEP_BYTES`].
    pub fn deferred(store: BodyStore, id: String) -> Self {
        Self {
            target: Target::Deferred { store, id },
            ..Self::new_without_file()
        }
    }

    fn new_without_file() -> Self {
        Self {
            target: Target::Gone,
            pending: Vec::new(),
            written: 0,
            oldest: None,
            kept: Some(Vec::new()),
        }
    }

    /// Whether the body never got its file (it is whole in [`BodySink::take_kept`]).
    pub fn still_deferred(&self) -> bool {
        matches!(self.target, Target::Deferred { .. })
    }

    pub async fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.pending.extend_from_slice(bytes);
        if let Some(kept) = &mut self.kept {
            if kept.len() + bytes.len() <= KEEP_BYTES {
                kept.extend_from_slice(bytes);
            } else {
                self.kept = None;
            }
        }
        self.oldest.get_or_insert_with(Instant::now);
        if self.pending.len() >= FLUSH_BYTES {
            self.flush().await?;
        }
        Ok(())
    }

    pub async fn flush(&mut self) -> std::io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        if matches!(self.target, Target::Deferred { .. }) {
            if self.kept.is_some() {
                // Still small: it stays in memory until the send is over.
                self.oldest = None;
                return Ok(());
            }
            if let Target::Deferred { store, id } =
                std::mem::replace(&mut self.target, Target::Gone)
            {
                let file = store
                    .create(&id)
                    .map_err(|e| std::io::Error::other(e.to_string()))?;
                self.target = Target::Direct(file);
            }
        }
        if self.written >= DIRECT_BYTES && matches!(self.target, Target::Direct(_)) {
            if let Target::Direct(file) = std::mem::replace(&mut self.target, Target::Gone) {
                self.target = Target::Pooled(tokio::fs::File::from_std(file));
            }
        }
        match &mut self.target {
            Target::Direct(file) => file.write_all(&self.pending)?,
            Target::Pooled(file) => {
                file.write_all(&self.pending).await?;
                // tokio's File finishes a write in the background: wait for it, so what a
                // progress event reports is in the file.
                file.flush().await?;
            }
            Target::Gone | Target::Deferred { .. } => {
                return Err(std::io::Error::other("the body file was closed"));
            }
        }
        self.written += self.pending.len() as u64;
        self.pending.clear();
        if self.pending.capacity() > FLUSH_BYTES {
            self.pending.shrink_to(FLUSH_BYTES);
        }
        self.oldest = None;
        Ok(())
    }

    /// When the pending bytes must be flushed even if nothing more arrives; `None` when there
    /// are none. Taken before a read and awaited with [`flush_due`] beside it.
    pub fn due(&self) -> Option<Instant> {
        self.oldest.map(|t| t + FLUSH_INTERVAL)
    }

    /// The whole body, when it was small enough to keep (see [`KEEP_BYTES`]).
    pub fn take_kept(&mut self) -> Option<Vec<u8>> {
        self.kept.take()
    }
}

/// Resolves at `due`, never when there is nothing to flush.
pub(crate) async fn flush_due(due: Option<Instant>) {
    match due {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn small_bodies_are_kept_and_big_ones_move_to_the_pool() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.body");
        let mut sink = BodySink::new(std::fs::File::create(&path).unwrap());
        sink.write(b"{\"hello\":").await.unwrap();
        sink.write(b"\"world\"}").await.unwrap();
        sink.flush().await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"{\"hello\":\"world\"}");
        assert_eq!(sink.take_kept().unwrap(), b"{\"hello\":\"world\"}");

        let path = dir.path().join("big.body");
        let mut sink = BodySink::new(std::fs::File::create(&path).unwrap());
        let chunk = vec![7u8; 100_000];
        let mut total = 0usize;
        while (total as u64) < DIRECT_BYTES * 2 {
            sink.write(&chunk).await.unwrap();
            total += chunk.len();
        }
        sink.flush().await.unwrap();
        assert!(matches!(sink.target, Target::Pooled(_)));
        assert_eq!(sink.take_kept(), None);
        assert_eq!(std::fs::metadata(&path).unwrap().len(), total as u64);
    }
}
