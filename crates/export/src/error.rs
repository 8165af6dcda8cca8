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
    #[error(
        "mock modules (respx, responses) replay recorded exchanges: export them from the history"
    )]
    NotMocks,
    #[error("nothing recorded to replay from {0}")]
    NoRecording(String),
}

impl From<ExportError> for ApiError {
    fn from(e: ExportError) -> Self {
        let code = match e {
            ExportError::UnknownEnvironment(_) => ErrorCode::NotFound,
            ExportError::Empty | ExportError::App(_) | ExportError::NotMocks => {
                ErrorCode::InvalidRequest
            }
            ExportError::NoRecording(_) => ErrorCode::NotFound,
        };
        ApiError::new(code, e.to_string())
    }
}
