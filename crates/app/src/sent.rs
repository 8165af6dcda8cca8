//! The request as it was sent, for the response pane's Request view: the URL with its query rows,
//! the method, the headers after inheritance and auth, and the body's size. "Was Authorization
//! really sent?" is answered by showing it, masked: the view is built from the history's own
//! recording (`history_record::entry`), so it masks exactly what the history masks.
//!
//! Views of this session's last [`KEPT`] responses are kept in memory by response id. Older
//! ones, responses restored after a restart and responses opened from History are answered from
//! the history entry that recorded them (found by its body file, or `history-<entry id>` for an
//! entry without one), and from the session file, which carries the views of its tabs'
//! responses (`session.rs`) for when the history is off or trimmed.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sextant_model::{ApiError, ErrorCode, Header, HttpRequest, HttpResponse};
use sextant_store::{NewEntry, Source};
use ts_rs::TS;

use crate::history_record::{self, Finished};
use crate::App;

/// How many responses' requests are remembered in memory.
pub const KEPT: usize = 256;
/// The most body text a view carries (the size is always the whole body's).
pub const MAX_BODY_PREVIEW: usize = 64 * 1024;
/// The response id the window gives a recorded entry that has no body file.
const HISTORY_ID_PREFIX: &str = "history-";

/// What went out for one response, with credentials masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
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
        if log.iter().any(|(id, v)| id == response_id && *v == view) {
            return;
        }
        if log.len() >= KEPT {
            log.pop_front();
        }
        log.push_back((response_id.to_string(), view));
    }

    pub(crate) fn get(&self, response_id: &str) -> Option<SentRequest> {
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
    of_entry(entry)
}

/// The view of a recorded entry (already masked when it was recorded).
fn of_entry(entry: NewEntry) -> SentRequest {
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
        body_bytes: entry.request_body_bytes,
        body,
    }
}

impl App {
    /// The request that produced `response_id`, as sent, with credentials masked: from memory,
    /// else from the history entry that recorded it. `NotFound` when neither has it (a response
    /// recorded before the history kept it, or whose entry was trimmed).
    pub async fn sent_request(&self, response_id: &str) -> Result<SentRequest, ApiError> {
        if let Some(view) = self.sent.get(response_id) {
            return Ok(view);
        }
        let not_found = || {
            ApiError::new(
                ErrorCode::NotFound,
                "the request as sent was not recorded for this response (the history is off, or its entry was trimmed)",
            )
        };
        let entry_id = match response_id.strip_prefix(HISTORY_ID_PREFIX) {
            Some(n) => n.parse::<i64>().map_err(|_| not_found())?,
            None => self
                .history_entry_of_body(response_id)
                .await?
                .ok_or_else(not_found)?,
        };
        let entry = self.history_get(entry_id).await.map_err(|e| match e.code {
            ErrorCode::NotFound => not_found(),
            _ => e,
        })?;
        let view = of_entry(entry.recorded);
        self.sent.remember(response_id, view.clone());
        Ok(view)
    }

    /// The history entry whose response body is the body `response_id` (the newest, if several).
    async fn history_entry_of_body(&self, response_id: &str) -> Result<Option<i64>, ApiError> {
        match self.engine.bodies().path(response_id) {
            Ok(path) => self.history_find_by_body_path(&path).await,
            Err(_) => Ok(None),
        }
    }
}
