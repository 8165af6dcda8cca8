//! WebSocket sessions in the history: frames stored beside their entry and read back in order,
//! found by the full-text search through the entry's text, and gone with the entry on prune.

use sextant_model::{WsCloseInitiator, WsDirection, WsFrame, WsOpcode, WsRecording};
use sextant_store::{History, HistoryQuery, NewEntry, Retention, Source};

fn entry(url: &str, text: &str) -> NewEntry {
    NewEntry {
        at_ms: 1_700_000_000_000,
        source: Source::App,
        collection: None,
        method: "WS".into(),
        url: url.into(),
        request_headers: vec![("sec-websocket-protocol".into(), "chat.v1".into())],
        request_body: None,
        request_as_written: None,
        request_body_bytes: None,
        status: Some(101),
        response_headers: Vec::new(),
        response_body_text: Some(text.into()),
        response_body_path: None,
        body_size: 0,
        duration_ms: 12.5,
        timings_json: None,
        error_code: None,
        error_message: None,
    }
}

fn frame(seq: u64, direction: WsDirection, opcode: WsOpcode, data: &str) -> WsFrame {
    WsFrame {
        seq,
        direction,
        opcode,
        at_ms: seq * 10,
        size: data.len() as u64,
        data: data.into(),
        truncated: false,
    }
}

#[test]
fn frames_round_trip_are_searchable_and_pruned_with_their_entry() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open(dir.path().join("h.sqlite")).unwrap();
    let id = history
        .record(&entry("ws://127.0.0.1:1/chat", "hello cormorant\n"))
        .unwrap();
    let recording = WsRecording {
        entry_id: id,
        frames: vec![
            frame(0, WsDirection::Sent, WsOpcode::Text, "hello cormorant"),
            frame(1, WsDirection::Received, WsOpcode::Binary, "00ff"),
            frame(5, WsDirection::Received, WsOpcode::Close, "4000 goodbye"),
        ],
        total_frames: 6,
        frame_cap: 3,
        close_code: Some(4000),
        close_reason: "goodbye".into(),
        initiator: Some(WsCloseInitiator::Server),
    };
    history.record_ws_session(id, &recording).unwrap();
    assert_eq!(history.ws_session(id).unwrap(), Some(recording));

    let found = history
        .list(&HistoryQuery {
            text: Some("cormorant".into()),
            method: Some("ws".into()),
            ..HistoryQuery::default()
        })
        .unwrap();
    assert_eq!(found.iter().map(|e| e.id).collect::<Vec<_>>(), [id]);

    let plain = history
        .record(&entry("ws://127.0.0.1:1/other", ""))
        .unwrap();
    assert_eq!(history.ws_session(plain).unwrap(), None);

    history
        .prune(&Retention {
            max_entries: Some(1),
            ..Retention::default()
        })
        .unwrap();
    assert_eq!(history.ws_session(id).unwrap(), None);
}

#[test]
fn summaries_give_each_session_its_frame_count_and_close_without_its_frames() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open(dir.path().join("h.sqlite")).unwrap();
    let record = |url: &str, total: u64, code: Option<u16>, initiator| {
        let id = history.record(&entry(url, "")).unwrap();
        let recording = WsRecording {
            entry_id: id,
            frames: vec![frame(0, WsDirection::Sent, WsOpcode::Text, "x")],
            total_frames: total,
            frame_cap: 10_000,
            close_code: code,
            close_reason: if code.is_some() {
                "bye".into()
            } else {
                String::new()
            },
            initiator,
        };
        history.record_ws_session(id, &recording).unwrap();
        id
    };
    let a = record(
        "ws://127.0.0.1:1/a",
        12_345,
        Some(4000),
        Some(WsCloseInitiator::Client),
    );
    let plain = history.record(&entry("ws://127.0.0.1:1/p", "")).unwrap();
    let b = record(
        "ws://127.0.0.1:1/b",
        3,
        Some(1006),
        Some(WsCloseInitiator::Abnormal),
    );
    let summaries = history.ws_summaries(&[a, plain, b, b + 100]).unwrap();
    assert_eq!(
        summaries
            .iter()
            .map(|s| (s.entry_id, s.total_frames, s.close_code, s.initiator))
            .collect::<Vec<_>>(),
        [
            (b, 3, Some(1006), Some(WsCloseInitiator::Abnormal)),
            (a, 12_345, Some(4000), Some(WsCloseInitiator::Client)),
        ]
    );
    assert_eq!(summaries[1].close_reason, "bye");
    assert!(history.ws_summaries(&[]).unwrap().is_empty());
}
