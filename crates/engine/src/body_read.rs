//! Streams a response body to its file: wire bytes counted before decoding, Content-Encoding
//! decoded on the fly, memory bounded by one buffer whatever the size. A break mid-body keeps
//! what arrived and reports why.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_compression::tokio::bufread::{BrotliDecoder, GzipDecoder, ZlibDecoder, ZstdDecoder};
use futures_util::TryStreamExt;
use reqwest::header;
use sextant_model::{SendEvent, TimeoutPhase};
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio_util::io::StreamReader;
use tokio_util::sync::CancellationToken;

use crate::body_sink::{flush_due, BodySink};
use crate::error::innermost;
use crate::send::Deadline;
use crate::stream::tee::Tee;
use crate::{EngineError, SendLimits};

const READ_BUF: usize = 256 * 1024;
const PROGRESS_BYTES: u64 = 256 * 1024;
const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);

pub(crate) struct BodyOutcome {
    pub wire_bytes: u64,
    pub decoded_bytes: u64,
    /// The Content-Encoding that was decoded.
    pub encoding: Option<String>,
    /// Why the body stopped early, if it did.
    pub error: Option<EngineError>,
}

/// Wraps transport errors so they can be told apart from decoder errors after both have passed
/// through the decoder as `io::Error`.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct WireError(String);

pub(crate) async fn read_body(
    response: reqwest::Response,
    file: tokio::fs::File,
    limits: &SendLimits,
    cancel: &CancellationToken,
    deadline: Deadline,
    started: Instant,
    on_event: &(dyn Fn(SendEvent) + Send + Sync),
) -> Result<BodyOutcome, EngineError> {
    let cap = limits.max_body_bytes.unwrap_or(u64::MAX);
    let expected = response.content_length();
    let encoding = response
        .headers()
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_ascii_lowercase())
        .filter(|v| !v.is_empty() && v != "identity");

    let mut records = Tee::for_content_type(
        response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        started,
    );

    let wire = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&wire);
    let stream = response
        .bytes_stream()
        .map_ok(move |chunk| {
            counter.fetch_add(chunk.len() as u64, Ordering::Relaxed);
            chunk
        })
        .map_err(|e| io::Error::other(WireError(innermost(&e))));
    let raw = StreamReader::new(stream);
    let (mut reader, decoded_as): (Pin<Box<dyn AsyncRead + Send>>, Option<String>) =
        match encoding.as_deref() {
            Some("gzip" | "x-gzip") => (Box::pin(GzipDecoder::new(raw)), encoding.clone()),
            Some("deflate") => (Box::pin(ZlibDecoder::new(raw)), encoding.clone()),
            Some("br") => (Box::pin(BrotliDecoder::new(raw)), encoding.clone()),
            Some("zstd") => (Box::pin(ZstdDecoder::new(raw)), encoding.clone()),
            // Unknown or stacked encodings are stored as received.
            _ => (Box::pin(raw), None),
        };

    let mut out = BodySink::new(file);
    let mut buf = vec![0u8; READ_BUF];
    let mut decoded: u64 = 0;
    let mut last_event = (0u64, Instant::now());
    let error = loop {
        let read = tokio::select! {
            biased;
            _ = cancel.cancelled() => break Some(EngineError::Cancelled),
            _ = deadline.expired() => break Some(deadline.error(TimeoutPhase::Body)),
            _ = records.due() => {
                records.flush(on_event);
                continue;
            }
            _ = flush_due(out.due()) => {
                // Bytes followed by a pause: flushed and reported now, not when more arrive.
                out.flush()
                    .await
                    .map_err(|e| EngineError::io("cannot write the response body to disk", e))?;
                if decoded > last_event.0 {
                    on_event(SendEvent::Body {
                        received: decoded,
                        expected,
                        elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
                    });
                    last_event = (decoded, Instant::now());
                }
                continue;
            }
            r = reader.read(&mut buf) => r,
        };
        match read {
            Ok(0) => break None,
            Ok(n) if decoded + n as u64 > cap => {
                break Some(EngineError::TooLarge {
                    what: match limits.purpose.as_str() {
                        "" => "this request".to_string(),
                        purpose => purpose.to_string(),
                    },
                    limit: cap,
                })
            }
            Ok(n) => {
                out.write(&buf[..n])
                    .await
                    .map_err(|e| EngineError::io("cannot write the response body to disk", e))?;
                decoded += n as u64;
                records.feed(&buf[..n], on_event);
                if decoded - last_event.0 >= PROGRESS_BYTES
                    || last_event.1.elapsed() >= PROGRESS_INTERVAL
                {
                    // What an event reports is in the file, for readers that follow it.
                    out.flush().await.map_err(|e| {
                        EngineError::io("cannot write the response body to disk", e)
                    })?;
                    on_event(SendEvent::Body {
                        received: decoded,
                        expected,
                        elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
                    });
                    last_event = (decoded, Instant::now());
                }
            }
            Err(e) => {
                let received = wire.load(Ordering::Relaxed);
                let is_wire = e.get_ref().is_some_and(|inner| inner.is::<WireError>());
                break Some(match (&decoded_as, is_wire) {
                    (Some(enc), false) => EngineError::Decode {
                        encoding: enc.clone(),
                        reason: e.to_string(),
                    },
                    _ => EngineError::BodyRead {
                        received,
                        reason: e.to_string(),
                    },
                });
            }
        }
    };
    // Flushed, not fsynced: a stored body is a copy of what the server sent, and an fsync of a
    // 1 GiB body would halve download throughput.
    out.flush()
        .await
        .map_err(|e| EngineError::io("cannot write the response body to disk", e))?;
    records.finish(on_event);
    on_event(SendEvent::Body {
        received: decoded,
        expected,
        elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
    });
    Ok(BodyOutcome {
        wire_bytes: wire.load(Ordering::Relaxed),
        decoded_bytes: decoded,
        encoding: decoded_as,
        error,
    })
}
