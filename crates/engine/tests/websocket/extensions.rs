//! permessage-deflate and auto-pong against the Python `websockets` server, which negotiates
//! deflate whenever it is offered: compressed messages both ways (ours inflated by the server
//! and echoed back compressed), fragmented compressed messages, context kept across messages,
//! and pings left unanswered when auto-pong is off.

use sextant_model::{WebSocketSettings, WsDirection, WsOpcode};
use sextant_testkit::PyServer;

use crate::support::{engine, open};

fn url(path: &str) -> String {
    PyServer::shared_ws_server().ws_url(path)
}

fn deflate_on() -> WebSocketSettings {
    WebSocketSettings {
        deflate: true,
        ..WebSocketSettings::default()
    }
}

#[tokio::test]
async fn deflate_on_is_negotiated_and_big_messages_round_trip_byte_identical() {
    let (engine, _dir) = engine();
    let (session, handshake, log) = open(&engine, &url("/echo"), deflate_on()).await;
    assert!(
        handshake
            .request_headers
            .iter()
            .any(|h| h.name == "sec-websocket-extensions" && h.value == "permessage-deflate"),
        "{:?}",
        handshake.request_headers
    );
    assert_eq!(handshake.extensions.len(), 1, "{:?}", handshake.extensions);
    assert!(handshake.extensions[0].starts_with("permessage-deflate"));
    assert!(handshake.warnings.is_empty(), "{:?}", handshake.warnings);

    // Several similar messages: the second and third lean on the window the first left.
    for round in 0..3 {
        let text = format!("round {round}: ")
            + &"{\"name\":\"sextant\",\"tags\":[\"a\",\"b\"]} ".repeat(1500);
        session.send_text(text.clone()).await.unwrap();
        let echo = log
            .frame(WsDirection::Received, WsOpcode::Text, &text)
            .await;
        assert_eq!(echo.size, text.len() as u64);
        assert!(!echo.truncated);
    }
    let bytes: Vec<u8> = (0..50_000u32).map(|i| (i % 7) as u8).collect();
    session.send_binary(bytes.clone()).await.unwrap();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let echo = log
        .wait_for("the binary echo", |events| {
            events.iter().find_map(|e| match e {
                sextant_model::WsEvent::Frames { frames, .. } => frames
                    .iter()
                    .find(|f| f.direction == WsDirection::Received && f.opcode == WsOpcode::Binary)
                    .cloned(),
                _ => None,
            })
        })
        .await;
    assert_eq!(echo.size, bytes.len() as u64);
    assert_eq!(echo.data, hex[..echo.data.len()]);
}

#[tokio::test]
async fn a_fragmented_compressed_message_is_put_back_together() {
    let (engine, _dir) = engine();
    let (session, handshake, log) = open(&engine, &url("/"), deflate_on()).await;
    assert!(!handshake.extensions.is_empty());
    session.send_text("fragments:6:5000".into()).await.unwrap();
    let expected: String = (0..6)
        .map(|i| format!("{:.<5000}", format!("part {i} ")))
        .collect();
    let message = log
        .frame(WsDirection::Received, WsOpcode::Text, &expected)
        .await;
    assert_eq!(message.size, 30_000);
}

#[tokio::test]
async fn deflate_off_offers_and_gets_no_extension() {
    let (engine, _dir) = engine();
    let (session, handshake, log) =
        open(&engine, &url("/echo"), WebSocketSettings::default()).await;
    assert!(
        handshake.extensions.is_empty(),
        "{:?}",
        handshake.extensions
    );
    assert!(!handshake
        .request_headers
        .iter()
        .any(|h| h.name == "sec-websocket-extensions"));
    session.send_text("plain".into()).await.unwrap();
    log.frame(WsDirection::Received, WsOpcode::Text, "plain")
        .await;
}

#[tokio::test]
async fn auto_pong_off_logs_pings_and_leaves_them_unanswered() {
    let (engine, _dir) = engine();
    let settings = WebSocketSettings {
        auto_pong: false,
        ..WebSocketSettings::default()
    };
    let (session, handshake, log) = open(&engine, &url("/"), settings).await;
    assert!(handshake.warnings.is_empty(), "{:?}", handshake.warnings);
    session.send_text("ping:abc".into()).await.unwrap();
    log.frame(WsDirection::Received, WsOpcode::Ping, "abc")
        .await;
    log.frame(WsDirection::Received, WsOpcode::Text, "no-pong:abc")
        .await;
    assert!(!log
        .frames()
        .iter()
        .any(|f| f.direction == WsDirection::Sent && f.opcode == WsOpcode::Pong));

    // Answered by hand, the server sees the pong.
    session.send_text("ping:xyz".into()).await.unwrap();
    log.frame(WsDirection::Received, WsOpcode::Ping, "xyz")
        .await;
    session.pong(b"xyz".to_vec()).await.unwrap();
    log.frame(WsDirection::Sent, WsOpcode::Pong, "xyz").await;
    log.frame(WsDirection::Received, WsOpcode::Text, "pong:xyz")
        .await;
}

#[tokio::test]
async fn auto_pong_on_answers_the_servers_ping_with_deflate_on() {
    let (engine, _dir) = engine();
    let (session, _, log) = open(&engine, &url("/"), deflate_on()).await;
    session.send_text("ping:compressed".into()).await.unwrap();
    log.frame(WsDirection::Received, WsOpcode::Ping, "compressed")
        .await;
    log.frame(WsDirection::Sent, WsOpcode::Pong, "compressed")
        .await;
    log.frame(WsDirection::Received, WsOpcode::Text, "pong:compressed")
        .await;
}

/// uvicorn's WebSocket server (the FastAPI demo) negotiates deflate its own way; compressed
/// messages round-trip there too.
#[tokio::test]
async fn deflate_round_trips_with_the_fastapi_demo_under_uvicorn() {
    let (engine, _dir) = engine();
    let demo = PyServer::shared_demo_api();
    let (session, handshake, log) = open(&engine, &demo.ws_url("/ws/echo"), deflate_on()).await;
    assert!(
        handshake
            .extensions
            .iter()
            .any(|e| e.starts_with("permessage-deflate")),
        "{:?}",
        handshake.extensions
    );
    let text = "fastapi ".repeat(4000);
    session.send_text(text.clone()).await.unwrap();
    log.frame(WsDirection::Received, WsOpcode::Text, &text)
        .await;
}
