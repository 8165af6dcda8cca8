//! WebSocket sessions over our own upgrade and frame layer (RFC 6455, RFC 7692).
//!
//! [`Engine::ws_connect`](crate::Engine::ws_connect) opens a connection for a resolved request
//! (its URL, query and headers, the cookie jar's cookies for its origin, TLS verification and
//! connect timeout; auth already applied as headers by the template) and hands back a [`WsSession`] once the upgrade is done, with the
//! [`WsHandshake`] it saw. From then on a task owned by the session reads and writes frames and
//! reports them, batched, as [`WsEvent`]s; dropping the session closes the connection (1001).
//!
//! The layers, bottom up: `transport` (TCP, a proxy's CONNECT tunnel, TLS), `upgrade` (the
//! HTTP/1.1 upgrade), `frame` and `deflate` (the wire format, permessage-deflate), `socket`
//! (whole messages), `session` (the task: log, auto-pong, keepalive, close, reconnect).

mod connect;
mod deflate;
mod error;
mod frame;
mod log;
mod proxy;
mod session;
mod socket;
mod tls;
mod transport;
mod upgrade;

use std::sync::Arc;
use std::time::Instant;

use reqwest::cookie::CookieStore;
use reqwest::header::HeaderValue;
use sextant_model::{HttpRequest, WebSocketSettings, WsEvent, WsHandshake};
use tokio::sync::{mpsc, oneshot};

use socket::Message;

pub use error::WsError;
pub use log::{WsLogRate, BATCH_FRAMES, BATCH_INTERVAL, MAX_FRAMES_PER_SEC, PREVIEW_BYTES};
pub(crate) use tls::TlsConfigs;

/// The longest close reason a close frame carries (125 bytes of payload minus the code).
pub const MAX_CLOSE_REASON: usize = 123;
/// The largest ping payload (a control frame's limit).
pub const MAX_PING_PAYLOAD: usize = 125;

/// Whether `code` may be sent in a close frame (RFC 6455 §7.4: 1000–1003, 1007–1014 and the
/// registered and private ranges 3000–4999).
pub fn valid_close_code(code: u16) -> bool {
    matches!(code, 1000..=1003 | 1007..=1014 | 3000..=4999)
}

/// A live WebSocket session. Dropping it closes the connection with 1001 ("going away").
pub struct WsSession {
    commands: mpsc::Sender<session::Command>,
    task: tokio::task::JoinHandle<()>,
}

impl WsSession {
    async fn command(
        &self,
        make: impl FnOnce(oneshot::Sender<Result<(), WsError>>) -> session::Command,
    ) -> Result<(), WsError> {
        let (ack, done) = oneshot::channel();
        self.commands
            .send(make(ack))
            .await
            .map_err(|_| WsError::Closed)?;
        done.await.map_err(|_| WsError::Closed)?
    }

    async fn send_message(&self, message: Message) -> Result<(), WsError> {
        self.command(|ack| session::Command::Send { message, ack })
            .await
    }

    /// Sends a text message; returns once it is written.
    pub async fn send_text(&self, text: String) -> Result<(), WsError> {
        self.send_message(Message::Text(text)).await
    }

    pub async fn send_binary(&self, bytes: Vec<u8>) -> Result<(), WsError> {
        self.send_message(Message::Binary(bytes)).await
    }

    pub async fn ping(&self, payload: Vec<u8>) -> Result<(), WsError> {
        if payload.len() > MAX_PING_PAYLOAD {
            return Err(WsError::InvalidMessage(format!(
                "a ping carries at most {MAX_PING_PAYLOAD} bytes, this one has {}",
                payload.len()
            )));
        }
        self.send_message(Message::Ping(payload)).await
    }

    /// Sends an unsolicited pong (RFC 6455 §5.5.3: a one-way heartbeat), or answers a ping by
    /// hand when auto-pong is off.
    pub async fn pong(&self, payload: Vec<u8>) -> Result<(), WsError> {
        if payload.len() > MAX_PING_PAYLOAD {
            return Err(WsError::InvalidMessage(format!(
                "a pong carries at most {MAX_PING_PAYLOAD} bytes, this one has {}",
                payload.len()
            )));
        }
        self.send_message(Message::Pong(payload)).await
    }

    /// Starts the closing handshake with `code` and `reason`; the session ends when the server
    /// answers (or after a few seconds without an answer), with a `Closed` event.
    pub async fn close(&self, code: u16, reason: String) -> Result<(), WsError> {
        if !valid_close_code(code) {
            return Err(WsError::InvalidMessage(format!(
                "{code} is not a close code a client may send (use 1000, 1001–1003, 1007–1014 \
                 or 3000–4999)"
            )));
        }
        if reason.len() > MAX_CLOSE_REASON {
            return Err(WsError::InvalidMessage(format!(
                "a close reason holds at most {MAX_CLOSE_REASON} bytes, this one has {}",
                reason.len()
            )));
        }
        self.command(|ack| session::Command::Close { code, reason, ack })
            .await
    }

    /// Whether the session has ended (closed, failed, or gave up reconnecting).
    pub fn is_finished(&self) -> bool {
        self.task.is_finished()
    }
}

impl crate::Engine {
    /// Connects `request` as a WebSocket with `settings`. Returns once the upgrade is done, or
    /// the reason it failed (refused, TLS, a non-101 answer with its status and body, timeout).
    /// `on_event` gets `Connecting`, `Open`, the frames in batches, and one final `Closed`
    /// (or `Reconnecting` and again, when `settings.reconnect` is on).
    pub async fn ws_connect(
        &self,
        request: &HttpRequest,
        settings: &WebSocketSettings,
        on_event: Arc<dyn Fn(WsEvent) + Send + Sync>,
    ) -> Result<(WsSession, WsHandshake), WsError> {
        self.ws_connect_with(request, settings, WsLogRate::Capped, on_event)
            .await
    }

    /// [`ws_connect`](Self::ws_connect) with the log's `rate`: [`WsLogRate::Everything`] hands
    /// every frame to `on_event` (for a host that does not keep them) instead of capping them.
    pub async fn ws_connect_with(
        &self,
        request: &HttpRequest,
        settings: &WebSocketSettings,
        rate: WsLogRate,
        on_event: Arc<dyn Fn(WsEvent) + Send + Sync>,
    ) -> Result<(WsSession, WsHandshake), WsError> {
        self.ws_connect_with_identities(request, settings, &[], rate, on_event)
            .await
    }

    /// [`ws_connect_with`](Self::ws_connect_with), presenting a client certificate (mTLS) on a
    /// `wss://` URL that matches one of `identities`' host patterns (the first match wins), as
    /// [`send_with_identities`](Self::send_with_identities) does for HTTP.
    pub async fn ws_connect_with_identities(
        &self,
        request: &HttpRequest,
        settings: &WebSocketSettings,
        identities: &[crate::ClientIdentity],
        rate: WsLogRate,
        on_event: Arc<dyn Fn(WsEvent) + Send + Sync>,
    ) -> Result<(WsSession, WsHandshake), WsError> {
        let started = Instant::now();
        let mut target = connect::Target::new(request, settings, identities)?;
        let http_url = target.http_url();
        if !target.has_header("cookie") {
            if let Some(cookies) = CookieStore::cookies(&*self.jar, &http_url) {
                target.add_header("Cookie", String::from_utf8_lossy(cookies.as_bytes()).into());
            }
        }
        let mut log = log::Log::new(on_event, rate, started);
        log.emit(WsEvent::Connecting { attempt: 0 });
        let (socket, handshake) = target.connect(&self.ws_tls).await?;
        let set_cookies: Vec<HeaderValue> = handshake
            .response_headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case("set-cookie"))
            .filter_map(|h| HeaderValue::from_str(&h.value).ok())
            .collect();
        if !set_cookies.is_empty() {
            CookieStore::set_cookies(&*self.jar, &mut set_cookies.iter(), &http_url);
        }
        log.emit(WsEvent::Open {
            handshake: handshake.clone(),
        });
        let (commands, receiver) = mpsc::channel(64);
        let task = tokio::spawn(session::run(
            target,
            Arc::clone(&self.ws_tls),
            socket,
            receiver,
            log,
        ));
        Ok((WsSession { commands, task }, handshake))
    }
}
