//! Collections as plain files in a workspace folder, so people can read them, diff them and keep
//! them in git. A workspace is a folder; each collection is a sub-folder with a
//! `collection.yaml`; folders are sub-folders with an optional `folder.yaml`; each request is one
//! `<slug>.yaml`; environments live in `<collection>/environments/`. The full format is in
//! `docs/FORMAT.md`.
//!
//! [`Workspace`] is the one entry point: every path it takes or returns is relative to the
//! workspace root and `/`-separated. Everything it writes goes through an atomic save; requests,
//! settings and environments carry a content revision so an edit made on disk since they were
//! read is a [`StoreError::Conflict`], never silently overwritten. Secret values go to the
//! [`SecretStore`] in the caller's data folder, and deleted entries to a trash there.

mod atomic;
mod collection;
mod contain;
mod drafts;
mod format;
mod globals;
mod import;
mod merge;
mod model_map;
mod ops;
mod paths;
mod requests;
mod secrets;
mod state_file;
mod trash;
mod tree;
mod watch;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use sextant_model::{Environment, FolderSettings, SavedRequest};

pub use atomic::{clean_stale_temps, is_temp_name, revision_of, STALE_TEMP_AGE, TEMP_SUFFIX};
pub use contain::MAX_TREE_DEPTH;
pub use drafts::{Draft, Drafts};
pub use format::{is_plain_reference, SECRET_MARKER};
pub use globals::{LoadedGlobals, GLOBALS_FILE};
pub use merge::MergeReport;
pub use paths::{slugify, COLLECTION_FILE, ENVIRONMENTS_DIR, FOLDER_FILE};
pub use secrets::{keychain_account, SecretBackend, SecretStore, KEYCHAIN_SERVICE};
pub use state_file::{StateFile, MAX_STATE_FILE_BYTES};
pub use trash::TrashEntry;
pub use tree::{LoadedRequests, NodeKind, TreeNode};
pub use watch::WatchHandle;

use crate::StoreError;
use atomic::{write_atomic, Mode};
use format::{from_yaml, FolderFile};
use paths::Rel;
use watch::Recent;

/// The revision of a folder or collection whose settings file does not exist yet.
pub const ABSENT_REVISION: &str = "absent";

/// What a save wrote: where, and the revision to pass to the next save.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Saved {
    pub path: String,
    pub revision: String,
}

/// A request read from its file, secrets filled in.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadedRequest {
    pub path: String,
    pub request: SavedRequest,
    pub revision: String,
    /// Secret scopes (`variables/<name>`, `auth/token`, ...) the file refers to but this
    /// machine's secret store does not hold; their values read as empty.
    pub missing_secrets: Vec<String>,
}

/// A collection's or folder's name and settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadedFolder {
    pub path: String,
    pub name: String,
    pub settings: FolderSettings,
    /// The children's file and folder names in the order the user chose (may be empty).
    pub order: Vec<String>,
    /// [`ABSENT_REVISION`] when the settings file does not exist yet.
    pub revision: String,
    pub missing_secrets: Vec<String>,
}

/// An environment read from its file, secrets filled in.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadedEnvironment {
    pub path: String,
    pub environment: Environment,
    pub revision: String,
    pub missing_secrets: Vec<String>,
}

/// One environment file of a collection, for a picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentEntry {
    /// The environment's name, or the file name when the file does not parse.
    pub name: String,
    pub path: String,
    /// Why the file could not be read, with line and column.
    pub error: Option<String>,
}

/// A workspace folder of collections, with its private data folder (secrets, trash).
pub struct Workspace {
    root: PathBuf,
    data_dir: PathBuf,
    secrets: Arc<SecretStore>,
    recent: Arc<Recent>,
}

impl std::fmt::Debug for Workspace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workspace")
            .field("root", &self.root)
            .field("data_dir", &self.data_dir)
            .finish_non_exhaustive()
    }
}

impl Workspace {
    /// Opens the workspace at `root` (created if missing). `data_dir` is this workspace's private
    /// folder outside it, for the secret store (`secrets.enc`, `secrets.key`) and the trash
    /// (`trash/`). Temp files left by a crashed save, older than [`STALE_TEMP_AGE`], are removed.
    pub fn open(root: impl AsRef<Path>, data_dir: impl AsRef<Path>) -> Result<Self, StoreError> {
        let root = root.as_ref();
        fs::create_dir_all(root).map_err(|e| StoreError::io(root, e))?;
        let root = fs::canonicalize(root).map_err(|e| StoreError::io(root, e))?;
        let data_dir = data_dir.as_ref();
        crate::private::ensure_private_dir(data_dir).map_err(|e| StoreError::io(data_dir, e))?;
        let data_dir = fs::canonicalize(data_dir).map_err(|e| StoreError::io(data_dir, e))?;
        let secrets = Arc::new(SecretStore::open(&data_dir)?);
        clean_stale_temps(&root, STALE_TEMP_AGE)?;
        Ok(Self {
            root,
            data_dir,
            secrets,
            recent: Arc::new(Recent::default()),
        })
    }

    /// The workspace folder (canonical).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The private data folder given to [`Workspace::open`] (canonical).
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn secrets(&self) -> &SecretStore {
        &self.secrets
    }

    /// The drafts of unsaved edits, in the private data folder, sealed with the secret store's
    /// key.
    pub fn drafts(&self) -> Result<Drafts, StoreError> {
        Drafts::open(self.data_dir.join("drafts"), Arc::clone(&self.secrets))
    }

    /// Removes the store's temp files under the workspace that are older than `min_age`
    /// (`Duration::ZERO` for all: only when no save can be running). Returns how many.
    pub fn clean_temp_files(&self, min_age: std::time::Duration) -> Result<usize, StoreError> {
        clean_stale_temps(&self.root, min_age)
    }

    fn abs(&self, rel: &Rel) -> PathBuf {
        rel.to_path(&self.root)
    }

    /// Writes a file atomically and remembers its revision so the watcher can tell this save
    /// from someone else's.
    fn write(&self, rel: &Rel, bytes: &[u8], mode: Mode) -> Result<String, StoreError> {
        let path = self.abs(rel);
        write_atomic(&path, bytes, mode, false, &rel.to_string())?;
        let revision = revision_of(bytes);
        self.recent.file(&path, &revision);
        Ok(revision)
    }

    /// Fails with `Conflict` unless the file's current bytes have `expected` as revision.
    fn check_revision(&self, rel: &Rel, expected: &str) -> Result<(), StoreError> {
        let conflict = || StoreError::Conflict {
            path: rel.to_string(),
        };
        match fs::read(self.check_inside(rel)?) {
            Ok(bytes) if revision_of(&bytes) == expected => Ok(()),
            Ok(_) => Err(conflict()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if expected == ABSENT_REVISION {
                    Ok(())
                } else {
                    Err(conflict())
                }
            }
            Err(e) => Err(StoreError::io(self.abs(rel), e)),
        }
    }

    /// The settings file of a collection or folder, and its revision; a missing file reads as a
    /// folder named after its directory.
    fn read_folder_file(&self, dir: &Rel) -> Result<(FolderFile, String), StoreError> {
        let abs = self.abs(dir);
        if !abs.is_dir() {
            return Err(StoreError::NotFound {
                path: dir.to_string(),
            });
        }
        let file = dir.settings_file();
        match fs::read(self.check_inside(&file)?) {
            Ok(bytes) => Ok((from_yaml(&file.to_string(), &bytes)?, revision_of(&bytes))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Ok((FolderFile::new(dir.last()), ABSENT_REVISION.to_string()))
            }
            Err(e) => Err(StoreError::io(self.abs(&file), e)),
        }
    }

    /// Writes a folder file (replacing), returning its new revision.
    fn write_folder_file(&self, dir: &Rel, file: &FolderFile) -> Result<String, StoreError> {
        self.write(
            &dir.settings_file(),
            format::to_yaml(file).as_bytes(),
            Mode::Replace,
        )
    }
}
