//! Mocks for the user's own client code: recorded exchanges (from the history) replayed by a
//! `respx` module (httpx clients) or a `responses` module (requests clients), so a client
//! library is tested offline against answers a real server gave.
//!
//! The app gathers the [`RecordedExchange`]s; this module turns each into a route (method, URL
//! without its query, the query matched as parameters) and an answer (status, headers, body),
//! and the two submodules write them in each library's words. Credential-named headers are never
//! written (the recorded values are masked anyway), nor are headers that describe the transfer
//! rather than the answer; a body over [`MOCK_BODY_BUDGET`] is left out with a warning.

mod prepare;
mod responses;
mod respx;

use sextant_model::ConversionWarning;

use crate::{CodeFormat, ExportError, Generated};

/// The largest response body written into a mock module; a larger one is replayed empty, with a
/// warning, rather than as a literal of megabytes.
pub const MOCK_BODY_BUDGET: u64 = 1024 * 1024;

/// One request and the answer it got, as the history recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedExchange {
    /// What the exchange is, for comments and warnings: the request's name and file, or
    /// `history entry 12`.
    pub label: String,
    /// The history entry it comes from.
    pub history_id: Option<i64>,
    /// When it was sent, Unix milliseconds.
    pub at_ms: i64,
    pub method: String,
    /// The URL as sent, query included.
    pub url: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// The response body: all of it, or its leading part when only that was kept.
    pub body: Vec<u8>,
    /// The size of the whole body as received.
    pub body_size: u64,
}

/// What a mock module replays, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recording {
    /// Where the exchanges came from, for the module's docstring: `demo-api/items`, or
    /// `history entries 3, 5`.
    pub source: String,
    pub exchanges: Vec<RecordedExchange>,
}

/// The module of `format` (respx or responses) replaying `recording`.
pub fn generate_mocks(recording: &Recording, format: CodeFormat) -> Result<Generated, ExportError> {
    let mut warnings: Vec<ConversionWarning> = Vec::new();
    let routes = prepare::routes(&recording.exchanges, &mut warnings);
    if routes.is_empty() {
        return Err(ExportError::NoRecording(recording.source.clone()));
    }
    let file = match format {
        CodeFormat::Respx => respx::module(recording, &routes),
        CodeFormat::Responses => responses::module(recording, &routes),
        _ => return Err(ExportError::NotMocks),
    };
    Ok(Generated {
        files: vec![file],
        warnings,
    })
}

/// The module docstring: what was recorded, when, and what was left out.
fn docstring(recording: &Recording, routes: &[prepare::Route], library: &str) -> String {
    let first = routes.iter().map(|r| r.at_ms).min().unwrap_or(0);
    let last = routes.iter().map(|r| r.at_ms).max().unwrap_or(0);
    let when = if utc(first) == utc(last) {
        format!("on {}", utc(first))
    } else {
        format!("between {} and {}", utc(first), utc(last))
    };
    format!(
        "\"\"\"Recorded HTTP exchanges replayed with {library}, written by Sextant.\n\n\
         {n} exchange(s) of {source}, recorded {when}.\n\
         Only these requests are answered: any other raises, so a test cannot reach a server.\n\n\
         Use the `mocked_api` pytest fixture (import it into a test module or a conftest.py),\n\
         or `with mocked():` around code that sends requests.\n\n\
         Credential headers (Authorization, Cookie, Set-Cookie, X-Api-Key and any name holding\n\
         token, key, secret, auth, session, password or cookie) were not written, nor were\n\
         Content-Length, Content-Encoding and hop-by-hop headers. Query parameters that carry\n\
         credentials are not matched.\n\"\"\"\n",
        n = routes.len(),
        source = comment_text(&recording.source),
    )
}

/// `text` safe inside a comment or docstring: one line of printable ASCII, no quotes or
/// backslashes that could end or escape the string.
pub(crate) fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '"' => '\'',
            '\\' => '/',
            c if c.is_ascii_graphic() || c == ' ' => c,
            _ => '?',
        })
        .collect()
}

/// `2026-12-08 00:10:02 UTC` for Unix milliseconds.
pub(crate) fn utc(at_ms: i64) -> String {
    let secs = at_ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rest = secs.rem_euclid(86_400);
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// A Python bytes literal: printable ASCII as is, everything else escaped.
pub(crate) fn py_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 3);
    out.push_str("b\"");
    for &b in bytes {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(char::from(b)),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push('"');
    out
}

/// The comment above one route: what it is and when it was recorded.
pub(crate) fn route_comment(route: &prepare::Route) -> String {
    let entry = route
        .history_id
        .map(|id| format!(", history entry {id}"))
        .unwrap_or_default();
    let query = if route.strict {
        ""
    } else {
        " (credential query parameters not matched)"
    };
    format!(
        "    # {}{entry}, recorded {}{query}\n",
        comment_text(&route.label),
        utc(route.at_ms)
    )
}

#[cfg(test)]
mod tests;
