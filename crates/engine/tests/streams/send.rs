//! The engine parses a streamed body while it downloads: records arrive as events before the
//! body ends, and the raw bytes are still stored.

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use sextant_engine::{CancellationToken, Engine, EngineConfig};
use sextant_model::{HttpRequest, KeyValue, SendEvent, StreamKind, StreamRecord};
use sextant_testkit::FaultServer;

fn fault() -> &'static FaultServer {
    static SERVER: OnceLock<FaultServer> = OnceLock::new();
    SERVER.get_or_init(FaultServer::start)
}

fn engine() -> (Arc<Engine>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(EngineConfig::new(dir.path().join("bodies"))).unwrap();
    (Arc::new(engine), dir)
}

/// Every record of every `Records` event, in order, checking the batches' totals as it goes.
fn records_of(events: &[SendEvent]) -> Vec<StreamRecord> {
    let mut all = Vec::new();
    for event in events {
        if let SendEvent::Records {
            kind,
            records,
            total,
        } = event
        {
            assert_eq!(*kind, StreamKind::Sse);
            all.extend(records.iter().cloned());
            assert_eq!(*total, all.len() as u64);
        }
    }
    all
}

#[tokio::test]
async fn events_arrive_one_by_one_while_the_body_downloads() {
    let (engine, _dir) = engine();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let events = Arc::new(Mutex::new(Vec::new()));
    let sending = {
        let engine = Arc::clone(&engine);
        let events = Arc::clone(&events);
        let request = HttpRequest::get(fault().url("/sse/slow?count=5&delay_ms=400"));
        tokio::spawn(async move {
            engine
                .send(&request, &CancellationToken::new(), &move |e| {
                    if matches!(e, SendEvent::Records { .. }) {
                        let _ = tx.send(());
                    }
                    events.lock().unwrap().push(e);
                })
                .await
        })
    };
    tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("a first batch of records")
        .unwrap();
    assert!(
        !sending.is_finished(),
        "the first event is seen while the stream is still open"
    );
    let first = records_of(&events.lock().unwrap());
    assert!(!first.is_empty() && first.len() < 5, "{first:?}");

    let response = tokio::time::timeout(Duration::from_secs(20), sending)
        .await
        .expect("the stream ends")
        .unwrap()
        .unwrap();
    assert_eq!(response.error, None);
    let records = records_of(&events.lock().unwrap());
    assert_eq!(records.len(), 5);
    for (i, record) in records.iter().enumerate() {
        let n = i + 1;
        assert_eq!(record.index, i as u64);
        assert_eq!(record.event.as_deref(), Some("tick"));
        assert_eq!(record.id.as_deref(), Some(n.to_string().as_str()));
        assert_eq!(record.data, format!("{{\"n\":{n}}}"));
        assert!(record.at_ms.is_some());
    }
    assert!(records[4].at_ms > records[0].at_ms);
    // The raw bytes are still the body.
    let body = engine
        .bodies()
        .read_window(&response.id, 0, 1 << 20)
        .await
        .unwrap();
    let text = String::from_utf8(body.to_vec()).unwrap();
    assert!(
        text.starts_with("id: 1\nevent: tick\ndata: {\"n\":1}\n\n"),
        "{text}"
    );
    assert_eq!(&text[records[2].offset as usize..][..5], "id: 3");
}

#[tokio::test]
async fn a_dropped_stream_keeps_its_events_and_resumes_from_the_last_event_id() {
    let (engine, _dir) = engine();
    let events = Mutex::new(Vec::new());
    let url = fault().url("/sse/resume?count=6&drop_after=3");
    let response = engine
        .send(&HttpRequest::get(&url), &CancellationToken::new(), &|e| {
            events.lock().unwrap().push(e)
        })
        .await
        .unwrap();
    assert!(response.body.partial, "the drop is a body cut short");
    let records = records_of(&events.lock().unwrap());
    let data: Vec<_> = records.iter().map(|r| r.data.as_str()).collect();
    assert_eq!(data, [r#"{"n":1}"#, r#"{"n":2}"#, r#"{"n":3}"#]);
    assert_eq!(
        records[0].retry_ms,
        Some(50),
        "the retry block's time rides on the next event"
    );
    let last_id = records.last().unwrap().id.clone().unwrap();

    let mut again = HttpRequest::get(&url);
    again.headers.push(KeyValue::new("Last-Event-ID", &last_id));
    let events = Mutex::new(Vec::new());
    let response = engine
        .send(&again, &CancellationToken::new(), &|e| {
            events.lock().unwrap().push(e)
        })
        .await
        .unwrap();
    assert_eq!(response.error, None);
    let records = records_of(&events.lock().unwrap());
    let ids: Vec<_> = records.iter().filter_map(|r| r.id.as_deref()).collect();
    assert_eq!(ids, ["4", "5", "6"]);
}

#[tokio::test]
async fn a_fast_stream_is_batched_and_nothing_is_lost() {
    let (engine, _dir) = engine();
    let events = Mutex::new(Vec::new());
    let response = engine
        .send(
            &HttpRequest::get(fault().url("/sse/slow?count=3000&delay_ms=0")),
            &CancellationToken::new(),
            &|e| events.lock().unwrap().push(e),
        )
        .await
        .unwrap();
    assert_eq!(response.error, None);
    let events = events.into_inner().unwrap();
    let records = records_of(&events);
    assert_eq!(records.len(), 3000);
    assert!(records.iter().enumerate().all(|(i, r)| r.index == i as u64));
    let batches = events
        .iter()
        .filter(|e| matches!(e, SendEvent::Records { .. }))
        .count();
    assert!(batches < 1500, "{batches} messages for 3000 records");
}

#[tokio::test]
async fn a_body_that_is_not_a_stream_has_no_records() {
    let (engine, _dir) = engine();
    let events = Mutex::new(Vec::new());
    engine
        .send(
            &HttpRequest::get(fault().url("/json")),
            &CancellationToken::new(),
            &|e| events.lock().unwrap().push(e),
        )
        .await
        .unwrap();
    assert!(!events
        .into_inner()
        .unwrap()
        .iter()
        .any(|e| matches!(e, SendEvent::Records { .. })));
}
