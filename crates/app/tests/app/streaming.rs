//! A body is readable while it downloads: `read_body` serves windows of the growing file named
//! by the head event, and a cancel keeps what arrived.

use std::sync::Arc;

use sextant_app::{App, AppConfig};
use sextant_model::{ErrorCode, HttpRequest, SendEvent};
use sextant_testkit::FaultServer;
use tokio::sync::mpsc;

const SCREEN: u64 = 64 * 1024;

#[tokio::test]
async fn read_body_serves_the_first_window_of_a_paced_body_before_it_ends() {
    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    let app = Arc::new(App::new(AppConfig::new(dir.path())).unwrap());
    let (tx, mut rx) = mpsc::unbounded_channel();
    let on_event = move |e: SendEvent| {
        let _ = tx.send(e);
    };
    // 100 MB at 20 MB/s: five seconds of body, of which the test needs the first 64 KiB.
    let req = HttpRequest::get(server.url("/paced?bytes=104857600&rate=20971520"));
    let sending = app.send_request("paced", &req, &on_event);
    let watching = async {
        let head = loop {
            if let Some(SendEvent::Head { head }) = rx.recv().await {
                break head;
            }
        };
        assert_eq!(head.expected, Some(104_857_600));
        let window = loop {
            match rx
                .recv()
                .await
                .expect("the send ended before the first screen")
            {
                SendEvent::Body { received, .. } if received >= SCREEN => {
                    assert!(received < 104_857_600, "the body was complete already");
                    break app.read_body(&head.body_id, 0, SCREEN).await.unwrap();
                }
                _ => {}
            }
        };
        assert!(app.cancel_request("paced"));
        (head, window)
    };
    let (result, (head, window)) = tokio::join!(sending, watching);
    let r = result.unwrap();
    assert_eq!(window.len() as u64, SCREEN);
    assert!(window.starts_with(b"streamed line"));
    assert_eq!(r.id, head.body_id);
    assert_eq!(r.error.map(|e| e.code), Some(ErrorCode::Cancelled));
    assert!(r.body.partial);
    assert!(r.body.size >= SCREEN && r.body.size < 104_857_600);
    assert_eq!(app.read_body(&r.id, 0, SCREEN).await.unwrap(), window);
}
