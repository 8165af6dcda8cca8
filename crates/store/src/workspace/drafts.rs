//! Unsaved edits that survive a restart. Each open tab's draft is one file in a folder of the
//! workspace's private data folder (never the workspace), written atomically, named by the hex of
//! its key so any tab id works as a key.
//!
//! A draft holds the request as typed, secrets included, so it is sealed with the secret store's
//! key (XChaCha20-Poly1305, see `secrets.rs`): nothing of it is readable on disk. Drafts written
//! in clear by earlier versions (`.json`) are still read, and replaced by a sealed one on the
//! next save.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sextant_model::SavedRequest;

use super::atomic::{write_atomic, Mode};
use super::secrets::SecretStore;
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
    secrets: Arc<SecretStore>,
}

/// A sealed draft.
const EXT: &str = ".draft";
/// A draft in clear, as earlier versions wrote them.
const LEGACY_EXT: &str = ".json";
/// The header of a sealed draft, also bound into its encryption.
const MAGIC: &[u8; 8] = b"SXDRF\x00\x00\x01";

impl Drafts {
    /// Opens (creating) the drafts folder `dir`, sealing with `secrets`' key.
    pub fn open(dir: impl AsRef<Path>, secrets: Arc<SecretStore>) -> Result<Self, StoreError> {
        let dir = dir.as_ref().to_path_buf();
        crate::private::ensure_private_dir(&dir).map_err(|e| StoreError::io(&dir, e))?;
        Ok(Self { dir, secrets })
    }

    fn file(&self, key: &str, ext: &str) -> PathBuf {
        let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
        self.dir.join(format!("{hex}{ext}"))
    }

    /// Every readable draft, sorted by key. A damaged file is skipped, not deleted.
    pub fn list(&self) -> Result<Vec<Draft>, StoreError> {
        // By key; a sealed draft wins over the clear one it replaces, should both be there.
        let mut by_key: BTreeMap<String, (bool, Draft)> = BTreeMap::new();
        for entry in fs::read_dir(&self.dir).map_err(|e| StoreError::io(&self.dir, e))? {
            let entry = entry.map_err(|e| StoreError::io(&self.dir, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let sealed = name.ends_with(EXT);
            if name.starts_with('.') || !(sealed || name.ends_with(LEGACY_EXT)) {
                continue;
            }
            let Ok(Some(draft)) = self.read(&entry.path()) else {
                continue;
            };
            if by_key
                .get(&draft.key)
                .is_none_or(|(was_sealed, _)| sealed && !was_sealed)
            {
                by_key.insert(draft.key.clone(), (sealed, draft));
            }
        }
        Ok(by_key.into_values().map(|(_, draft)| draft).collect())
    }

    pub fn get(&self, key: &str) -> Result<Option<Draft>, StoreError> {
        match self.read(&self.file(key, EXT))? {
            Some(draft) => Ok(Some(draft)),
            None => self.read(&self.file(key, LEGACY_EXT)),
        }
    }

    fn read(&self, path: &Path) -> Result<Option<Draft>, StoreError> {
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(StoreError::io(path, e)),
        };
        let plain = if path.to_string_lossy().ends_with(EXT) {
            self.secrets
                .unseal(MAGIC, &bytes)
                .map_err(|source| StoreError::Sealed {
                    path: path.to_path_buf(),
                    source,
                })?
        } else {
            bytes
        };
        serde_json::from_slice(&plain)
            .map(Some)
            .map_err(|e| StoreError::InvalidFile {
                path: path.display().to_string(),
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            })
    }

    /// Saves (replacing) the draft under `draft.key`, sealed.
    pub fn put(&self, draft: &Draft) -> Result<(), StoreError> {
        let path = self.file(&draft.key, EXT);
        let plain =
            serde_json::to_vec(draft).map_err(|e| StoreError::InvalidEntry(e.to_string()))?;
        let bytes = self
            .secrets
            .seal(MAGIC, &plain)
            .map_err(|source| StoreError::Sealed {
                path: path.clone(),
                source,
            })?;
        write_atomic(
            &path,
            &bytes,
            Mode::Replace,
            true,
            &path.display().to_string(),
        )?;
        remove_if_there(&self.file(&draft.key, LEGACY_EXT)).map(|_| ())
    }

    /// Removes a draft; returns whether there was one.
    pub fn remove(&self, key: &str) -> Result<bool, StoreError> {
        let sealed = remove_if_there(&self.file(key, EXT))?;
        let legacy = remove_if_there(&self.file(key, LEGACY_EXT))?;
        Ok(sealed || legacy)
    }
}

fn remove_if_there(path: &Path) -> Result<bool, StoreError> {
    match fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(StoreError::io(path, e)),
    }
}
