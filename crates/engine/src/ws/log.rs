//! The session's live log: every frame becomes a [`WsFrame`] (text as UTF-8, binary as a hex
//! preview, both cut to [`PREVIEW_BYTES`]), and frames reach the listener in batches (every
//! [`BATCH_INTERVAL`] or [`BATCH_FRAMES`] frames) so a fast server does not flood it.
//!
//! A batch also goes out as soon as the socket has nothing more to read ([`Log::flush_idle`]),
//! so a reply is not held back for the interval: when no batch went out in the last interval,
//! and for each frame the user sends, once for that frame and once for what answers it (an
//! echo's round trip). A server streaming on its own still arrives in about one batch an
//! interval.
//!
//! With [`WsLogRate::Capped`] (the window) at most [`MAX_FRAMES_PER_SEC`] frames and
//! [`MAX_PREVIEW_BYTES_PER_SEC`] preview bytes a second are passed on; the rest are numbered and
//! counted in `dropped`, so memory and IPC stay bounded. [`WsLogRate::Everything`] is for a host
//! that consumes frames as they come (the CLI prints them) and must not miss one.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use sextant_model::{WsDirection, WsEvent, WsFrame, WsOpcode};

/// The most of one frame's payload shown (text bytes, or hex characters for binary).
pub const PREVIEW_BYTES: usize = 64 * 1024;
pub const BATCH_FRAMES: usize = 500;
pub const BATCH_INTERVAL: Duration = Duration::from_millis(30);
pub const MAX_FRAMES_PER_SEC: usize = 20_000;
pub const MAX_PREVIEW_BYTES_PER_SEC: usize = 16 * 1024 * 1024;
/// How many early batches the user's sent frames may have banked (two a frame).
const MAX_EARLY_FLUSHES: u32 = 4;

/// Whether the log drops frames over its per-second cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WsLogRate {
    /// At most [`MAX_FRAMES_PER_SEC`] frames and [`MAX_PREVIEW_BYTES_PER_SEC`] preview bytes a
    /// second; the rest are counted in `dropped`.
    #[default]
    Capped,
    /// Every frame, for a listener that does not keep them (it prints or counts as they come).
    Everything,
}

pub(crate) type Listener = Arc<dyn Fn(WsEvent) + Send + Sync>;

pub(crate) struct Log {
    listener: Listener,
    rate: WsLogRate,
    started: Instant,
    seq: u64,
    pending: Vec<WsFrame>,
    pending_since: Option<Instant>,
    dropped: u64,
    second_start: Instant,
    second_frames: usize,
    second_bytes: usize,
    last_flush: Option<Instant>,
    /// Early batches earned by the user's sent frames and not yet used.
    early_flushes: u32,
}

/// The payload as the log shows it: UTF-8 text (lossy for control frames), or lowercase hex.
fn preview(opcode: WsOpcode, payload: &[u8]) -> (String, bool) {
    let text = match opcode {
        WsOpcode::Binary => None,
        WsOpcode::Text => Some(String::from_utf8_lossy(payload)),
        _ => std::str::from_utf8(payload).ok().map(Into::into),
    };
    match text {
        Some(text) => {
            let mut cut = text.len().min(PREVIEW_BYTES);
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            (text[..cut].to_owned(), cut < text.len())
        }
        None => {
            let shown = payload.len().min(PREVIEW_BYTES / 2);
            let mut hex = String::with_capacity(shown * 2);
            for b in &payload[..shown] {
                let _ = write!(hex, "{b:02x}");
            }
            (hex, shown < payload.len())
        }
    }
}

impl Log {
    pub fn new(listener: Listener, rate: WsLogRate, started: Instant) -> Self {
        Self {
            listener,
            rate,
            started,
            seq: 0,
            pending: Vec::new(),
            pending_since: None,
            dropped: 0,
            second_start: Instant::now(),
            second_frames: 0,
            second_bytes: 0,
            last_flush: None,
            early_flushes: 0,
        }
    }

    pub fn emit(&mut self, event: WsEvent) {
        self.flush();
        (self.listener)(event);
    }

    /// Logs one frame (a close frame's payload is its code and reason, as text).
    pub fn frame(&mut self, direction: WsDirection, opcode: WsOpcode, payload: &[u8]) {
        let now = Instant::now();
        let seq = self.seq;
        self.seq += 1;
        if now.duration_since(self.second_start) >= Duration::from_secs(1) {
            self.second_start = now;
            self.second_frames = 0;
            self.second_bytes = 0;
        }
        if direction == WsDirection::Sent && opcode != WsOpcode::Pong {
            self.early_flushes = (self.early_flushes + 2).min(MAX_EARLY_FLUSHES);
        }
        let (data, truncated) = preview(opcode, payload);
        if self.rate == WsLogRate::Capped
            && (self.second_frames >= MAX_FRAMES_PER_SEC
                || self.second_bytes + data.len() > MAX_PREVIEW_BYTES_PER_SEC)
        {
            self.dropped += 1;
            return;
        }
        self.second_frames += 1;
        self.second_bytes += data.len();
        self.pending.push(WsFrame {
            seq,
            direction,
            opcode,
            at_ms: u64::try_from(now.duration_since(self.started).as_millis()).unwrap_or(u64::MAX),
            size: payload.len() as u64,
            data,
            truncated,
        });
        self.pending_since.get_or_insert(now);
        if self.pending.len() >= BATCH_FRAMES {
            self.flush();
        }
    }

    /// When the pending frames are due to go out.
    pub fn due(&self) -> Option<tokio::time::Instant> {
        self.pending_since
            .map(|since| tokio::time::Instant::from_std(since + BATCH_INTERVAL))
    }

    pub fn has_pending(&self) -> bool {
        self.pending_since.is_some()
    }

    /// Called when the socket has nothing more to read: sends the pending batch now if no batch
    /// went out in the last interval or the user's sends earned an early one; otherwise it waits
    /// for [`Log::due`].
    pub fn flush_idle(&mut self) {
        if !self.has_pending() {
            return;
        }
        let quiet = self
            .last_flush
            .is_none_or(|at| at.elapsed() >= BATCH_INTERVAL);
        if quiet {
            self.flush();
        } else if self.early_flushes > 0 {
            self.early_flushes -= 1;
            self.flush();
        }
    }

    pub fn flush(&mut self) {
        self.pending_since = None;
        if self.pending.is_empty() && self.dropped == 0 {
            return;
        }
        self.last_flush = Some(Instant::now());
        let frames = std::mem::take(&mut self.pending);
        let dropped = std::mem::take(&mut self.dropped);
        (self.listener)(WsEvent::Frames { frames, dropped });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn binary_is_hex_and_big_payloads_are_cut() {
        assert_eq!(
            preview(WsOpcode::Binary, &[0, 0xab, 0xff]),
            ("00abff".into(), false)
        );
        let (data, truncated) = preview(WsOpcode::Binary, &vec![1u8; PREVIEW_BYTES]);
        assert_eq!((data.len(), truncated), (PREVIEW_BYTES, true));
        let (data, truncated) = preview(WsOpcode::Text, "é".repeat(PREVIEW_BYTES).as_bytes());
        assert!(truncated && data.len() <= PREVIEW_BYTES && data.starts_with('é'));
    }

    #[test]
    fn frames_over_the_rate_cap_are_counted_not_kept() {
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&events);
        let mut log = Log::new(
            Arc::new(move |e| sink.lock().unwrap().push(e)),
            WsLogRate::Capped,
            Instant::now(),
        );
        let total = MAX_FRAMES_PER_SEC + 10;
        let began = Instant::now();
        for _ in 0..total {
            log.frame(WsDirection::Received, WsOpcode::Text, b"x");
        }
        log.flush();
        let events = events.lock().unwrap();
        let (mut kept, mut dropped) = (0, 0);
        for e in events.iter() {
            if let WsEvent::Frames { frames, dropped: d } = e {
                assert!(frames.len() <= BATCH_FRAMES);
                kept += frames.len();
                dropped += d;
            }
        }
        assert_eq!(kept as u64 + dropped, total as u64);
        if began.elapsed() < Duration::from_millis(900) {
            assert_eq!(dropped, 10);
        }
    }
}
