//! `sextant send` prints a body as it arrives: a reader of its stdout sees the first bytes
//! while the server still holds the rest back.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use sextant_testkit::FaultServer;

/// Opens the fault server's gate `key` with a plain HTTP request.
fn open_gate(server: &FaultServer, key: &str) {
    let url = server.url(&format!("/gate-open/{key}"));
    let (host, path) = url.trim_start_matches("http://").split_once('/').unwrap();
    let mut stream = TcpStream::connect(host).unwrap();
    write!(
        stream,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[test]
fn a_piped_body_is_printed_before_the_server_finishes_it() {
    let server = FaultServer::start();
    let data = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sextant"))
        .args([
            "send",
            "--no-history",
            &server.url("/gate/cli-first?first=5000&total=200000"),
        ])
        .env("SEXTANT_DATA_DIR", data.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut buf = [0u8; 8192];
        loop {
            match stdout.read(&mut buf) {
                Ok(0) | Err(_) => return all,
                Ok(n) => {
                    all.extend_from_slice(&buf[..n]);
                    let _ = tx.send(all.clone());
                }
            }
        }
    });
    // The head and the first 5,000 bytes while the gate is shut (a generous ceiling, not a
    // measurement: without streaming nothing comes until the gate opens, which it never would).
    let body_len = |all: &[u8]| {
        all.windows(2)
            .position(|w| w == b"\n\n")
            .map_or(0, |at| all.len() - at - 2)
    };
    let mut seen = Vec::new();
    while body_len(&seen) < 5000 {
        seen = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the first bytes were not printed while the server held the rest back");
    }
    let text = String::from_utf8_lossy(&seen).into_owned();
    assert!(text.starts_with("HTTP/1.1 200 OK\n"), "{text}");
    assert!(text.contains("content-length: 200000\n"), "{text}");
    assert!(child.try_wait().unwrap().is_none(), "sextant ended early");

    open_gate(&server, "cli-first");
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let all = reader.join().unwrap();
    assert_eq!(body_len(&all), 200_000);
    assert_eq!(body_len(&seen), 5000, "more than the gate let through");
    assert!(text.contains("\n\nstreamed line"), "{text}");
}
