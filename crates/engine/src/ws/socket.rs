//! An open WebSocket over any byte stream: whole messages read from frames (reassembly,
//! continuation rules, UTF-8 of text, close payloads, the max message size checked from each
//! frame's header before its payload is read, permessage-deflate) and messages written as
//! single masked frames. Control frames are only reported; answering them (auto-pong, the
//! close reply) is the session's choice.

use bytes::{Buf, BytesMut};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::connect::AsyncIo;
use super::deflate::{Deflate, InflateError};
use super::frame::{self, OpCode};

/// How much is asked of the stream at a time.
const READ_CHUNK: usize = 64 * 1024;

/// A whole message, or a control frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Message {
    Text(String),
    Binary(Vec<u8>),
    Ping(Vec<u8>),
    Pong(Vec<u8>),
    /// The close code and reason; `None` for a close frame without a payload.
    Close(Option<(u16, String)>),
}

/// Why reading stopped.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ReadError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The server broke the protocol (close with 1002).
    #[error("{0}")]
    Protocol(String),
    /// A text message or close reason that is not UTF-8 (close with 1007).
    #[error("{0}")]
    Utf8(String),
    /// A message over the budget (close with 1009): `size` bytes (at least) against `max`.
    #[error("a message of {size} bytes, over the max message size ({max} bytes)")]
    TooLarge { size: u64, max: u64 },
}

/// A fragmented message being put together.
struct Partial {
    text: bool,
    compressed: bool,
    payload: Vec<u8>,
}

pub(crate) struct Socket {
    io: Box<dyn AsyncIo>,
    /// Bytes read and not yet taken as frames.
    buf: BytesMut,
    deflate: Option<Deflate>,
    max_message: u64,
    partial: Option<Partial>,
}

fn mask() -> [u8; 4] {
    let random = uuid::Uuid::new_v4();
    let b = random.as_bytes();
    [b[0], b[1], b[2], b[3]]
}

impl Socket {
    /// `rest`: bytes that came with the upgrade's answer, already frames.
    pub fn new(io: Box<dyn AsyncIo>, rest: &[u8], deflate: Option<Deflate>, max: u64) -> Self {
        let mut buf = BytesMut::with_capacity(READ_CHUNK.max(rest.len()));
        buf.extend_from_slice(rest);
        Self {
            io,
            buf,
            deflate,
            max_message: max.max(1),
            partial: None,
        }
    }

    /// The largest compressed payload let in before inflating shows the real size (deflate can
    /// grow incompressible data a little).
    fn compressed_budget(&self) -> u64 {
        self.max_message
            .saturating_add(self.max_message / 16)
            .saturating_add(1024)
    }

    /// The next message; `None` when the server closed the connection between frames. Safe to
    /// cancel: what was read stays buffered for the next call.
    pub async fn next(&mut self) -> Option<Result<Message, ReadError>> {
        loop {
            match self.parse() {
                Ok(Some(message)) => return Some(Ok(message)),
                Ok(None) => {}
                Err(e) => return Some(Err(e)),
            }
            if self.buf.capacity() - self.buf.len() < READ_CHUNK / 4 {
                self.buf.reserve(READ_CHUNK);
            }
            match self.io.read_buf(&mut self.buf).await {
                Ok(0) if self.buf.is_empty() && self.partial.is_none() => return None,
                Ok(0) => {
                    return Some(Err(ReadError::Io(std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        "the connection closed in the middle of a message",
                    ))))
                }
                Ok(_) => {}
                Err(e) => return Some(Err(ReadError::Io(e))),
            }
        }
    }

    /// Takes whole frames from the buffer until one completes a message.
    fn parse(&mut self) -> Result<Option<Message>, ReadError> {
        loop {
            let header =
                frame::parse_header(&self.buf).map_err(|e| ReadError::Protocol(e.to_string()))?;
            let Some(header) = header else {
                return Ok(None);
            };
            let so_far = match (header.opcode, &self.partial) {
                (OpCode::Continuation, Some(p)) => p.payload.len() as u64,
                _ => 0,
            };
            let compressed = match (header.opcode, &self.partial) {
                (OpCode::Continuation, Some(p)) => p.compressed,
                _ => header.rsv1,
            };
            let size = so_far.saturating_add(header.len);
            let budget = if compressed {
                self.compressed_budget()
            } else {
                self.max_message
            };
            if !header.opcode.is_control() && size > budget {
                return Err(ReadError::TooLarge {
                    size,
                    max: self.max_message,
                });
            }
            let total = header.header_len + usize::try_from(header.len).unwrap_or(usize::MAX);
            if self.buf.len() < total {
                self.buf.reserve(total - self.buf.len());
                return Ok(None);
            }
            self.buf.advance(header.header_len);
            let payload = self.buf.split_to(total - header.header_len);
            if header.opcode.is_control() && header.rsv1 {
                return Err(ReadError::Protocol("RSV1 is set on a control frame".into()));
            }
            match header.opcode {
                OpCode::Ping => return Ok(Some(Message::Ping(payload.to_vec()))),
                OpCode::Pong => return Ok(Some(Message::Pong(payload.to_vec()))),
                OpCode::Close => return close_payload(&payload).map(Some),
                OpCode::Text | OpCode::Binary => {
                    if self.partial.is_some() {
                        return Err(ReadError::Protocol(
                            "a new message began before the fragmented one ended".into(),
                        ));
                    }
                    if header.rsv1 && self.deflate.is_none() {
                        return Err(ReadError::Protocol(
                            "RSV1 is set but permessage-deflate was not negotiated".into(),
                        ));
                    }
                    let partial = Partial {
                        text: header.opcode == OpCode::Text,
                        compressed: header.rsv1,
                        payload: payload.to_vec(),
                    };
                    if header.fin {
                        return self.finish(partial).map(Some);
                    }
                    self.partial = Some(partial);
                }
                OpCode::Continuation => {
                    let Some(partial) = self.partial.as_mut() else {
                        return Err(ReadError::Protocol(
                            "a continuation frame without a message to continue".into(),
                        ));
                    };
                    if header.rsv1 {
                        return Err(ReadError::Protocol(
                            "RSV1 is set on a continuation frame".into(),
                        ));
                    }
                    partial.payload.extend_from_slice(&payload);
                    if header.fin {
                        let partial = self.partial.take().expect("checked above");
                        return self.finish(partial).map(Some);
                    }
                }
            }
        }
    }

    fn finish(&mut self, partial: Partial) -> Result<Message, ReadError> {
        let data = match (&mut self.deflate, partial.compressed) {
            (Some(deflate), true) => deflate
                .decompress(&partial.payload, self.max_message)
                .map_err(|e| match e {
                    InflateError::TooLarge { size } => ReadError::TooLarge {
                        size,
                        max: self.max_message,
                    },
                    InflateError::Corrupt(why) => ReadError::Protocol(format!(
                        "a compressed message does not inflate ({why})"
                    )),
                })?,
            _ => partial.payload,
        };
        if !partial.text {
            return Ok(Message::Binary(data));
        }
        String::from_utf8(data)
            .map(Message::Text)
            .map_err(|e| ReadError::Utf8(e.utf8_error().to_string()))
    }

    /// Writes `message` as one frame (data compressed when deflate was negotiated) and
    /// flushes it.
    pub async fn send(&mut self, message: &Message) -> std::io::Result<()> {
        let close;
        let (opcode, payload): (OpCode, &[u8]) = match message {
            Message::Text(t) => (OpCode::Text, t.as_bytes()),
            Message::Binary(b) => (OpCode::Binary, b),
            Message::Ping(b) => (OpCode::Ping, b),
            Message::Pong(b) => (OpCode::Pong, b),
            Message::Close(None) => (OpCode::Close, &[]),
            Message::Close(Some((code, reason))) => {
                close = [&code.to_be_bytes()[..], reason.as_bytes()].concat();
                (OpCode::Close, &close)
            }
        };
        let compressed = match &mut self.deflate {
            Some(deflate) if !opcode.is_control() && !payload.is_empty() => Some(
                deflate
                    .compress(payload)
                    .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?,
            ),
            _ => None,
        };
        let body = compressed.as_deref().unwrap_or(payload);
        let mut out = Vec::with_capacity(body.len() + 14);
        frame::encode(&mut out, true, compressed.is_some(), opcode, body, mask());
        self.io.write_all(&out).await?;
        self.io.flush().await
    }
}

/// A close frame's payload: nothing, or a code (one a peer may send) and a UTF-8 reason.
fn close_payload(payload: &[u8]) -> Result<Message, ReadError> {
    match payload {
        [] => Ok(Message::Close(None)),
        [_] => Err(ReadError::Protocol(
            "a close frame with a 1-byte payload".into(),
        )),
        [hi, lo, reason @ ..] => {
            let code = u16::from_be_bytes([*hi, *lo]);
            if !super::valid_close_code(code) {
                return Err(ReadError::Protocol(format!(
                    "the close code {code} may not be sent"
                )));
            }
            let reason = std::str::from_utf8(reason)
                .map_err(|e| ReadError::Utf8(format!("the close reason is not UTF-8 ({e})")))?;
            Ok(Message::Close(Some((code, reason.to_owned()))))
        }
    }
}

#[cfg(test)]
#[path = "socket_tests.rs"]
mod tests;
