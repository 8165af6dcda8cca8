//! `sextant send` on an event stream prints record by record as they arrive: piped, one line of
//! data per event (what `| jq` reads), the first ones before the server ends the stream.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use sextant_testkit::{FaultServer, PyServer};

fn sextant(data: &std::path::Path, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_sextant"))
        .arg("send")
        .arg("--no-history")
        .args(args)
        .env("SEXTANT_DATA_DIR", data)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Each line of the child's stdout as it is printed.
fn lines_of(child: &mut std::process::Child) -> mpsc::Receiver<String> {
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

#[test]
fn piped_server_sent_events_print_one_data_line_each_as_they_arrive() {
    let server = FaultServer::start();
    let data = tempfile::tempdir().unwrap();
    let mut child = sextant(
        data.path(),
        &[&server.url("/sse/slow?count=6&delay_ms=500")],
    );
    let lines = lines_of(&mut child);
    // A generous ceiling, not a measurement: the whole stream takes 2.5 s.
    let first = lines
        .recv_timeout(Duration::from_secs(30))
        .expect("the first event was printed");
    assert_eq!(
        first, r#"{"n":1}"#,
        "no head when piped: only the events' data"
    );
    assert!(
        child.try_wait().unwrap().is_none(),
        "the first event is printed while the stream is still open"
    );
    let rest: Vec<String> = lines.iter().collect();
    assert!(child.wait().unwrap().success());
    assert_eq!(
        rest,
        (2..=6)
            .map(|n| format!("{{\"n\":{n}}}"))
            .collect::<Vec<_>>()
    );
}

#[test]
fn an_llm_style_post_streams_its_tokens_as_json_lines() {
    let api = PyServer::shared_demo_api();
    let data = tempfile::tempdir().unwrap();
    let mut child = sextant(
        data.path(),
        &[
            "POST",
            &api.url("/chat/stream"),
            "prompt=hi",
            "count:=3",
            "delay_ms:=20",
        ],
    );
    let lines: Vec<String> = lines_of(&mut child).iter().collect();
    assert!(child.wait().unwrap().success());
    let values: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    assert_eq!(values.len(), 4, "{lines:?}");
    assert_eq!(values[0]["token"], "A");
    assert_eq!(values[0]["prompt"], "hi");
    assert_eq!(values[3]["done"], true);
}
