//! What can end a WebSocket connection attempt or a command on a session, as one sentence each.

use sextant_model::{ApiError, ErrorCode};

use crate::EngineError;

/// How much of a refused upgrade's body the error quotes.
const BODY_EXCERPT: usize = 300;

#[derive(Debug, thiserror::Error)]
pub enum WsError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The server answered the upgrade with something other than 101.
    #[error(
        "the server refused the WebSocket upgrade with HTTP {status}{}",
        excerpt(body)
    )]
    Rejected { status: u16, body: String },
    /// The 101 answer or the session broke the protocol.
    #[error("the WebSocket handshake failed: {0}")]
    Handshake(String),
    /// A setting the WebSocket engine cannot honour.
    #[error("{0}")]
    Unsupported(String),
    /// A message that cannot be sent as given (bad JSON, bad hex, a close code out of range).
    #[error("{0}")]
    InvalidMessage(String),
    /// A message bigger than a budget.
    #[error("{0}")]
    TooLarge(String),
    #[error("the WebSocket session is closed")]
    Closed,
}

fn excerpt(body: &str) -> String {
    let body = body.trim();
    if body.is_empty() {
        return String::new();
    }
    let mut cut = body.len().min(BODY_EXCERPT);
    while !body.is_char_boundary(cut) {
        cut -= 1;
    }
    let more = if cut < body.len() { "…" } else { "" };
    format!(": {}{more}", &body[..cut])
}

impl WsError {
    pub fn code(&self) -> ErrorCode {
        match self {
            WsError::Engine(e) => e.code(),
            WsError::Rejected { .. } | WsError::Handshake(_) => ErrorCode::Protocol,
            WsError::Unsupported(_) | WsError::InvalidMessage(_) | WsError::Closed => {
                ErrorCode::InvalidRequest
            }
            WsError::TooLarge(_) => ErrorCode::TooLarge,
        }
    }

    pub fn to_api(&self) -> ApiError {
        ApiError::new(self.code(), self.to_string())
    }
}

impl From<WsError> for ApiError {
    fn from(e: WsError) -> Self {
        e.to_api()
    }
}
