//! Sessions with the Python `websockets` server: echo, subprotocols, pings, close codes, the
//! message size budget, bursts and refused upgrades.

use sextant_engine::WsError;
use sextant_model::{
    ErrorCode, HttpRequest, WebSocketSettings, WsCloseInitiator, WsDirection, WsEvent, WsOpcode,
};
use sextant_testkit::PyServer;

use crate::support::{engine, open, Recorder};

fn server() -> &'static PyServer {
    PyServer::shared_ws_server()
}

#[tokio::test]
async fn text_and_binary_are_echoed_and_logged_both_ways() {
    let (engine, _dir) = engine();
    let (session, handshake, log) = open(
        &engine,
        &server().ws_url("/echo"),
        WebSocketSettings::default(),
    )
    .await;
    assert_eq!(handshake.status, 101);
    assert!(handshake.remote_addr.is_some());
    assert!(handshake.connect_ms >= 0.0 && handshake.handshake_ms >= 0.0);
    assert!(handshake
        .request_headers
        .iter()
        .any(|h| h.name == "sec-websocket-key"));

    session
        .send_text("hello {{not templated here}}".into())
        .await
        .unwrap();
    let echo = log
        .frame(
            WsDirection::Received,
            WsOpcode::Text,
            "hello {{not templated here}}",
        )
        .await;
    assert_eq!(echo.size, 28);
    session.send_binary(vec![0, 1, 0xab, 0xff]).await.unwrap();
    log.frame(WsDirection::Received, WsOpcode::Binary, "0001abff")
        .await;
    let frames = log.frames();
    assert!(frames
        .iter()
        .any(|f| f.direction == WsDirection::Sent && f.opcode == WsOpcode::Binary));
    let seqs: Vec<u64> = frames.iter().map(|f| f.seq).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "frames in order: {seqs:?}"
    );
}

#[tokio::test]
async fn the_server_picks_one_of_the_offered_subprotocols() {
    let (engine, _dir) = engine();
    let settings = WebSocketSettings {
        subprotocols: vec!["graphql-ws".into(), "chat.v1".into()],
        ..WebSocketSettings::default()
    };
    let (session, handshake, log) = open(&engine, &server().ws_url("/"), settings).await;
    assert_eq!(handshake.subprotocol.as_deref(), Some("chat.v1"));
    assert!(handshake
        .request_headers
        .iter()
        .any(|h| { h.name == "sec-websocket-protocol" && h.value == "graphql-ws, chat.v1" }));
    session.send_text("whoami".into()).await.unwrap();
    let who = log
        .wait_for("whoami answer", |events| {
            events.iter().find_map(|e| match e {
                WsEvent::Frames { frames, .. } => frames
                    .iter()
                    .find(|f| f.direction == WsDirection::Received)
                    .map(|f| f.data.clone()),
                _ => None,
            })
        })
        .await;
    let who: serde_json::Value = serde_json::from_str(&who).unwrap();
    assert_eq!(who["subprotocol"], "chat.v1");
    assert!(who["headers"]["user-agent"]
        .as_str()
        .unwrap()
        .starts_with("sextant/"));
}

#[tokio::test]
async fn a_close_from_the_server_reports_its_code_and_reason() {
    let (engine, _dir) = engine();
    let (session, _, log) =
        open(&engine, &server().ws_url("/"), WebSocketSettings::default()).await;
    session
        .send_text("close:4000:goodbye".into())
        .await
        .unwrap();
    let closed = log.closed().await;
    assert_eq!(
        closed,
        WsEvent::Closed {
            code: 4000,
            reason: "goodbye".into(),
            initiator: WsCloseInitiator::Server,
            error: None,
        }
    );
    log.frame(WsDirection::Received, WsOpcode::Close, "4000 goodbye")
        .await;
    assert!(matches!(
        session.send_text("late".into()).await,
        Err(WsError::Closed)
    ));
}

#[tokio::test]
async fn a_client_close_reaches_the_server_with_its_code_and_reason() {
    let (engine, _dir) = engine();
    let path = format!("/client-close-{}", std::process::id());
    let (session, _, log) = open(
        &engine,
        &server().ws_url(&path),
        WebSocketSettings::default(),
    )
    .await;
    let reason = "done here".to_owned();
    session.close(4001, reason.clone()).await.unwrap();
    let WsEvent::Closed {
        code, initiator, ..
    } = log.closed().await
    else {
        unreachable!()
    };
    assert_eq!((code, initiator), (4001, WsCloseInitiator::Client));

    // Another connection asks the server what the last one to end said.
    let (probe, _, probe_log) =
        open(&engine, &server().ws_url("/"), WebSocketSettings::default()).await;
    let want = serde_json::json!({"code": 4001, "reason": reason});
    for _ in 0..200 {
        probe.send_text(format!("last-close:{path}")).await.unwrap();
        let answers = probe_log.frames();
        if answers.iter().any(|f| {
            f.direction == WsDirection::Received
                && serde_json::from_str::<serde_json::Value>(&f.data).ok() == Some(want.clone())
        }) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!(
        "the server never reported {want}: {:#?}",
        probe_log.frames()
    );
}

#[tokio::test]
async fn pings_both_ways_are_answered_and_logged() {
    let (engine, _dir) = engine();
    let (session, _, log) =
        open(&engine, &server().ws_url("/"), WebSocketSettings::default()).await;
    session.ping(b"hey".to_vec()).await.unwrap();
    log.frame(WsDirection::Sent, WsOpcode::Ping, "hey").await;
    log.frame(WsDirection::Received, WsOpcode::Pong, "hey")
        .await;

    // The server pings and tells us whether our pong came back.
    session.send_text("ping:abc".into()).await.unwrap();
    log.frame(WsDirection::Received, WsOpcode::Ping, "abc")
        .await;
    log.frame(WsDirection::Sent, WsOpcode::Pong, "abc").await;
    log.frame(WsDirection::Received, WsOpcode::Text, "pong:abc")
        .await;

    let too_big = session.ping(vec![b'x'; 126]).await.unwrap_err();
    assert_eq!(too_big.code(), ErrorCode::InvalidRequest);
}

#[tokio::test]
async fn keepalive_pings_on_the_interval() {
    let (engine, _dir) = engine();
    let settings = WebSocketSettings {
        keepalive_secs: Some(1),
        ..WebSocketSettings::default()
    };
    let (_session, _, log) = open(&engine, &server().ws_url("/"), settings).await;
    log.frame(WsDirection::Sent, WsOpcode::Ping, "").await;
    log.frame(WsDirection::Received, WsOpcode::Pong, "").await;
}

#[tokio::test]
async fn a_message_over_the_max_size_closes_with_1009() {
    let (engine, _dir) = engine();
    let settings = WebSocketSettings {
        max_message_bytes: 1000,
        ..WebSocketSettings::default()
    };
    let (session, _, log) = open(&engine, &server().ws_url("/"), settings).await;
    session.send_text("big:5000".into()).await.unwrap();
    let WsEvent::Closed {
        code,
        initiator,
        error,
        ..
    } = log.closed().await
    else {
        unreachable!()
    };
    assert_eq!((code, initiator), (1009, WsCloseInitiator::Client));
    let error = error.expect("an error saying why");
    assert_eq!(error.code, ErrorCode::TooLarge);
    assert!(
        error.message.contains("max message size (1000 bytes)") && error.message.contains("1009"),
        "{}",
        error.message
    );
    log.frame(WsDirection::Sent, WsOpcode::Close, "1009 message too big")
        .await;
}

/// An echo's reply goes out once the socket is idle, in an event of its own, rather than
/// riding in one batch with the sent frame at the end of the batch interval.
#[tokio::test]
async fn each_echo_arrives_in_its_own_event_without_waiting_for_the_batch() {
    let (engine, _dir) = engine();
    let (session, _, log) = open(
        &engine,
        &server().ws_url("/echo"),
        WebSocketSettings::default(),
    )
    .await;
    for i in 0..5 {
        let text = format!("trip {i}");
        session.send_text(text.clone()).await.unwrap();
        let event = log
            .wait_for(&format!("the event with echo {text:?}"), |events| {
                events
                    .iter()
                    .find(|e| match e {
                        WsEvent::Frames { frames, .. } => frames
                            .iter()
                            .any(|f| f.direction == WsDirection::Received && f.data == text),
                        _ => false,
                    })
                    .cloned()
            })
            .await;
        let WsEvent::Frames { frames, .. } = event else {
            unreachable!()
        };
        let shape: Vec<_> = frames
            .iter()
            .map(|f| (f.direction, f.data.as_str()))
            .collect();
        assert_eq!(shape, [(WsDirection::Received, text.as_str())]);
    }
}

#[tokio::test]
async fn a_fast_burst_arrives_batched_and_counted() {
    let (engine, _dir) = engine();
    let (session, _, log) =
        open(&engine, &server().ws_url("/"), WebSocketSettings::default()).await;
    session.send_text("burst:5000".into()).await.unwrap();
    log.frame(WsDirection::Received, WsOpcode::Text, "burst 4999")
        .await;
    let received = log
        .frames()
        .iter()
        .filter(|f| f.direction == WsDirection::Received)
        .count() as u64;
    assert_eq!(received + log.dropped(), 5000);
    let batches = log
        .events
        .lock()
        .unwrap()
        .iter()
        .filter(|e| matches!(e, WsEvent::Frames { .. }))
        .count();
    // Flushing whenever the socket is idle must not turn a stream into one event a frame (a
    // quiet run gives about a dozen: 5000 / BATCH_FRAMES and an interval's few).
    assert!(batches <= 250, "{batches} batches for 5000 frames");
}

#[tokio::test]
async fn a_refused_upgrade_says_its_status_and_body() {
    let (engine, _dir) = engine();
    let recorder = Recorder::default();
    let err = engine
        .ws_connect(
            &HttpRequest::get(server().ws_url("/status/403")),
            &WebSocketSettings::default(),
            recorder.listener(),
        )
        .await
        .err()
        .expect("refused");
    assert_eq!(err.code(), ErrorCode::Protocol);
    let message = err.to_string();
    assert!(
        message.contains("HTTP 403") && message.contains("refused with 403"),
        "{message}"
    );
}

#[tokio::test]
async fn a_closed_port_is_a_connect_error() {
    let (engine, _dir) = engine();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = engine
        .ws_connect(
            &HttpRequest::get(format!("ws://127.0.0.1:{port}/")),
            &WebSocketSettings::default(),
            Recorder::default().listener(),
        )
        .await
        .err()
        .expect("refused");
    assert_eq!(err.code(), ErrorCode::Connect);
    assert!(err.to_string().contains("connection refused"), "{err}");
}

#[tokio::test]
async fn close_codes_a_client_may_not_send_are_refused() {
    let (engine, _dir) = engine();
    let (session, _, _) = open(&engine, &server().ws_url("/"), WebSocketSettings::default()).await;
    for code in [999, 1005, 1006, 1015, 2999, 5000] {
        let err = session.close(code, String::new()).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidRequest, "{code}");
    }
    session.send_text("still open".into()).await.unwrap();
}

#[tokio::test]
async fn the_cookie_jar_goes_with_the_upgrade() {
    let faults = sextant_testkit::FaultServer::start();
    let (engine, _dir) = engine();
    let set = engine
        .send(
            &HttpRequest::get(faults.url("/set-cookie?name=wsjar&value=c1")),
            &Default::default(),
            &|_| {},
        )
        .await
        .unwrap();
    assert!(set.status < 400);
    // Cookies ignore ports: the fault server's cookie for 127.0.0.1 goes to the WebSocket server.
    let (session, handshake, log) =
        open(&engine, &server().ws_url("/"), WebSocketSettings::default()).await;
    assert!(handshake
        .request_headers
        .iter()
        .any(|h| h.name == "cookie" && h.value.contains("wsjar=c1")));
    session.send_text("whoami".into()).await.unwrap();
    let who = log
        .wait_for("whoami answer", |events| {
            events.iter().find_map(|e| match e {
                WsEvent::Frames { frames, .. } => frames
                    .iter()
                    .find(|f| f.direction == WsDirection::Received)
                    .map(|f| f.data.clone()),
                _ => None,
            })
        })
        .await;
    let who: serde_json::Value = serde_json::from_str(&who).unwrap();
    assert_eq!(who["headers"]["cookie"], "wsjar=c1");
}
