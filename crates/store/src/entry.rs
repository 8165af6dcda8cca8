//! The data the history takes in and gives back, shaped for the app's IPC and the CLI's JSON.

use serde::{Deserialize, Serialize};

/// Which program sent the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    App,
    Cli,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::App => "app",
            Source::Cli => "cli",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Source> {
        match text {
            "app" => Some(Source::App),
            "cli" => Some(Source::Cli),
            _ => None,
        }
    }
}

/// One sent request and what came back, as the caller hands it over to be recorded.
///
/// Secrets are the caller's business: the store records what it is given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewEntry {
    /// When the request was sent, in Unix milliseconds.
    pub at_ms: i64,
    pub source: Source,
    pub collection: Option<String>,
    pub method: String,
    pub url: String,
    pub request_headers: Vec<(String, String)>,
    pub request_body: Option<String>,
    /// The request as the user wrote it (`{{templates}}`, auth settings, where it was sent
    /// from), as the caller's JSON, with literal secrets already replaced by the caller. `None`
    /// for entries recorded before it was kept: then only the as-sent copy above exists.
    pub request_as_written: Option<String>,
    /// The request body's size in bytes as sent, when it was known before sending (not for
    /// multipart); `None` also for entries recorded before it was kept.
    #[serde(default)]
    pub request_body_bytes: Option<u64>,
    /// `None` when the exchange failed before any response arrived.
    pub status: Option<u16>,
    pub response_headers: Vec<(String, String)>,
    /// The leading part of a textual response body, kept for search (the caller caps it).
    pub response_body_text: Option<String>,
    /// Where a body too large to keep in the database was written.
    pub response_body_path: Option<String>,
    /// The full response body size in bytes, whether or not the text was kept.
    pub body_size: u64,
    pub duration_ms: f64,
    pub timings_json: Option<String>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
}

/// A recorded entry, everything as it was recorded plus what the store derived.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub id: i64,
    /// The URL's host, lowercased; `None` when the URL does not parse.
    pub host: Option<String>,
    #[serde(flatten)]
    pub recorded: NewEntry,
}

/// One row of a history listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntrySummary {
    pub id: i64,
    pub at_ms: i64,
    pub method: String,
    pub url: String,
    pub status: Option<u16>,
    pub duration_ms: f64,
    pub body_size: u64,
    pub error_code: Option<String>,
    pub collection: Option<String>,
}

/// Which entries to list: newest first, all filters combined with AND.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HistoryQuery {
    /// Only entries older than this id: pass the last id of the previous page.
    pub before_id: Option<i64>,
    /// The page size; at most [`HistoryQuery::MAX_LIMIT`].
    pub limit: u32,
    /// Exact method, case-insensitive.
    pub method: Option<String>,
    /// 2 for 2xx … 5 for 5xx; 0 for exchanges that failed without a status.
    pub status_class: Option<u8>,
    /// Exact host, case-insensitive, without port.
    pub host: Option<String>,
    pub collection: Option<String>,
    /// Words to find anywhere in the URL, headers, bodies or error. Each word must occur; a
    /// word ending in `*` matches as a prefix; `"several words"` must occur together.
    pub text: Option<String>,
}

impl HistoryQuery {
    pub const DEFAULT_LIMIT: u32 = 100;
    pub const MAX_LIMIT: u32 = 10_000;
}

impl Default for HistoryQuery {
    fn default() -> Self {
        HistoryQuery {
            before_id: None,
            limit: Self::DEFAULT_LIMIT,
            method: None,
            status_class: None,
            host: None,
            collection: None,
            text: None,
        }
    }
}

/// What to drop when the user asks to trim the history. Each limit that is set is enforced,
/// oldest entries first; a policy with no limit set deletes nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Retention {
    /// Keep at most this many of the newest entries.
    pub max_entries: Option<u64>,
    /// Drop entries sent longer ago than this.
    pub max_age_ms: Option<u64>,
    /// Keep the newest entries whose response bodies add up to at most this many bytes.
    pub max_total_body_bytes: Option<u64>,
}

/// What a prune removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PruneReport {
    pub entries_deleted: u64,
    /// Body files that belonged to the deleted entries; the caller deletes them.
    pub body_paths: Vec<String>,
}
