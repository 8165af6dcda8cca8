//! Timings, connection reuse, TLS, HTTP versions and proxies.

use sextant_model::{ErrorCode, HttpRequest, HttpVersionPref, ProxySetting};
use sextant_testkit::{FaultServer, HyperServer};

use crate::support::{engine, engine_trusting};

#[tokio::test]
async fn timings_are_measured_and_a_reused_connection_is_flagged() {
    let server = FaultServer::start();
    let e = engine();
    let first = e.send_ok(&HttpRequest::get(server.url("/ok"))).await;
    let t = &first.timings;
    assert!(!t.reused_connection);
    assert_eq!(t.dns_ms, None, "an IP literal needs no DNS");
    assert!(t.connect_ms.is_some());
    assert!(!t.tls_in_connect);
    assert!(t.ttfb_ms > 0.0 && t.total_ms >= t.ttfb_ms);

    let second = e.send_ok(&HttpRequest::get(server.url("/ok"))).await;
    assert!(second.timings.reused_connection);
    assert_eq!(second.timings.connect_ms, None);
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn a_host_name_is_resolved_and_timed() {
    let server = FaultServer::start();
    let url = server.url("/ok").replace("127.0.0.1", "localhost");
    let r = engine().send_ok(&HttpRequest::get(url)).await;
    assert_eq!(r.status, 200);
    assert!(r.timings.dns_ms.is_some());
}

#[tokio::test]
async fn tls_is_verified_by_default_and_can_be_turned_off_per_request() {
    let server = FaultServer::start();
    let e = engine();
    let err = e
        .send(&HttpRequest::get(server.tls_url("/ok")))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Tls, "{err}");
    assert!(err.to_string().contains("unknown issuer"), "{err}");

    let mut insecure = HttpRequest::get(server.tls_url("/ok"));
    insecure.settings.verify_tls = false;
    assert_eq!(e.send_ok(&insecure).await.status, 200);

    let trusting = engine_trusting(&[server.ca_pem()]);
    let r = trusting
        .send_ok(&HttpRequest::get(server.tls_url("/ok")))
        .await;
    assert_eq!(r.status, 200);
    assert!(r.timings.tls_in_connect);
}

#[tokio::test]
async fn a_redirect_from_http_to_https_is_verified_like_any_https_request() {
    let server = FaultServer::start();
    let to_tls = server.url(&format!(
        "/redirect-to?url={}",
        server
            .tls_url("/ok")
            .replace(':', "%3A")
            .replace('/', "%2F")
    ));
    // Plain http first, so the https hop needs a client that trusts roots.
    let trusting = engine_trusting(&[server.ca_pem()]);
    assert_eq!(
        trusting
            .send_ok(&HttpRequest::get(server.url("/ok")))
            .await
            .status,
        200
    );
    let r = trusting.send_ok(&HttpRequest::get(to_tls.clone())).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.url, server.tls_url("/ok"));
    assert_eq!(r.redirects.len(), 1);

    // Without the test CA the https hop is refused, as a direct https request is.
    let err = engine().send(&HttpRequest::get(to_tls)).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Tls, "{err}");
    assert!(err.to_string().contains("unknown issuer"), "{err}");
}

#[tokio::test]
async fn plain_http_on_a_tls_port_is_an_error_not_a_hang() {
    let server = FaultServer::start();
    let url = server.tls_url("/ok").replace("https://", "http://");
    let mut req = HttpRequest::get(url);
    req.settings.timeout_ms = Some(5_000);
    let err = engine().send(&req).await.unwrap_err();
    assert_ne!(err.code(), ErrorCode::Timeout, "{err}");
}

#[tokio::test]
async fn http_versions_auto_http1_and_h2_prior_knowledge() {
    let server = HyperServer::start();
    let e = engine_trusting(&[server.ca_pem()]);
    let auto = e
        .send_ok(&HttpRequest::get(server.tls_url("/version")))
        .await;
    assert_eq!(auto.http_version, "HTTP/2");
    assert_eq!(e.text(&auto).await, "HTTP/2");

    let mut h1 = HttpRequest::get(server.tls_url("/version"));
    h1.settings.http_version = HttpVersionPref::Http1;
    let r = e.send_ok(&h1).await;
    assert_eq!(
        (r.http_version.as_str(), e.text(&r).await.as_str()),
        ("HTTP/1.1", "HTTP/1.1")
    );

    let mut h2c = HttpRequest::get(server.url("/version"));
    h2c.settings.http_version = HttpVersionPref::Http2PriorKnowledge;
    let r = e.send_ok(&h2c).await;
    assert_eq!(e.text(&r).await, "HTTP/2");
}

#[tokio::test]
async fn loopback_bypasses_the_proxy_unless_asked() {
    let server = FaultServer::start();
    let dead_proxy = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let e = engine();
    let mut req = HttpRequest::get(server.url("/ok"));
    req.settings.proxy = ProxySetting::Url { url: dead_proxy };
    assert_eq!(e.send_ok(&req).await.status, 200);

    req.settings.proxy_loopback = true;
    let err = e.send(&req).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Connect, "{err}");
}
