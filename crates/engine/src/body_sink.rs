//! The writer behind a body file. A response is shown while it downloads (the window reads
//! windows of the growing file, the CLI follows it to stdout), so what arrived must reach the
//! file soon: bytes are batched in a small buffer and flushed (written, never fsynced: a stored
//! body is a copy of what the server sent) once [`FLUSH_BYTES`] are pending or the oldest pending
//! byte is [`FLUSH_INTERVAL`] old, whichever comes first. Memory stays one buffer.

use std::time::Duration;

use tokio::io::{AsyncWriteExt, BufWriter};
use tokio::time::Instant;

/// Pending bytes that trigger a write to the file.
pub(crate) const FLUSH_BYTES: usize = 64 * 1024;
/// The longest a byte waits in the buffer while more keep coming (or none do).
pub(crate) const FLUSH_INTERVAL: Duration = Duration::from_millis(50);

pub(crate) struct BodySink {
    out: BufWriter<tokio::fs::File>,
    pending: usize,
    oldest: Option<Instant>,
}

impl BodySink {
    pub fn new(file: tokio::fs::File) -> Self {
        Self {
            out: BufWriter::with_capacity(FLUSH_BYTES, file),
            pending: 0,
            oldest: None,
        }
    }

    pub async fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.out.write_all(bytes).await?;
        self.pending += bytes.len();
        self.oldest.get_or_insert_with(Instant::now);
        if self.pending >= FLUSH_BYTES {
            self.flush().await?;
        }
        Ok(())
    }

    pub async fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush().await?;
        self.pending = 0;
        self.oldest = None;
        Ok(())
    }

    /// When the pending bytes must be flushed even if nothing more arrives; `None` when there
    /// are none. Taken before a read and awaited with [`flush_due`] beside it.
    pub fn due(&self) -> Option<Instant> {
        self.oldest.map(|t| t + FLUSH_INTERVAL)
    }
}

/// Resolves at `due`, never when there is nothing to flush.
pub(crate) async fn flush_due(due: Option<Instant>) {
    match due {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
