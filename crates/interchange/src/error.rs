//! Why an import failed as a whole. Anything that leaves the rest usable is a
//! [`crate::Warning`] instead.

use sextant_model::{ApiError, ErrorCode};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InterchangeError {
    /// The text is not well-formed JSON.
    #[error("invalid JSON at line {line}, column {column}: {message}")]
    InvalidJson {
        line: usize,
        column: usize,
        message: String,
    },

    /// Well-formed, but not the kind of file the importer reads.
    #[error("not a {expected} file: {reason}")]
    WrongFormat {
        expected: &'static str,
        reason: String,
    },

    /// The right kind of file in a version we do not read.
    #[error("unsupported {format} version {version:?}: Sextant reads {supported}")]
    UnsupportedVersion {
        format: &'static str,
        version: String,
        supported: &'static str,
    },

    /// A curl command line that cannot be understood (unclosed quote, no URL, missing argument).
    #[error("cannot read the curl command: {0}")]
    Curl(String),

    /// A file given as a curl command that does not start with `curl` on its first line with
    /// text. Nothing of the file is quoted: it may be anything (a key, a config file).
    #[error("not a curl command (line {line}): the first word is not `curl`")]
    NotCurl { line: usize },

    /// The import is over one of its budgets (folder depth, number of requests, resources); the
    /// message names the budget.
    #[error("{what} is over Sextant's limit of {limit}")]
    TooLarge { what: &'static str, limit: usize },
}

impl From<InterchangeError> for ApiError {
    fn from(err: InterchangeError) -> Self {
        let code = match err {
            InterchangeError::Curl(_) => ErrorCode::InvalidRequest,
            InterchangeError::TooLarge { .. } => ErrorCode::TooLarge,
            _ => ErrorCode::InvalidFile,
        };
        ApiError::new(code, err.to_string())
    }
}
