//! The history as the window sees it. The store's types stay free of IPC concerns; these
//! mirrors carry the TypeScript bindings (`ts-rs`) and the shapes the UI wants: headers as
//! `Header` rows, timings decoded, and the id of a body file that still exists.

use serde::{Deserialize, Serialize};
use sextant_model::{Header, SavedRequest, Timings};
use sextant_store::{Entry, EntrySummary, HistoryQuery, PruneReport, Retention, Source};
use ts_rs::TS;

/// Which entries to list (see the store's `HistoryQuery`): newest first, filters ANDed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct HistoryFilter {
    /// Only entries older than this id: the last id of the previous page.
    pub before_id: Option<i64>,
    /// Page size; 0 means the default (100).
    pub limit: u32,
    pub method: Option<String>,
    /// 2 for 2xx … 5 for 5xx; 0 for failures without a status.
    pub status_class: Option<u8>,
    pub host: Option<String>,
    pub collection: Option<String>,
    /// Full-text search words.
    pub text: Option<String>,
}

impl From<HistoryFilter> for HistoryQuery {
    fn from(f: HistoryFilter) -> Self {
        let blank = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        HistoryQuery {
            before_id: f.before_id,
            limit: if f.limit == 0 {
                HistoryQuery::DEFAULT_LIMIT
            } else {
                f.limit.min(HistoryQuery::MAX_LIMIT)
            },
            method: blank(f.method),
            status_class: f.status_class,
            host: blank(f.host),
            collection: blank(f.collection),
            text: blank(f.text),
        }
    }
}

/// One row of the history list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HistoryRow {
    pub id: i64,
    /// Unix milliseconds.
    pub at_ms: i64,
    pub method: String,
    pub url: String,
    pub status: Option<u16>,
    pub duration_ms: f64,
    pub body_size: u64,
    pub error_code: Option<String>,
    /// An OAuth 2.0 token or discovery request Sextant made for a send or a sign-in.
    pub token_exchange: bool,
}

impl From<EntrySummary> for HistoryRow {
    fn from(s: EntrySummary) -> Self {
        HistoryRow {
            id: s.id,
            at_ms: s.at_ms,
            method: s.method,
            url: s.url,
            status: s.status,
            duration_ms: s.duration_ms,
            body_size: s.body_size,
            error_code: s.error_code,
            token_exchange: s.collection.as_deref() == Some(crate::TOKEN_EXCHANGES),
        }
    }
}

/// The request of a send as the user wrote it: `{{references}}` and auth settings as typed,
/// literal credentials replaced by the mask ("secret not kept", see
/// `sextant_template::keep_as_written`), and where it was sent from, so a re-send resolves it
/// again in the same place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WrittenRequest {
    pub saved: SavedRequest,
    /// The collection file it was sent from; `None` for a tab not saved (or the CLI).
    pub path: Option<String>,
    /// The environment chosen for its collection when it was sent.
    pub environment: Option<String>,
}

/// Everything recorded for one send, ready to reopen in the composer and response pane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HistoryEntry {
    pub id: i64,
    pub at_ms: i64,
    /// `app` or `cli`.
    pub source: String,
    pub collection: Option<String>,
    pub method: String,
    pub url: String,
    pub host: Option<String>,
    pub request_headers: Vec<Header>,
    pub request_body: Option<String>,
    /// The request as the user wrote it; `None` for entries recorded before it was kept, which
    /// reopen from the masked as-sent copy above.
    pub written: Option<WrittenRequest>,
    pub status: Option<u16>,
    pub response_headers: Vec<Header>,
    /// The leading text of the response body (up to 256 KiB), when it was text.
    pub response_body_text: Option<String>,
    /// The stored body's id for `readBody`, when its file still exists.
    pub response_id: Option<String>,
    pub body_size: u64,
    pub duration_ms: f64,
    pub timings: Option<Timings>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
}

fn headers(rows: Vec<(String, String)>) -> Vec<Header> {
    rows.into_iter()
        .map(|(name, value)| Header { name, value })
        .collect()
}

impl HistoryEntry {
    pub fn from_entry(entry: Entry, response_id: Option<String>) -> Self {
        let r = entry.recorded;
        HistoryEntry {
            id: entry.id,
            at_ms: r.at_ms,
            source: match r.source {
                Source::App => "app",
                Source::Cli => "cli",
            }
            .into(),
            collection: r.collection,
            method: r.method,
            url: r.url,
            host: entry.host,
            request_headers: headers(r.request_headers),
            request_body: r.request_body,
            written: r
                .request_as_written
                .as_deref()
                .and_then(|j| serde_json::from_str(j).ok()),
            status: r.status,
            response_headers: headers(r.response_headers),
            response_body_text: r.response_body_text,
            response_id,
            body_size: r.body_size,
            duration_ms: r.duration_ms,
            timings: r
                .timings_json
                .as_deref()
                .and_then(|j| serde_json::from_str(j).ok()),
            error_code: r.error_code,
            error_message: r.error_message,
        }
    }
}

/// Limits for trimming the history; each one set is enforced, oldest entries first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct HistoryRetention {
    pub max_entries: Option<u64>,
    pub max_age_ms: Option<u64>,
    pub max_total_body_bytes: Option<u64>,
}

impl From<HistoryRetention> for Retention {
    fn from(r: HistoryRetention) -> Self {
        Retention {
            max_entries: r.max_entries,
            max_age_ms: r.max_age_ms,
            max_total_body_bytes: r.max_total_body_bytes,
        }
    }
}

/// What a prune removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HistoryPruned {
    pub entries_deleted: u64,
}

impl From<PruneReport> for HistoryPruned {
    fn from(r: PruneReport) -> Self {
        HistoryPruned {
            entries_deleted: r.entries_deleted,
        }
    }
}
