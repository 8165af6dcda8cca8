//! A WebSocket request as a collection file: its `websocket:` section (options and named
//! messages) round-trips byte for byte, a credential in its headers still goes to the secret
//! store, and the tree lists it with the method `WS`.

use sextant_model::{
    HttpRequest, KeyValue, SavedRequest, WebSocketSettings, WsMessageKind, WsSavedMessage,
};
use sextant_store::{TreeNode, Workspace};

fn find<'a>(nodes: &'a [TreeNode], path: &str) -> Option<&'a TreeNode> {
    nodes.iter().find_map(|n| {
        if n.path == path {
            Some(n)
        } else {
            find(&n.children, path)
        }
    })
}

#[test]
fn a_websocket_request_round_trips_and_shows_as_ws_in_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::open(dir.path().join("ws"), dir.path().join("data")).unwrap();
    let collection = ws.create_collection("Chat").unwrap();
    let mut http = HttpRequest::get("{{base}}/socket");
    http.headers = vec![KeyValue::new("Authorization", "Bearer literal-token-123")];
    let mut saved = SavedRequest::new("Live chat", http);
    saved.websocket = Some(WebSocketSettings {
        subprotocols: vec!["chat.v2".into()],
        keepalive_secs: Some(20),
        messages: vec![WsSavedMessage {
            name: "join".into(),
            kind: WsMessageKind::Json,
            body: r#"{"join": "{{room}}"}"#.into(),
        }],
        ..WebSocketSettings::default()
    });
    let path = format!("{collection}/live-chat.yaml");
    let first = ws.save_request(&path, &saved, None).unwrap();

    let text = std::fs::read_to_string(dir.path().join("ws").join(&path)).unwrap();
    assert!(text.contains("websocket:\n  subprotocols:\n  - chat.v2\n  keepaliveSecs: 20\n"));
    assert!(
        text.contains("  messages:\n  - name: join\n    kind: json\n"),
        "{text}"
    );
    assert!(!text.contains("literal-token-123"), "{text}");

    let loaded = ws.read_request(&path).unwrap();
    assert_eq!(loaded.request, saved);
    let again = ws
        .save_request(&path, &loaded.request, Some(&loaded.revision))
        .unwrap();
    assert_eq!(again.revision, first.revision);

    let tree = ws.list_tree().unwrap();
    let node = find(&tree, &path).expect("the request is listed");
    assert_eq!(node.method.as_deref(), Some("WS"));

    let mut plain = saved.clone();
    plain.websocket = None;
    ws.save_request(&path, &plain, Some(&again.revision))
        .unwrap();
    let text = std::fs::read_to_string(dir.path().join("ws").join(&path)).unwrap();
    assert!(!text.contains("websocket"));
    let tree = ws.list_tree().unwrap();
    assert_eq!(find(&tree, &path).unwrap().method.as_deref(), Some("GET"));
}
