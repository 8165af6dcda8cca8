//! WebSocket faults, under `/ws/{case}`: each accepts the upgrade (or refuses it) and then
//! breaks the protocol in one exact way, so the engine's handling of each is tested on the
//! bytes we wrote.
//!
//! - `/ws/reject/{status}`: refuses the upgrade with `status` (401, 403, ...) and a JSON body.
//! - `/ws/abrupt`: upgrades, sends half of a text frame, then drops TCP (no close frame).
//! - `/ws/invalid-frame`: upgrades, then sends a frame with a reserved opcode (0x3).
//! - `/ws/oversized?bytes=N`: upgrades, then sends one binary frame of N bytes (default 2 MiB).

use std::io;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tungstenite::handshake::derive_accept_key;

use super::http::{head, Conn, RawStream, Request, Response};
use super::routes::Next;

/// A server frame header (never masked) for a payload of `len` bytes.
fn frame_header(first: u8, len: u64) -> Vec<u8> {
    let mut out = vec![first];
    match len {
        0..=125 => out.push(len as u8),
        126..=0xffff => {
            out.push(126);
            out.extend_from_slice(&(len as u16).to_be_bytes());
        }
        _ => {
            out.push(127);
            out.extend_from_slice(&len.to_be_bytes());
        }
    }
    out
}

async fn upgrade<S: RawStream>(conn: &mut Conn<S>, req: &Request) -> io::Result<bool> {
    let Some(key) = req.header("sec-websocket-key") else {
        let body = Response::text(400, "not a WebSocket upgrade").encode(true, false);
        conn.stream.write_all(&body).await?;
        return Ok(false);
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
    Ok(true)
}

pub(crate) async fn fault<S: RawStream>(
    conn: &mut Conn<S>,
    req: &Request,
    case: &[&str],
) -> io::Result<Next> {
    if let ["reject", status] = case {
        let status: u16 = status.parse().unwrap_or(403);
        let body = format!(r#"{{"detail":"refused with {status}: the token is missing"}}"#);
        let response = Response::new(status, "application/json", body)
            .header("WWW-Authenticate", "Bearer realm=\"ws\"");
        conn.stream.write_all(&response.encode(true, false)).await?;
        conn.stream.flush().await?;
        return Ok(Next::Close);
    }
    if !upgrade(conn, req).await? {
        return Ok(Next::Close);
    }
    match case {
        ["abrupt"] => {
            let mut frame = frame_header(0x81, 100);
            frame.extend_from_slice(&[b'a'; 10]);
            conn.stream.write_all(&frame).await?;
            conn.stream.flush().await?;
            tokio::time::sleep(Duration::from_millis(50)).await;
            Ok(Next::Close)
        }
        ["invalid-frame"] => {
            let mut frame = frame_header(0x83, 3);
            frame.extend_from_slice(b"bad");
            conn.stream.write_all(&frame).await?;
            conn.stream.flush().await?;
            conn.hold_open().await;
            Ok(Next::Close)
        }
        ["oversized"] => {
            let len = req
                .query("bytes")
                .and_then(|b| b.parse().ok())
                .unwrap_or(2 * 1024 * 1024u64);
            conn.stream.write_all(&frame_header(0x82, len)).await?;
            let chunk = vec![0u8; 64 * 1024];
            let mut left = len;
            while left > 0 {
                let n = left.min(chunk.len() as u64) as usize;
                if conn.stream.write_all(&chunk[..n]).await.is_err() {
                    return Ok(Next::Close);
                }
                left -= n as u64;
            }
            conn.stream.flush().await?;
            conn.hold_open().await;
            Ok(Next::Close)
        }
        _ => {
            conn.hold_open().await;
            Ok(Next::Close)
        }
    }
}
