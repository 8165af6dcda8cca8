//! Event streams read out of a response body: server-sent events (`text/event-stream`) and JSON
//! records one per line (NDJSON, JSON Lines) or separated by RS (`application/json-seq`). The
//! engine parses them while the body downloads and sends them in batches; the app re-parses a
//! stored body for a reopened response. The raw bytes always stay in the body file.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Which framing a streamed body uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum StreamKind {
    /// Server-sent events (`text/event-stream`).
    Sse,
    /// One JSON value per line (`application/x-ndjson`, `application/jsonl`, ...).
    Ndjson,
    /// RFC 7464 JSON text sequences: each value after an RS (0x1E) byte.
    JsonSeq,
}

impl StreamKind {
    /// The framing a `Content-Type` names, parameters (`; charset=utf-8`) and case ignored;
    /// `None` for a body that is not a stream.
    pub fn from_content_type(content_type: &str) -> Option<StreamKind> {
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        match essence.as_str() {
            "text/event-stream" => Some(StreamKind::Sse),
            "application/x-ndjson"
            | "application/ndjson"
            | "application/jsonl"
            | "application/x-jsonl"
            | "application/jsonlines"
            | "application/x-jsonlines"
            | "application/json-lines"
            | "application/stream+json"
            | "application/x-json-stream" => Some(StreamKind::Ndjson),
            "application/json-seq" => Some(StreamKind::JsonSeq),
            _ => None,
        }
    }
}

/// One event (SSE) or record (NDJSON, JSON sequence) of a streamed body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StreamRecord {
    /// Position in the stream, from 0.
    pub index: u64,
    /// Milliseconds from the start of the send to this record's arrival; `null` when it was
    /// read back from a stored body.
    pub at_ms: Option<f64>,
    /// The SSE `event` field when the server set one (the default type is `message`).
    pub event: Option<String>,
    /// The SSE last event id in force for this event, when one was set.
    pub id: Option<String>,
    /// The event's data (SSE `data` lines joined with `\n`), or the record's text.
    pub data: String,
    /// The reconnection time (ms) an SSE `retry` field set with this event.
    pub retry_ms: Option<u64>,
    /// Where the record starts in the stored body (decoded bytes).
    pub offset: u64,
    /// Set when the record could not be read as expected (not JSON, over the size budget, cut
    /// off by the end of the body): `data` then holds what there is, shown raw.
    pub problem: Option<String>,
    /// Set on the marker row of a reconnection (the attempt, from 1): the stream went on over a
    /// new connection that sent `Last-Event-ID: id`. Such a row has no data of the server's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reconnect: Option<u32>,
}

/// A page of the records of a stored body, read back for a reopened or finished response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StreamPage {
    pub kind: StreamKind,
    /// The records from `offset`, at most `limit` of them.
    pub records: Vec<StreamRecord>,
    /// How many records the whole body holds.
    pub total: u64,
}

#[cfg(test)]
mod tests {
    use super::StreamKind;

    #[test]
    fn content_types_name_their_framing_with_or_without_parameters() {
        let kind = StreamKind::from_content_type;
        assert_eq!(kind("text/event-stream"), Some(StreamKind::Sse));
        assert_eq!(
            kind("Text/Event-Stream; charset=utf-8"),
            Some(StreamKind::Sse)
        );
        assert_eq!(kind("application/x-ndjson"), Some(StreamKind::Ndjson));
        assert_eq!(
            kind("application/jsonl; charset=utf-8"),
            Some(StreamKind::Ndjson)
        );
        assert_eq!(kind("application/x-jsonlines"), Some(StreamKind::Ndjson));
        assert_eq!(kind("application/json-seq"), Some(StreamKind::JsonSeq));
        assert_eq!(kind("application/json"), None);
        assert_eq!(kind("text/plain"), None);
    }
}
