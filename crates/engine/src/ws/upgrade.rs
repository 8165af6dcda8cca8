//! The HTTP/1.1 upgrade (RFC 6455 §4.1) written and read by hand over the connected stream, so
//! the request carries exactly the request's headers and the answer's headers, status and body
//! (for a refusal) are all kept. Bytes the server sent after the 101's head are frames already,
//! handed on to the socket.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tungstenite::handshake::derive_accept_key;
use url::Url;

use super::connect::AsyncIo;
use super::error::WsError;
use crate::EngineError;

/// The longest answer head read.
const MAX_HEAD: usize = 64 * 1024;
/// The most of a refusal's body read (the error quotes less).
const MAX_BODY: usize = 4 * 1024;
const MAX_HEADERS: usize = 128;
/// How long a refusal's body is waited for (a server may keep the connection open).
const BODY_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// What the server answered with 101.
pub(crate) struct Answer {
    pub status: u16,
    /// Lowercase names, in the order sent.
    pub headers: Vec<(String, String)>,
    /// Bytes after the head: the first frames.
    pub rest: Vec<u8>,
}

impl Answer {
    /// Every value of the header `name` (lowercase).
    pub fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The request line and `Host` for `url`.
pub(crate) fn request_target(url: &Url) -> (String, String) {
    let mut path = url.path().to_owned();
    if let Some(query) = url.query() {
        path.push('?');
        path.push_str(query);
    }
    let host = url.host_str().unwrap_or_default();
    let host = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    (path, host)
}

/// Writes the upgrade request (`headers` in order, names as given) and reads the answer. A
/// status other than 101 is [`WsError::Rejected`] with the start of its body; a 101 whose
/// `Sec-WebSocket-Accept` does not answer `key` is a handshake error.
pub(crate) async fn upgrade(
    io: &mut Box<dyn AsyncIo>,
    path: &str,
    headers: &[(String, String)],
    key: &str,
    io_error: impl Fn(std::io::Error) -> WsError,
) -> Result<Answer, WsError> {
    let mut request = format!("GET {path} HTTP/1.1\r\n");
    for (name, value) in headers {
        request.push_str(name);
        request.push_str(": ");
        request.push_str(value);
        request.push_str("\r\n");
    }
    request.push_str("\r\n");
    io.write_all(request.as_bytes()).await.map_err(&io_error)?;
    io.flush().await.map_err(&io_error)?;

    let mut buf = Vec::with_capacity(4096);
    let (status, headers, head_len) = loop {
        let mut slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut response = httparse::Response::new(&mut slots);
        match response.parse(&buf) {
            Ok(httparse::Status::Complete(len)) => {
                let headers = response
                    .headers
                    .iter()
                    .map(|h| {
                        (
                            h.name.to_ascii_lowercase(),
                            String::from_utf8_lossy(h.value).into_owned(),
                        )
                    })
                    .collect::<Vec<_>>();
                break (response.code.unwrap_or_default(), headers, len);
            }
            Ok(httparse::Status::Partial) => {}
            Err(e) => {
                return Err(WsError::Handshake(format!(
                    "the server's answer to the upgrade is not HTTP/1.1 ({e})"
                )))
            }
        }
        if buf.len() >= MAX_HEAD {
            return Err(EngineError::OverBudget(format!(
                "the upgrade answer's head is over {MAX_HEAD} bytes"
            ))
            .into());
        }
        if read_more(io, &mut buf).await.map_err(&io_error)? == 0 {
            return Err(WsError::Handshake(
                "the server closed the connection before answering the upgrade".into(),
            ));
        }
    };
    let mut answer = Answer {
        status,
        headers,
        rest: buf.split_off(head_len),
    };
    if status != 101 {
        let body = refusal_body(io, &answer).await;
        return Err(WsError::Rejected { status, body });
    }
    let has = |name: &str, token: &str| {
        answer
            .values(name)
            .flat_map(|v| v.split(','))
            .any(|v| v.trim().eq_ignore_ascii_case(token))
    };
    if !has("upgrade", "websocket") {
        return Err(WsError::Handshake(
            "the 101 answer has no \"Upgrade: websocket\" header".into(),
        ));
    }
    if !has("connection", "upgrade") {
        return Err(WsError::Handshake(
            "the 101 answer has no \"Connection: Upgrade\" header".into(),
        ));
    }
    let expected = derive_accept_key(key.as_bytes());
    if answer.values("sec-websocket-accept").next().map(str::trim) != Some(expected.as_str()) {
        return Err(WsError::Handshake(
            "the server's Sec-WebSocket-Accept does not answer the key sent".into(),
        ));
    }
    answer.rest.shrink_to_fit();
    Ok(answer)
}

async fn read_more(io: &mut Box<dyn AsyncIo>, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut chunk = [0u8; 4096];
    let n = io.read(&mut chunk).await?;
    buf.extend_from_slice(&chunk[..n]);
    Ok(n)
}

/// The start of a refused upgrade's body: its `Content-Length` (at most [`MAX_BODY`]), or what
/// comes until the server closes; best effort, for at most [`BODY_WAIT`].
async fn refusal_body(io: &mut Box<dyn AsyncIo>, answer: &Answer) -> String {
    let length = answer
        .values("content-length")
        .next()
        .and_then(|v| v.trim().parse::<usize>().ok());
    let want = length.unwrap_or(MAX_BODY).min(MAX_BODY);
    let mut body = answer.rest.clone();
    let _ = tokio::time::timeout(BODY_WAIT, async {
        while body.len() < want {
            match read_more(io, &mut body).await {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
    })
    .await;
    body.truncate(want);
    String::from_utf8_lossy(&body).into_owned()
}
