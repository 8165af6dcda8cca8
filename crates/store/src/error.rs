//! Why a history operation failed, in terms a caller can act on.
//!
//! The variants that concern the database file as a whole (`Corrupt`, `NotHistory`, `TooNew`,
//! `Migration`, `Backup`) carry its path, because the app shows them to a person who has to find
//! that file. Each of them means the file was left exactly as it was found.

use std::path::PathBuf;

/// A failed history operation.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file could not be opened at all (missing folder, no permission, a directory).
    #[error("cannot open the history database {}: {source}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },

    /// The file is not an SQLite database, or SQLite found it damaged. It was not modified.
    #[error("the history database {} is damaged or not an SQLite database: {detail}", path.display())]
    Corrupt { path: PathBuf, detail: String },

    /// A valid SQLite database that some other program owns. It was not modified.
    #[error("{} is an SQLite database, but not a Sextant history", path.display())]
    NotHistory { path: PathBuf },

    /// Written by a newer Sextant whose schema this version does not know. It was not modified.
    #[error(
        "the history database {} has schema version {found}; this Sextant reads up to {supported}",
        path.display()
    )]
    TooNew {
        path: PathBuf,
        found: u32,
        supported: u32,
    },

    /// The safety copy taken before a migration could not be written; nothing was migrated.
    #[error("cannot back up {} to {} before migrating it: {detail}", path.display(), backup.display())]
    Backup {
        path: PathBuf,
        backup: PathBuf,
        detail: String,
    },

    /// A schema migration failed; the database stays at the version it had before that step.
    #[error(
        "migrating the history database {} to schema version {version} failed: {source}",
        path.display()
    )]
    Migration {
        path: PathBuf,
        version: u32,
        #[source]
        source: rusqlite::Error,
    },

    /// The entry cannot be stored as given (a non-finite duration, a size beyond `i64`).
    #[error("invalid history entry: {0}")]
    InvalidEntry(String),

    /// A stored row that does not read back (headers that are not the JSON we wrote).
    #[error("history entry {id} is unreadable: {detail}")]
    BadRow { id: i64, detail: String },

    /// Any other SQLite failure, such as a write that waited longer than the busy timeout.
    #[error("history database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}
