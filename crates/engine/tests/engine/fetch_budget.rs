//! Budgets on one send against the fault server: a decoded-size cap that stops a gzip bomb while
//! it streams, the total timeout ending an endless body, and no body file left behind by a send
//! whose future is dropped.

use std::time::Duration;

use sextant_engine::{CancellationToken, Engine, EngineConfig, SendLimits};
use sextant_model::{ErrorCode, HttpRequest};
use sextant_testkit::FaultServer;

fn engine(dir: &tempfile::TempDir) -> Engine {
    Engine::new(EngineConfig::new(dir.path().join("bodies"))).unwrap()
}

fn files_in(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}

#[tokio::test]
async fn a_gzip_bomb_stops_at_the_decoded_cap() {
    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir);
    let limits = SendLimits {
        max_body_bytes: Some(8 * 1024 * 1024),
        purpose: "a spec".into(),
        ..SendLimits::default()
    };
    let req = HttpRequest::get(server.url("/gzip-bomb?mib=64"));
    let r = engine
        .send_limited(&req, &limits, &CancellationToken::new(), &|_| {})
        .await
        .unwrap();
    let error = r.error.expect("the bomb must be stopped");
    assert_eq!(error.code, ErrorCode::TooLarge, "{}", error.message);
    assert!(error.message.contains("8 MiB"), "{}", error.message);
    assert!(error.message.contains("a spec"), "{}", error.message);
    assert!(r.body.partial);
    assert!(r.sizes.body_decoded_bytes <= 8 * 1024 * 1024);
    assert!(r.sizes.body_wire_bytes < 1024 * 1024);
}

#[tokio::test]
async fn without_a_cap_the_same_body_is_read_whole() {
    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    let req = HttpRequest::get(server.url("/gzip-bomb?mib=4"));
    let r = engine(&dir)
        .send(&req, &CancellationToken::new(), &|_| {})
        .await
        .unwrap();
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(r.sizes.body_decoded_bytes, 4 * 1024 * 1024);
}

#[tokio::test]
async fn the_total_timeout_ends_an_endless_body() {
    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    let mut req = HttpRequest::get(server.url("/endless?delay_ms=50"));
    req.settings.timeout_ms = Some(500);
    let r = tokio::time::timeout(
        Duration::from_secs(30),
        engine(&dir).send(&req, &CancellationToken::new(), &|_| {}),
    )
    .await
    .expect("the timeout must end the body")
    .unwrap();
    assert_eq!(r.error.map(|e| e.code), Some(ErrorCode::Timeout));
}

#[tokio::test]
async fn a_dropped_send_leaves_no_body_file() {
    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir);
    let req = HttpRequest::get(server.url("/endless?delay_ms=20"));
    let bodies = dir.path().join("bodies");
    let cancel = CancellationToken::new();
    let mut send = Box::pin(engine.send(&req, &cancel, &|_| {}));
    // Run the send until its body file exists, then drop it mid-body.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while files_in(&bodies) == 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "no body file appeared"
        );
        let _ = tokio::time::timeout(Duration::from_millis(20), &mut send).await;
    }
    drop(send);
    // The file is removed when the send is dropped (a create still running on a blocking thread
    // is given a moment to land first).
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while files_in(&bodies) != 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the body file stayed"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
