//! Sextant's local storage, in two parts:
//!
//! - [`Workspace`]: collections as plain, human-readable files in a workspace folder (one YAML
//!   file per request, folders as folders, see `docs/FORMAT.md`), with atomic saves, revision
//!   checks against edits made on disk, a trash, a file watcher, and the [`SecretStore`] that
//!   keeps secret values out of those files. [`Drafts`] keeps unsaved edits across restarts.
//! - [`History`]: every request sent, from the app or the CLI, kept in one SQLite file that both
//!   write to at once and that people search later.
//!
//! Nothing is ever dropped behind the user's back: the history only shrinks when
//! [`History::prune`] is called with the limits the user chose. Large response bodies stay in
//! files the caller manages; the database keeps their paths and a searchable leading slice.
//!
//! This crate knows nothing of Tauri or async runtimes: its calls block briefly, and an async
//! caller runs them on a blocking thread.

mod entry;
mod error;
mod history;
mod list;
mod open;
pub mod private;
pub mod schema;
mod search;
pub mod workspace;

pub use entry::{Entry, EntrySummary, HistoryQuery, NewEntry, PruneReport, Retention, Source};
pub use error::{SealError, StoreError};
pub use history::History;
pub use history::{BatchLimits, BatchWriter, Recorded, RunTag};
pub use history::{NewRun, RunListing, StoredRun, MAX_KEPT_RUNS};
pub use open::backup_path;
pub use workspace::{
    Draft, Drafts, EnvironmentEntry, LoadedEnvironment, LoadedFolder, LoadedRequest, NodeKind,
    Saved, SecretStore, TrashEntry, TreeNode, WatchHandle, Workspace, ABSENT_REVISION,
};
