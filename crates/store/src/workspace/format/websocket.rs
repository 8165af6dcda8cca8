//! The `websocket:` section of a request file: present when the request is a WebSocket
//! connection, with the options that differ from the defaults and the named messages kept with
//! it. Message bodies are free text like an HTTP body (templated when sent), so they are kept as
//! written; credentials belong in the request's auth, headers or variables, whose secret rules
//! already apply.

use serde::{Deserialize, Serialize};
use sextant_model::{WebSocketSettings, WsMessageKind, WsSavedMessage};

use super::RequestFile;

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_true(b: &bool) -> bool {
    *b
}

fn yes() -> bool {
    true
}

fn default_max() -> u64 {
    WebSocketSettings::default().max_message_bytes
}

fn is_default_max(n: &u64) -> bool {
    *n == default_max()
}

fn is_text(kind: &WsMessageKind) -> bool {
    *kind == WsMessageKind::Text
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct FileWebSocket {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    subprotocols: Vec<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    deflate: bool,
    #[serde(default = "default_max", skip_serializing_if = "is_default_max")]
    max_message_bytes: u64,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    auto_pong: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    keepalive_secs: Option<u32>,
    #[serde(default, skip_serializing_if = "is_false")]
    reconnect: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    messages: Vec<FileWsMessage>,
}

/// `{name, kind?, body}`: `kind` is `text` (left out), `json`, `binaryHex` or `binaryFile`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FileWsMessage {
    name: String,
    #[serde(default, skip_serializing_if = "is_text")]
    kind: WsMessageKind,
    #[serde(default)]
    body: String,
}

pub(crate) fn websocket_out(ws: Option<&WebSocketSettings>) -> Option<FileWebSocket> {
    let ws = ws?;
    Some(FileWebSocket {
        subprotocols: ws.subprotocols.clone(),
        deflate: ws.deflate,
        max_message_bytes: ws.max_message_bytes,
        auto_pong: ws.auto_pong,
        keepalive_secs: ws.keepalive_secs,
        reconnect: ws.reconnect,
        messages: ws
            .messages
            .iter()
            .map(|m| FileWsMessage {
                name: m.name.clone(),
                kind: m.kind,
                body: m.body.clone(),
            })
            .collect(),
    })
}

pub(crate) fn websocket_in(file: Option<FileWebSocket>) -> Option<WebSocketSettings> {
    let file = file?;
    Some(WebSocketSettings {
        subprotocols: file.subprotocols,
        deflate: file.deflate,
        max_message_bytes: file.max_message_bytes,
        auto_pong: file.auto_pong,
        keepalive_secs: file.keepalive_secs,
        reconnect: file.reconnect,
        messages: file
            .messages
            .into_iter()
            .map(|m| WsSavedMessage {
                name: m.name,
                kind: m.kind,
                body: m.body,
            })
            .collect(),
    })
}

/// What the sidebar shows in a request's method column for a WebSocket request.
pub(crate) const WS_METHOD: &str = "WS";

impl RequestFile {
    /// The method the tree shows: `WS` for a WebSocket request, else the HTTP method.
    pub(crate) fn tree_method(&self) -> String {
        if self.websocket.is_some() {
            WS_METHOD.to_owned()
        } else {
            self.method.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_left_out_and_everything_round_trips() {
        let plain = WebSocketSettings::default();
        let file = websocket_out(Some(&plain)).unwrap();
        assert_eq!(serde_norway::to_string(&file).unwrap(), "{}\n");
        assert_eq!(websocket_in(Some(file)), Some(plain));

        let full = WebSocketSettings {
            subprotocols: vec!["chat.v1".into()],
            deflate: true,
            max_message_bytes: 1024,
            auto_pong: false,
            keepalive_secs: Some(30),
            reconnect: true,
            messages: vec![
                WsSavedMessage {
                    name: "hello".into(),
                    kind: WsMessageKind::Text,
                    body: "hi {{name}}".into(),
                },
                WsSavedMessage {
                    name: "frame".into(),
                    kind: WsMessageKind::BinaryHex,
                    body: "00ff".into(),
                },
            ],
        };
        let yaml = serde_norway::to_string(&websocket_out(Some(&full)).unwrap()).unwrap();
        assert_eq!(
            yaml,
            "subprotocols:\n- chat.v1\ndeflate: true\nmaxMessageBytes: 1024\nautoPong: false\n\
             keepaliveSecs: 30\nreconnect: true\nmessages:\n- name: hello\n  body: hi {{name}}\n\
             - name: frame\n  kind: binaryHex\n  body: 00ff\n"
        );
        let back: FileWebSocket = serde_norway::from_str(&yaml).unwrap();
        assert_eq!(websocket_in(Some(back)), Some(full));
        assert_eq!(websocket_out(None), None);
    }
}
