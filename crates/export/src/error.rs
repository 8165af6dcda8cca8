//! Why an export cannot be generated.

use sextant_model::{ApiError, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("the collection has no environment named {0:?}")]
    UnknownEnvironment(String),
    #[error("the collection has no HTTP requests to export")]
    Empty,
    #[error(
        "{0:?} does not name an application: give it as module:attribute (myproject.main:app)"
    )]
    App(String),
}

impl From<ExportError> for ApiError {
    fn from(e: ExportError) -> Self {
        let code = match e {
            ExportError::UnknownEnvironment(_) => ErrorCode::NotFound,
            ExportError::Empty | ExportError::App(_) => ErrorCode::InvalidRequest,
        };
        ApiError::new(code, e.to_string())
    }
}
