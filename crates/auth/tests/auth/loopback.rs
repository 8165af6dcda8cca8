//! The loopback listener driven by plain HTTP requests, as a browser would send them.

use std::time::Duration;

use sextant_auth::{AuthError, Loopback};
use sextant_engine::CancellationToken;

use crate::support::engine;

const WAIT: Duration = Duration::from_secs(30);

/// Starts waiting for `state`; returns the redirect URI and the pending result.
async fn listen(
    state: &'static str,
    timeout: Duration,
    cancel: CancellationToken,
) -> (
    String,
    tokio::task::JoinHandle<Result<sextant_auth::Callback, AuthError>>,
) {
    let loopback = Loopback::bind(None, "/callback").await.unwrap();
    let uri = loopback.redirect_uri().to_string();
    let task = tokio::spawn(async move {
        loopback
            .wait(state, "http://issuer.test", timeout, &cancel)
            .await
    });
    (uri, task)
}

#[tokio::test]
async fn the_redirect_uri_is_known_before_waiting_and_uses_127_0_0_1() {
    let loopback = Loopback::bind(None, "cb").await.unwrap();
    let uri = loopback.redirect_uri();
    assert!(uri.starts_with("http://127.0.0.1:"), "{uri}");
    assert!(uri.ends_with("/cb"), "{uri}");
    let port: u16 = uri["http://127.0.0.1:".len()..uri.len() - 3]
        .parse()
        .unwrap();
    assert_ne!(port, 0);
}

#[tokio::test]
async fn other_paths_get_404_then_the_good_callback_signs_in_and_closes() {
    let engine = engine();
    let (uri, task) = listen("s1", WAIT, CancellationToken::new()).await;
    let base = uri.trim_end_matches("/callback");
    let (status, _) = engine.get(&format!("{base}/favicon.ico"), &[]).await;
    assert_eq!(status, 404);
    let (status, _) = engine
        .get(&format!("{base}/callbackx?code=c&state=s1"), &[])
        .await;
    assert_eq!(status, 404, "only the exact path");
    let (status, page) = engine
        .get(&format!("{uri}?code=the-code&state=s1"), &[])
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Signed in to http://issuer.test."), "{page}");
    assert!(page.contains("You can close this tab."), "{page}");
    let callback = task.await.unwrap().unwrap();
    assert_eq!(callback.code, "the-code");
    let refused = tokio::net::TcpStream::connect(
        uri.trim_start_matches("http://")
            .trim_end_matches("/callback"),
    )
    .await;
    assert!(
        refused.is_err(),
        "the listener is closed after the one callback"
    );
}

#[tokio::test]
async fn a_forged_callback_with_another_state_is_rejected_and_ends_the_flow() {
    let engine = engine();
    let (uri, task) = listen("real-state", WAIT, CancellationToken::new()).await;
    let (status, page) = engine
        .get(&format!("{uri}?code=evil&state=forged"), &[])
        .await;
    assert_eq!(status, 400);
    assert!(page.contains("Sign-in failed."), "{page}");
    let err = task.await.unwrap().unwrap_err();
    assert!(matches!(err, AuthError::StateMismatch), "{err}");
}

#[tokio::test]
async fn the_providers_error_is_shown_and_typed() {
    let engine = engine();
    let (uri, task) = listen("s2", WAIT, CancellationToken::new()).await;
    let (status, page) = engine
        .get(
            &format!(
                "{uri}?error=access_denied&error_description=End-User+aborted+%3Cb%3E&state=s2"
            ),
            &[],
        )
        .await;
    assert_eq!(status, 400);
    assert!(
        page.contains("End-User aborted &lt;b&gt;"),
        "escaped: {page}"
    );
    let err = task.await.unwrap().unwrap_err();
    assert!(matches!(err, AuthError::AccessDenied { .. }), "{err}");
}

#[tokio::test]
async fn no_callback_times_out_and_cancel_stops_waiting() {
    let (_uri, task) = listen("s3", Duration::from_millis(200), CancellationToken::new()).await;
    let err = tokio::time::timeout(WAIT, task)
        .await
        .unwrap()
        .unwrap()
        .unwrap_err();
    assert!(matches!(err, AuthError::TimedOut(_)), "{err}");

    let cancel = CancellationToken::new();
    let (_uri, task) = listen("s4", WAIT, cancel.clone()).await;
    cancel.cancel();
    let err = tokio::time::timeout(WAIT, task)
        .await
        .unwrap()
        .unwrap()
        .unwrap_err();
    assert!(matches!(err, AuthError::Cancelled), "{err}");
}

#[tokio::test]
async fn a_fixed_port_is_used_as_given() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let loopback = Loopback::bind(Some(port), "/cb").await.unwrap();
    assert_eq!(
        loopback.redirect_uri(),
        format!("http://127.0.0.1:{port}/cb")
    );
    let err = Loopback::bind(Some(port), "/cb").await.err().unwrap();
    assert!(matches!(err, AuthError::Listen { .. }), "{err}");
}

#[tokio::test]
async fn the_implicit_fragment_is_relayed_by_a_page_then_taken_from_the_query() {
    let engine = engine();
    let loopback = Loopback::bind(None, "/callback").await.unwrap();
    let uri = loopback.redirect_uri().to_string();
    let task = tokio::spawn(async move {
        loopback
            .wait_for(
                sextant_auth::ResponseMode::Fragment,
                "s5",
                "http://issuer.test",
                WAIT,
                &CancellationToken::new(),
            )
            .await
    });
    // What a browser sends for http://127.0.0.1:P/callback#access_token=...: no fragment.
    let (status, page) = engine.get(&uri, &[]).await;
    assert_eq!(status, 200);
    assert!(page.contains("location.hash"), "the relay page: {page}");
    let (status, page) = engine
        .get(
            &format!("{uri}?access_token=imp&token_type=Bearer&state=s5"),
            &[],
        )
        .await;
    assert_eq!(status, 200, "{page}");
    let callback = task.await.unwrap().unwrap();
    assert_eq!(callback.code, "imp");
}
