//! Self-tests for the in-process servers: quick checks, over raw sockets, that the routes other
//! crates' tests rely on answer with the bytes they promise.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use sextant_testkit::{FaultServer, HyperServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::TlsConnector;

/// Sends `GET path` with `Connection: close` and returns the response head and body.
fn get(addr: SocketAddr, path: &str) -> (String, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    split(&raw)
}

fn split(raw: &[u8]) -> (String, Vec<u8>) {
    let at = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response head");
    (
        String::from_utf8(raw[..at].to_vec()).unwrap(),
        raw[at + 4..].to_vec(),
    )
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().skip(1).find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

#[test]
fn fault_server_answers_ok() {
    let server = FaultServer::start();
    let (head, body) = get(server.addr(), "/ok");
    assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
    assert_eq!(
        header(&head, "content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(body, b"ok");
    assert_eq!(server.url("/ok"), format!("http://{}/ok", server.addr()));
}

#[test]
fn fault_server_redirects_count_down() {
    let server = FaultServer::start();
    let (head, _) = get(server.addr(), "/redirect/2");
    assert!(head.starts_with("HTTP/1.1 302 "), "{head}");
    assert_eq!(header(&head, "location"), Some("/redirect/1"));
    let (head, body) = get(server.addr(), "/redirect/0");
    assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
    assert_eq!(body, b"done");
}

#[test]
fn fault_server_sends_n_bytes() {
    let server = FaultServer::start();
    let (head, body) = get(server.addr(), "/bytes/5");
    assert_eq!(header(&head, "content-length"), Some("5"));
    assert_eq!(body, [0, 1, 2, 3, 4]);
}

#[test]
fn fault_server_keeps_connections_alive() {
    let server = FaultServer::start();
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    let request = b"GET /ok HTTP/1.1\r\nHost: x\r\n\r\n";
    for _ in 0..3 {
        stream.write_all(request).unwrap();
        let mut response = [0u8; 512];
        let mut got = 0;
        while !response[..got].ends_with(b"\r\n\r\nok") {
            let n = stream.read(&mut response[got..]).unwrap();
            assert_ne!(n, 0, "server closed a keep-alive connection");
            got += n;
        }
    }
    assert_eq!(server.connections(), 1);
}

#[test]
fn fault_server_echoes_the_request() {
    let server = FaultServer::start();
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .write_all(
            b"POST /echo?a=1 HTTP/1.1\r\nHost: x\r\nX-Test: yes\r\nContent-Length: 5\r\n\
              Connection: close\r\n\r\nhello",
        )
        .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let (_, body) = split(&raw);
    let doc: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(doc["method"], "POST");
    assert_eq!(doc["path"], "/echo?a=1");
    assert_eq!(doc["body"], "hello");
    assert_eq!(doc["bodyLength"], 5);
    assert_eq!(doc["headers"][1], serde_json::json!(["X-Test", "yes"]));
}

#[test]
fn fault_server_encodes_bodies() {
    let server = FaultServer::start();
    for coding in ["gzip", "deflate", "br", "zstd"] {
        let (head, body) = get(server.addr(), &format!("/encoded/{coding}"));
        assert_eq!(header(&head, "content-encoding"), Some(coding));
        let expected: usize = header(&head, "x-decoded-length").unwrap().parse().unwrap();
        let mut decoded = Vec::new();
        match coding {
            "gzip" => flate2::read::GzDecoder::new(&body[..])
                .read_to_end(&mut decoded)
                .unwrap(),
            "deflate" => flate2::read::ZlibDecoder::new(&body[..])
                .read_to_end(&mut decoded)
                .unwrap(),
            "br" => brotli::Decompressor::new(&body[..], 4096)
                .read_to_end(&mut decoded)
                .unwrap(),
            _ => zstd::stream::read::Decoder::new(&body[..])
                .unwrap()
                .read_to_end(&mut decoded)
                .unwrap(),
        };
        assert_eq!(decoded.len(), expected, "{coding}");
        assert!(body.len() < expected, "{coding} did not compress");
        let doc: serde_json::Value = serde_json::from_slice(&decoded).unwrap();
        assert_eq!(doc.as_array().unwrap().len(), 300);
    }
}

#[test]
fn fault_server_resets_mid_body() {
    let server = FaultServer::start();
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(b"GET /reset-mid-body HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut raw = Vec::new();
    let err = stream.read_to_end(&mut raw).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConnectionReset);
    assert!(raw.len() < 100_000);
}

#[tokio::test]
async fn fault_server_serves_tls_with_its_ca() {
    let server = FaultServer::start();
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_slice(server.ca_pem().as_bytes()).unwrap())
        .unwrap();
    let mut config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];

    let tcp = tokio::net::TcpStream::connect(server.tls_addr())
        .await
        .unwrap();
    let name = ServerName::try_from("localhost").unwrap();
    let mut tls = TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
        .unwrap();
    assert_eq!(tls.get_ref().1.alpn_protocol(), Some(&b"http/1.1"[..]));
    tls.write_all(b"GET /ok HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut raw = Vec::new();
    tls.read_to_end(&mut raw).await.unwrap();
    let (head, body) = split(&raw);
    assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
    assert_eq!(body, b"ok");
    assert!(server.tls_url("/ok").starts_with("https://localhost:"));
}

#[test]
fn hyper_server_reports_http_1_1() {
    let server = HyperServer::start();
    let (head, body) = get(server.addr(), "/version");
    assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
    assert_eq!(body, b"HTTP/1.1");
    let (_, body) = get(server.addr(), "/anything");
    assert_eq!(body, b"ok");
}
