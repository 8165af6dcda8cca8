//! The one send path: a request is registered for Cancel before anything else happens, so a
//! cancel that arrives while its workspace is still being read ends the send as `Cancelled` with
//! nothing sent; with a collection context it is templated, without one it is sent as composed.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sextant_app::{App, AppConfig, HistoryQuery, SendContext};
use sextant_model::{ErrorCode, HttpRequest, RequestBody, SavedRequest};
use sextant_testkit::FaultServer;

/// A generous ceiling that catches a hang; nothing here should take more than a moment.
const HANG: Duration = Duration::from_secs(20);

fn app_with_workspace(dir: &Path) -> App {
    let mut config = AppConfig::new(dir.join("data"));
    config.workspace_dir = Some(dir.join("ws"));
    std::fs::create_dir_all(dir.join("ws")).unwrap();
    App::new(config).unwrap()
}

/// Calls `cancel_request(id)` until it reaches a request in flight.
async fn cancel_when_registered(app: &App, id: &str) {
    tokio::time::timeout(HANG, async {
        while !app.cancel_request(id) {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("the request was never registered for Cancel");
}

/// The workspace's `globals.yaml` is a named pipe nobody writes to: reading it (the first thing
/// resolving a request does) blocks until the test opens the other end.
#[cfg(unix)]
#[tokio::test]
async fn a_cancel_during_resolution_ends_the_send_as_cancelled_with_nothing_sent() {
    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    let app = Arc::new(app_with_workspace(dir.path()));
    let fifo = dir.path().join("ws/globals.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());

    let saved = SavedRequest::new("ok", HttpRequest::get(server.url("/ok")));
    let sender = Arc::clone(&app);
    let sent = saved.clone();
    let task = tokio::spawn(async move {
        sender
            .send("r", &sent, Some(SendContext::default()), &|_| {})
            .await
    });
    // Resolution cannot finish (nobody writes to the pipe), yet the id is already taken: a probe
    // under it is refused as a duplicate. (Until the first send starts, the probe takes the id
    // itself and stops at its body file, relative to nothing: nothing sent, nothing recorded.)
    let mut probe = SavedRequest::new("probe", HttpRequest::get(server.url("/ok")));
    probe.request.body = RequestBody::Binary {
        path: "relative.bin".into(),
        content_type: None,
    };
    tokio::time::timeout(HANG, async {
        loop {
            let err = app.send("r", &probe, None, &|_| {}).await.unwrap_err();
            match err.code {
                ErrorCode::InvalidRequest => break,
                ErrorCode::FileNotAllowed => tokio::time::sleep(Duration::from_millis(5)).await,
                _ => panic!("unexpected error: {err:?}"),
            }
        }
    })
    .await
    .expect("the id was never taken");
    cancel_when_registered(&app, "r").await;

    let err = tokio::time::timeout(HANG, task)
        .await
        .expect("the cancelled send did not end")
        .unwrap()
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Cancelled, "{}", err.message);
    assert!(
        !app.cancel_request("r"),
        "the id is released when the send ends"
    );

    // Let the blocked read end, then check that the cancelled request never went out.
    drop(std::fs::OpenOptions::new().write(true).open(&fifo).unwrap());
    assert_eq!(
        server.connections(),
        0,
        "the cancelled request reached the server"
    );
    let recorded = app.history_list(HistoryQuery::default()).await.unwrap();
    assert!(
        recorded.is_empty(),
        "nothing was sent, so nothing is recorded: {recorded:?}"
    );
}

#[tokio::test]
async fn a_cancel_right_after_the_send_starts_is_honoured() {
    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    let app = Arc::new(app_with_workspace(dir.path()));
    let saved = SavedRequest::new("stall", HttpRequest::get(server.url("/stall-head")));
    let sender = Arc::clone(&app);
    let task = tokio::spawn(async move {
        sender
            .send("r", &saved, Some(SendContext::default()), &|_| {})
            .await
    });
    // One call, whether it lands before the send registers its id or after: the IPC calls for
    // Send and Cancel are handled in either order.
    app.cancel_request("r");
    let err = tokio::time::timeout(HANG, task)
        .await
        .expect("the cancelled send did not end")
        .unwrap()
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Cancelled, "{}", err.message);
}

#[tokio::test]
async fn with_a_context_the_request_is_templated_and_without_one_it_is_sent_as_composed() {
    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    let app = app_with_workspace(dir.path());
    app.globals_save(vec![sextant_model::Variable::new("page", "ok")])
        .await
        .unwrap();
    let saved = SavedRequest::new("templated", HttpRequest::get(server.url("/{{page}}")));

    let templated = app
        .send("a", &saved, Some(SendContext::default()), &|_| {})
        .await
        .unwrap();
    assert_eq!(templated.status, 200);
    assert!(templated.url.ends_with("/ok"), "{}", templated.url);

    let composed = app.send("b", &saved, None, &|_| {}).await.unwrap();
    assert_eq!(composed.status, 404, "{{{{page}}}} is not a variable here");
}
