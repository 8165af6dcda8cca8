//! `/ws-stream?count=N&per_sec=R`: a WebSocket that, once upgraded, sends N small text messages
//! (`{"n":1}`, `{"n":2}`, ...) paced to R a second (a burst every 10 ms; R = 0: as fast as the
//! client reads), then a close frame 1000 "done", and closes the connection once the client's
//! close frame came (or after 2 s without it), as a server ends the closing handshake. For the
//! window's benchmark of a server streaming thousands of messages a second.

use std::io;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tungstenite::handshake::derive_accept_key;

use super::http::{head, Conn, RawStream, Request, Response};
use super::routes::Next;

pub(crate) async fn stream<S: RawStream>(
    conn: &mut Conn<S>,
    req: &Request,
    count: u64,
    per_sec: u64,
) -> io::Result<Next> {
    let Some(key) = req.header("sec-websocket-key") else {
        let body = Response::text(400, "not a WebSocket upgrade").encode(true, false);
        conn.stream.write_all(&body).await?;
        return Ok(Next::Close);
    };
    let headers = vec![
        ("Upgrade".to_owned(), "websocket".to_owned()),
        ("Connection".to_owned(), "Upgrade".to_owned()),
        (
            "Sec-WebSocket-Accept".to_owned(),
            derive_accept_key(key.as_bytes()),
        ),
    ];
    conn.stream.write_all(&head(101, &headers, false)).await?;
    conn.stream.flush().await?;

    let started = tokio::time::Instant::now();
    let per_tick = (per_sec / 100).max(1);
    let mut bytes = Vec::with_capacity(64 * 1024);
    let mut n = 1;
    while n <= count {
        if per_sec > 0 {
            // Message n is due at n / per_sec seconds.
            let due = started + Duration::from_secs_f64((n - 1) as f64 / per_sec as f64);
            tokio::time::sleep_until(due).await;
        }
        let last = if per_sec > 0 {
            (n + per_tick - 1).min(count)
        } else {
            count
        };
        while n <= last && bytes.len() < 64 * 1024 {
            let text = format!("{{\"n\":{n}}}");
            bytes.push(0x81);
            // Every message is under 126 bytes: the one-byte length.
            bytes.push(text.len() as u8);
            bytes.extend_from_slice(text.as_bytes());
            n += 1;
        }
        conn.stream.write_all(&bytes).await?;
        conn.stream.flush().await?;
        bytes.clear();
    }
    let mut close = vec![0x88, 6];
    close.extend_from_slice(&1000u16.to_be_bytes());
    close.extend_from_slice(b"done");
    conn.stream.write_all(&close).await?;
    conn.stream.flush().await?;
    // The client's answering close frame (a few bytes at most: it sends nothing else).
    let mut answer = [0u8; 64];
    let _ = tokio::time::timeout(Duration::from_secs(2), conn.stream.read(&mut answer)).await;
    Ok(Next::Close)
}
