//! An incremental reader of JSON records: one per line (NDJSON, JSON Lines; CRLF allowed, blank
//! lines skipped) or after an RS byte (RFC 7464 JSON text sequences). A record that is not JSON
//! is kept with its problem named, never dropped.

use sextant_model::StreamRecord;

use super::sse::floor_char_boundary;
use super::PREVIEW;

/// Splits records on `separator` (`\n` for lines, RS for JSON sequences).
#[derive(Debug)]
pub struct RecordParser {
    max: usize,
    separator: u8,
    record: Vec<u8>,
    over: bool,
    position: u64,
    start: u64,
}

impl RecordParser {
    pub fn lines(max: usize) -> Self {
        Self::new(max, b'\n')
    }

    pub fn json_seq(max: usize) -> Self {
        Self::new(max, 0x1E)
    }

    fn new(max: usize, separator: u8) -> Self {
        Self {
            max,
            separator,
            record: Vec::new(),
            over: false,
            position: 0,
            start: 0,
        }
    }

    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<StreamRecord>) {
        let mut rest = bytes;
        while let Some(at) = rest.iter().position(|&b| b == self.separator) {
            self.append(&rest[..at]);
            self.position += at as u64 + 1;
            self.end_record(out);
            self.start = self.position;
            rest = &rest[at + 1..];
        }
        self.append(rest);
        self.position += rest.len() as u64;
    }

    /// The body ended: a last record without its line end is still a record.
    pub fn finish(&mut self, out: &mut Vec<StreamRecord>) {
        self.end_record(out);
    }

    fn append(&mut self, part: &[u8]) {
        if self.over {
            return;
        }
        if self.record.len() + part.len() > self.max {
            let keep = PREVIEW.saturating_sub(self.record.len()).min(part.len());
            self.record.extend_from_slice(&part[..keep]);
            self.over = true;
        } else {
            self.record.extend_from_slice(part);
        }
    }

    fn end_record(&mut self, out: &mut Vec<StreamRecord>) {
        let bytes = std::mem::take(&mut self.record);
        let over = std::mem::replace(&mut self.over, false);
        let text = String::from_utf8_lossy(&bytes);
        let trimmed = text.trim_matches(|c: char| c.is_ascii_whitespace());
        if trimmed.is_empty() && !over {
            return;
        }
        if over {
            let cut = floor_char_boundary(trimmed, PREVIEW);
            let problem = format!(
                "this record is over {} KiB (the budget per record); it is cut to the first {} \
                 KiB, the whole of it is in the body file",
                self.max / 1024,
                PREVIEW / 1024
            );
            out.push(record(
                self.start,
                trimmed[..cut].to_string(),
                Some(problem),
            ));
            return;
        }
        let problem = serde_json::from_str::<serde::de::IgnoredAny>(trimmed)
            .err()
            .map(|e| format!("not JSON: {e}"));
        out.push(record(self.start, trimmed.to_string(), problem));
    }
}

fn record(offset: u64, data: String, problem: Option<String>) -> StreamRecord {
    StreamRecord {
        index: 0,
        at_ms: None,
        event: None,
        id: None,
        data,
        retry_ms: None,
        offset,
        problem,
        reconnect: None,
    }
}
