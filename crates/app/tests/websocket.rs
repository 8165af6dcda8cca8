//! WebSocket sessions through the command layer against real servers on 127.0.0.1: a saved
//! request templated with its variables and auth, messages of every kind, pings, pongs, closes, the
//! session table (unknown ids, one session per id, sessions closed with the app).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sextant_app::{App, AppConfig, SendContext};
use sextant_model::{
    ApiError, Auth, ErrorCode, HttpRequest, KeyValue, SavedRequest, Variable, WebSocketSettings,
    WsCloseInitiator, WsDirection, WsEvent, WsMessageKind, WsOpcode, WsOutgoing,
};
use sextant_testkit::{FaultServer, PyServer};

const WAIT: Duration = Duration::from_secs(15);

fn app(dir: &std::path::Path) -> App {
    let mut config = AppConfig::new(dir.join("data"));
    config.workspace_dir = Some(dir.join("ws"));
    std::fs::create_dir_all(dir.join("ws")).unwrap();
    App::new(config).unwrap()
}

#[derive(Clone, Default)]
struct Events(Arc<Mutex<Vec<WsEvent>>>);

impl Events {
    fn listener(&self) -> Arc<dyn Fn(WsEvent) + Send + Sync> {
        let events = Arc::clone(&self.0);
        Arc::new(move |e| events.lock().unwrap().push(e))
    }

    async fn wait<T>(&self, what: &str, pick: impl Fn(&[WsEvent]) -> Option<T>) -> T {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(found) = pick(&self.0.lock().unwrap()) {
                return found;
            }
            assert!(
                Instant::now() < deadline,
                "no {what}: {:#?}",
                self.0.lock().unwrap()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    async fn received(&self, data: &str) {
        self.wait(&format!("received {data:?}"), |events| {
            events
                .iter()
                .any(|e| match e {
                    WsEvent::Frames { frames, .. } => frames
                        .iter()
                        .any(|f| f.direction == WsDirection::Received && f.data == data),
                    _ => false,
                })
                .then_some(())
        })
        .await;
    }

    /// The first received text that parses as JSON.
    async fn json(&self) -> serde_json::Value {
        self.wait("a JSON message", |events| {
            events.iter().find_map(|e| match e {
                WsEvent::Frames { frames, .. } => frames.iter().find_map(|f| {
                    (f.direction == WsDirection::Received && f.opcode == WsOpcode::Text)
                        .then(|| serde_json::from_str(&f.data).ok())
                        .flatten()
                }),
                _ => None,
            })
        })
        .await
    }

    async fn closed(&self) -> (u16, String, WsCloseInitiator) {
        self.wait("Closed", |events| {
            events.iter().find_map(|e| match e {
                WsEvent::Closed {
                    code,
                    reason,
                    initiator,
                    ..
                } => Some((*code, reason.clone(), *initiator)),
                _ => None,
            })
        })
        .await
    }
}

fn ws_request(url: String) -> SavedRequest {
    let mut saved = SavedRequest::new("Chat", HttpRequest::get(url));
    saved.websocket = Some(WebSocketSettings {
        subprotocols: vec!["chat.v2".into()],
        ..WebSocketSettings::default()
    });
    saved
}

fn text(kind: WsMessageKind, body: &str) -> WsOutgoing {
    WsOutgoing {
        kind,
        body: body.into(),
    }
}

#[tokio::test]
async fn a_saved_request_connects_templated_with_its_auth_and_messages_are_templated_too() {
    let server = PyServer::shared_ws_server();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let mut saved = ws_request(server.ws_url("/chat"));
    saved.request.query = vec![KeyValue::new("room", "{{room}}")];
    saved.variables = vec![Variable::new("room", "blue"), Variable::new("token", "t-1")];
    saved.auth = Auth::Bearer {
        token: "{{token}}".into(),
    };
    let events = Events::default();
    let handshake = app
        .ws_connect(
            "s1",
            &saved,
            Some(SendContext::default()),
            events.listener(),
        )
        .await
        .unwrap();
    assert_eq!(handshake.subprotocol.as_deref(), Some("chat.v2"));
    assert!(
        handshake.url.ends_with("/chat?room=blue"),
        "{}",
        handshake.url
    );

    app.ws_send("s1", text(WsMessageKind::Text, "whoami"))
        .await
        .unwrap();
    let who = events.json().await;
    assert_eq!(who["headers"]["authorization"], "Bearer t-1");
    assert_eq!(who["path"], "/chat?room=blue");

    app.ws_send("s1", text(WsMessageKind::Json, r#"{"room": "{{room}}"}"#))
        .await
        .unwrap();
    events.received(r#"{"room": "blue"}"#).await;
    let bad = app
        .ws_send("s1", text(WsMessageKind::Json, r#"{"room": "#))
        .await
        .unwrap_err();
    assert_eq!(bad.code, ErrorCode::InvalidRequest);
    assert!(bad.message.contains("not valid JSON"), "{}", bad.message);
    let undefined = app
        .ws_send("s1", text(WsMessageKind::Text, "{{nobody}}"))
        .await
        .unwrap_err();
    assert_eq!(undefined.code, ErrorCode::UndefinedVariable);

    app.ws_send("s1", text(WsMessageKind::BinaryHex, "00 ff 1a"))
        .await
        .unwrap();
    events.received("00ff1a").await;
    let not_hex = app
        .ws_send("s1", text(WsMessageKind::BinaryHex, "0g"))
        .await
        .unwrap_err();
    assert_eq!(not_hex.code, ErrorCode::InvalidRequest);

    app.ws_ping("s1", "are you there".into()).await.unwrap();
    events.received("are you there").await;

    app.ws_close("s1", 4000, "bye".into()).await.unwrap();
    assert_eq!(
        events.closed().await,
        (4000, "bye".into(), WsCloseInitiator::Client)
    );
}

/// Whether some logged frame went (or came) as `direction`, `opcode`, `data`.
fn logged(events: &[WsEvent], direction: WsDirection, opcode: WsOpcode, data: &str) -> bool {
    events.iter().any(|e| match e {
        WsEvent::Frames { frames, .. } => frames
            .iter()
            .any(|f| f.direction == direction && f.opcode == opcode && f.data == data),
        _ => false,
    })
}

#[tokio::test]
async fn a_pong_goes_unsolicited_as_a_heartbeat_and_answers_the_servers_ping_by_hand() {
    let server = PyServer::shared_ws_server();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let mut saved = ws_request(server.ws_url("/"));
    if let Some(settings) = saved.websocket.as_mut() {
        settings.auto_pong = false;
    }
    let events = Events::default();
    app.ws_connect("p", &saved, None, events.listener())
        .await
        .unwrap();

    // Unsolicited: logged as sent, and the server carries on (RFC 6455 §5.5.3).
    app.ws_pong("p", "heartbeat".into()).await.unwrap();
    events
        .wait("the sent pong", |e| {
            logged(e, WsDirection::Sent, WsOpcode::Pong, "heartbeat").then_some(())
        })
        .await;
    app.ws_send("p", text(WsMessageKind::Text, "still here"))
        .await
        .unwrap();
    events.received("still here").await;

    // With auto-pong off only our pong can answer the server's ping; the server says whether one
    // came ("pong:hb", else "no-pong:hb" after 1 s).
    app.ws_send("p", text(WsMessageKind::Text, "ping:hb"))
        .await
        .unwrap();
    events
        .wait("the server's ping", |e| {
            logged(e, WsDirection::Received, WsOpcode::Ping, "hb").then_some(())
        })
        .await;
    app.ws_pong("p", "hb".into()).await.unwrap();
    let answer = events
        .wait("the server's verdict", |e| {
            ["pong:hb", "no-pong:hb"]
                .into_iter()
                .find(|v| logged(e, WsDirection::Received, WsOpcode::Text, v))
        })
        .await;
    assert_eq!(answer, "pong:hb", "the server did not get the pong");

    let too_big = app.ws_pong("p", "x".repeat(126)).await.unwrap_err();
    assert_eq!(
        too_big.code,
        ErrorCode::InvalidRequest,
        "{}",
        too_big.message
    );
    assert!(is_not_found(app.ws_pong("nope", String::new()).await));
}

#[tokio::test]
async fn binary_files_follow_the_body_file_rules() {
    let server = PyServer::shared_ws_server();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let inside = dir.path().join("ws").join("frame.bin");
    std::fs::write(&inside, [1u8, 2, 3, 254]).unwrap();
    let outside = dir.path().join("secret.bin");
    std::fs::write(&outside, b"no").unwrap();
    let events = Events::default();
    app.ws_connect(
        "f",
        &ws_request(server.ws_url("/")),
        None,
        events.listener(),
    )
    .await
    .unwrap();
    app.ws_send(
        "f",
        text(WsMessageKind::BinaryFile, &inside.display().to_string()),
    )
    .await
    .unwrap();
    events.received("010203fe").await;
    let refused = app
        .ws_send(
            "f",
            text(WsMessageKind::BinaryFile, &outside.display().to_string()),
        )
        .await
        .unwrap_err();
    assert_eq!(
        refused.code,
        ErrorCode::FileNotAllowed,
        "{}",
        refused.message
    );
}

fn is_not_found(result: Result<(), ApiError>) -> bool {
    matches!(result, Err(e) if e.code == ErrorCode::NotFound)
}

#[tokio::test]
async fn an_unknown_or_ended_session_is_not_found_and_an_id_holds_one_session() {
    let server = PyServer::shared_ws_server();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    assert!(is_not_found(
        app.ws_send("nope", text(WsMessageKind::Text, "x")).await
    ));
    assert!(is_not_found(app.ws_ping("nope", String::new()).await));
    assert!(is_not_found(
        app.ws_close("nope", 1000, String::new()).await
    ));

    let events = Events::default();
    let saved = ws_request(server.ws_url("/"));
    app.ws_connect("one", &saved, None, events.listener())
        .await
        .unwrap();
    let twice = app
        .ws_connect("one", &saved, None, Events::default().listener())
        .await
        .unwrap_err();
    assert_eq!(twice.code, ErrorCode::Conflict);

    app.ws_send("one", text(WsMessageKind::Text, "close:4000:goodbye"))
        .await
        .unwrap();
    assert_eq!(
        events.closed().await,
        (4000, "goodbye".into(), WsCloseInitiator::Server)
    );
    let deadline = Instant::now() + WAIT;
    while !is_not_found(app.ws_ping("one", String::new()).await) {
        assert!(
            Instant::now() < deadline,
            "the ended session is still found"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // The id is free again.
    app.ws_connect("one", &saved, None, Events::default().listener())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_refused_handshake_is_an_error_with_the_status_and_body() {
    let faults = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let url = faults.url("/ws/reject/403").replacen("http://", "ws://", 1);
    let err = app
        .ws_connect("r", &ws_request(url), None, Events::default().listener())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Protocol);
    assert!(
        err.message.contains("HTTP 403") && err.message.contains("the token is missing"),
        "{}",
        err.message
    );
    assert!(is_not_found(app.ws_ping("r", String::new()).await));
}

#[tokio::test]
async fn dropping_the_app_closes_its_sessions_with_1001() {
    let server = PyServer::shared_ws_server();
    let dir = tempfile::tempdir().unwrap();
    let path = format!("/app-drop-{}", std::process::id());
    {
        let app = app(dir.path());
        app.ws_connect(
            "d",
            &ws_request(server.ws_url(&path)),
            None,
            Events::default().listener(),
        )
        .await
        .unwrap();
    }
    let probe_app = app(dir.path());
    let events = Events::default();
    probe_app
        .ws_connect(
            "probe",
            &ws_request(server.ws_url("/")),
            None,
            events.listener(),
        )
        .await
        .unwrap();
    let want = r#"{"code": 1001, "reason": "going away"}"#;
    let deadline = Instant::now() + WAIT;
    loop {
        probe_app
            .ws_send(
                "probe",
                text(WsMessageKind::Text, &format!("last-close:{path}")),
            )
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        let seen = events.0.lock().unwrap().iter().any(|e| match e {
            WsEvent::Frames { frames, .. } => frames.iter().any(|f| f.data == want),
            _ => false,
        });
        if seen {
            break;
        }
        assert!(Instant::now() < deadline, "the server never saw 1001");
    }
}

#[tokio::test]
async fn the_demo_api_echoes_a_json_message_and_closes_with_4000() {
    let demo = PyServer::shared_demo_api();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let url = demo.url("/ws/echo").replacen("http://", "ws://", 1);
    let events = Events::default();
    app.ws_connect("demo", &ws_request(url), None, events.listener())
        .await
        .unwrap();
    app.ws_send("demo", text(WsMessageKind::Json, r#"{"hello": "demo"}"#))
        .await
        .unwrap();
    assert_eq!(events.json().await, serde_json::json!({"hello": "demo"}));
    app.ws_send("demo", text(WsMessageKind::Text, "close:4000:goodbye"))
        .await
        .unwrap();
    assert_eq!(
        events.closed().await,
        (4000, "goodbye".into(), WsCloseInitiator::Server)
    );
}

#[tokio::test]
async fn a_session_is_recorded_in_the_history_searchable_and_reopenable_read_only() {
    let server = PyServer::shared_ws_server();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let mut saved = ws_request(server.ws_url("/recorded"));
    saved.variables = vec![Variable::secret("token", "tok-Secret-4242")];
    saved.auth = Auth::Bearer {
        token: "{{token}}".into(),
    };
    let events = Events::default();
    app.ws_connect("h", &saved, Some(SendContext::default()), events.listener())
        .await
        .unwrap();
    app.ws_send("h", text(WsMessageKind::Text, "albatross {{token}}"))
        .await
        .unwrap();
    events.received("albatross tok-Secret-4242").await;
    app.ws_close("h", 4000, "done".into()).await.unwrap();
    events.closed().await;

    let query = sextant_app::HistoryQuery {
        text: Some("albatross".into()),
        ..Default::default()
    };
    let deadline = Instant::now() + WAIT;
    let row = loop {
        if let Some(row) = app.history_list(query.clone()).await.unwrap().pop() {
            break row;
        }
        assert!(Instant::now() < deadline, "the session was never recorded");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(row.method, sextant_app::WS_METHOD);
    assert_eq!(row.status, Some(101));
    let entry = app.history_get(row.id).await.unwrap();
    let everything = serde_json::to_string(&entry).unwrap();
    assert!(!everything.contains("tok-Secret-4242"), "{everything}");

    let recording = app.ws_history_session(row.id).await.unwrap();
    assert_eq!(recording.close_code, Some(4000));
    assert_eq!(recording.close_reason, "done");
    assert_eq!(recording.initiator, Some(WsCloseInitiator::Client));
    assert_eq!(recording.frame_cap, sextant_app::MAX_RECORDED_FRAMES);
    assert_eq!(recording.total_frames, recording.frames.len() as u64);
    let sent: Vec<_> = recording
        .frames
        .iter()
        .filter(|f| f.direction == WsDirection::Sent && f.opcode == WsOpcode::Text)
        .map(|f| f.data.as_str())
        .collect();
    assert_eq!(sent.len(), 1);
    assert!(sent[0].starts_with("albatross ") && !sent[0].contains("tok-Secret"));
    assert!(recording
        .frames
        .iter()
        .any(|f| f.opcode == WsOpcode::Close && f.data == "4000 done"));

    let not_ws = app.ws_history_session(row.id + 1000).await.unwrap_err();
    assert_eq!(not_ws.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn a_refused_connection_is_recorded_with_its_error() {
    let faults = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let url = faults.url("/ws/reject/401").replacen("http://", "ws://", 1);
    app.ws_connect("r", &ws_request(url), None, Events::default().listener())
        .await
        .unwrap_err();
    let deadline = Instant::now() + WAIT;
    let row = loop {
        if let Some(row) = app.history_list(Default::default()).await.unwrap().pop() {
            break row;
        }
        assert!(Instant::now() < deadline, "the failure was never recorded");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(row.method, "WS");
    assert_eq!(row.error_code.as_deref(), Some("Protocol"));
}

#[tokio::test]
async fn closing_a_session_that_is_still_connecting_cancels_its_handshake() {
    let silent = sextant_testkit::SilentPort::open().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = Arc::new(app(dir.path()));
    let mut saved = ws_request(silent.url("/never").replacen("http://", "ws://", 1));
    // Far beyond the test's ceiling: only the cancel can end the attempt in time.
    saved.request.settings.connect_timeout_ms = Some(120_000);
    let events = Events::default();
    let connecting = tokio::spawn({
        let app = Arc::clone(&app);
        let listener = events.listener();
        async move { app.ws_connect("c", &saved, None, listener).await }
    });
    events
        .wait("Connecting", |events| {
            events
                .iter()
                .any(|e| matches!(e, WsEvent::Connecting { .. }))
                .then_some(())
        })
        .await;
    app.ws_close("c", 1000, String::new()).await.unwrap();
    let outcome = tokio::time::timeout(WAIT, connecting)
        .await
        .expect("the handshake went on after the cancel")
        .unwrap();
    assert_eq!(outcome.unwrap_err().code, ErrorCode::Cancelled);
    // Nothing is left open under the id, and the attempt is in the history as cancelled.
    assert!(is_not_found(app.ws_ping("c", String::new()).await));
    assert!(is_not_found(app.ws_close("c", 1000, String::new()).await));
    let deadline = Instant::now() + WAIT;
    let row = loop {
        if let Some(row) = app.history_list(Default::default()).await.unwrap().pop() {
            break row;
        }
        assert!(Instant::now() < deadline, "the cancel was never recorded");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(row.method, "WS");
    assert_eq!(row.error_code.as_deref(), Some("Cancelled"));
}

#[tokio::test]
async fn a_binary_frame_saved_from_the_log_is_its_bytes_in_the_chosen_file() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let dest = dir.path().join("frame.bin");
    let written = app.ws_save_frame("00 01 fe ff", &dest).await.unwrap();
    assert_eq!(written, 4);
    assert_eq!(std::fs::read(&dest).unwrap(), vec![0, 1, 0xfe, 0xff]);
    let err = app
        .ws_save_frame("hello", &dir.path().join("x.bin"))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidRequest);
    assert!(!dir.path().join("x.bin").exists());
}
