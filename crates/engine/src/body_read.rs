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
    /// The Content-Encoding that was decoded.
    pub encoding: Option<String>,
    /// Why the body stopped early, if it did.
    pub error: Option<EngineError>,
}

/// What a finished download leaves.
pub(crate) struct Finished {
    pub wire: u64,
    pub decoded: u64,
    /// The whole body, when it was small enough to keep.
    pub kept: Option<Vec<u8>>,
    /// It has no file yet: `kept` must be written to it.
    pub deferred: bool,
}

/// A body file being written, with its stream parser and byte counts: one response's body, or
/// an event stream's across its reconnections (each appended to the same file).
pub(crate) struct Download {
    out: BodySink,
    records: Tee,
    decoded: u64,
    wire: u64,
    /// The last response's length, counted from the start of the file.
    expected: Option<u64>,
    started: Instant,
}

impl Download {
    /// `content_type` picks the stream parser; records are timed from `started`.
    pub fn new(out: BodySink, content_type: Option<&str>, started: Instant) -> Self {
        Self {
            out,
            records: Tee::for_content_type(content_type, started),
            decoded: 0,
            wire: 0,
            expected: None,
            started,
        }
    }

    pub fn records(&self) -> &Tee {
        &self.records
    }

    /// Writes bytes of the engine's own (a reconnection marker) to the file and its parser.
    pub async fn write_own(
        &mut self,
        bytes: &[u8],
        on_event: &(dyn Fn(SendEvent) + Send + Sync),
    ) -> Result<(), EngineError> {
        self.out
            .write(bytes)
            .await
            .map_err(|e| EngineError::io("cannot write the response body to disk", e))?;
        self.decoded += bytes.len() as u64;
        self.records.feed(bytes, on_event);
        self.records.flush(on_event);
        Ok(())
    }

    /// The body is complete: the rest becomes records, a last progress event goes out; returns
    /// the (wire, decoded) byte counts and the whole body when it was small enough to keep.
    pub fn finish(mut self, on_event: &(dyn Fn(SendEvent) + Send + Sync)) -> Finished {
        self.records.finish(on_event);
        on_event(SendEvent::Body {
            received: self.decoded,
            expected: self.expected,
            elapsed_ms: self.started.elapsed().as_secs_f64() * 1000.0,
        });
        Finished {
            wire: self.wire,
            decoded: self.decoded,
            deferred: self.out.still_deferred(),
            kept: self.out.take_kept(),
        }
    }
}

/// Wraps transport errors so they can be told apart from decoder errors after both have passed
/// through the decoder as `io::Error`.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct WireError(String);

/// Reads `response`'s body into `download` (after what it holds already) until it ends, breaks,
/// is cancelled or times out; what arrived is flushed to the file.
pub(crate) async fn read_body(
    response: reqwest::Response,
    download: &mut Download,
    limits: &SendLimits,
    cancel: &CancellationToken,
    deadline: Deadline,
    on_event: &(dyn Fn(SendEvent) + Send + Sync),
) -> Result<BodyOutcome, EngineError> {
    let cap = limits.max_body_bytes.unwrap_or(u64::MAX);
    let base = download.decoded;
    let wire_base = download.wire;
    let started = download.started;
    let expected = response.content_length().map(|length| length + base);
    let encoding = response
        .headers()
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_ascii_lowercase())
        .filter(|v| !v.is_empty() && v != "identity");

    let Download {
        out,
        records,
        decoded,
        ..
    } = download;

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

    let mut buf = vec![0u8; READ_BUF];
    let mut last_event = (*decoded, Instant::now());
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
                if *decoded > last_event.0 {
                    on_event(SendEvent::Body {
                        received: *decoded,
                        expected,
                        elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
                    });
                    last_event = (*decoded, Instant::now());
                }
                continue;
            }
            r = reader.read(&mut buf) => r,
        };
        match read {
            Ok(0) => break None,
            Ok(n) if *decoded + n as u64 > cap => {
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
                *decoded += n as u64;
                records.feed(&buf[..n], on_event);
                if *decoded - last_event.0 >= PROGRESS_BYTES
                    || last_event.1.elapsed() >= PROGRESS_INTERVAL
                {
                    // What an event reports is in the file, for readers that follow it.
                    out.flush().await.map_err(|e| {
                        EngineError::io("cannot write the response body to disk", e)
                    })?;
                    on_event(SendEvent::Body {
                        received: *decoded,
                        expected,
                        elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
                    });
                    last_event = (*decoded, Instant::now());
                }
            }
            Err(e) => {
                let received = wire.load(Ordering::Relaxed) + wire_base;
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
    records.flush(on_event);
    download.expected = expected;
    download.wire += wire.load(Ordering::Relaxed);
    Ok(BodyOutcome {
        encoding: decoded_as,
        error,
    })
}
