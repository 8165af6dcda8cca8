//! The request as it was sent, for the response pane's Request view: the URL with its query rows,
//! the method, the headers after inheritance and auth, and the body's size. "Was Authorization
//! really sent?" is answered by showing it, masked: the view is built by the history's own
//! recording code (`history_record::entry`), so it masks exactly what the history masks.
//!
//! Views are kept in memory by response id for the last [`KEPT`] responses of this session.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::Serialize;
use sextant_model::{ApiError, ErrorCode, Header, HttpRequest, HttpResponse, RequestBody};
use sextant_store::Source;
use ts_rs::TS;

use crate::history_record::{self, Finished};
use crate::App;

/// How many responses' requests are remembered.
pub const KEPT: usize = 256;
/// The most body text a view carries (the size is always the whole body's).
pub const MAX_BODY_PREVIEW: usize = 64 * 1024;

/// What went out for one response, with credentials masked.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SentRequest {
    pub method: String,
    /// The first hop's URL, query rows included (redirects are in the response's own list).
    pub url: String,
    pub headers: Vec<Header>,
    /// The body's size in bytes when it is known before sending (not for multipart).
    pub body_bytes: Option<u64>,
    /// The body as text (masked; multipart and file bodies as a one-line summary), cut at
    /// [`MAX_BODY_PREVIEW`].
    pub body: Option<String>,
}

/// The views of the last [`KEPT`] responses, oldest first.
#[derive(Debug, Default)]
pub(crate) struct SentLog(Mutex<VecDeque<(String, SentRequest)>>);

impl SentLog {
    pub(crate) fn remember(&self, response_id: &str, view: SentRequest) {
        let mut log = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if log.len() >= KEPT {
            log.pop_front();
        }
        log.push_back((response_id.to_string(), view));
    }

    fn get(&self, response_id: &str) -> Option<SentRequest> {
        let log = self.0.lock().unwrap_or_else(|e| e.into_inner());
        log.iter()
            .rev()
            .find(|(id, _)| id == response_id)
            .map(|(_, v)| v.clone())
    }
}

/// The masked view of `request`, which produced `response`.
pub(crate) fn view(
    request: &HttpRequest,
    secrets: &[String],
    response: &HttpResponse,
) -> SentRequest {
    let entry = history_record::entry(Finished {
        at_ms: 0,
        source: Source::App,
        collection: None,
        secrets,
        request,
        duration_ms: 0.0,
        outcome: Ok(response),
        body_head: None,
        body_path: None,
    });
    let body = entry.request_body.map(|mut text| {
        if text.len() > MAX_BODY_PREVIEW {
            let mut cut = MAX_BODY_PREVIEW;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
        }
        text
    });
    SentRequest {
        method: entry.method,
        url: entry.url,
        headers: entry
            .request_headers
            .into_iter()
            .map(|(name, value)| Header { name, value })
            .collect(),
        body_bytes: body_bytes(&request.body),
        body,
    }
}

fn body_bytes(body: &RequestBody) -> Option<u64> {
    match body {
        RequestBody::None => Some(0),
        RequestBody::Text { text, .. } | RequestBody::Json { text } => Some(text.len() as u64),
        RequestBody::Form { fields } => {
            let mut ser = url::form_urlencoded::Serializer::new(String::new());
            for f in fields.iter().filter(|f| f.enabled) {
                ser.append_pair(&f.name, &f.value);
            }
            Some(ser.finish().len() as u64)
        }
        RequestBody::Binary { path, .. } => std::fs::metadata(path).ok().map(|m| m.len()),
        RequestBody::Multipart { .. } => None,
    }
}

impl App {
    /// The request that produced `response_id`, as sent, with credentials masked. `NotFound`
    /// for a response of an earlier session or older than the last [`KEPT`].
    pub fn sent_request(&self, response_id: &str) -> Result<SentRequest, ApiError> {
        self.sent.get(response_id).ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                format!(
                    "the request as sent is kept for the last {KEPT} responses of this session only"
                ),
            )
        })
    }
}
