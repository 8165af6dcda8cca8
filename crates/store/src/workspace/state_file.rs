//! Small JSON files the app keeps about itself between runs (the window's session: which tabs
//! were open; the specs the explorer imported). They are rewritten whole on every change, so each
//! write is atomic (temp, fsync, rename, fsync folder) and owner-only: a crash mid-write leaves
//! the previous file, never half of one. Reading is bounded ([`MAX_STATE_FILE_BYTES`]) and a file
//! that does not parse is reported, never panicked on: the caller decides to start without it.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::atomic::{write_atomic, Mode};
use crate::StoreError;

/// The largest state file read: far above any real session (a few KiB per tab), small enough
/// that a damaged or hostile file cannot take the app's memory.
pub const MAX_STATE_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// One JSON state file at a fixed path.
#[derive(Debug, Clone)]
pub struct StateFile {
    path: PathBuf,
}

impl StateFile {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The stored value; `None` when there is no file yet. A file over the size budget, or one
    /// that does not parse, is `InvalidFile` (naming the budget, or the line and column).
    pub fn load<T: DeserializeOwned>(&self) -> Result<Option<T>, StoreError> {
        let file = match std::fs::File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(StoreError::io(&self.path, e)),
        };
        let mut bytes = Vec::new();
        file.take(MAX_STATE_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| StoreError::io(&self.path, e))?;
        if bytes.len() as u64 > MAX_STATE_FILE_BYTES {
            return Err(StoreError::InvalidFile {
                path: self.path.display().to_string(),
                line: 0,
                column: 0,
                message: format!(
                    "larger than the {MAX_STATE_FILE_BYTES} bytes a state file may have"
                ),
            });
        }
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| StoreError::InvalidFile {
                path: self.path.display().to_string(),
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            })
    }

    /// Replaces the file with `value`, atomically and owner-only; creates its folder if needed.
    pub fn save<T: Serialize>(&self, value: &T) -> Result<(), StoreError> {
        if let Some(dir) = self.path.parent() {
            crate::private::ensure_private_dir(dir).map_err(|e| StoreError::io(dir, e))?;
        }
        let bytes = serde_json::to_vec_pretty(value)
            .map_err(|e| StoreError::InvalidEntry(e.to_string()))?;
        write_atomic(
            &self.path,
            &bytes,
            Mode::Replace,
            true,
            &self.path.display().to_string(),
        )
    }
}
