//! An event stream reconnected with `Last-Event-ID` when the request asks for it: the events
//! continue in the same list and body file after a marker row, read back the same way, and
//! Cancel stops a reconnection that is waiting.

use std::sync::{Mutex, OnceLock};

use sextant_engine::stream::{StreamParser, RECONNECT_MARK};
use sextant_engine::{CancellationToken, Engine, EngineConfig};
use sextant_model::{ErrorCode, HttpRequest, SendEvent, SseReconnect, StreamKind, StreamRecord};
use sextant_testkit::FaultServer;

fn fault() -> &'static FaultServer {
    static SERVER: OnceLock<FaultServer> = OnceLock::new();
    SERVER.get_or_init(FaultServer::start)
}

fn engine() -> (Engine, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(EngineConfig::new(dir.path().join("bodies"))).unwrap();
    (engine, dir)
}

fn reconnecting(url: &str, mode: SseReconnect, attempts: u32) -> HttpRequest {
    let mut req = HttpRequest::get(url);
    req.settings.sse_reconnect = mode;
    req.settings.sse_reconnect_attempts = attempts;
    req
}

fn records_of(events: &[SendEvent]) -> Vec<StreamRecord> {
    events
        .iter()
        .filter_map(|e| match e {
            SendEvent::Records { records, .. } => Some(records.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

/// A record as the Events list shows it: `#1` for a marker row, else the event's id.
fn label(r: &StreamRecord) -> String {
    match r.reconnect {
        Some(attempt) => format!("#{attempt}"),
        None => r.id.clone().unwrap_or_default(),
    }
}

#[tokio::test]
async fn a_dropped_stream_is_reconnected_with_the_last_event_id_and_continues_in_one_list() {
    let (engine, _dir) = engine();
    let events = Mutex::new(Vec::new());
    let req = reconnecting(
        &fault().url("/sse/resume?count=6&drop_after=3"),
        SseReconnect::Dropped,
        3,
    );
    let response = engine
        .send(&req, &CancellationToken::new(), &|e| {
            events.lock().unwrap().push(e)
        })
        .await
        .unwrap();
    assert_eq!(response.error, None, "the resumed stream ended cleanly");
    let events = events.into_inner().unwrap();
    let reconnects: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            SendEvent::Reconnect {
                attempt,
                delay_ms,
                last_event_id,
                reason,
                ..
            } => Some((*attempt, *delay_ms, last_event_id.clone(), reason.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(reconnects.len(), 1, "{reconnects:?}");
    let (attempt, delay_ms, last_id, reason) = &reconnects[0];
    assert_eq!(*attempt, 1);
    assert_eq!(*delay_ms, 50, "the stream's retry: 50 is honoured");
    assert_eq!(last_id.as_deref(), Some("3"));
    assert!(reason.contains("connection broke"), "{reason}");

    // Events 1..6 across the drop (the server resumed after 3 only because Last-Event-ID: 3
    // came), with the marker between them, numbered on.
    let records = records_of(&events);
    let labels: Vec<_> = records.iter().map(label).collect();
    assert_eq!(labels, ["1", "2", "3", "#1", "4", "5", "6"]);
    assert!(records.iter().enumerate().all(|(i, r)| r.index == i as u64));
    assert_eq!(records[3].id.as_deref(), Some("3"));

    // The body file holds both connections, and reads back to the same rows.
    let body = engine
        .bodies()
        .read_window(&response.id, 0, 1 << 20)
        .await
        .unwrap();
    assert_eq!(response.body.size, body.len() as u64);
    let mut parser = StreamParser::new(StreamKind::Sse);
    let mut again = Vec::new();
    parser.feed(&body, &mut again);
    parser.finish(&mut again);
    let live: Vec<_> = records
        .into_iter()
        .map(|r| StreamRecord { at_ms: None, ..r })
        .collect();
    assert_eq!(again, live);
}

#[tokio::test]
async fn a_clean_end_is_reconnected_only_when_the_setting_says_always() {
    let url = fault().url("/sse/resume?count=3&drop_after=99");
    for (mode, expected) in [
        (SseReconnect::Dropped, vec!["1", "2", "3"]),
        (SseReconnect::Always, vec!["1", "2", "3", "#1", "#2"]),
    ] {
        let (engine, _dir) = engine();
        let events = Mutex::new(Vec::new());
        let response = engine
            .send(
                &reconnecting(&url, mode, 2),
                &CancellationToken::new(),
                &|e| events.lock().unwrap().push(e),
            )
            .await
            .unwrap();
        assert_eq!(response.error, None);
        let labels: Vec<_> = records_of(&events.into_inner().unwrap())
            .iter()
            .map(label)
            .collect();
        // With Last-Event-ID: 3 the server has nothing more and ends again; attempts are capped.
        assert_eq!(labels, expected, "{mode:?}");
    }
}

/// The reconnections a send announced, as (attempt, max_attempts).
fn attempts_of(events: &[SendEvent]) -> Vec<(u32, u32)> {
    events
        .iter()
        .filter_map(|e| match e {
            SendEvent::Reconnect {
                attempt,
                max_attempts,
                ..
            } => Some((*attempt, *max_attempts)),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_stream_that_drops_more_often_than_the_cap_lives_on_while_each_reconnection_brings_events(
) {
    let (engine, _dir) = engine();
    let events = Mutex::new(Vec::new());
    // Every connection drops after 2 events: events 1..10 take 4 reconnections that bring
    // events, then every reconnection drops before any (the cap of 2 in a row ends it).
    let req = reconnecting(
        &fault().url("/sse/flaky?count=10&every=2"),
        SseReconnect::Dropped,
        2,
    );
    let response = engine
        .send(&req, &CancellationToken::new(), &|e| {
            events.lock().unwrap().push(e)
        })
        .await
        .unwrap();
    let error = response.error.expect("the stream ends dropped");
    assert_eq!(error.code, ErrorCode::BodyRead, "{error:?}");
    let events = events.into_inner().unwrap();

    // Ids continue across every drop (Last-Event-ID each time): no gap, no duplicate.
    let labels: Vec<_> = records_of(&events).iter().map(label).collect();
    assert_eq!(
        labels,
        ["1", "2", "#1", "3", "4", "#2", "5", "6", "#3", "7", "8", "#4", "9", "10", "#5", "#6"]
    );
    // The count starts again after each reconnection that brought events; two in a row without
    // any reach the cap.
    assert_eq!(
        attempts_of(&events),
        [(1, 2), (1, 2), (1, 2), (1, 2), (1, 2), (2, 2)]
    );
}

#[tokio::test]
async fn reconnections_in_a_row_that_bring_nothing_stop_at_the_cap() {
    let (engine, _dir) = engine();
    let events = Mutex::new(Vec::new());
    // The first connection brings events 1..3 and drops; after that nothing comes any more.
    let req = reconnecting(
        &fault().url("/sse/flaky?count=3&every=5"),
        SseReconnect::Dropped,
        3,
    );
    let response = engine
        .send(&req, &CancellationToken::new(), &|e| {
            events.lock().unwrap().push(e)
        })
        .await
        .unwrap();
    assert!(response.error.is_some(), "the stream ends dropped");
    let events = events.into_inner().unwrap();
    let labels: Vec<_> = records_of(&events).iter().map(label).collect();
    assert_eq!(labels, ["1", "2", "3", "#1", "#2", "#3"]);
    assert_eq!(attempts_of(&events), [(1, 3), (2, 3), (3, 3)]);
}

#[tokio::test]
async fn cancel_stops_a_reconnection_that_is_waiting() {
    let (engine, _dir) = engine();
    let events = Mutex::new(Vec::new());
    let cancel = CancellationToken::new();
    // No retry field: the wait is the default 3 s, and Cancel comes as it starts.
    let req = reconnecting(
        &fault().url("/sse/slow?count=1&delay_ms=0"),
        SseReconnect::Always,
        5,
    );
    let response = engine
        .send(&req, &cancel, &|e| {
            if matches!(e, SendEvent::Reconnect { .. }) {
                cancel.cancel();
            }
            events.lock().unwrap().push(e)
        })
        .await
        .unwrap();
    let error = response.error.expect("cancelled");
    assert_eq!(error.code, ErrorCode::Cancelled);
    let events = events.into_inner().unwrap();
    let labels: Vec<_> = records_of(&events).iter().map(label).collect();
    assert_eq!(labels, ["1"], "no reconnection was made");
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, SendEvent::Reconnect { .. }))
            .count(),
        1
    );
}

#[test]
fn an_event_cut_by_the_drop_is_dropped_at_the_marker_and_the_id_goes_back() {
    let mut parser = StreamParser::new(StreamKind::Sse);
    let mut out = Vec::new();
    parser.feed(b"id: 1\ndata: one\n\nid: 2\ndata: tw", &mut out);
    let marker = format!("\n{RECONNECT_MARK}1\n");
    parser.feed(marker.as_bytes(), &mut out);
    parser.feed(b"id: 2\ndata: two\n\n", &mut out);
    parser.finish(&mut out);
    let rows: Vec<_> = out
        .iter()
        .map(|r| (r.id.as_deref(), r.data.as_str(), r.reconnect))
        .collect();
    assert_eq!(
        rows,
        [
            (Some("1"), "one", None),
            (Some("1"), "", Some(1)),
            (Some("2"), "two", None)
        ]
    );
}
