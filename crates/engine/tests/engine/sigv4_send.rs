//! AWS SigV4 on the wire: httpbin's `/anything` echoes the headers the engine sent, and botocore
//! (AWS's own signer) signs the echoed request at the same time to the same `Authorization`.
//! Redirects to the same origin are signed again; to another origin, nothing AWS goes along.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::{json, Value};
use sextant_engine::{Engine, EngineConfig};
use sextant_model::{HttpRequest, KeyValue, RequestBody, Signing};
use sextant_testkit::PyServer;
use time::OffsetDateTime;

use crate::support::TestEngine;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// 2025-12-07T12:59:05Z.
const STAMP: &str = "20251207T125905Z";

fn signing_engine() -> TestEngine {
    let dir = tempfile::tempdir().unwrap();
    let mut config = EngineConfig::new(dir.path().join("bodies"));
    config.signing_time = Some(OffsetDateTime::from_unix_timestamp(1_765_112_345).unwrap());
    TestEngine::from_parts(Engine::new(config).unwrap(), dir)
}

fn signing(token: &str) -> Option<Signing> {
    Some(Signing::AwsSigV4 {
        access_key: "AKIDEXAMPLE".into(),
        secret_key: SECRET.into(),
        session_token: token.into(),
        region: "eu-west-1".into(),
        service: "execute-api".into(),
    })
}

/// What botocore signs for the request httpbin echoed, given the header names the engine signed.
fn botocore_authorization(echo: &Value, body: &str, token: &str) -> String {
    let sent = echo["headers"].as_object().unwrap();
    let ours = sent["Authorization"].as_str().unwrap();
    let names = ours
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .unwrap();
    let headers: Vec<(String, String)> = names
        .split(';')
        .filter(|n| !n.starts_with("x-amz-"))
        .map(|n| {
            let (name, value) = sent
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(n))
                .unwrap_or_else(|| panic!("{n} was signed but not sent"));
            (name.clone(), value.as_str().unwrap().to_string())
        })
        .collect();
    let input = json!({
        "method": echo["method"],
        "url": echo["url"],
        "headers": headers,
        "body": body,
        "access_key": "AKIDEXAMPLE",
        "secret_key": SECRET,
        "session_token": token,
        "region": "eu-west-1",
        "service": "execute-api",
        "timestamp": STAMP,
    });
    let servers = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/servers");
    let mut child = Command::new(servers.join(".venv/bin/python"))
        .arg(servers.join("sigv4_reference.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the botocore reference script");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: Value = serde_json::from_slice(&out.stdout).unwrap();
    theirs["Authorization"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_signed_post_matches_botocore_on_the_wire() {
    let bin = PyServer::shared_httpbin();
    let e = signing_engine();
    let body = r#"{"name": "tea", "price": 3.5}"#;
    let mut req = HttpRequest::new("POST", bin.url("/anything/items/my%20tea?b=2&a=x%20y"));
    req.headers = vec![KeyValue::new("X-Custom", "  spaced   value ")];
    req.body = RequestBody::Json { text: body.into() };
    let token = "FwoGZXIvYXdzEJr//////////wEaDOSESSIONTOKEN+/=";
    req.signing = signing(token);
    let r = e.send_ok(&req).await;
    assert_eq!(r.status, 200);
    let echo = e.json(&r).await;
    let sent = &echo["headers"];
    assert_eq!(sent["X-Amz-Date"], STAMP);
    assert_eq!(sent["X-Amz-Security-Token"], token);
    let ours = sent["Authorization"].as_str().unwrap();
    assert!(
        ours.contains("SignedHeaders=accept-encoding;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-custom,"),
        "{ours}"
    );
    assert_eq!(ours, botocore_authorization(&echo, body, token));
    // The response says what the engine added, as the server received it.
    let added = |name: &str| {
        r.auth_headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.clone())
    };
    assert_eq!(added("authorization").as_deref(), Some(ours));
    assert_eq!(added("x-amz-date").as_deref(), Some(STAMP));
}

#[tokio::test]
async fn a_same_origin_redirect_is_signed_again_and_another_origin_gets_nothing() {
    let bin = PyServer::shared_httpbin();
    let e = signing_engine();
    let mut req = HttpRequest::get(bin.url("/redirect-to?url=/anything/next"));
    req.signing = signing("");
    let r = e.send_ok(&req).await;
    assert_eq!(r.redirects.len(), 1);
    let echo = e.json(&r).await;
    assert!(echo["url"].as_str().unwrap().ends_with("/anything/next"));
    let ours = echo["headers"]["Authorization"].as_str().unwrap();
    assert_eq!(ours, botocore_authorization(&echo, "", ""));

    // 127.0.0.1 and localhost are different origins.
    let elsewhere = bin
        .url("/anything/elsewhere")
        .replace("127.0.0.1", "localhost");
    let mut req = HttpRequest::get(bin.url(&format!("/redirect-to?url={elsewhere}")));
    req.signing = signing("token");
    let r = e.send_ok(&req).await;
    assert_eq!(r.redirects.len(), 1);
    let echo = e.json(&r).await;
    let sent = echo["headers"].as_object().unwrap();
    assert!(
        sent.keys().all(|k| {
            let k = k.to_ascii_lowercase();
            k != "authorization" && !k.starts_with("x-amz-")
        }),
        "AWS headers went to another origin: {sent:?}"
    );
}
