//! Broken servers, cancellation and timeouts: clear errors, partial bodies kept.

use std::sync::Mutex;
use std::time::Duration;

use sextant_engine::CancellationToken;
use sextant_model::{ErrorCode, HttpRequest, SendEvent};
use sextant_testkit::{FaultServer, SilentPort};

use crate::support::{engine, fault};

#[tokio::test]
async fn a_refused_connection_is_a_connect_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let err = engine()
        .send(&HttpRequest::get(format!("http://127.0.0.1:{port}/")))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Connect);
    assert!(err.to_string().contains("refused"), "{err}");
}

#[tokio::test]
async fn a_reset_mid_body_keeps_the_bytes_received() {
    let e = engine();
    let r = e
        .send_ok(&HttpRequest::get(fault().url("/reset-mid-body")))
        .await;
    let error = r.error.clone().expect("a body read error");
    assert_eq!(error.code, ErrorCode::BodyRead);
    assert!(r.body.partial);
    assert!(r.body.size > 0 && r.body.size <= 10_000, "{}", r.body.size);
    assert_eq!(e.body(&r).await.len() as u64, r.body.size);
}

#[tokio::test]
async fn broken_chunked_encoding_keeps_the_valid_chunks() {
    let e = engine();
    let r = e
        .send_ok(&HttpRequest::get(fault().url("/broken-chunked")))
        .await;
    assert_eq!(r.error.as_ref().map(|e| e.code), Some(ErrorCode::BodyRead));
    assert_eq!(e.text(&r).await, "hello");
}

#[tokio::test]
async fn a_server_that_closes_before_answering_is_a_protocol_error() {
    let err = engine()
        .send(&HttpRequest::get(fault().url("/close-before-head")))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Protocol);
}

#[tokio::test]
async fn many_large_headers_are_read() {
    let e = engine();
    let r = e
        .send_ok(&HttpRequest::get(
            fault().url("/huge-headers?count=90&size=2000"),
        ))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.headers
            .iter()
            .filter(|h| h.name.starts_with("x-big-"))
            .count(),
        90
    );
    assert!(r.sizes.headers_bytes > 90 * 2000);
}

#[tokio::test]
async fn a_head_too_large_is_a_clear_error_not_a_hang() {
    let err = engine()
        .send(&HttpRequest::get(
            fault().url("/huge-headers?count=2000&size=1000"),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Protocol, "{err}");
}

#[tokio::test]
async fn a_server_that_never_answers_the_connect_is_a_connect_timeout() {
    let silent = SilentPort::open().unwrap();
    let e = engine();
    let mut req = HttpRequest::get(silent.url("/"));
    req.settings.connect_timeout_ms = Some(300);
    let err = e.send(&req).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Timeout, "{err}");
    assert!(err.to_string().contains("connecting"), "{err}");
    assert!(err.to_string().contains("300"), "{err}");

    // Without a connect timeout, the total timeout names the same phase.
    let mut req = HttpRequest::get(silent.url("/"));
    req.settings.timeout_ms = Some(300);
    let err = e.send(&req).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Timeout, "{err}");
    assert!(err.to_string().contains("connecting"), "{err}");
}

#[tokio::test]
async fn the_total_timeout_names_the_phase_it_interrupted() {
    let e = engine();
    let mut req = HttpRequest::get(fault().url("/stall-head"));
    req.settings.timeout_ms = Some(300);
    let err = e.send(&req).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Timeout);
    assert!(err.to_string().contains("response head"), "{err}");

    let mut req = HttpRequest::get(fault().url("/stall-body"));
    req.settings.timeout_ms = Some(300);
    let r = e.send_ok(&req).await;
    let error = r.error.expect("a timeout");
    assert_eq!(error.code, ErrorCode::Timeout);
    assert!(error.message.contains("body"), "{}", error.message);
    assert!(r.body.partial);
    assert_eq!(r.body.size, 10);
}

#[tokio::test]
async fn cancelling_before_the_head_is_a_cancelled_error() {
    let e = engine();
    // A server of its own, so its connection count is this send's.
    let server = FaultServer::start();
    let cancel = CancellationToken::new();
    // Cancelled once the server has the connection: the send is underway, its head stalled.
    let cancel_when_connected = async {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while server.connections() == 0 {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the send never connected"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        cancel.cancel();
    };
    let req = HttpRequest::get(server.url("/stall-head"));
    let ((result, events), ()) =
        tokio::join!(e.send_with_events(&req, &cancel), cancel_when_connected);
    assert_eq!(result.unwrap_err().code(), ErrorCode::Cancelled);
    assert!(events.is_empty(), "{events:?}");
}

#[tokio::test]
async fn cancelling_mid_body_keeps_a_partial_body_and_progress_is_streamed() {
    let e = engine();
    let cancel = CancellationToken::new();
    let events = Mutex::new(Vec::new());
    // Cancelled once progress has been reported twice and at least a kilobyte has arrived.
    let on_event = |event: SendEvent| {
        let mut events = events.lock().unwrap();
        events.push(event);
        let progress: Vec<u64> = events
            .iter()
            .filter_map(|e| match e {
                SendEvent::Body { received, .. } => Some(*received),
                _ => None,
            })
            .collect();
        if progress.len() >= 2 && progress.last() >= Some(&1024) {
            cancel.cancel();
        }
    };
    let req = HttpRequest::get(fault().url("/slow-body?chunks=100&delay_ms=50"));
    let result = e.engine.send(&req, &cancel, &on_event).await;
    let events = events.into_inner().unwrap();
    let r = result.unwrap();
    assert_eq!(r.error.as_ref().map(|e| e.code), Some(ErrorCode::Cancelled));
    assert!(r.body.partial);
    assert!(
        r.body.size >= 1024 && r.body.size < 100 * 1024,
        "{}",
        r.body.size
    );
    assert!(matches!(
        events.first(),
        Some(SendEvent::Head { head }) if head.status == 200 && head.body_id == r.id
    ));
    let progress: Vec<u64> = events
        .iter()
        .filter_map(|e| match e {
            SendEvent::Body {
                received, expected, ..
            } => {
                assert_eq!(*expected, Some(100 * 1024));
                Some(*received)
            }
            _ => None,
        })
        .collect();
    assert!(progress.len() >= 2, "{progress:?}");
    assert!(progress.windows(2).all(|w| w[0] <= w[1]));
}
