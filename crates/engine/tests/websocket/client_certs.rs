//! `wss://` to a TLS port that requires a client certificate: the identity whose host pattern
//! matches is presented and the upgrade completes; without one the error says a certificate is
//! needed.

use sextant_engine::{ClientIdentity, Engine, EngineConfig, WsLogRate};
use sextant_model::{ErrorCode, HttpRequest, WebSocketSettings};
use sextant_testkit::MtlsServer;

use crate::support::Recorder;

fn engine_trusting(ca_pem: String) -> (Engine, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = EngineConfig::new(dir.path().join("bodies"));
    config.extra_root_pems = vec![ca_pem];
    (Engine::new(config).unwrap(), dir)
}

fn wss(server: &MtlsServer) -> String {
    server.url("/ws/hold").replacen("https://", "wss://", 1)
}

#[tokio::test]
async fn a_matching_client_certificate_is_presented_on_wss() {
    let server = MtlsServer::start();
    let (engine, _dir) = engine_trusting(server.ca_pem());
    let pair = server.client();
    let ids = [ClientIdentity::from_pem(
        "localhost",
        pair.cert_pem.as_bytes(),
        pair.key_pem.as_bytes(),
    )
    .unwrap()];
    let (session, handshake) = engine
        .ws_connect_with_identities(
            &HttpRequest::get(wss(&server)),
            &WebSocketSettings::default(),
            &ids,
            WsLogRate::Capped,
            Recorder::default().listener(),
        )
        .await
        .unwrap_or_else(|e| panic!("connecting with a client certificate: {e}"));
    assert_eq!(handshake.status, 101);
    session.close(1000, String::new()).await.unwrap();
}

#[tokio::test]
async fn without_a_matching_certificate_the_error_names_it() {
    let server = MtlsServer::start();
    let (engine, _dir) = engine_trusting(server.ca_pem());
    let pair = server.client();
    let elsewhere = [ClientIdentity::from_pem(
        "api.example.com",
        pair.cert_pem.as_bytes(),
        pair.key_pem.as_bytes(),
    )
    .unwrap()];
    for ids in [&[][..], &elsewhere[..]] {
        let err = engine
            .ws_connect_with_identities(
                &HttpRequest::get(wss(&server)),
                &WebSocketSettings::default(),
                ids,
                WsLogRate::Capped,
                Recorder::default().listener(),
            )
            .await
            .err()
            .expect("the server requires a client certificate");
        assert_eq!(err.code(), ErrorCode::Tls, "{err}");
        assert!(err.to_string().contains("client certificate"), "{err}");
    }
}
