//! Recording WebSocket connections in the history: each connection (from `Open` to `Closed`)
//! becomes one entry with the method `WS`, its handshake headers as the request and response
//! headers (credentials masked), the frames' text as the searchable body, and its frames, each
//! cut to a short preview, up to [`MAX_RECORDED_FRAMES`] (the cap is stored with them).
//! A connection that could not be opened is recorded like a failed send.

use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use sextant_model::{
    ApiError, HttpRequest, WsCloseInitiator, WsEvent, WsFrame, WsHandshake, WsRecording,
};
use sextant_store::{History, NewEntry, Source};
use sextant_template::{mask_header, mask_response_header, mask_url, redact};

use crate::history_record::MAX_BODY_TEXT;

/// The most frames of one connection the history keeps; the rest are counted.
pub const MAX_RECORDED_FRAMES: u64 = 10_000;
/// The most of one frame's data the history keeps (bytes of text, or hex digits).
pub const MAX_RECORDED_PREVIEW: usize = 4 * 1024;

/// The method a recorded WebSocket connection is listed with.
pub const WS_METHOD: &str = "WS";

/// What every entry of one session shares.
pub(crate) struct SessionRecord {
    pub history: Arc<History>,
    pub source: Source,
    pub collection: Option<String>,
    pub secrets: Vec<String>,
    pub request: HttpRequest,
    pub as_written: Option<String>,
    current: Mutex<Option<Connection>>,
}

/// The connection being recorded.
struct Connection {
    at_ms: i64,
    started: Instant,
    handshake: WsHandshake,
    frames: Vec<WsFrame>,
    total: u64,
    text: String,
}

pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

fn cut(text: &str, max: usize) -> (&str, bool) {
    if text.len() <= max {
        return (text, false);
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (&text[..end], true)
}

impl SessionRecord {
    pub fn new(
        history: Arc<History>,
        source: Source,
        collection: Option<String>,
        secrets: Vec<String>,
        request: HttpRequest,
        as_written: Option<String>,
    ) -> Self {
        Self {
            history,
            source,
            collection,
            secrets,
            request,
            as_written,
            current: Mutex::new(None),
        }
    }

    fn mask(&self, text: &str) -> String {
        redact(text, &self.secrets)
    }

    /// Follows the session's events; a `Closed` writes the connection's entry.
    pub fn observe(self: &Arc<Self>, event: &WsEvent) {
        let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        match event {
            WsEvent::Open { handshake } => {
                *current = Some(Connection {
                    at_ms: now_ms(),
                    started: Instant::now(),
                    handshake: handshake.clone(),
                    frames: Vec::new(),
                    total: 0,
                    text: String::new(),
                });
            }
            WsEvent::Frames { frames, dropped } => {
                let Some(conn) = current.as_mut() else { return };
                conn.total += frames.len() as u64 + dropped;
                for frame in frames {
                    let data = self.mask(&frame.data);
                    if conn.text.len() < MAX_BODY_TEXT as usize
                        && matches!(frame.opcode, sextant_model::WsOpcode::Text)
                    {
                        conn.text.push_str(&data);
                        conn.text.push('\n');
                    }
                    if (conn.frames.len() as u64) < MAX_RECORDED_FRAMES {
                        let (kept, cut_here) = cut(&data, MAX_RECORDED_PREVIEW);
                        conn.frames.push(WsFrame {
                            data: kept.to_owned(),
                            truncated: frame.truncated || cut_here,
                            ..frame.clone()
                        });
                    }
                }
            }
            WsEvent::Closed {
                code,
                reason,
                initiator,
                error,
            } => {
                let Some(conn) = current.take() else { return };
                let recording = WsRecording {
                    entry_id: 0,
                    frames: conn.frames,
                    total_frames: conn.total,
                    frame_cap: MAX_RECORDED_FRAMES,
                    close_code: Some(*code),
                    close_reason: self.mask(reason),
                    initiator: Some(*initiator),
                };
                let mut entry = self.entry(conn.at_ms, Ok(&conn.handshake));
                entry.duration_ms = conn.started.elapsed().as_secs_f64() * 1000.0;
                let (text, _) = cut(&conn.text, MAX_BODY_TEXT as usize);
                entry.response_body_text = Some(text.to_owned());
                entry.body_size = recording.frames.iter().map(|f| f.size).sum();
                if let Some(error) = error {
                    entry.error_code = Some(format!("{:?}", error.code));
                    entry.error_message = Some(self.mask(&error.message));
                } else if *initiator == WsCloseInitiator::Abnormal {
                    entry.error_code = Some("Connect".into());
                }
                self.write(entry, Some(recording));
            }
            WsEvent::Connecting { .. } | WsEvent::Reconnecting { .. } => {}
        }
    }

    /// The entry of a connection that opened (`Ok`) or could not (`Err`).
    pub fn entry(&self, at_ms: i64, outcome: Result<&WsHandshake, &ApiError>) -> NewEntry {
        let credentials = &self.request.credentials;
        let (url, request_headers, status, response_headers) = match outcome {
            Ok(handshake) => (
                handshake.url.clone(),
                handshake
                    .request_headers
                    .iter()
                    .map(|h| {
                        let value = mask_header(&h.name, &h.value, credentials);
                        (h.name.clone(), self.mask(&value))
                    })
                    .collect(),
                Some(handshake.status),
                handshake
                    .response_headers
                    .iter()
                    .map(|h| {
                        let value = mask_response_header(&h.name, &h.value);
                        (h.name.clone(), self.mask(&value))
                    })
                    .collect(),
            ),
            Err(_) => (
                crate::history_record::sent_url(&self.request),
                self.request
                    .headers
                    .iter()
                    .filter(|h| h.enabled && !h.name.trim().is_empty())
                    .map(|h| {
                        let value = mask_header(&h.name, &h.value, credentials);
                        (h.name.clone(), self.mask(&value))
                    })
                    .collect(),
                None,
                Vec::new(),
            ),
        };
        let (error_code, error_message) = match outcome {
            Ok(_) => (None, None),
            Err(e) => (Some(format!("{:?}", e.code)), Some(self.mask(&e.message))),
        };
        NewEntry {
            at_ms,
            source: self.source,
            collection: self.collection.clone(),
            method: WS_METHOD.into(),
            url: self.mask(&mask_url(&url, credentials)),
            request_headers,
            request_body: None,
            request_as_written: self.as_written.clone(),
            request_body_bytes: None,
            status,
            response_headers,
            response_body_text: None,
            response_body_path: None,
            body_size: 0,
            duration_ms: 0.0,
            timings_json: None,
            error_code,
            error_message,
        }
    }

    /// Writes `entry` (and the frames) on a blocking thread; never fails the session.
    pub fn write(&self, entry: NewEntry, recording: Option<WsRecording>) {
        let history = Arc::clone(&self.history);
        let work = move || {
            let id = history.record(&entry)?;
            if let Some(recording) = recording {
                history.record_ws_session(id, &recording)?;
            }
            Ok::<_, sextant_store::StoreError>(())
        };
        let report = |e: &dyn std::fmt::Display| {
            eprintln!("sextant: could not record the WebSocket session in the history: {e}");
        };
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => {
                handle.spawn_blocking(move || {
                    if let Err(e) = work() {
                        report(&e);
                    }
                });
            }
            Err(_) => {
                if let Err(e) = work() {
                    report(&e);
                }
            }
        }
    }
}
