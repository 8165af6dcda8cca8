//! What `sextant ws` connects to: a URL typed on the command line (sent as composed), or a saved
//! WebSocket request of the workspace (templated, with its environment and inherited auth, by
//! the app), with the command line's items and flags laid over it.

use std::time::Duration;

use anyhow::{bail, Result};
use sextant_app::{App, SendContext};
use sextant_model::{HttpRequest, KeyValue, SavedRequest, WebSocketSettings};

use super::WsArgs;
use crate::args::{parse_item, Item};

/// The longest a connection attempt may take when `--timeout` does not say less.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// A saved request is named by its file; anything else is a URL.
pub fn is_saved_path(word: &str) -> bool {
    !word.contains("://") && (word.ends_with(".yaml") || word.ends_with(".yml"))
}

/// `ws://` for a bare `host:port/path`, and the WebSocket scheme for an HTTP one.
pub fn ws_url(word: &str) -> String {
    if let Some(rest) = word.strip_prefix("http://") {
        format!("ws://{rest}")
    } else if let Some(rest) = word.strip_prefix("https://") {
        format!("wss://{rest}")
    } else if word.contains("://") || word.starts_with("{{") {
        word.to_owned()
    } else {
        format!("ws://{word}")
    }
}

/// Header and query items onto `req`; a body item has no place in a handshake.
fn apply_items(req: &mut HttpRequest, items: &[String]) -> Result<()> {
    for word in items {
        match parse_item(word)? {
            Item::Header(n, v) => req.headers.push(KeyValue::new(n, v)),
            Item::Query(n, v) => req.query.push(KeyValue::new(n, v)),
            _ => bail!(
                "{word:?}: a WebSocket handshake takes only Header:value and name==value items \
                 (send messages with --send)"
            ),
        }
    }
    Ok(())
}

/// The request to connect with and where it came from (`None`: as composed, no workspace).
pub async fn resolve(app: &App, args: &WsArgs) -> Result<(SavedRequest, Option<SendContext>)> {
    let (first, items) = args
        .words
        .split_first()
        .expect("clap requires the URL or PATH");
    let (mut saved, context) = if is_saved_path(first) {
        let path = first.trim().trim_matches('/').to_string();
        let opened = app.request_open(path.clone()).await?;
        let context = SendContext::new(Some(path.clone()), args.env.clone());
        let mut saved = opened.saved;
        if saved.websocket.is_none() {
            // Not saved as one, but it may be: a ws(s):// URL, or one a variable gives.
            let url = saved.request.url.trim_start().to_ascii_lowercase();
            if url.starts_with("http://") || url.starts_with("https://") {
                bail!("{path} is an HTTP request (its URL is http), not a WebSocket one");
            }
            saved.websocket = Some(WebSocketSettings::default());
        }
        (saved, Some(context))
    } else {
        if args.env.is_some() {
            bail!("--env names an environment of a saved request's collection: give a PATH");
        }
        let mut saved = SavedRequest::new("sextant ws", HttpRequest::get(ws_url(first)));
        saved.websocket = Some(WebSocketSettings::default());
        saved.request.settings.connect_timeout_ms = Some(CONNECT_TIMEOUT.as_millis() as u32);
        (saved, None)
    };
    apply_items(&mut saved.request, items)?;
    let settings = &mut saved.request.settings;
    if args.insecure {
        settings.verify_tls = false;
    }
    if let Some(limit) = args.timeout() {
        let ms = limit.as_millis().clamp(1, u32::MAX as u128) as u32;
        settings.connect_timeout_ms = Some(settings.connect_timeout_ms.map_or(ms, |c| c.min(ms)));
    }
    if let Some(ws) = saved.websocket.as_mut() {
        if !args.subprotocols.is_empty() {
            ws.subprotocols = args.subprotocols.clone();
        }
        // A script's session ends when the connection does; it is not started again.
        ws.reconnect = false;
    }
    Ok((saved, context))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_get_the_websocket_scheme() {
        assert_eq!(ws_url("127.0.0.1:8000/ws"), "ws://127.0.0.1:8000/ws");
        assert_eq!(ws_url("http://h/ws"), "ws://h/ws");
        assert_eq!(ws_url("https://h/ws"), "wss://h/ws");
        assert_eq!(ws_url("wss://h/ws"), "wss://h/ws");
        assert_eq!(ws_url("{{base}}/ws"), "{{base}}/ws");
    }

    #[test]
    fn a_yaml_word_is_a_saved_request() {
        assert!(is_saved_path("Chat/echo.yaml"));
        assert!(!is_saved_path("ws://h/x.yaml"));
        assert!(!is_saved_path("127.0.0.1:8000/ws"));
    }

    #[test]
    fn only_header_and_query_items_are_taken() {
        let mut req = HttpRequest::get("ws://h/");
        apply_items(&mut req, &["X-A:1".into(), "room==7".into()]).unwrap();
        assert_eq!(req.headers, vec![KeyValue::new("X-A", "1")]);
        assert_eq!(req.query, vec![KeyValue::new("room", "7")]);
        assert!(apply_items(&mut req, &["name=Lamp".into()]).is_err());
    }
}
