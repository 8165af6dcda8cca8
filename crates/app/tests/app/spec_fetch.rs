//! Fetching a spec from a hostile server: a gzip bomb stops at the 256 MiB decoded cap, a slow
//! endless body at the total timeout, and no fetch (good, failed or abandoned) leaves a body
//! file in `<data dir>/bodies/`.

use std::path::Path;
use std::time::Duration;

use sextant_app::{App, AppConfig};
use sextant_model::{ErrorCode, RequestSettings};
use sextant_testkit::FaultServer;

fn app() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    (App::new(AppConfig::new(dir.path())).unwrap(), dir)
}

fn body_files(data: &Path) -> Vec<String> {
    std::fs::read_dir(data.join("bodies"))
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Waits (up to a generous ceiling) for `bodies/` to be empty.
async fn assert_bodies_emptied(data: &Path) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !body_files(data).is_empty() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "left behind: {:?}",
            body_files(data)
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_gzip_bomb_stops_at_the_cap_and_leaves_nothing() {
    let server = FaultServer::start();
    let (app, dir) = app();
    let err = app
        .import_openapi(&server.url("/gzip-bomb?mib=1024"))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::TooLarge, "{}", err.message);
    assert!(err.message.contains("256 MiB"), "{}", err.message);
    assert_bodies_emptied(dir.path()).await;
}

#[tokio::test]
async fn an_endless_body_ends_at_the_total_timeout() {
    let server = FaultServer::start();
    let (app, dir) = app();
    let settings = RequestSettings {
        timeout_ms: Some(800),
        ..RequestSettings::default()
    };
    let err = tokio::time::timeout(
        Duration::from_secs(30),
        app.import_openapi_with(&server.url("/endless?delay_ms=100"), &settings),
    )
    .await
    .expect("the fetch must end")
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::Timeout, "{}", err.message);
    assert_bodies_emptied(dir.path()).await;
}

#[tokio::test]
async fn a_fetched_spec_and_a_failed_status_leave_no_body_file() {
    let server = FaultServer::start();
    let (app, dir) = app();
    let url = server.url(&format!(
        "/redirect-to?status=302&url={}",
        url::form_urlencoded::byte_serialize(b"/json").collect::<String>()
    ));
    // /json is not a spec: the import fails after the fetch succeeded.
    assert!(app.import_openapi(&url).await.is_err());
    assert_bodies_emptied(dir.path()).await;
    let err = app
        .import_openapi(&server.url("/missing"))
        .await
        .unwrap_err();
    assert!(err.message.contains("404"), "{}", err.message);
    assert_bodies_emptied(dir.path()).await;
}

#[tokio::test]
async fn an_abandoned_fetch_stops_and_leaves_nothing() {
    let server = FaultServer::start();
    let (app, dir) = app();
    let url = server.url("/endless?delay_ms=20");
    let mut fetch = Box::pin(app.import_openapi(&url));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while body_files(dir.path()).is_empty() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the fetch never started its body"
        );
        let _ = tokio::time::timeout(Duration::from_millis(20), &mut fetch).await;
    }
    drop(fetch);
    assert_bodies_emptied(dir.path()).await;
}

#[tokio::test]
async fn cancel_stops_a_spec_fetch_and_leaves_nothing() {
    let server = FaultServer::start();
    let (app, dir) = app();
    let url = server.url("/endless?delay_ms=20");
    let mut fetch = Box::pin(app.open_spec_as(&url, RequestSettings::default(), Some("import-1")));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    // Polled until the transfer is under way and the cancel reaches it.
    loop {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the fetch never became cancellable"
        );
        let _ = tokio::time::timeout(Duration::from_millis(20), &mut fetch).await;
        if !body_files(dir.path()).is_empty() && app.cancel_request("import-1") {
            break;
        }
    }
    let err = tokio::time::timeout(Duration::from_secs(30), fetch)
        .await
        .expect("a cancelled fetch ends")
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Cancelled, "{}", err.message);
    assert_bodies_emptied(dir.path()).await;
    assert!(!app.cancel_request("import-1"), "nothing left to cancel");
}
