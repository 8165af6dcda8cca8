//! A live session: one task reads frames, writes what the user sends, pings on the keepalive
//! interval, and ends with one `Closed` event that says who closed it and why; after an
//! abnormal close it reconnects with back-off when asked to.

use std::sync::Arc;
use std::time::Duration;

use futures_util::FutureExt;
use sextant_model::{ApiError, ErrorCode, WsCloseInitiator, WsDirection, WsEvent, WsOpcode};
use tokio::sync::{mpsc, oneshot};

use super::connect::Target;
use super::error::WsError;
use super::log::{Log, BATCH_FRAMES};
use super::socket::{Message, ReadError, Socket};
use super::tls::TlsConfigs;

/// How long a close waits for the other side's close frame before dropping the connection.
const CLOSE_WAIT: Duration = Duration::from_secs(5);
const MAX_RECONNECTS: u32 = 10;
const FIRST_BACKOFF_MS: u64 = 500;
const MAX_BACKOFF_MS: u64 = 30_000;

pub(crate) enum Command {
    Send {
        message: Message,
        ack: oneshot::Sender<Result<(), WsError>>,
    },
    Close {
        code: u16,
        reason: String,
        ack: oneshot::Sender<Result<(), WsError>>,
    },
}

/// How one connection ended.
struct Ended {
    code: u16,
    reason: String,
    initiator: WsCloseInitiator,
    error: Option<ApiError>,
}

impl Ended {
    fn abnormal(code: u16, error: ApiError) -> Self {
        Self {
            code,
            reason: String::new(),
            initiator: WsCloseInitiator::Abnormal,
            error: Some(error),
        }
    }
}

fn close_payload(code: u16, reason: &str) -> Vec<u8> {
    if reason.is_empty() {
        code.to_string().into_bytes()
    } else {
        format!("{code} {reason}").into_bytes()
    }
}

fn opcode_of(message: &Message) -> Option<(WsOpcode, &[u8])> {
    Some(match message {
        Message::Text(t) => (WsOpcode::Text, t.as_bytes()),
        Message::Binary(b) => (WsOpcode::Binary, b.as_ref()),
        Message::Ping(b) => (WsOpcode::Ping, b.as_ref()),
        Message::Pong(b) => (WsOpcode::Pong, b.as_ref()),
        Message::Close(_) => return None,
    })
}

fn dropped_without_close(detail: Option<String>) -> Ended {
    let mut message =
        "the connection closed without a close frame (1006, abnormal closure)".to_owned();
    if let Some(detail) = detail {
        message.push_str(": ");
        message.push_str(&detail);
    }
    Ended::abnormal(1006, ApiError::new(ErrorCode::Connect, message))
}

/// The session's task: runs connections until the session ends.
pub(crate) async fn run(
    target: Target,
    tls: Arc<TlsConfigs>,
    mut socket: Socket,
    mut commands: mpsc::Receiver<Command>,
    mut log: Log,
) {
    loop {
        let ended = drive(&mut socket, &mut commands, &mut log, &target).await;
        let retry = ended.initiator == WsCloseInitiator::Abnormal
            && target.settings.reconnect
            && !commands.is_closed();
        log.emit(WsEvent::Closed {
            code: ended.code,
            reason: ended.reason,
            initiator: ended.initiator,
            error: ended.error,
        });
        if !retry {
            return;
        }
        match reconnect(&target, &tls, &mut commands, &mut log).await {
            Some(next) => socket = next,
            None => return,
        }
    }
}

/// Tries to connect again with doubling delays; `None` when it gave up or the user closed.
async fn reconnect(
    target: &Target,
    tls: &TlsConfigs,
    commands: &mut mpsc::Receiver<Command>,
    log: &mut Log,
) -> Option<Socket> {
    let mut last_error = None;
    for attempt in 1..=MAX_RECONNECTS {
        let in_ms = (FIRST_BACKOFF_MS << (attempt - 1).min(16)).min(MAX_BACKOFF_MS);
        log.emit(WsEvent::Reconnecting { attempt, in_ms });
        let wake = tokio::time::sleep(Duration::from_millis(in_ms));
        tokio::pin!(wake);
        loop {
            tokio::select! {
                () = &mut wake => break,
                command = commands.recv() => match command {
                    None => return None,
                    Some(Command::Send { ack, .. }) => {
                        let _ = ack.send(Err(WsError::InvalidMessage(
                            "the WebSocket session is reconnecting: send again once it is open"
                                .into(),
                        )));
                    }
                    Some(Command::Close { ack, .. }) => {
                        let _ = ack.send(Ok(()));
                        return None;
                    }
                },
            }
        }
        log.emit(WsEvent::Connecting { attempt });
        match target.connect(tls).await {
            Ok((socket, handshake)) => {
                log.emit(WsEvent::Open { handshake });
                return Some(socket);
            }
            Err(e) => last_error = Some(e.to_api()),
        }
    }
    let reason = last_error.map_or_else(String::new, |e| format!(": {}", e.message));
    log.emit(WsEvent::Closed {
        code: 1006,
        reason: String::new(),
        initiator: WsCloseInitiator::Abnormal,
        error: Some(ApiError::new(
            ErrorCode::Connect,
            format!("gave up reconnecting after {MAX_RECONNECTS} attempts{reason}"),
        )),
    });
    None
}

/// Sends `message`, logging it once written.
async fn write(socket: &mut Socket, log: &mut Log, message: Message) -> Result<(), WsError> {
    let logged = opcode_of(&message).map(|(op, payload)| (op, payload.to_vec()));
    socket.send(&message).await.map_err(|_| WsError::Closed)?;
    if let Some((op, payload)) = logged {
        log.frame(WsDirection::Sent, op, &payload);
    }
    Ok(())
}

/// Starts our side of the closing handshake (best effort: the connection may be gone).
async fn send_close(socket: &mut Socket, log: &mut Log, code: u16, reason: &str) {
    let frame = Message::Close(Some((code, reason.to_owned())));
    if socket.send(&frame).await.is_ok() {
        log.frame(
            WsDirection::Sent,
            WsOpcode::Close,
            &close_payload(code, reason),
        );
    }
}

/// Runs one connection until it ends.
async fn drive(
    socket: &mut Socket,
    commands: &mut mpsc::Receiver<Command>,
    log: &mut Log,
    target: &Target,
) -> Ended {
    let auto_pong = target.settings.auto_pong;
    let mut keepalive = target.settings.keepalive_secs.filter(|s| *s > 0).map(|s| {
        let period = Duration::from_secs(u64::from(s));
        tokio::time::interval_at(tokio::time::Instant::now() + period, period)
    });
    // Ours, once we sent a close frame (the server's ends the connection at once).
    let mut our_close: Option<(u16, String, tokio::time::Instant)> = None;
    loop {
        // Frames are waiting: read what is already there, and send the batch once nothing is.
        for _ in 0..BATCH_FRAMES {
            if !log.has_pending() {
                break;
            }
            match socket.next().now_or_never() {
                Some(incoming) => {
                    if let Some(ended) =
                        on_incoming(socket, log, auto_pong, &our_close, incoming).await
                    {
                        return ended;
                    }
                }
                None => {
                    log.flush_idle();
                    break;
                }
            }
        }
        let due = log.due();
        let close_deadline = our_close.as_ref().map(|c| c.2);
        tokio::select! {
            incoming = socket.next() => {
                if let Some(ended) =
                    on_incoming(socket, log, auto_pong, &our_close, incoming).await
                {
                    return ended;
                }
            }
            command = commands.recv(), if our_close.is_none() => match command {
                None => {
                    send_close(socket, log, 1001, "going away").await;
                    our_close = Some((1001, "going away".into(), tokio::time::Instant::now() + CLOSE_WAIT));
                }
                Some(Command::Send { message, ack }) => {
                    let result = write(socket, log, message).await;
                    let _ = ack.send(result);
                }
                Some(Command::Close { code, reason, ack }) => {
                    send_close(socket, log, code, &reason).await;
                    our_close = Some((code, reason, tokio::time::Instant::now() + CLOSE_WAIT));
                    let _ = ack.send(Ok(()));
                }
            },
            () = sleep_until(due), if due.is_some() => log.flush(),
            () = sleep_until(close_deadline), if close_deadline.is_some() => {
                return finished(our_close, None, None);
            }
            _ = tick(keepalive.as_mut()), if keepalive.is_some() && our_close.is_none() => {
                let _ = write(socket, log, Message::Ping(Vec::new())).await;
            }
        }
    }
}

/// Logs one read from the socket and answers what needs an answer (a ping when auto-pong is
/// on, the server's close); `Some` when the connection has ended.
async fn on_incoming(
    socket: &mut Socket,
    log: &mut Log,
    auto_pong: bool,
    our_close: &Option<(u16, String, tokio::time::Instant)>,
    incoming: Option<Result<Message, ReadError>>,
) -> Option<Ended> {
    match incoming {
        Some(Ok(Message::Close(frame))) => {
            let (code, reason) = frame.clone().unwrap_or((1005, String::new()));
            log.frame(
                WsDirection::Received,
                WsOpcode::Close,
                &close_payload(code, &reason),
            );
            if our_close.is_none() {
                // The reply echoes the server's close; nothing may be sent after it.
                let _ = socket.send(&Message::Close(frame)).await;
                return Some(finished(None, Some((code, reason)), None));
            }
            return Some(finished(our_close.clone(), None, None));
        }
        Some(Ok(message)) => {
            if let Some((op, payload)) = opcode_of(&message) {
                log.frame(WsDirection::Received, op, payload);
                if op == WsOpcode::Ping && auto_pong && our_close.is_none() {
                    let _ = write(socket, log, Message::Pong(payload.to_vec())).await;
                }
            }
        }
        None => return Some(finished(our_close.clone(), None, None)),
        Some(Err(e)) => return Some(failed(socket, log, our_close.clone(), e).await),
    }
    None
}

async fn sleep_until(at: Option<tokio::time::Instant>) {
    if let Some(at) = at {
        tokio::time::sleep_until(at).await;
    }
}

async fn tick(interval: Option<&mut tokio::time::Interval>) {
    if let Some(interval) = interval {
        interval.tick().await;
    }
}

fn finished(
    our_close: Option<(u16, String, tokio::time::Instant)>,
    their_close: Option<(u16, String)>,
    detail: Option<String>,
) -> Ended {
    if let Some((code, reason, _)) = our_close {
        return Ended {
            code,
            reason,
            initiator: WsCloseInitiator::Client,
            error: None,
        };
    }
    if let Some((code, reason)) = their_close {
        return Ended {
            code,
            reason,
            initiator: WsCloseInitiator::Server,
            error: None,
        };
    }
    dropped_without_close(detail)
}

/// Ends the connection after a read error, closing with the code the error calls for.
async fn failed(
    socket: &mut Socket,
    log: &mut Log,
    our_close: Option<(u16, String, tokio::time::Instant)>,
    error: ReadError,
) -> Ended {
    if our_close.is_some() {
        return finished(our_close, None, None);
    }
    let (code, api) = match error {
        ReadError::TooLarge { size, max } => (
            1009,
            ApiError::new(
                ErrorCode::TooLarge,
                format!(
                    "the server sent a message of {size} bytes, over the max message size \
                     ({max} bytes); the session was closed with 1009 (message too big)"
                ),
            ),
        ),
        ReadError::Protocol(p) => (
            1002,
            ApiError::new(
                ErrorCode::Protocol,
                format!(
                    "the server sent an invalid frame ({p}); the session was closed with 1002 \
                     (protocol error)"
                ),
            ),
        ),
        ReadError::Utf8(detail) => (
            1007,
            ApiError::new(
                ErrorCode::Protocol,
                format!(
                    "the server sent a text message that is not UTF-8 ({detail}); the session \
                     was closed with 1007"
                ),
            ),
        ),
        ReadError::Io(e) => {
            return dropped_without_close(Some(format!("the connection broke: {e}")))
        }
    };
    let reason = match code {
        1009 => "message too big",
        1007 => "invalid payload",
        _ => "protocol error",
    };
    send_close(socket, log, code, reason).await;
    Ended {
        code,
        reason: reason.to_owned(),
        initiator: WsCloseInitiator::Client,
        error: Some(api),
    }
}
