//! A streamed body read back as records after the fact (a reopened response has no live
//! events): the same records the send streamed, page by page, against the fault server's SSE
//! route and the FastAPI demo's NDJSON and POST SSE endpoints.

use std::sync::Mutex;

use sextant_app::{App, AppConfig};
use sextant_model::{ErrorCode, HttpRequest, RequestBody, SendEvent, StreamKind, StreamRecord};
use sextant_testkit::{FaultServer, PyServer};

fn app(dir: &std::path::Path) -> App {
    App::new(AppConfig::new(dir.join("data"))).unwrap()
}

fn live(events: &[SendEvent]) -> Vec<StreamRecord> {
    events
        .iter()
        .filter_map(|e| match e {
            SendEvent::Records { records, .. } => Some(records.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

#[tokio::test]
async fn a_stored_event_stream_reads_back_as_the_events_that_streamed_page_by_page() {
    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let events = Mutex::new(Vec::new());
    let request = HttpRequest::get(server.url("/sse/slow?count=30&delay_ms=0"));
    let response = app
        .send_request("s", &request, &|e| events.lock().unwrap().push(e))
        .await
        .unwrap();
    let streamed = live(&events.into_inner().unwrap());
    assert_eq!(streamed.len(), 30);

    let page = app
        .read_stream_records(&response.id, StreamKind::Sse, 0, 1000)
        .await
        .unwrap();
    assert_eq!(page.total, 30);
    assert_eq!(page.kind, StreamKind::Sse);
    // Read back, the records are the same but for their arrival time.
    let untimed: Vec<_> = streamed
        .into_iter()
        .map(|r| StreamRecord { at_ms: None, ..r })
        .collect();
    assert_eq!(page.records, untimed);

    let middle = app
        .read_stream_records(&response.id, StreamKind::Sse, 10, 5)
        .await
        .unwrap();
    assert_eq!(middle.total, 30);
    let ids: Vec<_> = middle.records.iter().filter_map(|r| r.id.clone()).collect();
    assert_eq!(ids, ["11", "12", "13", "14", "15"]);

    let past = app
        .read_stream_records(&response.id, StreamKind::Sse, 40, 5)
        .await
        .unwrap();
    assert!(past.records.is_empty());

    let gone = app
        .read_stream_records("0123456789abcdef0123456789abcdef", StreamKind::Sse, 0, 5)
        .await
        .unwrap_err();
    assert_eq!(gone.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn the_demo_streams_ndjson_and_server_sent_events_from_a_post() {
    let api = PyServer::shared_demo_api();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());

    let response = app
        .send_request("n", &HttpRequest::get(api.url("/stream?lines=4")), &|_| {})
        .await
        .unwrap();
    let page = app
        .read_stream_records(&response.id, StreamKind::Ndjson, 0, 100)
        .await
        .unwrap();
    let data: Vec<_> = page.records.iter().map(|r| r.data.as_str()).collect();
    assert_eq!(
        data,
        [
            r#"{"line": 0}"#,
            r#"{"line": 1}"#,
            r#"{"line": 2}"#,
            r#"{"line": 3}"#
        ]
    );

    let mut post = HttpRequest::new("POST", api.url("/chat/stream"));
    post.body = RequestBody::Json {
        text: r#"{"prompt": "hi", "count": 3, "delay_ms": 10}"#.into(),
    };
    let events = Mutex::new(Vec::new());
    let response = app
        .send_request("p", &post, &|e| events.lock().unwrap().push(e))
        .await
        .unwrap();
    assert_eq!(
        StreamKind::from_content_type(response.body.content_type.as_deref().unwrap()),
        Some(StreamKind::Sse)
    );
    let streamed = live(&events.into_inner().unwrap());
    let types: Vec<_> = streamed
        .iter()
        .map(|r| r.event.as_deref().unwrap())
        .collect();
    assert_eq!(types, ["token", "token", "token", "done"]);
    assert!(
        streamed[0].data.contains(r#""prompt": "hi""#),
        "{:?}",
        streamed[0]
    );
    let page = app
        .read_stream_records(&response.id, StreamKind::Sse, 0, 100)
        .await
        .unwrap();
    assert_eq!(page.total, 4);
}

/// Captures read the n-th or last event of a stream (a JSONPath into its data), and say why
/// when the response is not a stream.
#[tokio::test]
async fn captures_read_the_nth_or_last_event_of_a_stream() {
    use sextant_app::SendContext;
    use sextant_model::{Capture, CaptureErrorCode, CaptureSource, SavedRequest};

    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let record = |variable: &str, nth: Option<u64>| Capture {
        variable: variable.into(),
        source: CaptureSource::Record {
            path: "$.n".into(),
            nth,
            event: Some("tick".into()),
        },
    };
    let mut saved = SavedRequest::new(
        "ticks",
        HttpRequest::get(server.url("/sse/slow?count=4&delay_ms=0")),
    );
    saved.captures = vec![record("last", None), record("second", Some(2))];
    app.send("c", &saved, Some(SendContext::default()), &|_| {})
        .await
        .unwrap();
    let captured = app.captured_values(None);
    let mut values: Vec<_> = captured
        .values
        .iter()
        .map(|v| (v.name.as_str(), v.value.as_str()))
        .collect();
    values.sort();
    assert_eq!(values, [("last", "4"), ("second", "2")]);

    saved.request = HttpRequest::get(server.url("/json"));
    saved.captures = vec![record("other", None)];
    app.send("j", &saved, Some(SendContext::default()), &|_| {})
        .await
        .unwrap();
    let failure = app
        .captured_values(None)
        .failures
        .into_iter()
        .find(|f| f.variable == "other")
        .expect("the capture's failure is listed");
    assert_eq!(failure.code, CaptureErrorCode::NotStream);
}
