//! Errors of the command layer. Every one leaves as an `ApiError` `{code, message}`.

use sextant_engine::EngineError;
use sextant_model::{ApiError, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error("a request with id {0} is already in flight")]
    DuplicateRequestId(String),
    #[error("{0}")]
    Spec(#[from] sextant_openapi::ImportError),
    #[error("fetching the spec from {url} gave HTTP {status}")]
    SpecFetch { url: String, status: u16 },
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Engine(e) => e.to_api(),
            other @ AppError::DuplicateRequestId(_) => {
                ApiError::new(ErrorCode::InvalidRequest, other.to_string())
            }
            other @ (AppError::Spec(_) | AppError::SpecFetch { .. }) => {
                ApiError::new(ErrorCode::InvalidSpec, other.to_string())
            }
        }
    }
}
