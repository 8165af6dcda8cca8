//! How a WebSocket session is printed: one JSON object per line when the output is read by a
//! program (a shape kept stable for scripts), one short line per frame for a person.
//!
//! JSON lines, each with an `event`:
//! - `{"event":"open","url":…,"status":101,"subprotocol":"chat"|null,"extensions":[…],
//!   "connectMs":1.2,"handshakeMs":0.8,"headers":[{"name":…,"value":…}]}`: the handshake
//!   (response headers), always first;
//! - `{"event":"frame","dir":"in"|"out","op":"text"|"binary"|"ping"|"pong"|"close","t":12,
//!   "size":5,"data":"hello"}`: `t` in milliseconds since the connection attempt started, `size`
//!   the payload's bytes, `data` the text (binary payloads as lowercase hex); `"truncated":true`
//!   is added when `data` is only the start of a big payload;
//! - `{"event":"dropped","count":12}`: frames left out of the live log (its cap);
//! - `{"event":"close","code":4000,"reason":"goodbye","by":"server"|"client"|"abnormal"}`, with
//!   `"error":{"code":…,"message":…}` when an error ended the session; always last.

use serde_json::{json, Value};
use sextant_model::{ApiError, WsCloseInitiator, WsDirection, WsFrame, WsHandshake, WsOpcode};

fn opcode(op: WsOpcode) -> &'static str {
    match op {
        WsOpcode::Text => "text",
        WsOpcode::Binary => "binary",
        WsOpcode::Ping => "ping",
        WsOpcode::Pong => "pong",
        WsOpcode::Close => "close",
    }
}

fn initiator(by: WsCloseInitiator) -> &'static str {
    match by {
        WsCloseInitiator::Client => "client",
        WsCloseInitiator::Server => "server",
        WsCloseInitiator::Abnormal => "abnormal",
    }
}

pub fn open(h: &WsHandshake) -> Value {
    json!({
        "event": "open",
        "url": h.url,
        "status": h.status,
        "subprotocol": h.subprotocol,
        "extensions": h.extensions,
        "connectMs": h.connect_ms,
        "handshakeMs": h.handshake_ms,
        "headers": h.response_headers,
    })
}

pub fn frame(f: &WsFrame) -> Value {
    let mut line = json!({
        "event": "frame",
        "dir": match f.direction { WsDirection::Sent => "out", WsDirection::Received => "in" },
        "op": opcode(f.opcode),
        "t": f.at_ms,
        "size": f.size,
        "data": f.data,
    });
    if f.truncated {
        line["truncated"] = Value::Bool(true);
    }
    line
}

pub fn dropped(count: u64) -> Value {
    json!({ "event": "dropped", "count": count })
}

pub fn closed(code: u16, reason: &str, by: WsCloseInitiator, error: Option<&ApiError>) -> Value {
    let mut line = json!({
        "event": "close",
        "code": code,
        "reason": reason,
        "by": initiator(by),
    });
    if let Some(e) = error {
        line["error"] = json!({ "code": e.code, "message": e.message });
    }
    line
}

/// `← 12 ms text 5 B  hello` for the interactive session.
pub fn human_frame(f: &WsFrame) -> String {
    let arrow = match f.direction {
        WsDirection::Sent => '→',
        WsDirection::Received => '←',
    };
    let more = if f.truncated { " …" } else { "" };
    format!(
        "{arrow} {:>6} ms {:<6} {:>6} B  {}{more}",
        f.at_ms,
        opcode(f.opcode),
        f.size,
        f.data
    )
}

pub fn human_open(h: &WsHandshake) -> String {
    let mut text = format!(
        "connected to {} ({} in {:.1} ms + {:.1} ms)",
        h.url, h.status, h.connect_ms, h.handshake_ms
    );
    if let Some(p) = &h.subprotocol {
        text.push_str(&format!(", subprotocol {p}"));
    }
    if !h.extensions.is_empty() {
        text.push_str(&format!(", extensions {}", h.extensions.join(", ")));
    }
    text
}

pub fn human_closed(
    code: u16,
    reason: &str,
    by: WsCloseInitiator,
    error: Option<&ApiError>,
) -> String {
    let who = match by {
        WsCloseInitiator::Client => "closed",
        WsCloseInitiator::Server => "closed by the server",
        WsCloseInitiator::Abnormal => "connection lost",
    };
    let mut text = format!("{who}: {code}");
    if !reason.is_empty() {
        text.push_str(&format!(" {reason:?}"));
    }
    if let Some(e) = error {
        text.push_str(&format!(" ({:?}: {})", e.code, e.message));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use sextant_model::ErrorCode;

    fn text_frame(direction: WsDirection, data: &str) -> WsFrame {
        WsFrame {
            seq: 1,
            direction,
            opcode: WsOpcode::Text,
            at_ms: 12,
            size: data.len() as u64,
            data: data.into(),
            truncated: false,
        }
    }

    #[test]
    fn a_frame_is_one_stable_json_line() {
        let line = frame(&text_frame(WsDirection::Received, "hello"));
        assert_eq!(
            line.to_string(),
            r#"{"event":"frame","dir":"in","op":"text","t":12,"size":5,"data":"hello"}"#
        );
        let mut big = text_frame(WsDirection::Sent, "abc");
        big.truncated = true;
        big.size = 1_000_000;
        let line = frame(&big);
        assert_eq!(line["dir"], "out");
        assert_eq!(line["truncated"], true);
        assert_eq!(line["size"], 1_000_000);
    }

    #[test]
    fn a_close_line_says_who_closed_and_why() {
        let line = closed(4000, "goodbye", WsCloseInitiator::Server, None);
        assert_eq!(
            line.to_string(),
            r#"{"event":"close","code":4000,"reason":"goodbye","by":"server"}"#
        );
        let error = ApiError::new(ErrorCode::Protocol, "reset mid-frame");
        let line = closed(1006, "", WsCloseInitiator::Abnormal, Some(&error));
        assert_eq!(line["by"], "abnormal");
        assert_eq!(line["error"]["code"], "Protocol");
        assert_eq!(
            human_closed(1006, "", WsCloseInitiator::Abnormal, Some(&error)),
            "connection lost: 1006 (Protocol: reset mid-frame)"
        );
        assert_eq!(
            human_closed(4000, "goodbye", WsCloseInitiator::Server, None),
            "closed by the server: 4000 \"goodbye\""
        );
    }

    #[test]
    fn the_open_line_carries_the_handshake() {
        let h: WsHandshake = serde_json::from_value(json!({
            "url": "ws://127.0.0.1:1/echo",
            "status": 101,
            "requestHeaders": [],
            "responseHeaders": [{"name": "upgrade", "value": "websocket"}],
            "subprotocol": "chat",
            "extensions": [],
            "remoteAddr": null,
            "connectMs": 1.5,
            "handshakeMs": 0.5,
        }))
        .unwrap();
        let line = open(&h);
        assert_eq!(line["event"], "open");
        assert_eq!(line["subprotocol"], "chat");
        assert_eq!(line["headers"][0]["value"], "websocket");
        assert!(human_open(&h).contains("subprotocol chat"));
    }
}
