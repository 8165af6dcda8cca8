//! Redirects followed hop by hop, and the cookie jar.

use sextant_model::{ErrorCode, HttpRequest, RequestBody};

use crate::support::{engine, fault};

#[tokio::test]
async fn every_hop_is_recorded() {
    let e = engine();
    let r = e
        .send_ok(&HttpRequest::get(fault().url("/redirect/3")))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(e.text(&r).await, "done");
    assert_eq!(r.url, fault().url("/redirect/0"));
    let locations: Vec<_> = r.redirects.iter().map(|h| h.location.as_str()).collect();
    assert_eq!(locations, ["/redirect/2", "/redirect/1", "/redirect/0"]);
    assert!(r
        .redirects
        .iter()
        .all(|h| h.status == 302 && h.method == "GET"));
}

#[tokio::test]
async fn redirects_can_be_left_unfollowed() {
    let e = engine();
    let mut req = HttpRequest::get(fault().url("/redirect/3"));
    req.settings.follow_redirects = false;
    let r = e.send_ok(&req).await;
    assert_eq!(r.status, 302);
    assert_eq!(r.header("location"), Some("/redirect/2"));
    assert!(r.redirects.is_empty());
}

#[tokio::test]
async fn the_hop_limit_and_loops_are_detected() {
    let e = engine();
    let mut req = HttpRequest::get(fault().url("/redirect/5"));
    req.settings.max_redirects = 2;
    let err = e.send(&req).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::TooManyRedirects);
    assert!(err.to_string().contains("limit"), "{err}");

    let err = e
        .send(&HttpRequest::get(fault().url("/redirect-loop")))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::TooManyRedirects);
    assert!(err.to_string().contains("loop"), "{err}");
}

#[tokio::test]
async fn set_cookie_is_honoured_listed_sent_back_and_cleared() {
    let e = engine();
    let r = e
        .send_ok(&HttpRequest::get(
            fault().url("/set-cookie?name=flavour&value=oat"),
        ))
        .await;
    assert_eq!(r.cookies.len(), 1);
    assert_eq!(
        (r.cookies[0].name.as_str(), r.cookies[0].value.as_str()),
        ("flavour", "oat")
    );
    assert!(e
        .engine
        .cookies()
        .list()
        .iter()
        .any(|c| c.name == "flavour"));

    let r = e.send_ok(&HttpRequest::get(fault().url("/cookies"))).await;
    assert_eq!(e.text(&r).await, "flavour=oat");

    e.engine.cookies().clear();
    assert!(e.engine.cookies().list().is_empty());
    let r = e.send_ok(&HttpRequest::get(fault().url("/cookies"))).await;
    assert_eq!(e.text(&r).await, "");
}

#[tokio::test]
async fn cookies_set_on_a_redirect_hop_are_sent_on_the_next() {
    let e = engine();
    let r = e
        .send_ok(&HttpRequest::get(fault().url("/set-cookie-redirect")))
        .await;
    assert_eq!(r.redirects.len(), 1);
    assert_eq!(e.text(&r).await, "hop=1");
    assert!(r.cookies.iter().any(|c| c.name == "hop"));
}

#[tokio::test]
async fn methods_and_bodies_follow_rfc_9110_per_status() {
    let httpbin = sextant_testkit::PyServer::shared_httpbin();
    let e = engine();
    for (status, method, next_method, body_kept) in [
        (301, "POST", "GET", false),
        (302, "POST", "GET", false),
        (303, "PUT", "GET", false),
        (307, "POST", "POST", true),
        (308, "PUT", "PUT", true),
    ] {
        let mut req = HttpRequest::new(
            method,
            httpbin.url(&format!("/redirect-to?url=/anything&status_code={status}")),
        );
        req.body = RequestBody::Json {
            text: r#"{"kept":true}"#.into(),
        };
        let r = e.send_ok(&req).await;
        assert_eq!(r.status, 200, "{status}");
        assert_eq!(r.redirects[0].next_method, next_method, "{status}");
        assert_eq!(r.redirects[0].body_dropped, !body_kept, "{status}");
        let echo = e.json(&r).await;
        assert_eq!(echo["method"], next_method, "{status}");
        assert_eq!(
            echo["data"] == r#"{"kept":true}"#,
            body_kept,
            "{status}: {echo}"
        );
    }
}
