//! Requests, responses and stored bodies on the happy path.

use sextant_model::{ErrorCode, HttpRequest, KeyValue};

use crate::support::{engine, fault};

#[tokio::test]
async fn a_get_returns_status_headers_body_and_remote_address() {
    let e = engine();
    let r = e.send_ok(&HttpRequest::get(fault().url("/ok"))).await;
    assert_eq!((r.status, r.reason.as_str()), (200, "OK"));
    assert_eq!(r.http_version, "HTTP/1.1");
    assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    assert_eq!(r.remote_addr, Some(fault().addr().to_string()));
    assert_eq!(e.text(&r).await, "ok");
    assert_eq!(r.body.size, 2);
    assert!(!r.body.partial);
    assert!(r.error.is_none());
    assert!(r.sizes.headers_bytes > 20);
}

#[tokio::test]
async fn any_method_token_is_sent_as_is() {
    let e = engine();
    let r = e
        .send_ok(&HttpRequest::new("PURGE", fault().url("/echo")))
        .await;
    assert_eq!(e.json(&r).await["method"], "PURGE");
}

#[tokio::test]
async fn header_rows_keep_order_and_duplicates_and_skip_disabled_ones() {
    let e = engine();
    let mut req = HttpRequest::get(fault().url("/echo"));
    let mut off = KeyValue::new("X-Off", "no");
    off.enabled = false;
    req.headers = vec![
        KeyValue::new("X-Dup", "1"),
        off,
        KeyValue::new("X-Dup", "2"),
    ];
    let echo = e.json(&e.send_ok(&req).await).await;
    let headers: Vec<(String, String)> = serde_json::from_value(echo["headers"].clone()).unwrap();
    let dups: Vec<_> = headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("x-dup"))
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(dups, ["1", "2"]);
    assert!(!headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("x-off")));
}

#[tokio::test]
async fn query_rows_are_appended_to_the_url() {
    let e = engine();
    let mut req = HttpRequest::get(fault().url("/echo?a=1"));
    req.query = vec![KeyValue::new("b", "two words")];
    let echo = e.json(&e.send_ok(&req).await).await;
    assert_eq!(echo["path"], "/echo?a=1&b=two+words");
}

#[tokio::test]
async fn bodies_are_read_in_windows_of_at_most_one_mebibyte() {
    let e = engine();
    let size = 3 * 1024 * 1024 + 17;
    let r = e
        .send_ok(&HttpRequest::get(fault().url(&format!("/bytes/{size}"))))
        .await;
    assert_eq!(r.body.size, size as u64);
    let store = e.engine.bodies();
    let first = store.read_window(&r.id, 0, 10 << 20).await.unwrap();
    assert_eq!(first.len(), sextant_engine::MAX_WINDOW as usize);
    let tail = store
        .read_window(&r.id, size as u64 - 7, 100)
        .await
        .unwrap();
    assert_eq!(tail.len(), 7);
    assert!(store
        .read_window(&r.id, size as u64 + 5, 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(e.body(&r).await.len(), size);
    let missing = store.read_window("0123abcd", 0, 10).await.unwrap_err();
    assert_eq!(missing.code(), ErrorCode::NotFound);
    let traversal = store
        .read_window("../../etc/passwd", 0, 10)
        .await
        .unwrap_err();
    assert_eq!(traversal.code(), ErrorCode::NotFound);
}

#[tokio::test]
async fn invalid_urls_fail_before_any_traffic() {
    let e = engine();
    for url in ["", "ftp://127.0.0.1/x", "http://exa mple/"] {
        let err = e.send(&HttpRequest::get(url)).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidUrl, "{url:?}: {err}");
    }
    let err = e
        .send(&HttpRequest::new("BAD METHOD", fault().url("/ok")))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidRequest);
}
