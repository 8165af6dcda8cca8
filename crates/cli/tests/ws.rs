//! `sextant ws` end to end, piped (JSON lines, exit statuses), against the Python `websockets`
//! test server started by the testkit.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use serde_json::Value;
use sextant_testkit::PyServer;

fn data_dir() -> &'static std::path::Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().unwrap()).path()
}

fn sextant_ws(args: &[&str], stdin: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sextant"));
    command.arg("ws").args(args);
    if !args.contains(&"--timeout") {
        // A ceiling that turns a hang into a failure; every session here ends well before it.
        command.args(["--timeout", "60"]);
    }
    let mut child = command
        .env("SEXTANT_DATA_DIR", data_dir())
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(text.as_bytes()).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn lines(o: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l:?}: {e}")))
        .collect()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The text frames received, in order.
fn received(lines: &[Value]) -> Vec<String> {
    lines
        .iter()
        .filter(|l| l["event"] == "frame" && l["dir"] == "in" && l["op"] == "text")
        .map(|l| l["data"].as_str().unwrap().to_owned())
        .collect()
}

fn ws_server() -> &'static PyServer {
    PyServer::shared_ws_server()
}

#[test]
fn send_and_expect_print_the_session_as_json_lines_and_exit_0() {
    let url = ws_server().ws_url("/echo");
    let out = sextant_ws(&[&url, "--send", "hello", "--expect", "^hello$"], None);
    assert!(out.status.success(), "{out:?}");
    let lines = lines(&out);
    let open = &lines[0];
    assert_eq!(open["event"], "open");
    assert_eq!(open["status"], 101);
    assert_eq!(open["url"], url);
    let sent = lines
        .iter()
        .find(|l| l["event"] == "frame" && l["dir"] == "out" && l["op"] == "text")
        .expect("the sent frame");
    assert_eq!(sent["data"], "hello");
    assert_eq!(sent["size"], 5);
    assert!(sent["t"].is_u64());
    assert_eq!(received(&lines), ["hello"]);
    // --expect matched, so the client closed normally and the server answered.
    let last = lines.last().unwrap();
    assert_eq!(
        (&last["event"], &last["code"], &last["by"]),
        (&"close".into(), &1000.into(), &"client".into())
    );
}

#[test]
fn an_expectation_the_session_never_meets_exits_1() {
    let url = ws_server().ws_url("/");
    let out = sextant_ws(
        &[
            &url,
            "--send",
            "nope",
            "--send",
            "close:4000:goodbye",
            "--expect",
            "^hello$",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(received(&lines(&out)), ["nope"]);
    let err = stderr(&out);
    assert!(
        err.contains("the server closed the session (4000 \"goodbye\") before a received text message matched /^hello$/"),
        "{err}"
    );

    let out = sextant_ws(
        &[
            &url,
            "--send",
            "nope",
            "--expect",
            "^hello$",
            "--timeout",
            "1",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        stderr(&out).contains("before the timeout"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_close_from_the_server_is_reported_with_its_code_and_reason() {
    let url = ws_server().ws_url("/");
    let out = sextant_ws(&[&url, "--send", "close:4000:goodbye"], None);
    assert!(out.status.success(), "{out:?}");
    let lines = lines(&out);
    let last = lines.last().unwrap();
    assert_eq!(last["event"], "close");
    assert_eq!(last["code"], 4000);
    assert_eq!(last["reason"], "goodbye");
    assert_eq!(last["by"], "server");
}

#[test]
fn close_sends_its_code_and_reason_to_the_server() {
    // The server remembers the last close per path: this test's path is its own.
    let url = ws_server().ws_url("/cli-close-4001");
    // --expect holds the close until the echo is in: the server drops a message that
    // arrives right before a close frame rather than echo it (websockets' closing state).
    let out = sextant_ws(
        &[
            &url, "--send", "hi", "--expect", "^hi$", "--close", "4001:bye",
        ],
        None,
    );
    assert!(out.status.success(), "{out:?}");
    let lines = lines(&out);
    assert_eq!(received(&lines), ["hi"], "the echo came before the close");
    let last = lines.last().unwrap();
    assert_eq!(
        (&last["code"], &last["by"]),
        (&4001.into(), &"client".into())
    );

    let query = ws_server().ws_url("/");
    let out = sextant_ws(
        &[
            &query,
            "--send",
            "last-close:/cli-close-4001",
            "--expect",
            "code",
        ],
        None,
    );
    assert!(out.status.success(), "{out:?}");
    let seen: Value = serde_json::from_str(&received(&self::lines(&out))[0]).unwrap();
    assert_eq!(seen, serde_json::json!({"code": 4001, "reason": "bye"}));
}

#[test]
fn a_refused_connection_exits_2_and_says_so() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let out = sextant_ws(&[&format!("127.0.0.1:{port}/"), "--send", "hi"], None);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(out.stdout.is_empty(), "nothing was opened");
    let err = stderr(&out);
    assert!(
        err.contains(&format!("cannot connect to ws://127.0.0.1:{port}/"))
            && err.contains("connection refused"),
        "{err}"
    );
}

#[test]
fn stdin_lines_are_sent_in_order_and_its_end_closes() {
    let url = ws_server().ws_url("/");
    // The echo server stops echoing once it has our close: --expect holds the close until the
    // last echo is in, or the third echo would race the close.
    let out = sextant_ws(
        &[&url, "--send", "first", "--expect", "^third$"],
        Some("second\nthird\n"),
    );
    assert!(out.status.success(), "{out:?}");
    let lines = lines(&out);
    assert_eq!(received(&lines), ["first", "second", "third"]);
    let last = lines.last().unwrap();
    assert_eq!(
        (&last["code"], &last["by"]),
        (&1000.into(), &"client".into())
    );
}

#[test]
fn subprotocols_and_handshake_items_reach_the_server() {
    let url = ws_server().ws_url("/who");
    let out = sextant_ws(
        &[
            &url,
            "X-Trace:abc",
            "room==7",
            "--subprotocol",
            "chat.v1",
            "--send",
            "whoami",
            "--expect",
            "subprotocol",
        ],
        None,
    );
    assert!(out.status.success(), "{out:?}");
    let lines = lines(&out);
    assert_eq!(lines[0]["subprotocol"], "chat.v1");
    let who: Value = serde_json::from_str(&received(&lines)[0]).unwrap();
    assert_eq!(who["path"], "/who?room=7");
    assert_eq!(who["headers"]["x-trace"], "abc");
    assert_eq!(who["subprotocol"], "chat.v1");
}

#[test]
fn body_items_are_refused_before_connecting() {
    let url = ws_server().ws_url("/");
    let out = sextant_ws(&[&url, "name=Lamp"], None);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(stderr(&out).contains("only Header:value and name==value"));
}

#[test]
fn a_saved_request_connects_with_its_environment_and_inherited_headers() {
    let workspace = tempfile::tempdir().unwrap();
    let chat = workspace.path().join("chat");
    std::fs::create_dir_all(chat.join("environments")).unwrap();
    std::fs::write(
        chat.join("collection.yaml"),
        "name: Chat\nheaders:\n- name: X-From-Collection\n  value: 'yes'\n",
    )
    .unwrap();
    std::fs::write(
        chat.join("environments/local.yaml"),
        format!(
            "name: local\nvariables:\n- name: wsBase\n  value: {}\n",
            ws_server().ws_url("")
        ),
    )
    .unwrap();
    std::fs::write(
        chat.join("who-am-i.yaml"),
        "name: Who am I\nmethod: GET\nurl: '{{wsBase}}/saved'\n",
    )
    .unwrap();
    let dir = workspace.path().to_str().unwrap();
    let out = sextant_ws(
        &[
            "chat/who-am-i.yaml",
            "--env",
            "local",
            "--workspace",
            dir,
            "--send",
            "whoami",
            "--expect",
            "path",
        ],
        None,
    );
    assert!(out.status.success(), "{out:?}");
    let who: Value = serde_json::from_str(&received(&lines(&out))[0]).unwrap();
    assert_eq!(who["path"], "/saved");
    assert_eq!(who["headers"]["x-from-collection"], "yes");

    let out = sextant_ws(&["chat/nowhere.yaml", "--workspace", dir], None);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(stderr(&out).contains("nowhere"), "{}", stderr(&out));
}
#[test]
fn the_demo_apis_echo_answers_and_closes_with_4000() {
    let url = PyServer::shared_demo_api().ws_url("/ws/echo");
    let out = sextant_ws(&[&url, "--send", "hello", "--expect", "^hello$"], None);
    assert!(out.status.success(), "{out:?}");
    let echoed = lines(&out);
    assert_eq!(received(&echoed), ["hello"]);
    assert_eq!(echoed.last().unwrap()["code"], 1000);

    let out = sextant_ws(&[&url, "--send", "close:4000:goodbye"], None);
    assert!(out.status.success(), "{out:?}");
    let lines = lines(&out);
    let last = lines.last().unwrap();
    assert_eq!(
        (&last["code"], &last["reason"], &last["by"]),
        (&4000.into(), &"goodbye".into(), &"server".into())
    );
}

/// What a child on a terminal has printed so far, and a wait for a piece of it.
struct Screen {
    text: std::sync::Arc<(std::sync::Mutex<String>, std::sync::Condvar)>,
}

impl Screen {
    fn read_from(mut from: impl std::io::Read + Send + 'static) -> Screen {
        let text = std::sync::Arc::new((std::sync::Mutex::new(String::new()), Default::default()));
        let sink = std::sync::Arc::clone(&text);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = from.read(&mut buf) {
                let (lock, changed): &(std::sync::Mutex<String>, std::sync::Condvar) = &sink;
                lock.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
                changed.notify_all();
            }
        });
        Screen { text }
    }

    /// Waits for a line holding every one of `pieces`.
    fn wait_for(&self, pieces: &[&str]) {
        let (lock, changed) = &*self.text;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let mut text = lock.lock().unwrap();
        while !text.lines().any(|l| pieces.iter().all(|p| l.contains(p))) {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            assert!(
                !left.is_zero(),
                "no line with {pieces:?} on the screen:\n{text}"
            );
            text = changed.wait_timeout(text, left).unwrap().0;
        }
    }
}

#[test]
fn on_a_terminal_lines_are_sent_and_close_ends_the_session() {
    // util-linux `script` gives the command a terminal and copies our pipe to it.
    let url = ws_server().ws_url("/");
    let command = format!("'{}' ws {url}", env!("CARGO_BIN_EXE_sextant"));
    let mut child = Command::new("script")
        .args(["-qfec", &command, "/dev/null"])
        .env("SEXTANT_DATA_DIR", data_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("util-linux `script` runs the command on a terminal");
    let screen = Screen::read_from(child.stdout.take().unwrap());
    let mut keys = child.stdin.take().unwrap();
    let mut type_line = |line: &str| {
        // One key at a time, as a person types (a whole line at once is a paste).
        for key in format!("{line}\r").bytes() {
            keys.write_all(&[key]).unwrap();
            keys.flush().unwrap();
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    };
    screen.wait_for(&["/help for commands"]);
    type_line("hello");
    screen.wait_for(&["←", "text", "5 B  hello"]);
    type_line("/json {\"a\": 1}");
    screen.wait_for(&["←", "text", "8 B  {\"a\": 1}"]);
    type_line("/pong beat");
    screen.wait_for(&["→", "pong", "4 B  beat"]);
    type_line("/close 4000 done");
    screen.wait_for(&["closed: 4000 \"done\""]);
    assert!(child.wait().unwrap().success());
}

#[test]
fn send_and_send_json_go_out_in_the_order_typed() {
    let url = ws_server().ws_url("/echo");
    let out = sextant_ws(
        &[
            &url,
            "--send-json",
            "{\"first\": 1}",
            "--send",
            "second",
            "--send-json",
            "[3]",
            "--send",
            "fourth",
            "--expect",
            "^fourth$",
        ],
        None,
    );
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        received(&lines(&out)),
        ["{\"first\": 1}", "second", "[3]", "fourth"]
    );
}
