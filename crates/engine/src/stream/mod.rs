//! Event streams inside response bodies: server-sent events and JSON records (NDJSON, JSON
//! Lines, JSON text sequences) parsed incrementally, whatever way the bytes are split, within a
//! size budget per record. The engine tees a streamed body into a [`StreamParser`] while it
//! downloads ([`tee`]); the app re-parses a stored body with the same parser.

mod ndjson;
mod sse;
pub(crate) mod tee;

use sextant_model::{StreamKind, StreamRecord};

pub use ndjson::RecordParser;
pub use sse::{SseParser, RECONNECT_MARK};

/// The most bytes one line, event or record may hold before it is reported as over budget.
pub const MAX_RECORD_BYTES: usize = 1024 * 1024;

/// How much of an over-budget record is kept to show.
const PREVIEW: usize = 4 * 1024;

/// A parser for one stream kind that numbers its records.
#[derive(Debug)]
pub struct StreamParser {
    kind: StreamKind,
    inner: Inner,
    next_index: u64,
}

#[derive(Debug)]
enum Inner {
    Sse(SseParser),
    Records(RecordParser),
}

impl StreamParser {
    pub fn new(kind: StreamKind) -> Self {
        Self::with_budget(kind, MAX_RECORD_BYTES)
    }

    /// A parser whose records may each be at most `max` bytes.
    pub fn with_budget(kind: StreamKind, max: usize) -> Self {
        let inner = match kind {
            StreamKind::Sse => Inner::Sse(SseParser::new(max)),
            StreamKind::Ndjson => Inner::Records(RecordParser::lines(max)),
            StreamKind::JsonSeq => Inner::Records(RecordParser::json_seq(max)),
        };
        Self {
            kind,
            inner,
            next_index: 0,
        }
    }

    pub fn kind(&self) -> StreamKind {
        self.kind
    }

    /// How many records have come out so far.
    pub fn count(&self) -> u64 {
        self.next_index
    }

    /// The server-sent events parser, for a stream of that kind.
    pub fn sse(&self) -> Option<&SseParser> {
        match &self.inner {
            Inner::Sse(p) => Some(p),
            Inner::Records(_) => None,
        }
    }

    /// Feeds the next bytes of the body; complete records are appended to `out`.
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<StreamRecord>) {
        let from = out.len();
        match &mut self.inner {
            Inner::Sse(p) => p.feed(bytes, out),
            Inner::Records(p) => p.feed(bytes, out),
        }
        self.number(&mut out[from..]);
    }

    /// The body ended: what is left becomes a last (marked) record.
    pub fn finish(&mut self, out: &mut Vec<StreamRecord>) {
        let from = out.len();
        match &mut self.inner {
            Inner::Sse(p) => p.finish(out),
            Inner::Records(p) => p.finish(out),
        }
        self.number(&mut out[from..]);
    }

    fn number(&mut self, records: &mut [StreamRecord]) {
        for record in records {
            record.index = self.next_index;
            self.next_index += 1;
        }
    }
}
