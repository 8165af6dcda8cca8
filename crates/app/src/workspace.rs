//! The workspace folder as commands: the sidebar tree, opening and saving requests with
//! conflict checks, folders, environments, drafts and the trash. The files are the store's
//! business (`sextant_store::Workspace`); this module opens it lazily (the CLI's `send` never
//! needs it), seeds the sample collections on first run, and shapes results for the window.
//!
//! Store calls block on the file system, so each one runs on a blocking thread. Each call that
//! writes, and each change the watcher reports, moves the workspace's generation on: answers
//! derived from its files (the spec a collection's requests name) are kept until it moves.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use sextant_model::{
    ApiError, Draft, Environment, ErrorCode, FolderSettings, OpenedRequest, SaveResult,
    SavedRequest, Variable, WorkspaceChange, WorkspaceInfo,
};
use sextant_store::workspace::{self as store, Drafts, WatchHandle, Workspace};

use crate::App;

/// The sample collections of the repository's `collections/` folder, embedded by `build.rs`.
const SAMPLES: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/samples.rs"));

/// Where the workspace lives and the handles opened on it.
pub(crate) struct WorkspaceState {
    root: PathBuf,
    /// Whether a missing folder gets the sample collections (only the default workspace does).
    seed: bool,
    private_dir: PathBuf,
    opened: OnceLock<Result<Arc<Workspace>, ApiError>>,
    watch: std::sync::Mutex<Option<WatchHandle>>,
    /// Moves on after each write through the app and each change the watcher reports.
    generation: Arc<AtomicU64>,
}

impl WorkspaceState {
    pub(crate) fn new(root: PathBuf, seed: bool, data_dir: &Path) -> Self {
        Self {
            root,
            seed,
            private_dir: data_dir.join("workspace-data"),
            opened: OnceLock::new(),
            watch: std::sync::Mutex::new(None),
            generation: Arc::default(),
        }
    }

    fn get(&self) -> Result<Arc<Workspace>, ApiError> {
        self.opened
            .get_or_init(|| {
                if self.seed && !self.root.exists() {
                    seed_samples(&self.root)?;
                }
                Workspace::open(&self.root, &self.private_dir)
                    .map(Arc::new)
                    .map_err(ApiError::from)
            })
            .clone()
    }

    fn drafts(&self) -> Result<Drafts, ApiError> {
        Ok(self.get()?.drafts()?)
    }
}

/// Writes the embedded sample collections into a new workspace folder.
fn seed_samples(root: &Path) -> Result<(), ApiError> {
    for (rel, bytes) in SAMPLES {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| io_error(&path, e))?;
    }
    std::fs::create_dir_all(root).map_err(|e| io_error(root, e))
}

/// Moves the generation on when dropped.
struct Bump(Arc<AtomicU64>);

impl Drop for Bump {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn io_error(path: &Path, e: std::io::Error) -> ApiError {
    ApiError::new(ErrorCode::Io, format!("{}: {e}", path.display()))
}

fn join_error(e: tokio::task::JoinError) -> ApiError {
    ApiError::new(ErrorCode::Internal, format!("workspace task failed: {e}"))
}

impl App {
    /// Runs `f` with the workspace on a blocking thread.
    pub(crate) async fn with_workspace<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Workspace) -> Result<T, ApiError> + Send + 'static,
    {
        let ws = self.workspace.get()?;
        tokio::task::spawn_blocking(move || f(&ws))
            .await
            .map_err(join_error)?
    }

    /// [`App::with_workspace`] for a call that writes: the generation moves on once it is done
    /// (failed, panicked or not: a failure may have written part, and the blocking thread goes
    /// on when the caller stops waiting), so nothing read before it is reused.
    pub(crate) async fn with_workspace_write<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Workspace) -> Result<T, ApiError> + Send + 'static,
    {
        let bump = Bump(self.workspace.generation.clone());
        self.with_workspace(move |ws| {
            let _bump = bump;
            f(ws)
        })
        .await
    }

    /// The workspace's generation: an answer read from its files while it was `g` still holds
    /// while it is `g`. Changes by other programs move it only while a watcher runs
    /// ([`App::workspace_watch`]), once the watcher reports them.
    pub(crate) fn workspace_generation(&self) -> u64 {
        self.workspace.generation.load(Ordering::SeqCst)
    }

    /// The opened workspace, for callers that need it beyond one blocking call.
    pub(crate) fn workspace_handle(&self) -> Result<Arc<Workspace>, ApiError> {
        self.workspace.get()
    }

    /// The workspace folder on disk.
    pub fn workspace_root(&self) -> &Path {
        &self.workspace.root
    }

    pub async fn workspace_info(&self) -> Result<WorkspaceInfo, ApiError> {
        self.with_workspace(|ws| {
            Ok(WorkspaceInfo {
                root: ws.root().display().to_string(),
                collections: ws
                    .list_tree()?
                    .into_iter()
                    .filter_map(store::TreeNode::into_model)
                    .collect(),
            })
        })
        .await
    }

    pub async fn request_open(&self, path: String) -> Result<OpenedRequest, ApiError> {
        self.with_workspace(move |ws| {
            let loaded = ws.read_request(&path)?;
            Ok(OpenedRequest {
                path: loaded.path,
                saved: loaded.request,
                revision: loaded.revision,
            })
        })
        .await
    }

    /// Saves over `path`. `expected_revision` is the revision the editor started from; a file
    /// changed since is a `Conflict`. `None` overwrites whatever is there (the user chose to).
    pub async fn request_save(
        &self,
        path: String,
        saved: SavedRequest,
        expected_revision: Option<String>,
    ) -> Result<SaveResult, ApiError> {
        self.with_workspace_write(move |ws| {
            let expected = match expected_revision {
                Some(r) => Some(r),
                None => match ws.read_request(&path) {
                    Ok(current) => Some(current.revision),
                    Err(e) if e.code() == ErrorCode::NotFound => None,
                    Err(e) => return Err(e.into()),
                },
            };
            let done = ws.save_request(&path, &saved, expected.as_deref())?;
            Ok(SaveResult {
                path: done.path,
                revision: done.revision,
            })
        })
        .await
    }

    /// Creates a request in `parent`. Captured values it used while unsaved follow it into its
    /// collection (`captured`).
    pub async fn request_create(
        &self,
        parent: String,
        saved: SavedRequest,
    ) -> Result<SaveResult, ApiError> {
        let carried = saved.clone();
        let result = self
            .with_workspace_write(move |ws| {
                let done = ws.create_request(&parent, &saved)?;
                Ok(SaveResult {
                    path: done.path,
                    revision: done.revision,
                })
            })
            .await?;
        self.carry_captured_into(&result.path, &carried);
        Ok(result)
    }

    pub async fn collection_create(&self, name: String) -> Result<String, ApiError> {
        self.with_workspace_write(move |ws| Ok(ws.create_collection(&name)?))
            .await
    }

    pub async fn folder_create(&self, parent: String, name: String) -> Result<String, ApiError> {
        self.with_workspace_write(move |ws| Ok(ws.create_folder(&parent, &name)?))
            .await
    }

    pub async fn item_rename(&self, path: String, name: String) -> Result<String, ApiError> {
        let from = path.clone();
        let to = self
            .with_workspace_write(move |ws| Ok(ws.rename(&path, &name)?))
            .await?;
        self.carry_captured_renamed(&from, &to);
        Ok(to)
    }

    pub async fn item_move(&self, path: String, new_parent: String) -> Result<String, ApiError> {
        let from = path.clone();
        let to = self
            .with_workspace_write(move |ws| Ok(ws.move_item(&path, &new_parent)?))
            .await?;
        self.carry_captured_moved(&from, &to).await;
        Ok(to)
    }

    pub async fn item_duplicate(&self, path: String) -> Result<String, ApiError> {
        self.with_workspace_write(move |ws| Ok(ws.duplicate(&path)?))
            .await
    }

    /// Moves an item to the trash; returns the id that [`App::item_restore`] takes.
    pub async fn item_delete(&self, path: String) -> Result<String, ApiError> {
        self.with_workspace_write(move |ws| Ok(ws.delete(&path)?.id))
            .await
    }

    pub async fn item_restore(&self, trash_id: String) -> Result<String, ApiError> {
        self.with_workspace_write(move |ws| Ok(ws.restore(&trash_id)?))
            .await
    }

    pub async fn environments_list(
        &self,
        collection: String,
    ) -> Result<Vec<Environment>, ApiError> {
        self.with_workspace(move |ws| {
            let mut out = Vec::new();
            for entry in ws.list_environments(&collection)? {
                if entry.error.is_none() {
                    out.push(ws.read_environment(&entry.path)?.environment);
                }
            }
            Ok(out)
        })
        .await
    }

    /// Saves `environment` in `collection`, creating its file when it has none yet.
    pub async fn environment_save(
        &self,
        collection: String,
        environment: Environment,
    ) -> Result<(), ApiError> {
        self.with_workspace_write(move |ws| {
            let existing = ws
                .list_environments(&collection)?
                .into_iter()
                .find(|e| e.name == environment.name);
            match existing {
                Some(entry) => {
                    let current = ws.read_environment(&entry.path)?;
                    ws.save_environment(&entry.path, &environment, Some(&current.revision))?;
                }
                None => {
                    ws.create_environment(&collection, &environment)?;
                }
            }
            Ok(())
        })
        .await
    }

    /// Moves the environment `name` of `collection` to the trash; returns the id that
    /// [`App::item_restore`] takes to undo it.
    pub async fn environment_delete(
        &self,
        collection: String,
        name: String,
    ) -> Result<String, ApiError> {
        self.with_workspace_write(move |ws| {
            let path = environment_path(ws, &collection, &name)?;
            Ok(ws.delete(&path)?.id)
        })
        .await
    }

    /// Renames the environment `name` of `collection` (its file and the name inside it, its
    /// secret values following it).
    pub async fn environment_rename(
        &self,
        collection: String,
        name: String,
        new_name: String,
    ) -> Result<(), ApiError> {
        self.with_workspace_write(move |ws| {
            let path = environment_path(ws, &collection, &name)?;
            let taken = ws
                .list_environments(&collection)?
                .into_iter()
                .any(|e| e.name != name && e.name.eq_ignore_ascii_case(new_name.trim()));
            if taken {
                return Err(ApiError::new(
                    ErrorCode::InvalidRequest,
                    format!(
                        "there is already an environment called {:?}",
                        new_name.trim()
                    ),
                ));
            }
            ws.rename(&path, new_name.trim())?;
            Ok(())
        })
        .await
    }

    pub async fn settings_open(&self, path: String) -> Result<FolderSettings, ApiError> {
        self.with_workspace(move |ws| Ok(ws.read_folder_settings(&path)?.settings))
            .await
    }

    pub async fn settings_save(
        &self,
        path: String,
        settings: FolderSettings,
    ) -> Result<(), ApiError> {
        self.with_workspace_write(move |ws| {
            let current = ws.read_folder_settings(&path)?;
            ws.save_folder_settings(&path, &settings, &current.revision)?;
            Ok(())
        })
        .await
    }

    /// The variables every collection sees (lowest precedence).
    pub async fn globals_get(&self) -> Result<Vec<Variable>, ApiError> {
        self.with_workspace(|ws| Ok(ws.read_globals()?.variables))
            .await
    }

    pub async fn globals_save(&self, variables: Vec<Variable>) -> Result<(), ApiError> {
        self.with_workspace_write(move |ws| {
            let current = ws.read_globals()?;
            ws.save_globals(&variables, &current.revision)?;
            Ok(())
        })
        .await
    }

    pub async fn drafts_list(&self) -> Result<Vec<Draft>, ApiError> {
        let drafts = self.workspace.drafts()?;
        Ok(drafts.list()?.into_iter().map(Draft::from).collect())
    }

    pub async fn draft_put(&self, draft: Draft) -> Result<(), ApiError> {
        let drafts = self.workspace.drafts()?;
        Ok(drafts.put(&draft.into())?)
    }

    pub async fn draft_remove(&self, key: String) -> Result<(), ApiError> {
        self.workspace.drafts()?.remove(&key)?;
        Ok(())
    }

    /// Reports external changes to the workspace's files to `on_change` until the next call
    /// replaces it.
    pub fn workspace_watch(
        &self,
        on_change: impl Fn(WorkspaceChange) + Send + 'static,
    ) -> Result<(), ApiError> {
        let ws = self.workspace.get()?;
        let generation = self.workspace.generation.clone();
        let handle = ws.watch(move |paths| {
            generation.fetch_add(1, Ordering::SeqCst);
            on_change(WorkspaceChange { paths })
        })?;
        *self
            .workspace
            .watch
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some(handle);
        Ok(())
    }
}

/// The file of the environment `name` of `collection`.
fn environment_path(ws: &Workspace, collection: &str, name: &str) -> Result<String, ApiError> {
    ws.list_environments(collection)?
        .into_iter()
        .find(|e| e.name == name)
        .map(|e| e.path)
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                format!("the collection {collection} has no environment {name}"),
            )
        })
}
