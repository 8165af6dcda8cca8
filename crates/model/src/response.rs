//! What comes back: the response, its timings, sizes, redirects and cookies, and the progress
//! events streamed while it arrives.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{ApiError, AssertionResult};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Header {
    pub name: String,
    pub value: String,
}

/// Phase timings in milliseconds. A phase that did not happen or that the engine cannot measure
/// is `null`, never an invented number.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Timings {
    /// Name resolution. `null` when the connection was reused or the host is an IP literal.
    pub dns_ms: Option<f64>,
    /// TCP connect, plus the TLS handshake when `tlsInConnect` is true. `null` on a reused
    /// connection.
    pub connect_ms: Option<f64>,
    /// The TLS handshake alone, when it could be separated from TCP.
    pub tls_ms: Option<f64>,
    /// True when `connectMs` includes the TLS handshake (https without a separate measurement).
    pub tls_in_connect: bool,
    /// From sending the request until the response head arrived, after connection setup.
    pub wait_ms: f64,
    /// From the start of this exchange until the response head arrived.
    pub ttfb_ms: f64,
    /// Reading the body.
    pub download_ms: f64,
    /// The whole exchange, every redirect hop included.
    pub total_ms: f64,
    pub reused_connection: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ResponseSizes {
    /// Status line and headers as they would appear on HTTP/1.1.
    pub headers_bytes: u64,
    /// Body bytes as they came over the wire (still compressed).
    pub body_wire_bytes: u64,
    /// Body bytes after Content-Encoding was decoded; what is stored and shown.
    pub body_decoded_bytes: u64,
}

/// Where the decoded body lives. The UI reads it in windows through `readBody`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BodyInfo {
    pub content_type: Option<String>,
    /// The encoding that was decoded (`gzip`, `br`, ...), if any.
    pub content_encoding: Option<String>,
    pub size: u64,
    /// True when the body stopped early (cancelled, connection reset); `size` bytes are kept.
    pub partial: bool,
}

/// One redirect the engine followed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RedirectHop {
    pub url: String,
    pub method: String,
    pub status: u16,
    pub location: String,
    /// The method used for the next hop (303 turns anything but HEAD into GET; 301/302 turn POST
    /// into GET; 307/308 keep method and body).
    pub next_method: String,
    pub body_dropped: bool,
    pub headers: Vec<Header>,
    pub elapsed_ms: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CookieInfo {
    pub name: String,
    pub value: String,
    pub domain: String,
    pub path: String,
    /// RFC 3339 expiry, `null` for a session cookie.
    pub expires: Option<String>,
    pub secure: bool,
    pub http_only: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HttpResponse {
    /// Key of the stored body; pass it to `readBody`.
    pub id: String,
    /// The URL that produced this response, after redirects.
    pub url: String,
    pub method: String,
    pub status: u16,
    pub reason: String,
    pub http_version: String,
    pub headers: Vec<Header>,
    pub remote_addr: Option<String>,
    pub timings: Timings,
    pub sizes: ResponseSizes,
    pub body: BodyInfo,
    pub redirects: Vec<RedirectHop>,
    /// The auth headers the engine added to the request of the last hop (a Digest answer, an
    /// AWS signature), for the view of the request as sent. Holds credentials: mask before
    /// keeping or showing.
    #[serde(default)]
    pub auth_headers: Vec<Header>,
    /// Cookies this response (and its redirect hops) set.
    pub cookies: Vec<CookieInfo>,
    /// Set when the body was cut short: the response is still shown, with what arrived.
    pub error: Option<ApiError>,
    /// What the request's enabled assertions found (the app fills it; the engine leaves it empty,
    /// and it is absent when there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<AssertionResult>>", optional)]
    pub assertions: Vec<AssertionResult>,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }
}

/// Progress of one send, streamed to the UI (over a Tauri channel) or the CLI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "event", rename_all = "camelCase")]
#[ts(export)]
pub enum SendEvent {
    Redirect {
        hop: RedirectHop,
    },
    /// The response head arrived; its body is being written to the body store under `head.bodyId`.
    Head {
        head: ResponseHead,
    },
    /// Body bytes stored so far (decoded), and the expected total when the server said it.
    #[serde(rename_all = "camelCase")]
    Body {
        received: u64,
        expected: Option<u64>,
        /// Since the send started, so a reader can tell the rate and the time left.
        elapsed_ms: f64,
    },
    /// Events or records parsed from a streamed body (SSE, NDJSON), batched so a fast stream
    /// does not flood the channel; `total` counts every record so far.
    Records {
        kind: crate::StreamKind,
        records: Vec<crate::StreamRecord>,
        total: u64,
    },
    /// An event stream ended (`reason` says how) and is reconnected after `delay_ms` with
    /// `Last-Event-ID: last_event_id`; the records that follow come over the new connection.
    #[serde(rename_all = "camelCase")]
    Reconnect {
        /// From 1.
        attempt: u32,
        max_attempts: u32,
        delay_ms: u64,
        last_event_id: Option<String>,
        reason: String,
    },
}

/// The final response's head, sent before its body so the window and the CLI can show the
/// response while it downloads. The body grows in the body store under `body_id` (the id the
/// finished `HttpResponse` will carry): windows of it can be read while it is written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ResponseHead {
    pub body_id: String,
    /// The URL that produced this response, after redirects.
    pub url: String,
    pub status: u16,
    pub reason: String,
    pub http_version: String,
    pub headers: Vec<Header>,
    pub content_type: Option<String>,
    /// Content-Length as the server sent it (wire bytes: with a Content-Encoding the decoded body
    /// may be larger), when it sent one.
    pub expected: Option<u64>,
    /// Since the send started.
    pub elapsed_ms: f64,
}
