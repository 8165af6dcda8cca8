//! Bodies that arrive over time, for the tests of responses shown while they download:
//! `/paced?bytes=N&rate=R` sends N bytes of text at R bytes per second (a throttled link), and
//! `/gate/{key}?first=N&total=M` sends the head and the first N bytes, then holds the rest back
//! until `/gate-open/{key}` is requested, so a test can look at what a client shows mid-body
//! by waiting on a condition instead of a clock.

use std::collections::HashMap;
use std::io;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::sync::Notify;

use super::http::{head, Conn, RawStream};
use super::routes::Next;

const CHUNK: usize = 64 * 1024;
/// How long a gate holds its body back at most, so a test that never opens it cannot hang.
const GATE_LIMIT: Duration = Duration::from_secs(120);

/// 64 KiB of numbered text lines, 32 bytes each; the bodies repeat it.
fn text_chunk() -> &'static [u8] {
    static TEXT: OnceLock<Vec<u8>> = OnceLock::new();
    TEXT.get_or_init(|| {
        let mut out = Vec::with_capacity(CHUNK);
        for i in 0..CHUNK / 32 {
            out.extend_from_slice(format!("streamed line {i:>17}\n").as_bytes());
        }
        out
    })
}

/// Byte `from..from + len` of the repeating text.
fn text_at(from: u64, len: usize) -> Vec<u8> {
    let chunk = text_chunk();
    (0..len)
        .map(|i| chunk[((from + i as u64) % CHUNK as u64) as usize])
        .collect()
}

fn text_headers(total: u64) -> Vec<(String, String)> {
    vec![
        ("Content-Type".into(), "text/plain; charset=utf-8".into()),
        ("Content-Length".into(), total.to_string()),
    ]
}

fn gate(key: &str) -> Arc<Notify> {
    static GATES: OnceLock<Mutex<HashMap<String, Arc<Notify>>>> = OnceLock::new();
    let mut gates = GATES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    Arc::clone(gates.entry(key.to_string()).or_default())
}

/// Opens gate `key` (before or after its request arrived).
pub(crate) fn open(key: &str) {
    gate(key).notify_one();
}

pub(crate) async fn paced<S: RawStream>(
    conn: &mut Conn<S>,
    total: u64,
    rate: u64,
    keep_alive: bool,
) -> io::Result<Next> {
    conn.stream
        .write_all(&head(200, &text_headers(total), !keep_alive))
        .await?;
    conn.stream.flush().await?;
    let started = tokio::time::Instant::now();
    let rate = rate.max(1);
    let mut sent = 0u64;
    while sent < total {
        let take = (total - sent).min(CHUNK as u64) as usize;
        let from = (sent % CHUNK as u64) as usize;
        if from == 0 && take == CHUNK {
            conn.stream.write_all(text_chunk()).await?;
        } else {
            conn.stream.write_all(&text_at(sent, take)).await?;
        }
        conn.stream.flush().await?;
        sent += take as u64;
        let due = Duration::from_secs_f64(sent as f64 / rate as f64);
        tokio::time::sleep_until(started + due).await;
    }
    Ok(if keep_alive {
        Next::KeepAlive
    } else {
        Next::Close
    })
}

pub(crate) async fn gated<S: RawStream>(
    conn: &mut Conn<S>,
    key: &str,
    first: u64,
    total: u64,
) -> io::Result<Next> {
    let first = first.min(total);
    let mut out = head(200, &text_headers(total), true);
    out.extend_from_slice(&text_at(0, first as usize));
    conn.stream.write_all(&out).await?;
    conn.stream.flush().await?;
    if tokio::time::timeout(GATE_LIMIT, gate(key).notified())
        .await
        .is_err()
    {
        return Ok(Next::Abort);
    }
    let mut sent = first;
    while sent < total {
        let take = (total - sent).min(CHUNK as u64) as usize;
        conn.stream.write_all(&text_at(sent, take)).await?;
        sent += take as u64;
    }
    conn.stream.flush().await?;
    Ok(Next::Close)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_is_whole_lines_and_continues_across_chunks() {
        assert_eq!(text_chunk().len(), CHUNK);
        assert!(text_chunk().ends_with(b"\n"));
        assert_eq!(
            text_at(CHUNK as u64 - 3, 6),
            [b"47\n", &text_chunk()[..3]].concat()
        );
    }
}
