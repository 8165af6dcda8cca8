//! The one error shape that crosses the IPC boundary and the CLI: a stable code the UI branches on
//! and one plain sentence for people.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What went wrong, as a stable identifier. The UI chooses icons and hints from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum ErrorCode {
    /// The URL could not be parsed or uses an unsupported scheme.
    InvalidUrl,
    /// The request itself is malformed (bad header name, missing file for a body part, ...).
    InvalidRequest,
    /// The host name did not resolve.
    Dns,
    /// The TCP connection was refused or the host is unreachable.
    Connect,
    /// The TLS handshake failed (certificate problem, protocol mismatch).
    Tls,
    /// A timeout expired; `TimeoutPhase` in the message says which.
    Timeout,
    /// The user cancelled the request.
    Cancelled,
    /// A redirect loop, or more hops than the request allows.
    TooManyRedirects,
    /// The connection broke while the body was being read; the bytes so far are kept.
    BodyRead,
    /// The server's answer was not valid HTTP (closed before the head, malformed or oversized head).
    Protocol,
    /// The body's Content-Encoding could not be decoded.
    Decode,
    /// A local file could not be read or written.
    Io,
    /// An API description (OpenAPI / Swagger) could not be read; the message says where.
    InvalidSpec,
    /// Something asked for does not exist (a response body that was removed, ...).
    NotFound,
    /// A `{{variable}}` the request uses is defined nowhere; the message names each one.
    UndefinedVariable,
    /// A file changed on disk since it was read; saving would overwrite someone else's edit.
    Conflict,
    /// A file the user gave (a collection file, an import) could not be understood; the message
    /// says where.
    InvalidFile,
    /// Something the user opened went over one of Sextant's budgets (bytes, nodes, depth,
    /// expansions, time); the message names the budget. Nothing was cut short silently.
    TooLarge,
    /// A file reference (a body file, a `$ref`) points outside the folder it came from, or at a
    /// place Sextant does not read without the user's say-so; the message names the file.
    FileNotAllowed,
    /// A bug or an unexpected condition.
    Internal,
}

/// Which phase a timeout interrupted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum TimeoutPhase {
    Connect,
    FirstByte,
    Body,
}

/// The error value every command returns: `{ code, message }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}
