//! Server-sent event streams that misbehave on purpose: one paced slowly (events arrive one by
//! one, so a client can be seen showing them before the end), and one that drops its connection
//! mid-way and resumes from `Last-Event-ID` when the client reconnects.

use std::io;
use std::time::Duration;

use tokio::io::AsyncWriteExt;

use super::http::{head, Conn, RawStream, Request};
use super::routes::Next;

/// `/sse/slow?count=N&delay_ms=M`: N events (`id: i`, `event: tick`, `data: {"n":i}`, i from 1),
/// one chunk each, M ms apart, then the end of the body.
pub(crate) async fn slow<S: RawStream>(
    conn: &mut Conn<S>,
    count: u64,
    delay: Duration,
) -> io::Result<Next> {
    start(conn, None).await?;
    for n in 1..=count {
        if n > 1 {
            tokio::time::sleep(delay).await;
        }
        chunk(conn, &event(n)).await?;
    }
    conn.stream.write_all(b"0\r\n\r\n").await?;
    conn.stream.flush().await?;
    Ok(Next::Close)
}

/// `/sse/resume?count=N&drop_after=K`: events 1..=N after a `retry: 50`; without a
/// `Last-Event-ID` the connection is dropped (no end of the chunked body) right after event K;
/// with one, the events after it follow and the body ends.
pub(crate) async fn resume<S: RawStream>(
    conn: &mut Conn<S>,
    req: &Request,
    count: u64,
    drop_after: u64,
) -> io::Result<Next> {
    let last: Option<u64> = req
        .header("Last-Event-ID")
        .and_then(|v| v.trim().parse().ok());
    start(conn, Some(50)).await?;
    for n in last.map_or(1, |l| l + 1)..=count {
        chunk(conn, &event(n)).await?;
        if last.is_none() && n == drop_after {
            // Let the client take in what was sent before the connection goes.
            tokio::time::sleep(Duration::from_millis(50)).await;
            return Ok(Next::Abort);
        }
    }
    conn.stream.write_all(b"0\r\n\r\n").await?;
    conn.stream.flush().await?;
    Ok(Next::Close)
}

/// `/sse/flaky?count=N&every=K`: like `/sse/resume`, but every connection drops after K events
/// (resuming after `Last-Event-ID`), so the stream takes many reconnections to reach event N;
/// once the client has event N, each connection drops before sending anything (a reconnection
/// that delivers nothing, again and again).
pub(crate) async fn flaky<S: RawStream>(
    conn: &mut Conn<S>,
    req: &Request,
    count: u64,
    every: u64,
) -> io::Result<Next> {
    let last: u64 = req
        .header("Last-Event-ID")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    start(conn, Some(20)).await?;
    for n in (last + 1..=count).take(every.max(1) as usize) {
        chunk(conn, &event(n)).await?;
    }
    // Let the client take in what was sent before the connection goes.
    tokio::time::sleep(Duration::from_millis(30)).await;
    Ok(Next::Abort)
}

/// `/sse/fast?count=N&per_sec=R`: N events like `/sse/slow`'s, written in chunks of about 64 KiB as
/// fast as the client reads them; with R > 0, paced to R events a second (a chunk every 10 ms).
/// For throughput benchmarks, which must not measure the server's per-event flushes.
pub(crate) async fn fast<S: RawStream>(
    conn: &mut Conn<S>,
    count: u64,
    per_sec: u64,
) -> io::Result<Next> {
    start(conn, None).await?;
    let started = tokio::time::Instant::now();
    let per_tick = (per_sec / 100).max(1);
    let mut text = String::with_capacity(70 * 1024);
    let mut n = 1;
    while n <= count {
        if per_sec > 0 {
            // Event n is due at n / per_sec seconds.
            let due = started + Duration::from_secs_f64((n - 1) as f64 / per_sec as f64);
            tokio::time::sleep_until(due).await;
        }
        let last = if per_sec > 0 {
            (n + per_tick - 1).min(count)
        } else {
            count
        };
        while n <= last && text.len() < 64 * 1024 {
            text.push_str(&event(n));
            n += 1;
        }
        chunk(conn, &text).await?;
        text.clear();
    }
    conn.stream.write_all(b"0\r\n\r\n").await?;
    conn.stream.flush().await?;
    Ok(Next::Close)
}

async fn start<S: RawStream>(conn: &mut Conn<S>, retry_ms: Option<u64>) -> io::Result<()> {
    let headers = vec![
        (
            "Content-Type".to_owned(),
            "text/event-stream; charset=utf-8".to_owned(),
        ),
        ("Cache-Control".to_owned(), "no-cache".to_owned()),
        ("Transfer-Encoding".to_owned(), "chunked".to_owned()),
    ];
    conn.stream.write_all(&head(200, &headers, true)).await?;
    conn.stream.flush().await?;
    if let Some(ms) = retry_ms {
        chunk(conn, &format!("retry: {ms}\n\n")).await?;
    }
    Ok(())
}

fn event(n: u64) -> String {
    format!("id: {n}\nevent: tick\ndata: {{\"n\":{n}}}\n\n")
}

async fn chunk<S: RawStream>(conn: &mut Conn<S>, text: &str) -> io::Result<()> {
    let bytes = [
        format!("{:x}\r\n", text.len()).as_bytes(),
        text.as_bytes(),
        b"\r\n",
    ]
    .concat();
    conn.stream.write_all(&bytes).await?;
    conn.stream.flush().await
}
