//! The SigV4 signer against botocore, AWS's own signer (PyPI, pinned in
//! `tests/servers/requirements.txt`): the same requests at the same time must get the same
//! `Authorization`, `X-Amz-Date`, `X-Amz-Content-Sha256` and `X-Amz-Security-Token`.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::{json, Value};
use sextant_engine::auth::sigv4::{self, Credentials, Payload, Request};
use time::OffsetDateTime;
use url::Url;

struct Case {
    name: &'static str,
    method: &'static str,
    url: &'static str,
    headers: Vec<(&'static str, &'static str)>,
    body: &'static str,
    token: Option<&'static str>,
    region: &'static str,
    service: &'static str,
    unsigned: bool,
}

fn case(name: &'static str, method: &'static str, url: &'static str) -> Case {
    Case {
        name,
        method,
        url,
        headers: Vec::new(),
        body: "",
        token: None,
        region: "us-east-1",
        service: "execute-api",
        unsigned: false,
    }
}

fn cases() -> Vec<Case> {
    vec![
        case("plain GET", "GET", "https://abc.execute-api.us-east-1.amazonaws.com/prod/items"),
        Case {
            headers: vec![("Content-Type", "application/json")],
            body: r#"{"name":"tea","price":3.5}"#,
            ..case("JSON body", "POST", "https://abc.execute-api.eu-west-1.amazonaws.com/prod/items")
        },
        case(
            "query with spaces, unicode, repeated keys and an empty value",
            "GET",
            "https://example.amazonaws.com/search?q=green%20tea&z=%C3%A9t%C3%A9&a=2&a=1&empty=&flag",
        ),
        Case {
            headers: vec![
                ("X-Custom", "  lots   of\tspace  "),
                ("x-custom", "second"),
                ("Accept", "application/json"),
                ("User-Agent", "sextant/0.1"),
            ],
            ..case("headers with extra spaces and repeats", "GET", "https://example.amazonaws.com/")
        },
        Case {
            token: Some("FwoGZXIvYXdzEJr//////////wEaDOSESSIONTOKEN+/="),
            ..case("session token", "GET", "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15")
        },
        Case {
            service: "s3",
            ..case("s3 keeps its path", "GET", "https://bucket.s3.amazonaws.com/photos/my%20cat.jpg?list-type=2")
        },
        Case {
            service: "s3",
            headers: vec![("Content-Type", "text/plain")],
            body: "hello s3",
            ..case("s3 PUT with a body", "PUT", "https://bucket.s3.amazonaws.com/notes/a.txt")
        },
        Case {
            service: "s3",
            headers: vec![("Content-MD5", "XrY7u+Ae7tCTyyK7j1rNww==")],
            unsigned: true,
            ..case("s3 unsigned payload (a streamed file)", "PUT", "https://bucket.s3.amazonaws.com/big.bin")
        },
        Case {
            unsigned: true,
            ..case("unsigned payload elsewhere", "POST", "https://example.amazonaws.com/upload")
        },
        case(
            "non-s3 path encoded twice, dot segments removed",
            "GET",
            "https://example.amazonaws.com/a/./b/../my%20file//x:y",
        ),
        Case {
            region: "ap-southeast-2",
            ..case("port and http", "DELETE", "http://127.0.0.1:9000/items/42")
        },
    ]
}

fn botocore(c: &Case, timestamp: &str) -> Value {
    let servers = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/servers");
    let python = servers.join(".venv/bin/python");
    assert!(
        python.exists(),
        "the Python venv is missing ({}): run scripts/setup-python.sh",
        python.display()
    );
    let input = json!({
        "method": c.method,
        "url": c.url,
        "headers": c.headers,
        "body": c.body,
        "access_key": "AKIDEXAMPLE",
        "secret_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        "session_token": c.token,
        "region": c.region,
        "service": c.service,
        "timestamp": timestamp,
        "unsigned_payload": c.unsigned,
    });
    let mut child = Command::new(&python)
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
        "{}: {}",
        c.name,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn every_case_signs_exactly_as_botocore() {
    let time = OffsetDateTime::from_unix_timestamp(1_765_112_345).unwrap(); // 2025-12-07T12:59:05Z
    let cases = cases();
    for c in &cases {
        let url = Url::parse(c.url).unwrap();
        let headers: Vec<(String, String)> = c
            .headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        let payload = if c.unsigned {
            Payload::Unsigned
        } else {
            Payload::Sha256(sigv4::sha256_hex(c.body.as_bytes()))
        };
        let ours = sigv4::sign(
            &Request {
                method: c.method,
                url: &url,
                headers: &headers,
                payload: &payload,
            },
            &Credentials {
                access_key: "AKIDEXAMPLE",
                secret_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                session_token: c.token,
                region: c.region,
                service: c.service,
            },
            time,
        );
        let theirs = botocore(c, "20251207T125905Z");
        let theirs = theirs.as_object().unwrap();
        assert_eq!(
            ours.len(),
            theirs.len(),
            "{}: {ours:?} vs {theirs:?}",
            c.name
        );
        for (name, value) in &ours {
            let (_, expected) = theirs
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .unwrap_or_else(|| panic!("{}: botocore did not set {name}", c.name));
            assert_eq!(value, expected.as_str().unwrap(), "{}: {name}", c.name);
        }
    }
}
