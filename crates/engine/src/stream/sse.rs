//! An incremental server-sent events parser, after the WHATWG HTML standard's "event stream
//! interpretation": bytes arrive in any split (a CRLF across two reads, a UTF-8 character across
//! two reads) and events come out as their blank line arrives.

use sextant_model::StreamRecord;

use super::PREVIEW;

/// Parses `text/event-stream` bytes into events.
#[derive(Debug)]
pub struct SseParser {
    max: usize,
    /// The current line's bytes (without its end).
    line: Vec<u8>,
    /// The current line went over the budget: the rest of it is skipped.
    line_over: bool,
    /// The previous byte was a CR, so an LF right after it ends nothing.
    after_cr: bool,
    /// At the start of the stream, where one BOM is skipped.
    at_start: bool,
    bom_seen: usize,
    /// Decoded bytes consumed so far.
    position: u64,
    /// Where the event being built started.
    event_start: Option<u64>,
    data: String,
    has_data: bool,
    event: Option<String>,
    last_id: Option<String>,
    retry: Option<u64>,
    /// The reconnection time the stream set last (a `retry` field takes effect as it is read).
    reconnection_ms: Option<u64>,
    /// The last event ID as of the last dispatch: what a reconnection sends as `Last-Event-ID`.
    dispatched_id: Option<String>,
    /// The event being built went over the budget; it is reported, its data cut to a preview.
    event_over: bool,
}

impl SseParser {
    /// A parser whose lines and events may each be at most `max` bytes.
    pub fn new(max: usize) -> Self {
        Self {
            max,
            line: Vec::new(),
            line_over: false,
            after_cr: false,
            at_start: true,
            bom_seen: 0,
            position: 0,
            event_start: None,
            data: String::new(),
            has_data: false,
            event: None,
            last_id: None,
            retry: None,
            reconnection_ms: None,
            dispatched_id: None,
            event_over: false,
        }
    }

    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<StreamRecord>) {
        let mut rest = bytes;
        if self.at_start {
            const BOM: &[u8] = b"\xEF\xBB\xBF";
            while let Some((&b, tail)) = rest.split_first() {
                if self.bom_seen < BOM.len() && b == BOM[self.bom_seen] {
                    self.bom_seen += 1;
                    self.position += 1;
                    rest = tail;
                    if self.bom_seen == BOM.len() {
                        self.at_start = false;
                        break;
                    }
                } else {
                    // Not a BOM after all: what was taken for one is line content.
                    self.at_start = false;
                    self.position -= self.bom_seen as u64;
                    let taken = BOM[..self.bom_seen].to_vec();
                    self.bom_seen = 0;
                    self.take_bytes(&taken, out);
                    break;
                }
            }
            if self.at_start {
                return;
            }
        }
        self.take_bytes(rest, out);
    }

    fn take_bytes(&mut self, bytes: &[u8], out: &mut Vec<StreamRecord>) {
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if b != b'\n' && b != b'\r' {
                continue;
            }
            if b == b'\n' && self.after_cr && i == start && self.line.is_empty() && !self.line_over
            {
                // The LF of a CRLF whose CR ended the previous line.
                self.after_cr = false;
                self.position += 1;
                start = i + 1;
                continue;
            }
            self.append_line(&bytes[start..i]);
            self.position += (i - start) as u64 + 1;
            self.end_line(out);
            self.after_cr = b == b'\r';
            start = i + 1;
        }
        if start < bytes.len() {
            self.after_cr = false;
            self.append_line(&bytes[start..]);
            self.position += (bytes.len() - start) as u64;
        }
    }

    fn append_line(&mut self, part: &[u8]) {
        if part.is_empty() || self.line_over {
            return;
        }
        if self.event_start.is_none() {
            self.event_start = Some(self.position);
        }
        let room = self.max.saturating_sub(self.line.len());
        if part.len() > room {
            self.line.extend_from_slice(&part[..room.min(PREVIEW)]);
            self.line_over = true;
        } else {
            self.line.extend_from_slice(part);
        }
    }

    fn end_line(&mut self, out: &mut Vec<StreamRecord>) {
        let line = std::mem::take(&mut self.line);
        let over = std::mem::replace(&mut self.line_over, false);
        if line.is_empty() && !over {
            self.dispatch(out);
            return;
        }
        if over {
            self.event_over = true;
        }
        let line = String::from_utf8_lossy(&line);
        if let Some(attempt) = line.strip_prefix(RECONNECT_MARK) {
            self.reconnected(attempt, out);
            return;
        }
        if line.starts_with(':') {
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_ref(), ""),
        };
        match field {
            "event" => self.event = Some(value.to_string()),
            "data" => {
                self.has_data = true;
                if self.data.len() + value.len() + 1 > self.max {
                    self.event_over = true;
                }
                if !self.event_over {
                    self.data.push_str(value);
                    self.data.push('\n');
                } else if self.data.len() < PREVIEW {
                    let take = floor_char_boundary(value, PREVIEW - self.data.len());
                    self.data.push_str(&value[..take]);
                }
            }
            "id" if !value.contains('\0') => {
                self.last_id = Some(value.to_string()).filter(|v| !v.is_empty())
            }
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok();
                self.reconnection_ms = self.retry.or(self.reconnection_ms);
            }
            _ => {}
        }
    }

    fn dispatch(&mut self, out: &mut Vec<StreamRecord>) {
        self.dispatched_id = self.last_id.clone();
        let start = self.event_start.take().unwrap_or(self.position);
        let over = std::mem::replace(&mut self.event_over, false);
        let event = self.event.take();
        if !std::mem::replace(&mut self.has_data, false) && !over {
            // No data: nothing is dispatched (a `retry` stays for the next event).
            self.data.clear();
            return;
        }
        let mut data = std::mem::take(&mut self.data);
        if data.ends_with('\n') {
            data.pop();
        }
        out.push(StreamRecord {
            index: 0,
            at_ms: None,
            event,
            id: self.last_id.clone(),
            data,
            retry_ms: self.retry.take(),
            offset: start,
            reconnect: None,
            problem: over.then(|| {
                format!(
                    "this event is over {} KiB (the budget per line and event); its data is cut \
                     to the first {} KiB, the whole of it is in the body file",
                    self.max / 1024,
                    PREVIEW / 1024
                )
            }),
        });
    }

    /// The body ended. An event without its blank line is not dispatched by the standard, but it
    /// is shown, marked, rather than dropped.
    pub fn finish(&mut self, out: &mut Vec<StreamRecord>) {
        if !self.line.is_empty() || self.line_over {
            self.end_line(out);
        }
        if self.has_data || self.event_over {
            let start = self.event_start.take().unwrap_or(self.position);
            let mut data = std::mem::take(&mut self.data);
            if data.ends_with('\n') {
                data.pop();
            }
            self.has_data = false;
            self.event_over = false;
            out.push(StreamRecord {
                index: 0,
                at_ms: None,
                event: self.event.take(),
                id: self.last_id.clone(),
                data,
                retry_ms: self.retry.take(),
                offset: start,
                problem: Some(
                    "the body ended before this event's blank line (not dispatched by a browser)"
                        .into(),
                ),
                reconnect: None,
            });
        }
    }

    /// The reconnection time (ms) the stream asked for with its last `retry` field.
    pub fn reconnection_ms(&self) -> Option<u64> {
        self.reconnection_ms
    }

    /// The last event ID as of the last dispatched event, the `Last-Event-ID` to resume from.
    pub fn last_event_id(&self) -> Option<&str> {
        self.dispatched_id.as_deref()
    }

    /// Whether the bytes so far end inside a line (a reconnection marker must end it first).
    pub fn mid_line(&self) -> bool {
        !self.line.is_empty() || self.line_over
    }

    /// The reconnection marker line: an event the old connection left unfinished is dropped (as
    /// a browser drops it), the last event ID goes back to the last dispatched one, and a marker
    /// row stands for the reconnection.
    fn reconnected(&mut self, attempt: &str, out: &mut Vec<StreamRecord>) {
        let start = self.event_start.take().unwrap_or(self.position);
        self.data.clear();
        self.has_data = false;
        self.event = None;
        self.event_over = false;
        self.retry = None;
        self.last_id = self.dispatched_id.clone();
        out.push(StreamRecord {
            index: 0,
            at_ms: None,
            event: None,
            id: self.dispatched_id.clone(),
            data: String::new(),
            retry_ms: None,
            offset: start,
            problem: None,
            reconnect: Some(attempt.trim().parse().unwrap_or(0)),
        });
    }
}

/// The comment line the engine writes into a stored event stream where it reconnected, followed
/// by the attempt number: the parser turns it into a marker row, live and when read back. (A
/// server that sends this very comment gets a marker row too.)
pub const RECONNECT_MARK: &str = ":sextant-reconnect ";

pub(super) fn floor_char_boundary(s: &str, at: usize) -> usize {
    if at >= s.len() {
        return s.len();
    }
    (0..=at).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0)
}
