//! What the user composes: a request and its per-request settings.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One row of a parameters, headers or form table. Rows keep their order, duplicates are allowed
/// and a disabled row is kept but not sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeyValue {
    pub name: String,
    pub value: String,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

impl KeyValue {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
            enabled: true,
        }
    }
}

/// A request as composed. `url` may carry a query string of its own; the enabled `query` rows are
/// appended to it in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HttpRequest {
    /// Any HTTP method token, custom ones included (`PURGE`, `PROPFIND`, ...).
    pub method: String,
    pub url: String,
    #[serde(default)]
    pub query: Vec<KeyValue>,
    #[serde(default)]
    pub headers: Vec<KeyValue>,
    #[serde(default)]
    pub body: RequestBody,
    #[serde(default)]
    pub settings: RequestSettings,
    /// Names of the header or query rows that auth added (an API key's name, `Authorization`):
    /// credentials the engine drops on a redirect to another origin, whatever their name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(skip)]
    pub credentials: Vec<String>,
    /// Digest or SigV4 credentials, resolved, for the engine to answer or sign with. Set by the
    /// template, never saved or sent to the window.
    #[serde(skip)]
    #[ts(skip)]
    pub signing: Option<crate::Signing>,
}

impl HttpRequest {
    pub fn get(url: impl Into<String>) -> Self {
        Self::new("GET", url)
    }

    pub fn new(method: impl Into<String>, url: impl Into<String>) -> Self {
        Self {
            method: method.into(),
            url: url.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: RequestBody::None,
            settings: RequestSettings::default(),
            credentials: Vec::new(),
            signing: None,
        }
    }
}

/// The body kinds a user can pick in the composer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum RequestBody {
    #[default]
    None,
    /// Free text with the content type the user chose.
    #[serde(rename_all = "camelCase")]
    Text { content_type: String, text: String },
    /// JSON text, sent as typed (the editor marks syntax errors; the engine does not reformat).
    Json { text: String },
    /// `application/x-www-form-urlencoded`.
    Form { fields: Vec<KeyValue> },
    /// `multipart/form-data` with text fields and files read from disk.
    Multipart { parts: Vec<MultipartPart> },
    /// The bytes of a file, streamed from disk.
    #[serde(rename_all = "camelCase")]
    Binary {
        path: String,
        content_type: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MultipartPart {
    pub name: String,
    #[serde(default = "yes")]
    pub enabled: bool,
    pub value: PartValue,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum PartValue {
    Text {
        text: String,
    },
    /// A file from disk; `filename` defaults to the file's own name and `contentType` is guessed
    /// from its extension when absent.
    #[serde(rename_all = "camelCase")]
    File {
        path: String,
        filename: Option<String>,
        content_type: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum HttpVersionPref {
    /// HTTP/2 when the server offers it through ALPN, else HTTP/1.1.
    #[default]
    Auto,
    Http1,
    /// HTTP/2 without negotiation (h2c on plain http).
    Http2PriorKnowledge,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum ProxySetting {
    #[default]
    None,
    /// `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY` from the environment.
    System,
    /// One proxy for every scheme (`http://`, `https://` or `socks5://`).
    Url { url: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct RequestSettings {
    /// Limit on DNS + TCP + TLS setup, in milliseconds. `None`: no limit.
    pub connect_timeout_ms: Option<u32>,
    /// Limit on the whole exchange, redirects and body included. `None`: no limit.
    pub timeout_ms: Option<u32>,
    pub follow_redirects: bool,
    pub max_redirects: u32,
    /// Verify the server's certificate chain and name. On unless the user turns it off.
    pub verify_tls: bool,
    pub http_version: HttpVersionPref,
    pub proxy: ProxySetting,
    /// Send loopback traffic through the proxy too (off: loopback always goes direct).
    pub proxy_loopback: bool,
    /// On a 307/308 redirect to another origin, send a file body again (off: the send stops
    /// with `FileNotAllowed` rather than give a file to a server the user did not address).
    pub resend_files_cross_origin: bool,
    /// When a server-sent events response ends, send the request again with `Last-Event-ID`
    /// after the stream's `retry` time, continuing the same body and Events list.
    pub sse_reconnect: SseReconnect,
    /// The most reconnections one send makes (each one counts, whether it connects or not).
    pub sse_reconnect_attempts: u32,
}

/// When an event stream is reconnected. Browsers reconnect on any end; Sextant by default does
/// not reconnect at all, and when asked to, on an abnormal end only unless told `always`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SseReconnect {
    #[default]
    Off,
    /// When the connection drops or the body is cut short (not on a clean end).
    Dropped,
    /// On any end of the stream, a clean one too (as a browser's `EventSource` does).
    Always,
}

impl Default for RequestSettings {
    fn default() -> Self {
        Self {
            connect_timeout_ms: Some(30_000),
            timeout_ms: None,
            follow_redirects: true,
            max_redirects: 10,
            verify_tls: true,
            http_version: HttpVersionPref::Auto,
            proxy: ProxySetting::None,
            proxy_loopback: false,
            resend_files_cross_origin: false,
            sse_reconnect: SseReconnect::Off,
            sse_reconnect_attempts: 5,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minimal_request_deserialises_with_defaults() {
        let req: HttpRequest =
            serde_json::from_str(r#"{"method":"PURGE","url":"http://127.0.0.1/"}"#).unwrap();
        assert_eq!(req.method, "PURGE");
        assert_eq!(req.body, RequestBody::None);
        assert!(req.settings.verify_tls);
        assert!(req.settings.follow_redirects);
    }

    #[test]
    fn bodies_are_tagged_by_kind() {
        let body = RequestBody::Binary {
            path: "/tmp/x".into(),
            content_type: None,
        };
        let json = serde_json::to_string(&body).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"binary","path":"/tmp/x","contentType":null}"#
        );
    }
}
