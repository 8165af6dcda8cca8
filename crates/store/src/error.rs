//! Why a store operation failed, in terms a caller can act on.
//!
//! The history variants that concern the database file as a whole (`Corrupt`, `NotHistory`,
//! `TooNew`, `Migration`, `Backup`) carry its path, because the app shows them to a person who has
//! to find that file. Each of them means the file was left exactly as it was found. The workspace
//! variants carry the path of the file or folder concerned, relative to the workspace when it is
//! inside one. [`StoreError::code`] classifies every variant for the UI; it is the only mapping from a
//! store failure to an `ErrorCode` (the app converts with `ApiError::from`).

use std::path::PathBuf;

use sextant_model::{ApiError, ErrorCode};

/// A failed history, workspace, secret or draft operation.
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

    /// A workspace file or folder that was asked for does not exist.
    #[error("{path} does not exist")]
    NotFound { path: String },

    /// The file changed on disk since it was read (another program, a `git pull`, another
    /// window): saving would overwrite that edit, so nothing was written.
    #[error("{path} changed on disk since it was opened; reload it or save under another name")]
    Conflict { path: String },

    /// Something was to be created where a file or folder already is; nothing was written.
    #[error("{path} already exists")]
    AlreadyExists { path: String },

    /// An imported collection has the name of a collection in the workspace and no choice was
    /// made (merge into it, or another name); nothing was written.
    #[error(
        "a collection named \"{name}\" already exists: merge into it or import under another name"
    )]
    CollectionExists { name: String },

    /// A collection, folder, request or environment file that does not parse. `line` and
    /// `column` start at 1; they are 0 when the parser could not say where.
    #[error("{path}:{line}:{column}: {message}")]
    InvalidFile {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },

    /// A path or name the caller gave that cannot be used (outside the workspace, `..`, a
    /// reserved or hidden name, a request where a folder is expected).
    #[error("invalid path {path}: {reason}")]
    InvalidPath { path: String, reason: String },

    /// A file system operation failed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The local secret store cannot be read (its key file is missing or does not match) or
    /// written. The store file was left as it was.
    #[error("secret store {}: {detail}", path.display())]
    Secrets { path: PathBuf, detail: String },

    /// A file sealed with the secret store's key (the store itself, a draft) could not be
    /// sealed or opened. A file that could not be opened was left as it was.
    #[error("{}: {source}", path.display())]
    Sealed {
        path: PathBuf,
        #[source]
        source: SealError,
    },

    /// A workspace file or folder whose real path (a symlink resolved) is outside the workspace:
    /// it is not read.
    #[error("{path} links to a file outside the workspace; it is not read")]
    OutsideWorkspace { path: String },

    /// Folders nested deeper than the store walks.
    #[error("{path} is nested more than {max} folders deep; deeper folders are not read")]
    TooDeep { path: String, max: usize },

    /// The file watcher could not be started.
    #[error("cannot watch {}: {detail}", path.display())]
    Watch { path: PathBuf, detail: String },
}

impl StoreError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }

    /// The stable code the UI branches on.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::NotFound { .. } => ErrorCode::NotFound,
            Self::Conflict { .. } | Self::AlreadyExists { .. } | Self::CollectionExists { .. } => {
                ErrorCode::Conflict
            }
            Self::InvalidFile { .. }
            | Self::Corrupt { .. }
            | Self::NotHistory { .. }
            | Self::TooNew { .. }
            | Self::BadRow { .. } => ErrorCode::InvalidFile,
            Self::InvalidPath { .. } | Self::InvalidEntry(_) => ErrorCode::InvalidRequest,
            Self::OutsideWorkspace { .. } => ErrorCode::FileNotAllowed,
            Self::TooDeep { .. } => ErrorCode::TooLarge,
            Self::Io { .. }
            | Self::Open { .. }
            | Self::Backup { .. }
            | Self::Migration { .. }
            | Self::Sqlite(_)
            | Self::Secrets { .. }
            | Self::Sealed { .. }
            | Self::Watch { .. } => ErrorCode::Io,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        ApiError::new(err.code(), err.to_string())
    }
}

/// Why sealing or opening a file with the secret store's key failed.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("no random numbers for a nonce: {0}")]
    NoRandom(getrandom::Error),
    #[error("encryption failed")]
    Encrypt,
    #[error("not a file Sextant sealed")]
    NotSealed,
    #[error("cannot decrypt it: the key does not match, or it is damaged")]
    Decrypt,
}
