//! Digest auth (RFC 7616) answered by the engine: httpbin checks the hashes (MD5, SHA-256,
//! auth-int over a body), the fault server checks the retry rules (one answer, one more for a
//! stale nonce, never a loop) and the nonce count carried to the next request.

use sextant_model::{DigestAlgorithm, HttpRequest, RequestBody, Signing};

use crate::support::{engine, fault};

fn digest(url: String, password: &str, algorithm: DigestAlgorithm) -> HttpRequest {
    let mut req = HttpRequest::get(url);
    req.signing = Some(Signing::Digest {
        username: "user".into(),
        password: password.into(),
        algorithm,
    });
    req
}

#[tokio::test]
async fn httpbin_accepts_md5_and_sha256_answers() {
    let httpbin = sextant_testkit::PyServer::shared_httpbin();
    for (path, algorithm) in [
        ("/digest-auth/auth/user/passwd/MD5", DigestAlgorithm::Auto),
        (
            "/digest-auth/auth/user/passwd/SHA-256",
            DigestAlgorithm::Auto,
        ),
        (
            "/digest-auth/auth/user/passwd/SHA-256",
            DigestAlgorithm::Sha256,
        ),
    ] {
        // A fresh engine each time: one that answered this origin before would answer at once.
        let e = engine();
        let r = e
            .send_ok(&digest(httpbin.url(path), "passwd", algorithm))
            .await;
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(e.json(&r).await["authenticated"], true, "{path}");
        // The challenge shows as an attempt before the answer.
        assert_eq!(r.redirects.len(), 1, "{path}");
        assert_eq!(r.redirects[0].status, 401);
        assert_eq!(r.redirects[0].next_method, "GET");
        assert!(r.redirects[0]
            .headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case("www-authenticate")));
    }
}

#[tokio::test]
async fn auth_int_hashes_the_body() {
    let httpbin = sextant_testkit::PyServer::shared_httpbin();
    let e = engine();
    let mut req = digest(
        httpbin.url("/digest-auth/auth-int/user/passwd/MD5"),
        "passwd",
        DigestAlgorithm::Auto,
    );
    // httpbin's digest routes take GET only; a GET may carry a body, and it is hashed.
    req.body = RequestBody::Json {
        text: r#"{"hashed":true}"#.into(),
    };
    let r = e.send_ok(&req).await;
    assert_eq!(r.status, 200, "{:?} {}", r.redirects, e.text(&r).await);
    assert_eq!(e.json(&r).await["authenticated"], true);
}

#[tokio::test]
async fn a_wrong_password_is_answered_once_and_the_401_returned() {
    let httpbin = sextant_testkit::PyServer::shared_httpbin();
    let e = engine();
    let r = e
        .send_ok(&digest(
            httpbin.url("/digest-auth/auth/user/passwd/MD5"),
            "wrong",
            DigestAlgorithm::Auto,
        ))
        .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.redirects.len(), 1);
}

#[tokio::test]
async fn an_algorithm_the_server_does_not_offer_is_not_answered() {
    let httpbin = sextant_testkit::PyServer::shared_httpbin();
    let e = engine();
    let r = e
        .send_ok(&digest(
            httpbin.url("/digest-auth/auth/user/passwd/MD5"),
            "passwd",
            DigestAlgorithm::Sha256,
        ))
        .await;
    assert_eq!(r.status, 401);
    assert!(r.redirects.is_empty());
}

#[tokio::test]
async fn a_stale_nonce_is_retried_once_and_the_count_carries_on() {
    let e = engine();
    let url = fault().url("/digest/stale-once?x=1");
    let r = e
        .send_ok(&digest(url.clone(), "p", DigestAlgorithm::Auto))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        e.text(&r).await,
        "nonce=n2 nc=00000001 uri=/digest/stale-once?x=1"
    );
    let statuses: Vec<u16> = r.redirects.iter().map(|h| h.status).collect();
    assert_eq!(statuses, [401, 401]);

    // The next request answers the remembered challenge at once, counting on.
    for nc in ["00000002", "00000003"] {
        let r = e
            .send_ok(&digest(url.clone(), "p", DigestAlgorithm::Auto))
            .await;
        assert_eq!(r.status, 200);
        assert!(r.redirects.is_empty());
        assert_eq!(
            e.text(&r).await,
            format!("nonce=n2 nc={nc} uri=/digest/stale-once?x=1")
        );
    }
}

#[tokio::test]
async fn a_remembered_challenge_is_not_answered_with_another_algorithm() {
    let e = engine();
    let url = fault().url("/digest/stale-once");
    let r = e
        .send_ok(&digest(url.clone(), "p", DigestAlgorithm::Auto))
        .await;
    assert_eq!(r.status, 200);
    // The remembered challenge is MD5: a request that wants SHA-256 does not answer it up front,
    // and the fault server offers only MD5, so nothing is answered.
    let r = e.send_ok(&digest(url, "p", DigestAlgorithm::Sha256)).await;
    assert_eq!(r.status, 401);
    assert!(r.redirects.is_empty());
}

#[tokio::test]
async fn a_server_that_is_always_stale_does_not_loop() {
    let e = engine();
    let r = e
        .send_ok(&digest(
            fault().url("/digest/always-stale"),
            "p",
            DigestAlgorithm::Auto,
        ))
        .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.redirects.len(), 2);
}

#[tokio::test]
async fn credentials_do_not_follow_a_redirect_to_another_origin() {
    let httpbin = sextant_testkit::PyServer::shared_httpbin();
    let e = engine();
    let target = httpbin.url("/digest-auth/auth/user/passwd/MD5");
    let r = e
        .send_ok(&digest(
            fault().url(&format!("/redirect-to?url={target}")),
            "passwd",
            DigestAlgorithm::Auto,
        ))
        .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.redirects.len(), 1);
    assert_eq!(r.redirects[0].status, 302);
}
