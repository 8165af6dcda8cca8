//! Unsaved edits that survive a restart. Each open tab's draft is one JSON file in a folder of the
//! caller's data dir (never the workspace), written atomically, named by the hex of its key so
//! any tab id works as a key.
//!
//! Drafts are stored as typed, secrets included: they are the user's private working copy, like
//! the history. The data folder must therefore stay private (see `docs/FORMAT.md`).

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sextant_model::SavedRequest;

use super::atomic::{write_atomic, Mode};
use crate::StoreError;

/// One tab's unsaved request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    /// The tab or draft id the caller chose.
    pub key: String,
    /// The request file this edits, if it was opened from one.
    #[serde(default)]
    pub path: Option<String>,
    /// The file's revision when editing started, to detect a conflict when saving.
    #[serde(default)]
    pub base_revision: Option<String>,
    pub request: SavedRequest,
    #[serde(default)]
    pub updated_at_ms: u64,
}

/// The drafts folder.
#[derive(Debug, Clone)]
pub struct Drafts {
    dir: PathBuf,
}

const EXT: &str = ".json";

impl Drafts {
    /// Opens (creating) the drafts folder `dir`.
    pub fn open(dir: impl AsRef<Path>) -> Result<Self, StoreError> {
        let dir = dir.as_ref().to_path_buf();
        fs::create_dir_all(&dir).map_err(|e| StoreError::io(&dir, e))?;
        Ok(Self { dir })
    }

    fn file(&self, key: &str) -> PathBuf {
        let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
        self.dir.join(format!("{hex}{EXT}"))
    }

    /// Every readable draft, sorted by key. A damaged file is skipped, not deleted.
    pub fn list(&self) -> Result<Vec<Draft>, StoreError> {
        let mut out = Vec::new();
        for entry in fs::read_dir(&self.dir).map_err(|e| StoreError::io(&self.dir, e))? {
            let entry = entry.map_err(|e| StoreError::io(&self.dir, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || !name.ends_with(EXT) {
                continue;
            }
            let draft = fs::read(entry.path())
                .ok()
                .and_then(|b| serde_json::from_slice::<Draft>(&b).ok());
            out.extend(draft);
        }
        out.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(out)
    }

    pub fn get(&self, key: &str) -> Result<Option<Draft>, StoreError> {
        let path = self.file(key);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(StoreError::io(&path, e)),
        };
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| StoreError::InvalidFile {
                path: path.display().to_string(),
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            })
    }

    /// Saves (replacing) the draft under `draft.key`.
    pub fn put(&self, draft: &Draft) -> Result<(), StoreError> {
        let path = self.file(&draft.key);
        let bytes = serde_json::to_vec_pretty(draft)
            .map_err(|e| StoreError::InvalidEntry(e.to_string()))?;
        write_atomic(
            &path,
            &bytes,
            Mode::Replace,
            true,
            &path.display().to_string(),
        )
    }

    /// Removes a draft; returns whether there was one.
    pub fn remove(&self, key: &str) -> Result<bool, StoreError> {
        let path = self.file(key);
        match fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(StoreError::io(&path, e)),
        }
    }
}
