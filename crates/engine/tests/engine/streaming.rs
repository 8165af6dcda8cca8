//! A response is usable while it downloads: its head comes as an event naming the body file,
//! and windows of that file can be read before the body ends.

use sextant_engine::{CancellationToken, MAX_WINDOW};
use sextant_model::{HttpRequest, SendEvent};
use tokio::sync::mpsc;

use crate::support::{engine, fault};

#[tokio::test]
async fn the_head_and_the_first_window_come_before_the_body_ends() {
    let e = engine();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let on_event = move |event: SendEvent| {
        let _ = tx.send(event);
    };
    let req = HttpRequest::get(fault().url("/gate/engine-head?first=10000&total=300000"));
    let cancel = CancellationToken::new();
    let sending = e.engine.send(&req, &cancel, &on_event);
    // While the server holds all but the first 10,000 bytes back: the head, then those bytes in
    // the file; then the gate opens and the send may end.
    let watching = async {
        let head = match rx.recv().await.expect("the send ended before its head") {
            SendEvent::Head { head } => head,
            other => panic!("unexpected event before the head: {other:?}"),
        };
        assert_eq!(head.status, 200);
        assert_eq!(head.expected, Some(300_000));
        assert_eq!(
            head.content_type.as_deref(),
            Some("text/plain; charset=utf-8")
        );
        assert!(head.headers.iter().any(|h| h.name == "content-length"));
        loop {
            match rx
                .recv()
                .await
                .expect("the send ended before its first bytes")
            {
                SendEvent::Body {
                    received,
                    expected,
                    elapsed_ms,
                } => {
                    assert_eq!(expected, Some(300_000));
                    assert!(elapsed_ms >= head.elapsed_ms);
                    assert!(received <= 10_000, "{received}");
                    if received == 10_000 {
                        break;
                    }
                }
                other => panic!("unexpected event: {other:?}"),
            }
        }
        let window = e
            .engine
            .bodies()
            .read_window(&head.body_id, 0, MAX_WINDOW)
            .await
            .unwrap();
        assert_eq!(window.len(), 10_000);
        assert!(window.starts_with(b"streamed line"));
        // A window past what arrived is empty, not an error.
        let past = e
            .engine
            .bodies()
            .read_window(&head.body_id, 20_000, 100)
            .await
            .unwrap();
        assert!(past.is_empty());
        e.send_ok(&HttpRequest::get(fault().url("/gate-open/engine-head")))
            .await;
        head
    };
    let (result, head) = tokio::join!(sending, watching);
    let r = result.unwrap();
    assert_eq!(r.id, head.body_id);
    assert_eq!(r.body.size, 300_000);
    assert!(!r.body.partial);
    let body = e.body(&r).await;
    assert_eq!(&body[..10_000], &body[65_536..75_536]);
}
