//! The engine's hook into a body download: when the Content-Type names a stream, the bytes
//! written to the body file are also parsed, and the records go out as `SendEvent::Records` in
//! batches (every [`BATCH_INTERVAL`] or [`BATCH_COUNT`] records, whichever comes first), so ten
//! thousand events a second are a few dozen messages, while a lone event goes out at once.

use std::time::{Duration, Instant};

use sextant_model::{SendEvent, StreamKind, StreamRecord};

use super::StreamParser;

pub(crate) const BATCH_INTERVAL: Duration = Duration::from_millis(30);
pub(crate) const BATCH_COUNT: usize = 500;

pub(crate) struct Tee {
    parser: Option<StreamParser>,
    started: Instant,
    pending: Vec<StreamRecord>,
    last_flush: Option<Instant>,
}

impl Tee {
    /// A tee for a body of `content_type`; it does nothing when that is not a stream. Records
    /// are timed from `started`.
    pub(crate) fn for_content_type(content_type: Option<&str>, started: Instant) -> Self {
        Self {
            parser: content_type
                .and_then(StreamKind::from_content_type)
                .map(StreamParser::new),
            started,
            pending: Vec::new(),
            last_flush: None,
        }
    }

    /// The server-sent events parser when the body is an event stream (reconnections ask it
    /// for the last event id and the `retry` time).
    pub(crate) fn sse(&self) -> Option<&super::SseParser> {
        self.parser.as_ref().and_then(StreamParser::sse)
    }

    /// How many records the body has made so far (marker rows included).
    pub(crate) fn count(&self) -> u64 {
        self.parser.as_ref().map_or(0, StreamParser::count)
    }

    /// The bytes that mark reconnection `attempt` in the stored stream (see
    /// [`super::RECONNECT_MARK`]), ending first a line the old connection left unfinished.
    pub(crate) fn marker(&self, attempt: u32) -> Vec<u8> {
        let open_line = self.sse().is_some_and(super::SseParser::mid_line);
        format!(
            "{}{}{attempt}\n",
            if open_line { "\n" } else { "" },
            super::RECONNECT_MARK
        )
        .into_bytes()
    }

    pub(crate) fn feed(&mut self, bytes: &[u8], on_event: &(dyn Fn(SendEvent) + Send + Sync)) {
        let Some(parser) = self.parser.as_mut() else {
            return;
        };
        let from = self.pending.len();
        parser.feed(bytes, &mut self.pending);
        let at = self.started.elapsed().as_secs_f64() * 1000.0;
        for record in &mut self.pending[from..] {
            record.at_ms = Some(at);
        }
        let quiet = self
            .last_flush
            .is_none_or(|last| last.elapsed() >= BATCH_INTERVAL);
        if self.pending.len() >= BATCH_COUNT || (quiet && !self.pending.is_empty()) {
            self.flush(on_event);
        }
    }

    /// Resolves when held records are due to go out; never while none are held.
    pub(crate) async fn due(&self) {
        match (self.pending.is_empty(), self.last_flush) {
            (false, Some(last)) => tokio::time::sleep_until((last + BATCH_INTERVAL).into()).await,
            (false, None) => {}
            (true, _) => std::future::pending().await,
        }
    }

    pub(crate) fn flush(&mut self, on_event: &(dyn Fn(SendEvent) + Send + Sync)) {
        let Some(parser) = self.parser.as_ref() else {
            return;
        };
        self.last_flush = Some(Instant::now());
        if self.pending.is_empty() {
            return;
        }
        on_event(SendEvent::Records {
            kind: parser.kind(),
            records: std::mem::take(&mut self.pending),
            total: parser.count(),
        });
    }

    /// The body ended (or stopped): the rest of it becomes records and everything held goes out.
    pub(crate) fn finish(&mut self, on_event: &(dyn Fn(SendEvent) + Send + Sync)) {
        let Some(parser) = self.parser.as_mut() else {
            return;
        };
        let from = self.pending.len();
        parser.finish(&mut self.pending);
        let at = self.started.elapsed().as_secs_f64() * 1000.0;
        for record in &mut self.pending[from..] {
            record.at_ms = Some(at);
        }
        self.flush(on_event);
    }
}
