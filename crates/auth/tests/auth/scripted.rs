//! A token endpoint that answers from a script, on 127.0.0.1: for the answers a real provider
//! gives only by chance (`slow_down`) or not at all (RFC 8414 metadata). Each request, whatever
//! its path, takes the next answer.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sextant_auth::{device_flow, discover, AuthError, DeviceOptions, TokenHttp};
use sextant_model::{OAuth2Config, OAuth2Grant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::support::engine;

type Lines = Arc<Mutex<Vec<String>>>;

/// Serves `answers` (status, JSON) in order, one per connection; returns the base URL.
async fn scripted(answers: Vec<(u16, &'static str)>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let answers = answers
        .into_iter()
        .map(|(s, b)| (s, b.to_string()))
        .collect();
    serve(listener, answers, Arc::default());
    base
}

/// Serves `answers` on `listener`, noting each request line in `lines`.
fn serve(listener: TcpListener, answers: Vec<(u16, String)>, lines: Lines) {
    let answers = Arc::new(Mutex::new(VecDeque::from(answers)));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let Some((status, body)) = answers.lock().unwrap().pop_front() else {
                return;
            };
            let lines = lines.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                // The head and the small form body arrive together or in a few reads.
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let line = String::from_utf8_lossy(&head)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_string();
                lines.lock().unwrap().push(line);
                let response = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    });
}

const DEVICE: &str = r#"{"device_code":"dc","user_code":"ABCD-EFGH","verification_uri":"http://127.0.0.1/device","expires_in":60,"interval":1}"#;
const SLOW_DOWN: &str = r#"{"error":"slow_down"}"#;
const PENDING: &str = r#"{"error":"authorization_pending"}"#;
const TOKEN: &str = r#"{"access_token":"at","token_type":"Bearer"}"#;

fn config(base: &str) -> OAuth2Config {
    OAuth2Config {
        grant: OAuth2Grant::DeviceCode,
        token_url: format!("{base}/token"),
        device_authorization_url: format!("{base}/device"),
        client_id: "cli".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn slow_down_adds_five_seconds_to_every_later_poll() {
    let base = scripted(vec![
        (200, DEVICE),
        (400, SLOW_DOWN),
        (400, PENDING),
        (200, TOKEN),
    ])
    .await;
    let engine = engine();
    let slept = Arc::new(Mutex::new(Vec::new()));
    let log = slept.clone();
    let options = DeviceOptions {
        sleep: Arc::new(move |d| {
            log.lock().unwrap().push(d);
            Box::pin(async {})
        }),
        timeout: None,
    };
    let mut shown = None;
    let tokens = device_flow(
        &TokenHttp::new(&engine.engine),
        &config(&base),
        |p| shown = Some(p.clone()),
        &options,
    )
    .await
    .unwrap();
    assert_eq!(tokens.access_token, "at");
    let shown = shown.unwrap();
    assert_eq!(shown.user_code, "ABCD-EFGH");
    assert_eq!(shown.interval, Duration::from_secs(1));
    assert_eq!(
        *slept.lock().unwrap(),
        [Duration::from_secs(6), Duration::from_secs(6)],
        "interval 1 s, then slow_down: 6 s from then on"
    );
}

#[tokio::test]
async fn expired_token_from_the_server_ends_the_device_flow() {
    let base = scripted(vec![
        (200, DEVICE),
        (400, PENDING),
        (400, r#"{"error":"expired_token"}"#),
    ])
    .await;
    let engine = engine();
    let options = DeviceOptions {
        sleep: Arc::new(|_| Box::pin(async {})),
        timeout: None,
    };
    let err = device_flow(
        &TokenHttp::new(&engine.engine),
        &config(&base),
        |_| {},
        &options,
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AuthError::DeviceCodeExpired), "{err}");
}

#[tokio::test]
async fn discovery_falls_back_to_rfc_8414_metadata_with_the_issuer_path() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let issuer = format!("{base}/tenant-a");
    let metadata = format!(
        r#"{{"issuer":"{issuer}","authorization_endpoint":"{base}/authorize","token_endpoint":"{base}/token","code_challenge_methods_supported":["S256"]}}"#
    );
    let lines = Lines::default();
    serve(
        listener,
        vec![(404, r#"{"error":"not found"}"#.into()), (200, metadata)],
        lines.clone(),
    );
    let engine = engine();
    let found = discover(&TokenHttp::new(&engine.engine), &issuer)
        .await
        .unwrap();
    assert_eq!(
        found.token_endpoint.as_deref(),
        Some(&*format!("{base}/token"))
    );
    assert_eq!(found.device_authorization_endpoint, None);
    assert_eq!(
        *lines.lock().unwrap(),
        [
            "GET /tenant-a/.well-known/openid-configuration HTTP/1.1",
            "GET /.well-known/oauth-authorization-server/tenant-a HTTP/1.1",
        ]
    );
}
