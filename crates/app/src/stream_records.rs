//! Reading back the events or records of a stored streamed body: a reopened response (history,
//! a restored tab) or one that finished has no live `Records` events, so its list is re-parsed
//! from the body file with the engine's parser, one page at a time. Memory stays bounded by the
//! page whatever the body's length: the file is read in pieces and only the page is kept.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use sextant_model::{
    ApiError, Capture, CaptureSource, ErrorCode, StreamKind, StreamPage, StreamRecord,
};

pub use sextant_engine::stream::{StreamParser, MAX_RECORD_BYTES};

use crate::App;

/// The most records one page returns.
pub const MAX_PAGE: u64 = 5_000;

const READ: usize = 256 * 1024;

impl App {
    /// The records `offset..offset + limit` (at most [`MAX_PAGE`]) of the stored body of
    /// `response_id` read as a `kind` stream, with how many the body holds. A body still
    /// downloading is read as far as it is written.
    pub async fn read_stream_records(
        &self,
        response_id: &str,
        kind: StreamKind,
        offset: u64,
        limit: u64,
    ) -> Result<StreamPage, ApiError> {
        let path = self.body_path(response_id)?;
        tokio::task::spawn_blocking(move || read_page(&path, kind, offset, limit.min(MAX_PAGE)))
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, format!("reading the stream: {e}")))?
            .map_err(|e| match e.kind() {
                io::ErrorKind::NotFound => ApiError::new(
                    ErrorCode::NotFound,
                    "this response's body is no longer stored",
                ),
                _ => ApiError::new(ErrorCode::Io, format!("cannot read the stored body: {e}")),
            })
    }
}

fn read_page(path: &Path, kind: StreamKind, offset: u64, limit: u64) -> io::Result<StreamPage> {
    let mut file = File::open(path)?;
    let mut parser = StreamParser::new(kind);
    let mut buf = vec![0u8; READ];
    let mut batch: Vec<StreamRecord> = Vec::new();
    let mut records = Vec::new();
    let end = offset.saturating_add(limit);
    let mut keep = |batch: &mut Vec<StreamRecord>| {
        records.extend(
            batch
                .drain(..)
                .filter(|r| r.index >= offset && r.index < end),
        );
    };
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        parser.feed(&buf[..n], &mut batch);
        keep(&mut batch);
    }
    parser.finish(&mut batch);
    keep(&mut batch);
    Ok(StreamPage {
        kind,
        records,
        total: parser.count(),
    })
}

/// The records of a stored body for record captures: `None` when no capture reads records or
/// the body is not a stream (the captures then say so).
pub(crate) fn records_for_captures(
    captures: &[Capture],
    content_type: Option<&str>,
    body: &[u8],
) -> Option<Vec<StreamRecord>> {
    if !captures
        .iter()
        .any(|c| matches!(c.source, CaptureSource::Record { .. }))
    {
        return None;
    }
    let kind = StreamKind::from_content_type(content_type?)?;
    let mut parser = StreamParser::new(kind);
    let mut records = Vec::new();
    parser.feed(body, &mut records);
    parser.finish(&mut records);
    Some(records)
}
