//! WebSocket connections: what is saved with a request, and what a live session reports.
//!
//! A saved request becomes a WebSocket connection when it carries [`WebSocketSettings`]: its
//! URL (`ws://`/`wss://`), query, headers, auth and TLS/proxy/connect-timeout settings come from
//! the ordinary [`crate::HttpRequest`] and inherit down the folder chain like any request's, so
//! templating, auth and the collection files need nothing new for them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{ApiError, Header};

/// The WebSocket part of a saved request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct WebSocketSettings {
    /// Offered in `Sec-WebSocket-Protocol`, in order of preference.
    pub subprotocols: Vec<String>,
    /// Offer `permessage-deflate`.
    pub deflate: bool,
    /// Largest message accepted from the server; a bigger one closes the session with 1009.
    pub max_message_bytes: u64,
    /// Answer the server's pings with pongs (off: pings are only logged).
    pub auto_pong: bool,
    /// Send a ping every this many seconds while open. `None`: never.
    pub keepalive_secs: Option<u32>,
    /// Reconnect with back-off after an abnormal close.
    pub reconnect: bool,
    /// Named messages kept with the request.
    pub messages: Vec<WsSavedMessage>,
}

impl Default for WebSocketSettings {
    fn default() -> Self {
        Self {
            subprotocols: Vec::new(),
            deflate: false,
            max_message_bytes: 16 * 1024 * 1024,
            auto_pong: true,
            keepalive_secs: None,
            reconnect: false,
            messages: Vec::new(),
        }
    }
}

/// How a message's `body` is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum WsMessageKind {
    /// Sent as a text frame after `{{variable}}` templating.
    #[default]
    Text,
    /// Templated, then checked to be JSON, sent as a text frame.
    Json,
    /// Hex digits (whitespace allowed), sent as a binary frame.
    BinaryHex,
    /// A file path (relative to the collection folder), its bytes sent as a binary frame.
    BinaryFile,
}

/// A named message saved with a WebSocket request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct WsSavedMessage {
    pub name: String,
    pub kind: WsMessageKind,
    pub body: String,
}

/// A message the user sends on an open session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WsOutgoing {
    pub kind: WsMessageKind,
    pub body: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum WsDirection {
    Sent,
    Received,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum WsOpcode {
    Text,
    Binary,
    Ping,
    Pong,
    Close,
}

/// One frame of a session's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WsFrame {
    /// Position in the session, from 0.
    pub seq: u64,
    pub direction: WsDirection,
    pub opcode: WsOpcode,
    /// Milliseconds since the connection attempt started.
    pub at_ms: u64,
    /// Payload size in bytes.
    pub size: u64,
    /// The payload: UTF-8 text for text frames (and close reasons, ping/pong payloads that are
    /// text); lowercase hex for binary payloads. Cut to a preview for big frames (`truncated`).
    pub data: String,
    pub truncated: bool,
}

/// What the opening handshake said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WsHandshake {
    pub url: String,
    pub status: u16,
    pub request_headers: Vec<Header>,
    pub response_headers: Vec<Header>,
    pub subprotocol: Option<String>,
    pub extensions: Vec<String>,
    pub remote_addr: Option<String>,
    /// TCP (and TLS) setup, then the HTTP upgrade, in milliseconds.
    pub connect_ms: f64,
    pub handshake_ms: f64,
    /// Settings that could not be honoured, one sentence each (every setting is honoured today;
    /// kept so a host can say so if one ever is not).
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// Who ended a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum WsCloseInitiator {
    Client,
    Server,
    /// The connection dropped without a close frame (1006), or an error ended it.
    Abnormal,
}

/// Events of one live WebSocket session, streamed to the window (over a Tauri channel) or the CLI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "event", rename_all = "camelCase")]
#[ts(export)]
pub enum WsEvent {
    #[serde(rename_all = "camelCase")]
    Connecting {
        attempt: u32,
    },
    Open {
        handshake: WsHandshake,
    },
    /// Frames in order, batched so a fast server does not flood the IPC bridge. `dropped`
    /// counts frames left out of the live log (the log's cap); they are still counted.
    #[serde(rename_all = "camelCase")]
    Frames {
        frames: Vec<WsFrame>,
        dropped: u64,
    },
    #[serde(rename_all = "camelCase")]
    Closed {
        code: u16,
        reason: String,
        initiator: WsCloseInitiator,
        error: Option<ApiError>,
    },
    #[serde(rename_all = "camelCase")]
    Reconnecting {
        attempt: u32,
        in_ms: u64,
    },
}

/// A WebSocket connection as the history keeps it, reopened read-only: its frames up to the
/// per-session cap (`frames.len()` ≤ `frame_cap`; `total_frames` counts them all) and how it
/// ended. The rest of the entry (URL, handshake headers, the request as written) is the history
/// entry's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WsRecording {
    pub entry_id: i64,
    pub frames: Vec<WsFrame>,
    pub total_frames: u64,
    pub frame_cap: u64,
    pub close_code: Option<u16>,
    pub close_reason: String,
    pub initiator: Option<WsCloseInitiator>,
}

/// How a recorded WebSocket session went, for its row in the history list: its frames (all of
/// them, not only those kept) and its close. `close_code` is `None` for a connection that never
/// opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WsSessionSummary {
    pub entry_id: i64,
    pub total_frames: u64,
    pub close_code: Option<u16>,
    pub close_reason: String,
    pub initiator: Option<WsCloseInitiator>,
}
