//! The Python test servers start, answer HTTP, and go away when dropped.
//! Needs the venv: run `scripts/setup-python.sh` first.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::thread;
use std::time::Duration;

use sextant_testkit::PyServer;

/// A raw HTTP/1.1 GET with `Connection: close`; returns the whole response as text.
fn get(port: u16, path: &str) -> String {
    let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("read response");
    String::from_utf8_lossy(&response).into_owned()
}

fn status_line(response: &str) -> &str {
    response.lines().next().unwrap_or_default()
}

fn body(response: &str) -> &str {
    response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .unwrap_or_default()
}

#[test]
fn demo_api_health_answers_200() {
    let server = PyServer::shared_demo_api();
    assert_eq!(
        server.base_url(),
        format!("http://127.0.0.1:{}", server.port())
    );
    assert_eq!(
        server.url("/health"),
        format!("{}/health", server.base_url())
    );
    let response = get(server.port(), "/health");
    assert!(
        status_line(&response).starts_with("HTTP/1.1 200"),
        "{response}"
    );
    assert!(body(&response).contains(r#""status":"ok""#), "{response}");
}

#[test]
fn demo_api_serves_openapi_3_1() {
    let server = PyServer::shared_demo_api();
    let response = get(server.port(), "/openapi.json");
    assert!(
        status_line(&response).starts_with("HTTP/1.1 200"),
        "{response}"
    );
    assert!(body(&response).contains(r#""openapi":"3.1"#), "{response}");
}

#[test]
fn demo_api_seed_item_survives_delete() {
    let server = PyServer::shared_demo_api();
    let response = get(server.port(), "/items/1");
    assert!(
        status_line(&response).starts_with("HTTP/1.1 200"),
        "{response}"
    );
    let response = get(server.port(), "/items/999999");
    assert!(
        status_line(&response).starts_with("HTTP/1.1 404"),
        "{response}"
    );
    assert!(
        body(&response).contains(r#"{"detail":"Item not found"}"#),
        "{response}"
    );
}

#[test]
fn httpbin_get_answers_200() {
    let server = PyServer::shared_httpbin();
    let response = get(server.port(), "/get?probe=1");
    assert!(
        status_line(&response).starts_with("HTTP/1.1 200"),
        "{response}"
    );
    assert!(body(&response).contains(r#""probe": "1""#), "{response}");
}

#[test]
fn shared_instances_are_shared() {
    assert!(std::ptr::eq(
        PyServer::shared_demo_api(),
        PyServer::shared_demo_api()
    ));
    assert!(std::ptr::eq(
        PyServer::shared_httpbin(),
        PyServer::shared_httpbin()
    ));
    assert_ne!(
        PyServer::shared_demo_api().port(),
        PyServer::shared_httpbin().port()
    );
}

fn assert_port_freed_on_drop(server: PyServer) {
    let port = server.port();
    let response = get(port, "/");
    assert!(status_line(&response).starts_with("HTTP/1."), "{response}");
    drop(server);
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let result = TcpStream::connect_timeout(&addr, Duration::from_secs(1));
    assert!(
        result.is_err(),
        "port {port} still accepts connections after drop"
    );
}

#[test]
fn dropping_a_server_frees_its_port() {
    // Both at once, to keep the test short.
    let demo = thread::spawn(|| assert_port_freed_on_drop(PyServer::demo_api().unwrap()));
    let httpbin = thread::spawn(|| assert_port_freed_on_drop(PyServer::httpbin().unwrap()));
    demo.join().unwrap();
    httpbin.join().unwrap();
}
