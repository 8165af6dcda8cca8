//! The exported command, run by the real `curl` through `sh`, sends what the request says. A
//! loopback listener records the raw request curl wrote.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::thread;

use sextant_interchange::to_curl;
use sextant_model::{
    ApiKeyLocation, Auth, HttpRequest, KeyValue, MultipartPart, PartValue, RequestBody,
};

struct Seen {
    request_line: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Runs the exported command against a one-shot loopback server and returns what arrived.
fn send_with_curl(mut req: HttpRequest, auth: Option<&Auth>) -> Seen {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    req.url = req.url.replace("{port}", &port.to_string());
    let server = thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut request_line = String::new();
        reader.read_line(&mut request_line).unwrap();
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                break;
            }
            let (n, v) = line.split_once(':').unwrap();
            headers.push((n.to_owned(), v.trim().to_owned()));
        }
        let length: usize = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .map_or(0, |(_, v)| v.parse().unwrap());
        let mut stream = stream;
        if headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("expect"))
        {
            stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").unwrap();
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
            .unwrap();
        Seen {
            request_line: request_line.trim_end().to_owned(),
            headers,
            body,
        }
    });
    let command = format!("{} -sS -o /dev/null", to_curl(&req, auth));
    let status = Command::new("sh")
        .arg("-c")
        .arg(&command)
        .env("NO_PROXY", "*")
        .env("no_proxy", "*")
        .status()
        .expect("curl runs");
    assert!(status.success(), "{command}");
    server.join().unwrap()
}

const TRICKY: &str = "it's \"q\" \\ $HOME `id` ünï 🚀 & ; | <x> *";

#[test]
fn json_with_tricky_headers_and_a_bearer_token() {
    let mut req = HttpRequest::new("PATCH", "http://127.0.0.1:{port}/items/7?x=1");
    req.query.push(KeyValue::new("q", "a b"));
    req.headers.push(KeyValue::new("X-Tricky", TRICKY));
    req.headers.push(KeyValue {
        enabled: false,
        ..KeyValue::new("X-Off", "1")
    });
    let text = format!("{{\"note\": {TRICKY:?},\n\"n\": 1}}");
    req.body = RequestBody::Json { text: text.clone() };
    let seen = send_with_curl(
        req,
        Some(&Auth::Bearer {
            token: "t'k$n".into(),
        }),
    );
    assert_eq!(seen.request_line, "PATCH /items/7?x=1&q=a+b HTTP/1.1");
    assert_eq!(seen.header("x-tricky"), Some(TRICKY));
    assert_eq!(seen.header("x-off"), None);
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(seen.header("authorization"), Some("Bearer t'k$n"));
    assert_eq!(String::from_utf8(seen.body).unwrap(), text);
}

#[test]
fn form_fields_are_urlencoded() {
    let mut req = HttpRequest::new("POST", "http://127.0.0.1:{port}/login");
    req.body = RequestBody::Form {
        fields: vec![
            KeyValue::new("user name", "ada&b=c"),
            KeyValue::new("pw", TRICKY),
        ],
    };
    let seen = send_with_curl(
        req,
        Some(&Auth::Basic {
            username: "ada".into(),
            password: "s3:cr'et".into(),
        }),
    );
    assert_eq!(seen.request_line, "POST /login HTTP/1.1");
    assert_eq!(
        seen.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    // base64("ada:s3:cr'et")
    assert_eq!(seen.header("authorization"), Some("Basic YWRhOnMzOmNyJ2V0"));
    let body = String::from_utf8(seen.body).unwrap();
    let pairs: Vec<(String, String)> = body
        .split('&')
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap();
            (decode(n), decode(v))
        })
        .collect();
    assert_eq!(
        pairs,
        [
            ("user name".to_owned(), "ada&b=c".to_owned()),
            ("pw".to_owned(), TRICKY.to_owned())
        ]
    );
}

#[test]
fn multipart_and_binary_bodies_read_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("it's; a \"file\".txt");
    std::fs::write(&file, "file contents\n").unwrap();
    let path = file.to_str().unwrap().to_owned();

    let mut req = HttpRequest::new("POST", "http://127.0.0.1:{port}/upload");
    req.body = RequestBody::Multipart {
        parts: vec![
            MultipartPart {
                name: "title".into(),
                enabled: true,
                value: PartValue::Text {
                    text: "@not;a file".into(),
                },
            },
            MultipartPart {
                name: "doc".into(),
                enabled: true,
                value: PartValue::File {
                    path: path.clone(),
                    filename: Some("report.txt".into()),
                    content_type: Some("text/x-note".into()),
                },
            },
        ],
    };
    let seen = send_with_curl(req, None);
    assert!(seen
        .header("content-type")
        .unwrap()
        .starts_with("multipart/form-data; boundary="));
    let body = String::from_utf8(seen.body).unwrap();
    assert!(
        body.contains("name=\"title\"\r\n\r\n@not;a file\r\n"),
        "{body}"
    );
    assert!(body.contains("name=\"doc\"; filename=\"report.txt\"\r\nContent-Type: text/x-note\r\n\r\nfile contents\n\r\n"), "{body}");

    let mut req = HttpRequest::new("PUT", "http://127.0.0.1:{port}/blob");
    req.body = RequestBody::Binary {
        path,
        content_type: Some("application/x-thing".into()),
    };
    let seen = send_with_curl(req, None);
    assert_eq!(seen.request_line, "PUT /blob HTTP/1.1");
    assert_eq!(seen.header("content-type"), Some("application/x-thing"));
    assert_eq!(seen.body, b"file contents\n");
}

/// Form decoding; curl writes spaces as `+` or `%20` depending on its version.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'+' {
            out.push(b' ');
            i += 1;
        } else if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn sigv4_is_signed_by_curl_and_a_cookie_key_is_a_cookie() {
    let req = HttpRequest::get("http://127.0.0.1:{port}/prod/items");
    let seen = send_with_curl(
        req.clone(),
        Some(&Auth::AwsSigV4 {
            access_key: "AKIDEXAMPLE".into(),
            secret_key: "secret".into(),
            session_token: "tok-1".into(),
            region: "eu-west-1".into(),
            service: "execute-api".into(),
        }),
    );
    let authorization = seen.header("authorization").unwrap_or_default();
    assert!(
        authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
            && authorization.contains("/eu-west-1/execute-api/aws4_request"),
        "{authorization}"
    );
    assert_eq!(seen.header("x-amz-security-token"), Some("tok-1"));
    assert!(seen.header("x-amz-date").is_some());

    let seen = send_with_curl(
        req,
        Some(&Auth::ApiKey {
            name: "session".into(),
            value: "s-1".into(),
            location: ApiKeyLocation::Cookie,
        }),
    );
    assert_eq!(seen.header("cookie"), Some("session=s-1"));
}
