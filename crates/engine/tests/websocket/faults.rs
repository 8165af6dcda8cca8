//! Sessions with the in-process fault server: refused upgrades, a connection dropped mid-frame,
//! an invalid frame, an oversized message, and `wss://` with and without TLS verification.

use std::sync::OnceLock;

use sextant_engine::{Engine, EngineConfig};
use sextant_model::{
    ErrorCode, HttpRequest, WebSocketSettings, WsCloseInitiator, WsDirection, WsEvent, WsOpcode,
};
use sextant_testkit::FaultServer;

use crate::support::{engine, open, Recorder};

fn server() -> &'static FaultServer {
    static SERVER: OnceLock<FaultServer> = OnceLock::new();
    SERVER.get_or_init(FaultServer::start)
}

fn ws(path: &str) -> String {
    server().url(path).replacen("http://", "ws://", 1)
}

#[tokio::test]
async fn a_401_upgrade_says_the_status_and_the_body() {
    let (engine, _dir) = engine();
    let err = engine
        .ws_connect(
            &HttpRequest::get(ws("/ws/reject/401")),
            &WebSocketSettings::default(),
            Recorder::default().listener(),
        )
        .await
        .err()
        .expect("refused");
    assert_eq!(err.code(), ErrorCode::Protocol);
    assert_eq!(
        err.to_string(),
        r#"the server refused the WebSocket upgrade with HTTP 401: {"detail":"refused with 401: the token is missing"}"#
    );
}

#[tokio::test]
async fn a_connection_dropped_mid_frame_is_an_abnormal_1006() {
    let (engine, _dir) = engine();
    let (_session, _, log) = open(&engine, &ws("/ws/abrupt"), WebSocketSettings::default()).await;
    let WsEvent::Closed {
        code,
        initiator,
        error,
        ..
    } = log.closed().await
    else {
        unreachable!()
    };
    assert_eq!((code, initiator), (1006, WsCloseInitiator::Abnormal));
    let error = error.expect("why");
    assert!(
        error
            .message
            .starts_with("the connection closed without a close frame (1006"),
        "{}",
        error.message
    );
}

#[tokio::test]
async fn an_invalid_frame_is_a_protocol_error_closed_with_1002() {
    let (engine, _dir) = engine();
    let (_session, _, log) = open(
        &engine,
        &ws("/ws/invalid-frame"),
        WebSocketSettings::default(),
    )
    .await;
    let WsEvent::Closed { code, error, .. } = log.closed().await else {
        unreachable!()
    };
    assert_eq!(code, 1002);
    let error = error.expect("why");
    assert_eq!(error.code, ErrorCode::Protocol);
    assert!(error.message.contains("invalid frame"), "{}", error.message);
    log.frame(WsDirection::Sent, WsOpcode::Close, "1002 protocol error")
        .await;
}

#[tokio::test]
async fn an_oversized_frame_is_refused_from_its_header_with_1009() {
    let (engine, _dir) = engine();
    let settings = WebSocketSettings {
        max_message_bytes: 64 * 1024,
        ..WebSocketSettings::default()
    };
    let (_session, _, log) = open(&engine, &ws("/ws/oversized?bytes=2097152"), settings).await;
    let WsEvent::Closed { code, error, .. } = log.closed().await else {
        unreachable!()
    };
    assert_eq!(code, 1009);
    let error = error.expect("why");
    assert_eq!(error.code, ErrorCode::TooLarge);
    assert!(error.message.contains("2097152 bytes"), "{}", error.message);
}

#[tokio::test]
async fn wss_needs_the_certificate_trusted_or_verification_off() {
    let (untrusting, _dir) = engine();
    let url = server()
        .tls_url("/ws/hold")
        .replacen("https://", "wss://", 1);
    let err = untrusting
        .ws_connect(
            &HttpRequest::get(&url),
            &WebSocketSettings::default(),
            Recorder::default().listener(),
        )
        .await
        .err()
        .expect("an unknown issuer");
    assert_eq!(err.code(), ErrorCode::Tls);
    assert!(
        err.to_string().contains("turn off TLS verification"),
        "{err}"
    );

    let mut request = HttpRequest::get(&url);
    request.settings.verify_tls = false;
    let (_session, handshake) = untrusting
        .ws_connect(
            &request,
            &WebSocketSettings::default(),
            Recorder::default().listener(),
        )
        .await
        .expect("verification off");
    assert_eq!(handshake.status, 101);

    let dir = tempfile::tempdir().unwrap();
    let mut config = EngineConfig::new(dir.path().join("bodies"));
    config.extra_root_pems = vec![server().ca_pem()];
    let trusting = Engine::new(config).unwrap();
    let (_session, handshake) = trusting
        .ws_connect(
            &HttpRequest::get(&url),
            &WebSocketSettings::default(),
            Recorder::default().listener(),
        )
        .await
        .expect("trusted CA");
    assert!(handshake.url.starts_with("wss://"));
}

#[tokio::test]
async fn an_abnormal_close_reconnects_with_back_off_when_asked() {
    let (engine, _dir) = engine();
    let settings = WebSocketSettings {
        reconnect: true,
        ..WebSocketSettings::default()
    };
    let (session, _, log) = open(&engine, &ws("/ws/abrupt"), settings).await;
    let in_ms = log
        .wait_for("Reconnecting", |events| {
            events.iter().find_map(|e| match e {
                WsEvent::Reconnecting { attempt: 1, in_ms } => Some(*in_ms),
                _ => None,
            })
        })
        .await;
    assert_eq!(in_ms, 500);
    log.wait_for("a second Open", |events| {
        (events
            .iter()
            .filter(|e| matches!(e, WsEvent::Open { .. }))
            .count()
            >= 2
            && events
                .iter()
                .any(|e| matches!(e, WsEvent::Connecting { attempt: 1 })))
        .then_some(())
    })
    .await;
    session.close(1000, String::new()).await.ok();
}
