//! Every request body kind, and response decoding.

use std::io::Write;

use sextant_model::{ErrorCode, HttpRequest, KeyValue, MultipartPart, PartValue, RequestBody};

use crate::support::{engine, fault};

async fn echo_of(body: RequestBody) -> serde_json::Value {
    let e = engine();
    let mut req = HttpRequest::new("POST", fault().url("/echo"));
    req.body = body;
    e.json(&e.send_ok(&req).await).await
}

fn header<'a>(echo: &'a serde_json::Value, name: &str) -> Option<&'a str> {
    echo["headers"]
        .as_array()?
        .iter()
        .find(|h| h[0].as_str().is_some_and(|n| n.eq_ignore_ascii_case(name)))
        .and_then(|h| h[1].as_str())
}

#[tokio::test]
async fn json_and_text_bodies_carry_their_content_type() {
    let echo = echo_of(RequestBody::Json {
        text: r#"{"a": [1, 2]}"#.into(),
    })
    .await;
    assert_eq!(echo["body"], r#"{"a": [1, 2]}"#);
    assert_eq!(header(&echo, "content-type"), Some("application/json"));

    let echo = echo_of(RequestBody::Text {
        content_type: "text/csv".into(),
        text: "a,b\n1,2\n".into(),
    })
    .await;
    assert_eq!(echo["body"], "a,b\n1,2\n");
    assert_eq!(header(&echo, "content-type"), Some("text/csv"));
}

#[tokio::test]
async fn a_user_content_type_wins_over_the_body_kind() {
    let e = engine();
    let mut req = HttpRequest::new("POST", fault().url("/echo"));
    req.headers = vec![KeyValue::new("Content-Type", "application/vnd.api+json")];
    req.body = RequestBody::Json { text: "{}".into() };
    let echo = e.json(&e.send_ok(&req).await).await;
    assert_eq!(
        header(&echo, "content-type"),
        Some("application/vnd.api+json")
    );
}

#[tokio::test]
async fn form_bodies_are_urlencoded() {
    let echo = echo_of(RequestBody::Form {
        fields: vec![KeyValue::new("name", "a b"), KeyValue::new("x", "1&2")],
    })
    .await;
    assert_eq!(echo["body"], "name=a+b&x=1%262");
    assert_eq!(
        header(&echo, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
}

#[tokio::test]
async fn multipart_sends_text_fields_and_file_parts_from_disk() {
    let mut file = tempfile::Builder::new().suffix(".txt").tempfile().unwrap();
    file.write_all(b"file contents here").unwrap();
    let path = file.path().to_string_lossy().into_owned();
    let echo = echo_of(RequestBody::Multipart {
        parts: vec![
            MultipartPart {
                name: "note".into(),
                enabled: true,
                value: PartValue::Text {
                    text: "hello".into(),
                },
            },
            MultipartPart {
                name: "upload".into(),
                enabled: true,
                value: PartValue::File {
                    path,
                    filename: Some("report.txt".into()),
                    content_type: None,
                },
            },
        ],
    })
    .await;
    let body = echo["body"].as_str().unwrap();
    assert!(header(&echo, "content-type")
        .unwrap()
        .starts_with("multipart/form-data; boundary="));
    assert!(body.contains("name=\"note\"\r\n\r\nhello"));
    assert!(body.contains("name=\"upload\"; filename=\"report.txt\""));
    assert!(body.contains("Content-Type: text/plain"));
    assert!(body.contains("file contents here"));
}

#[tokio::test]
async fn binary_bodies_stream_a_file_with_its_length() {
    let mut file = tempfile::Builder::new().suffix(".bin").tempfile().unwrap();
    let bytes: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    file.write_all(&bytes).unwrap();
    let echo = echo_of(RequestBody::Binary {
        path: file.path().to_string_lossy().into_owned(),
        content_type: Some("application/octet-stream".into()),
    })
    .await;
    assert_eq!(echo["bodyLength"], 100_000);
    assert_eq!(header(&echo, "content-length"), Some("100000"));
}

#[tokio::test]
async fn a_missing_body_file_is_an_io_error_before_sending() {
    let e = engine();
    let mut req = HttpRequest::new("POST", fault().url("/echo"));
    req.body = RequestBody::Binary {
        path: "/nonexistent/sextant.bin".into(),
        content_type: None,
    };
    let err = e.send(&req).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Io);
    assert!(err.to_string().contains("/nonexistent/sextant.bin"));
}

#[tokio::test]
async fn every_content_encoding_is_decoded_and_both_sizes_reported() {
    let e = engine();
    for encoding in ["gzip", "deflate", "br", "zstd"] {
        let r = e
            .send_ok(&HttpRequest::get(
                fault().url(&format!("/encoded/{encoding}")),
            ))
            .await;
        let expected: u64 = r.header("x-decoded-length").unwrap().parse().unwrap();
        assert_eq!(r.body.content_encoding.as_deref(), Some(encoding));
        assert_eq!(r.sizes.body_decoded_bytes, expected, "{encoding}");
        assert_eq!(r.body.size, expected);
        assert!(
            r.sizes.body_wire_bytes < expected,
            "{encoding} was not compressed"
        );
        let json: serde_json::Value = serde_json::from_slice(&e.body(&r).await).unwrap();
        assert!(json.is_array(), "{encoding}");
    }
}

#[tokio::test]
async fn a_body_that_is_not_what_its_encoding_says_is_a_decode_error() {
    let e = engine();
    let r = e
        .send_ok(&HttpRequest::get(fault().url("/encoded/bogus-gzip")))
        .await;
    let error = r.error.expect("a decode error");
    assert_eq!(error.code, ErrorCode::Decode);
    assert!(r.body.partial);
}
