//! The fault server's hand-written HTTP/1.1: just enough parsing (request line, headers, a
//! `Content-Length` or chunked body) and just enough writing that every byte the server sends is
//! one the route chose. A real HTTP library would fix up exactly the mistakes the routes make on
//! purpose, which is why this one is written by hand.

use std::io;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::server::TlsStream;

/// Largest request head (request line + headers) accepted, in bytes.
const MAX_HEAD: usize = 1024 * 1024;

/// A byte stream the server can answer on, with access to the TCP socket under it (for resets).
pub(crate) trait RawStream: AsyncRead + AsyncWrite + Unpin + Send {
    fn tcp(&self) -> &TcpStream;
}

impl RawStream for TcpStream {
    fn tcp(&self) -> &TcpStream {
        self
    }
}

impl RawStream for TlsStream<TcpStream> {
    fn tcp(&self) -> &TcpStream {
        self.get_ref().0
    }
}

/// One parsed request.
#[derive(Debug)]
pub(crate) struct Request {
    pub(crate) method: String,
    /// The request target as sent: path and query.
    pub(crate) target: String,
    /// The target without its query string.
    pub(crate) path: String,
    /// Query parameters, percent-decoded, in order.
    pub(crate) query: Vec<(String, String)>,
    pub(crate) version: String,
    /// Header names and values, as sent and in order.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Request {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn header_has_token(&self, name: &str, token: &str) -> bool {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .flat_map(|(_, v)| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    }

    pub(crate) fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the client lets the connection be reused after this request.
    pub(crate) fn keep_alive(&self) -> bool {
        if self.version == "HTTP/1.0" {
            self.header_has_token("connection", "keep-alive")
        } else {
            !self.header_has_token("connection", "close")
        }
    }
}

/// What reading the next request gave.
pub(crate) enum Incoming {
    Request(Request),
    /// The client closed (or the socket failed) between requests.
    Closed,
    /// The request could not be parsed; answer with this status and close.
    Bad(u16),
}

/// A connection: the stream and the bytes read from it but not yet consumed.
pub(crate) struct Conn<S> {
    pub(crate) stream: S,
    buf: Vec<u8>,
}

impl<S: RawStream> Conn<S> {
    pub(crate) fn new(stream: S) -> Conn<S> {
        Conn {
            stream,
            buf: Vec::new(),
        }
    }

    /// Reads more bytes into the buffer; `Ok(0)` at end of stream.
    async fn fill(&mut self) -> io::Result<usize> {
        let mut chunk = [0u8; 16 * 1024];
        let n = self.stream.read(&mut chunk).await?;
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(n)
    }

    pub(crate) async fn read_request(&mut self) -> Incoming {
        match self.try_read_request().await {
            Ok(incoming) => incoming,
            Err(_) => Incoming::Closed,
        }
    }

    async fn try_read_request(&mut self) -> io::Result<Incoming> {
        let mut scanned = 0;
        let head_end = loop {
            if let Some(at) = find(&self.buf[scanned..], b"\r\n\r\n") {
                break scanned + at;
            }
            scanned = self.buf.len().saturating_sub(3);
            if self.buf.len() > MAX_HEAD {
                return Ok(Incoming::Bad(431));
            }
            if self.fill().await? == 0 {
                return Ok(Incoming::Closed);
            }
        };
        let head: Vec<u8> = self.buf.drain(..head_end + 4).collect();
        let Ok(head) = std::str::from_utf8(&head[..head_end]) else {
            return Ok(Incoming::Bad(400));
        };
        let mut lines = head.split("\r\n");
        let mut request_line = lines.next().unwrap_or("").split(' ');
        let (Some(method), Some(target), Some(version), None) = (
            request_line.next(),
            request_line.next(),
            request_line.next(),
            request_line.next(),
        ) else {
            return Ok(Incoming::Bad(400));
        };
        if method.is_empty() || !version.starts_with("HTTP/1.") {
            return Ok(Incoming::Bad(400));
        }
        let mut headers = Vec::new();
        for line in lines {
            let Some((name, value)) = line.split_once(':') else {
                return Ok(Incoming::Bad(400));
            };
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
        let (path, query) = match target.split_once('?') {
            Some((path, query)) => (path, parse_query(query)),
            None => (target, Vec::new()),
        };
        let mut request = Request {
            method: method.to_owned(),
            target: target.to_owned(),
            path: path.to_owned(),
            query,
            version: version.to_owned(),
            headers,
            body: Vec::new(),
        };

        let chunked = request.header_has_token("transfer-encoding", "chunked");
        let length = match request.header("content-length") {
            Some(value) => match value.parse::<usize>() {
                Ok(length) => length,
                Err(_) => return Ok(Incoming::Bad(400)),
            },
            None => 0,
        };
        if (chunked || length > 0) && request.header_has_token("expect", "100-continue") {
            self.stream
                .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                .await?;
            self.stream.flush().await?;
        }
        request.body = if chunked {
            match self.read_chunked().await? {
                Some(body) => body,
                None => return Ok(Incoming::Bad(400)),
            }
        } else {
            self.read_exact_buffered(length).await?
        };
        Ok(Incoming::Request(request))
    }

    async fn read_exact_buffered(&mut self, n: usize) -> io::Result<Vec<u8>> {
        while self.buf.len() < n {
            if self.fill().await? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
        Ok(self.buf.drain(..n).collect())
    }

    async fn read_line(&mut self) -> io::Result<String> {
        loop {
            if let Some(at) = find(&self.buf, b"\r\n") {
                let line: Vec<u8> = self.buf.drain(..at + 2).collect();
                return Ok(String::from_utf8_lossy(&line[..at]).into_owned());
            }
            if self.buf.len() > MAX_HEAD {
                return Err(io::ErrorKind::InvalidData.into());
            }
            if self.fill().await? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
    }

    /// Decodes a chunked body; `None` if it is malformed. Trailers are read and dropped.
    async fn read_chunked(&mut self) -> io::Result<Option<Vec<u8>>> {
        let mut body = Vec::new();
        loop {
            let line = self.read_line().await?;
            let size = line.split(';').next().unwrap_or("").trim();
            let Ok(size) = usize::from_str_radix(size, 16) else {
                return Ok(None);
            };
            if size == 0 {
                while !self.read_line().await?.is_empty() {}
                return Ok(Some(body));
            }
            let data = self.read_exact_buffered(size + 2).await?;
            if &data[size..] != b"\r\n" {
                return Ok(None);
            }
            body.extend_from_slice(&data[..size]);
        }
    }

    /// Reads and discards whatever the client sends until it closes (or the server stops, which
    /// drops this future). Used by the routes that hold a socket open without answering.
    pub(crate) async fn hold_open(&mut self) {
        self.buf.clear();
        let mut sink = [0u8; 16 * 1024];
        while let Ok(n) = self.stream.read(&mut sink).await {
            if n == 0 {
                break;
            }
        }
    }
}

/// A complete response with a body held in memory.
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Response {
    pub(crate) fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
            body: body.into(),
        }
    }

    pub(crate) fn text(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response::new(status, "text/plain; charset=utf-8", body)
    }

    pub(crate) fn redirect(location: &str) -> Response {
        Response::text(302, "").header("Location", location)
    }

    pub(crate) fn header(mut self, name: &str, value: impl Into<String>) -> Response {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    /// The bytes on the wire: status line, headers, `Content-Length`, optional
    /// `Connection: close`, and (unless `head_only`) the body.
    pub(crate) fn encode(&self, close: bool, head_only: bool) -> Vec<u8> {
        let mut headers = self.headers.clone();
        headers.push(("Content-Length".to_owned(), self.body.len().to_string()));
        let mut out = head(self.status, &headers, close);
        if !head_only {
            out.extend_from_slice(&self.body);
        }
        out
    }
}

/// A status line and headers, ending with the blank line.
pub(crate) fn head(status: u16, headers: &[(String, String)], close: bool) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        out.push_str(name);
        out.push_str(": ");
        out.push_str(value);
        out.push_str("\r\n");
    }
    if close {
        out.push_str("Connection: close\r\n");
    }
    out.push_str("\r\n");
    out.into_bytes()
}

fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        404 => "Not Found",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        _ => "Unknown",
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

/// Decodes `%XX` escapes (`+` stays a plus); anything malformed is kept as it is.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                match std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                {
                    Some(byte) => {
                        out.push(byte);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_are_split_and_decoded() {
        assert_eq!(
            parse_query("a=1&b=x%20y&c&d=%zz&e=a+b&f=%4"),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "x y".into()),
                ("c".into(), "".into()),
                ("d".into(), "%zz".into()),
                ("e".into(), "a+b".into()),
                ("f".into(), "%4".into()),
            ]
        );
    }
}
