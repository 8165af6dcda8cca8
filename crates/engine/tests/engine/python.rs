//! The engine against the real Python servers our users run: FastAPI under uvicorn and httpbin.

use std::io::Write;

use sextant_model::{HttpRequest, MultipartPart, PartValue, RequestBody};
use sextant_testkit::PyServer;

use crate::support::engine;

#[tokio::test]
async fn fastapi_crud_and_validation_errors() {
    let api = PyServer::shared_demo_api();
    let e = engine();
    let mut create = HttpRequest::new("POST", api.url("/items"));
    create.body = RequestBody::Json {
        text: r#"{"name": "Lamp", "price": 12.5, "tags": ["home"]}"#.into(),
    };
    let r = e.send_ok(&create).await;
    assert_eq!(r.status, 201);
    let item = e.json(&r).await;
    assert_eq!(item["name"], "Lamp");

    let r = e
        .send_ok(&HttpRequest::get(
            api.url(&format!("/items/{}", item["id"])),
        ))
        .await;
    assert_eq!(r.status, 200);

    create.body = RequestBody::Json {
        text: r#"{"name": "", "price": -1}"#.into(),
    };
    let r = e.send_ok(&create).await;
    assert_eq!(r.status, 422);
    assert!(e.json(&r).await["detail"].is_array());
}

#[tokio::test]
async fn fastapi_upload_receives_the_file_intact() {
    let api = PyServer::shared_demo_api();
    let mut file = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
    file.write_all(b"a,b\n1,2\n").unwrap();
    let mut req = HttpRequest::new("POST", api.url("/upload"));
    req.body = RequestBody::Multipart {
        parts: vec![
            MultipartPart {
                name: "file".into(),
                enabled: true,
                value: PartValue::File {
                    path: file.path().to_string_lossy().into_owned(),
                    filename: None,
                    content_type: None,
                },
            },
            MultipartPart {
                name: "note".into(),
                enabled: true,
                value: PartValue::Text { text: "q3".into() },
            },
        ],
    };
    let e = engine();
    let r = e.send_ok(&req).await;
    assert_eq!(r.status, 200, "{}", e.text(&r).await);
    let json = e.json(&r).await;
    assert_eq!(json["size"], 8);
    assert_eq!(json["note"], "q3");
    assert_eq!(json["contentType"], "text/csv");
}

#[tokio::test]
async fn fastapi_streaming_response_arrives_whole() {
    let api = PyServer::shared_demo_api();
    let e = engine();
    let r = e
        .send_ok(&HttpRequest::get(api.url("/stream?lines=20")))
        .await;
    let text = e.text(&r).await;
    assert_eq!(text.lines().count(), 20);
    assert!(r.header("content-length").is_none());
}

#[tokio::test]
async fn httpbin_compressed_endpoints_are_decoded() {
    let bin = PyServer::shared_httpbin();
    let e = engine();
    for (path, encoding) in [
        ("/gzip", "gzip"),
        ("/deflate", "deflate"),
        ("/brotli", "br"),
    ] {
        let r = e.send_ok(&HttpRequest::get(bin.url(path))).await;
        assert_eq!(r.body.content_encoding.as_deref(), Some(encoding), "{path}");
        let json = e.json(&r).await;
        assert!(json.is_object(), "{path}");
    }
}
