//! Client certificates (mTLS) against a TLS port that requires one: presented when the host
//! pattern matches the hop's URL, never otherwise, and a clear error when the server wants one.

use sextant_engine::{CancellationToken, ClientIdentity, EngineError, SendLimits};
use sextant_model::{ErrorCode, HttpRequest, HttpResponse};
use sextant_testkit::{MtlsServer, PemPair};

use crate::support::{engine_trusting, TestEngine};

fn identity(pattern: &str, pair: &PemPair) -> ClientIdentity {
    ClientIdentity::from_pem(pattern, pair.cert_pem.as_bytes(), pair.key_pem.as_bytes()).unwrap()
}

async fn send_as(
    engine: &TestEngine,
    url: &str,
    identities: &[ClientIdentity],
) -> Result<HttpResponse, EngineError> {
    engine
        .engine
        .send_with_identities(
            &HttpRequest::get(url),
            identities,
            &SendLimits::default(),
            &CancellationToken::new(),
            &|_| {},
        )
        .await
}

fn assert_needs_certificate(result: Result<HttpResponse, EngineError>) {
    let err = result.expect_err("the server requires a client certificate");
    assert_eq!(err.code(), ErrorCode::Tls, "{err}");
    assert!(
        err.to_string()
            .contains("requires a client certificate and none was sent"),
        "{err}"
    );
}

#[tokio::test]
async fn a_matching_identity_is_presented_and_accepted() {
    let server = MtlsServer::start();
    let engine = engine_trusting(&[server.ca_pem()]);
    let ids = [identity("localhost", &server.client())];
    let r = send_as(&engine, &server.url("/ok"), &ids).await.unwrap();
    assert_eq!(r.status, 200);

    let with_port = [identity(
        &format!("LOCALHOST:{}", server.port()),
        &server.client(),
    )];
    let r = send_as(&engine, &server.url("/ok"), &with_port)
        .await
        .unwrap();
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn without_an_identity_the_error_names_the_missing_certificate() {
    let server = MtlsServer::start();
    let engine = engine_trusting(&[server.ca_pem()]);
    assert_needs_certificate(send_as(&engine, &server.url("/ok"), &[]).await);
    assert_needs_certificate(engine.send(&HttpRequest::get(server.url("/ok"))).await);
}

#[tokio::test]
async fn an_identity_for_another_host_or_port_is_not_sent() {
    let server = MtlsServer::start();
    let engine = engine_trusting(&[server.ca_pem()]);
    for pattern in ["*.localhost", "api.example.com", "localhost:1"] {
        let ids = [identity(pattern, &server.client())];
        assert_needs_certificate(send_as(&engine, &server.url("/ok"), &ids).await);
    }
}

#[tokio::test]
async fn a_certificate_from_another_ca_is_refused() {
    let server = MtlsServer::start();
    let engine = engine_trusting(&[server.ca_pem()]);
    let ids = [identity("localhost", &server.stranger())];
    let err = send_as(&engine, &server.url("/ok"), &ids)
        .await
        .expect_err("an unknown CA's certificate is refused");
    assert_eq!(err.code(), ErrorCode::Tls, "{err}");
    assert!(
        err.to_string().contains("rejected the client certificate"),
        "{err}"
    );
}

#[tokio::test]
async fn a_redirect_to_a_host_the_pattern_does_not_name_gets_no_certificate() {
    let server = MtlsServer::start();
    let engine = engine_trusting(&[server.ca_pem()]);
    let ids = [identity("localhost", &server.client())];
    // The same server under its IP: the pattern names `localhost` only.
    let elsewhere = format!("https://127.0.0.1:{}/ok", server.port());
    let hop = server.url(&format!("/redirect-to?url={elsewhere}"));
    assert_needs_certificate(send_as(&engine, &hop, &ids).await);

    // And the other way round: the first hop has no certificate, the redirect target gets one.
    let ids = [identity("127.0.0.1", &server.client())];
    let r = send_as(&engine, &hop.replace("localhost", "127.0.0.1"), &ids)
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.redirects.len(), 1);
}

#[test]
fn bad_files_are_errors_naming_the_pattern() {
    let server = MtlsServer::start();
    let pair = server.client();
    let swapped = ClientIdentity::from_pem(
        "api.example.com",
        pair.key_pem.as_bytes(),
        pair.cert_pem.as_bytes(),
    )
    .unwrap_err();
    assert_eq!(swapped.code(), ErrorCode::InvalidRequest);
    assert!(swapped.to_string().contains("api.example.com"), "{swapped}");

    let encrypted = ClientIdentity::from_pem(
        "api.example.com",
        pair.cert_pem.as_bytes(),
        b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n",
    )
    .unwrap_err();
    assert!(encrypted.to_string().contains("encrypted"), "{encrypted}");

    let pattern = ClientIdentity::from_pem("*", pair.cert_pem.as_bytes(), pair.key_pem.as_bytes())
        .unwrap_err();
    assert!(pattern.to_string().contains("host pattern"), "{pattern}");
}
