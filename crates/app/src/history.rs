//! The request history as commands: listed, searched, opened and trimmed through [`App`]. Every
//! send is recorded by `send` (see `history_record` for what is kept).
//!
//! A history that cannot be opened never fails a send: it is reported on stderr, and the
//! history commands answer with the reason.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use sextant_model::{ApiError, ErrorCode};
use sextant_store::{
    Entry, EntrySummary, History, HistoryQuery, PruneReport, Retention, Source, StoreError,
};

use crate::history_ipc::HistoryEntry;
use crate::App;

/// The history as the app holds it: open, or the reason it could not be opened.
pub(crate) enum HistoryState {
    Off,
    Open {
        history: Arc<History>,
        source: Source,
        /// Whether recorded entries may point at body files (they outlive the process).
        keep_body_paths: bool,
    },
    Failed(ApiError),
}

impl HistoryState {
    pub(crate) fn open(path: &Path, source: Source, keep_body_paths: bool) -> HistoryState {
        // The folder holding the history is the data dir (the CLI's send opens it without
        // starting the app there): created, or tightened, owner-only like the app does.
        if let Some(parent) = path.parent() {
            if let Err(e) = sextant_store::private::ensure_private_dir(parent) {
                let error = ApiError::new(
                    ErrorCode::Io,
                    format!("cannot create {}: {e}", parent.display()),
                );
                eprintln!("sextant: history disabled: {}", error.message);
                return HistoryState::Failed(error);
            }
        }
        match History::open(path) {
            Ok(history) => HistoryState::Open {
                history: Arc::new(history),
                source,
                keep_body_paths,
            },
            Err(e) => {
                let error = store_error(e);
                eprintln!("sextant: history disabled: {}", error.message);
                HistoryState::Failed(error)
            }
        }
    }
}

/// A store failure as the error every command returns; the codes are `StoreError::code`'s.
pub(crate) fn store_error(e: StoreError) -> ApiError {
    e.into()
}

fn join_error(e: tokio::task::JoinError) -> ApiError {
    ApiError::new(ErrorCode::Internal, format!("history task failed: {e}"))
}

impl App {
    fn history(&self) -> Result<Arc<History>, ApiError> {
        match &self.history {
            HistoryState::Open { history, .. } => Ok(Arc::clone(history)),
            HistoryState::Failed(e) => Err(e.clone()),
            HistoryState::Off => Err(ApiError::new(
                ErrorCode::InvalidRequest,
                "the history is turned off",
            )),
        }
    }

    /// A page of history entries matching `query`, newest first.
    pub async fn history_list(&self, query: HistoryQuery) -> Result<Vec<EntrySummary>, ApiError> {
        let history = self.history()?;
        tokio::task::spawn_blocking(move || history.list(&query))
            .await
            .map_err(join_error)?
            .map_err(store_error)
    }

    /// Everything recorded for entry `id`; `NotFound` when there is none.
    pub async fn history_get(&self, id: i64) -> Result<Entry, ApiError> {
        let history = self.history()?;
        tokio::task::spawn_blocking(move || history.get(id))
            .await
            .map_err(join_error)?
            .map_err(store_error)?
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::NotFound,
                    format!("history entry {id} does not exist"),
                )
            })
    }

    /// Entry `id` shaped for the window, with the id of its stored body when that file is
    /// still there (pass it to [`App::read_body`]).
    pub async fn history_entry(&self, id: i64) -> Result<HistoryEntry, ApiError> {
        let entry = self.history_get(id).await?;
        let response_id = entry
            .recorded
            .response_body_path
            .as_deref()
            .and_then(|p| self.live_body_id(Path::new(p)));
        Ok(HistoryEntry::from_entry(entry, response_id))
    }

    /// The body id behind a recorded path, when it names a file of this app's body store that
    /// still exists.
    fn live_body_id(&self, path: &Path) -> Option<String> {
        let id = path.file_name()?.to_str()?.strip_suffix(".body")?;
        let ours = self.engine.bodies().path(id).ok()?;
        (ours == path && ours.is_file()).then(|| id.to_string())
    }

    /// The newest entry whose response body was written to `body_path`; `None` also when the
    /// history is off.
    pub(crate) async fn history_find_by_body_path(
        &self,
        body_path: &Path,
    ) -> Result<Option<i64>, ApiError> {
        let Ok(history) = self.history() else {
            return Ok(None);
        };
        let path = body_path.to_string_lossy().into_owned();
        tokio::task::spawn_blocking(move || history.find_by_body_path(&path))
            .await
            .map_err(join_error)?
            .map_err(store_error)
    }

    /// Deletes the oldest entries until every limit in `policy` holds, and their body files.
    pub async fn history_prune(&self, policy: Retention) -> Result<PruneReport, ApiError> {
        let history = self.history()?;
        let report = tokio::task::spawn_blocking(move || {
            let report = history.prune(&policy)?;
            for path in &report.body_paths {
                remove_body_file(Path::new(path));
            }
            Ok::<_, StoreError>(report)
        })
        .await
        .map_err(join_error)?
        .map_err(store_error)?;
        Ok(report)
    }

    /// The history database file, when the history is open.
    pub fn history_path(&self) -> Option<PathBuf> {
        match &self.history {
            HistoryState::Open { history, .. } => Some(history.path().to_path_buf()),
            _ => None,
        }
    }
}

fn remove_body_file(path: &Path) {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => eprintln!("sextant: cannot delete {}: {e}", path.display()),
    }
}
