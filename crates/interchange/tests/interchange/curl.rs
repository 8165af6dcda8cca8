//! curl import and export: flags, quoting, warnings, and parse(to_curl(r)) == r.

use sextant_interchange::{parse_curl, to_curl, InterchangeError};
use sextant_model::{
    ApiKeyLocation, Auth, DigestAlgorithm, HttpRequest, HttpVersionPref, KeyValue, MultipartPart,
    PartValue, ProxySetting, RequestBody,
};

fn parse(cmd: &str) -> sextant_interchange::Imported<sextant_model::SavedRequest> {
    parse_curl(cmd).unwrap_or_else(|e| panic!("{cmd}: {e}"))
}

fn header<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    req.headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

#[test]
fn a_browser_copy_as_curl_command() {
    let cmd = r#"curl 'https://api.example.com/v1/users?page=2&sort=name' \
  -H 'accept: application/json' \
  -H 'authorization: Bearer abc.def' \
  -H 'content-type: application/json' \
  --data-raw '{"name":"Zoë","tags":["a b"]}' \
  --compressed"#;
    let imported = parse(cmd);
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    let saved = imported.value;
    let req = &saved.request;
    assert_eq!(saved.name, "POST /v1/users");
    assert_eq!(req.method, "POST");
    assert_eq!(req.url, "https://api.example.com/v1/users?page=2&sort=name");
    assert!(req.query.is_empty());
    assert_eq!(
        req.body,
        RequestBody::Json {
            text: r#"{"name":"Zoë","tags":["a b"]}"#.into()
        }
    );
    assert_eq!(header(req, "content-type"), None, "moved into the body");
    assert_eq!(header(req, "authorization"), Some("Bearer abc.def"));
    assert_eq!(
        header(req, "accept-encoding"),
        Some("deflate, gzip, br, zstd")
    );
    assert!(
        !req.settings.follow_redirects,
        "curl does not follow without -L"
    );
    assert_eq!(saved.auth, Auth::Inherit);
}

#[test]
fn methods_default_from_the_body_and_flags() {
    assert_eq!(parse("curl http://h/").value.request.method, "GET");
    assert_eq!(parse("curl -d x=1 http://h/").value.request.method, "POST");
    assert_eq!(
        parse("curl -XPUT -d x=1 http://h/").value.request.method,
        "PUT"
    );
    assert_eq!(parse("curl -I http://h/").value.request.method, "HEAD");
    assert_eq!(
        parse("curl --request PATCH http://h/").value.request.method,
        "PATCH"
    );
    assert_eq!(
        parse("curl -T ./f.bin http://h/up").value.request.method,
        "PUT"
    );
}

#[test]
fn data_keeps_its_bytes_with_curls_default_type() {
    let req = parse("curl http://h/login -d 'user=a%20b' -d pass=x+y")
        .value
        .request;
    assert_eq!(
        req.body,
        RequestBody::Text {
            content_type: "application/x-www-form-urlencoded".into(),
            text: "user=a%20b&pass=x+y".into()
        }
    );
    let req = parse("curl http://h/ -H 'Content-Type: text/csv' --data-binary $'a,b\\n1,2\\n'")
        .value
        .request;
    assert_eq!(
        req.body,
        RequestBody::Text {
            content_type: "text/csv".into(),
            text: "a,b\n1,2\n".into()
        }
    );
    let req = parse(r#"curl -H "Content-Type: application/json; charset=utf-8" -d '{}' http://h/"#)
        .value
        .request;
    assert!(
        matches!(req.body, RequestBody::Text { ref content_type, .. } if content_type == "application/json; charset=utf-8")
    );
}

#[test]
fn data_urlencode_builds_a_form_or_encoded_text() {
    let req = parse("curl http://h/ --data-urlencode 'q=a b&c' --data-urlencode 'lang=fr'")
        .value
        .request;
    assert_eq!(
        req.body,
        RequestBody::Form {
            fields: vec![KeyValue::new("q", "a b&c"), KeyValue::new("lang", "fr")]
        }
    );
    let req = parse("curl http://h/ -d a=1 --data-urlencode '=x y' --data-urlencode 'ü'")
        .value
        .request;
    assert_eq!(
        req.body,
        RequestBody::Text {
            content_type: "application/x-www-form-urlencoded".into(),
            text: "a=1&x%20y&%C3%BC".into()
        }
    );
    let imported = parse("curl http://h/ --data-urlencode 'f@notes.txt' --data-urlencode a=b");
    assert_eq!(imported.warnings.len(), 1);
    assert_eq!(imported.warnings[0].location, "--data-urlencode");
}

#[test]
fn get_moves_data_into_the_query_string() {
    let req = parse("curl -G http://h/search?x=1 -d q=rust --data-urlencode 'tag=a b'")
        .value
        .request;
    assert_eq!(req.method, "GET");
    assert_eq!(req.url, "http://h/search?x=1&q=rust&tag=a%20b");
    assert_eq!(req.body, RequestBody::None);
}

#[test]
fn json_flag_sets_body_and_headers() {
    let req = parse(r#"curl --json '{"a":1}' https://h/items"#)
        .value
        .request;
    assert_eq!(req.method, "POST");
    assert_eq!(
        req.body,
        RequestBody::Json {
            text: r#"{"a":1}"#.into()
        }
    );
    assert_eq!(header(&req, "accept"), Some("application/json"));
    assert_eq!(header(&req, "content-type"), None);
    let req = parse(r#"curl --json '{"a":' --json '1}' -H 'Accept: text/plain' https://h/"#)
        .value
        .request;
    assert_eq!(
        req.body,
        RequestBody::Json {
            text: r#"{"a":1}"#.into()
        }
    );
    assert_eq!(header(&req, "accept"), Some("text/plain"));
}

#[test]
fn files_become_binary_bodies() {
    let imported = parse(
        "curl --data-binary @/tmp/dump.bin -H 'Content-Type: application/octet-stream' http://h/",
    );
    assert_eq!(
        imported.value.request.body,
        RequestBody::Binary {
            path: "/tmp/dump.bin".into(),
            content_type: Some("application/octet-stream".into())
        }
    );
    assert!(imported.warnings.is_empty());
    let imported = parse("curl -d @body.txt http://h/");
    assert!(
        matches!(imported.value.request.body, RequestBody::Binary { ref path, content_type: None } if path == "body.txt")
    );
    assert_eq!(
        imported.warnings.len(),
        1,
        "-d strips newlines: {:?}",
        imported.warnings
    );
}

#[test]
fn form_parts_with_files_types_and_names() {
    let cmd = r#"curl -F name=Ada -F 'avatar=@"./my pics/a;b.png";type=image/png;filename=me.png' \
        -F doc=@report.pdf --form-string 'raw=@not-a-file;x' http://h/upload"#;
    let imported = parse(cmd);
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    let req = imported.value.request;
    assert_eq!(req.method, "POST");
    let RequestBody::Multipart { parts } = req.body else {
        panic!("{:?}", req.body)
    };
    let text = |name: &str, text: &str| MultipartPart {
        name: name.into(),
        enabled: true,
        value: PartValue::Text { text: text.into() },
    };
    assert_eq!(parts[0], text("name", "Ada"));
    assert_eq!(
        parts[1].value,
        PartValue::File {
            path: "./my pics/a;b.png".into(),
            filename: Some("me.png".into()),
            content_type: Some("image/png".into())
        }
    );
    assert_eq!(
        parts[2].value,
        PartValue::File {
            path: "report.pdf".into(),
            filename: None,
            content_type: None
        }
    );
    assert_eq!(parts[3], text("raw", "@not-a-file;x"));
}

#[test]
fn auth_settings_and_header_flags() {
    let cmd = "$ curl -sSLk -u 'ada:p@ss:word' -A 'Sextant/1' -e https://ref/ -b 'a=1; b=2' \
        -m 2.5 --connect-timeout 3 --max-redirs 4 --http1.1 -x http://proxy:8080 https://h/";
    let imported = parse(cmd);
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    let saved = imported.value;
    assert_eq!(
        saved.auth,
        Auth::Basic {
            username: "ada".into(),
            password: "p@ss:word".into()
        }
    );
    let req = saved.request;
    assert_eq!(header(&req, "user-agent"), Some("Sextant/1"));
    assert_eq!(header(&req, "referer"), Some("https://ref/"));
    assert_eq!(header(&req, "cookie"), Some("a=1; b=2"));
    let s = req.settings;
    assert!(s.follow_redirects && !s.verify_tls);
    assert_eq!(
        (s.timeout_ms, s.connect_timeout_ms, s.max_redirects),
        (Some(2500), Some(3000), 4)
    );
    assert_eq!(s.http_version, HttpVersionPref::Http1);
    assert_eq!(
        s.proxy,
        ProxySetting::Url {
            url: "http://proxy:8080".into()
        }
    );

    let req = parse("curl --http2-prior-knowledge -H'X-Trace: 1' -XDELETE --url http://h/x")
        .value
        .request;
    assert_eq!(
        req.settings.http_version,
        HttpVersionPref::Http2PriorKnowledge
    );
    assert_eq!(req.method, "DELETE");
    assert_eq!(header(&req, "x-trace"), Some("1"));
    assert_eq!(req.url, "http://h/x");
}

#[test]
fn what_cannot_be_imported_is_a_warning() {
    let imported = parse(
        "curl --ntlm -u a:b -b cookies.txt --cert me.pem --frobnicate -o out.json -v http://h/ http://other/",
    );
    let locations: Vec<&str> = imported
        .warnings
        .iter()
        .map(|w| w.location.as_str())
        .collect();
    assert_eq!(
        locations,
        ["--ntlm", "-b", "--cert", "--frobnicate", "http://other/"]
    );
    assert!(imported.warnings[2].message.contains("me.pem"));
    assert_eq!(
        imported.value.request.url, "http://h/",
        "--cert consumed its argument"
    );
    // --digest is no longer one of them: -u becomes Digest auth.
    let imported = parse("curl --digest -u a:b http://h/");
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    assert!(matches!(imported.value.auth, Auth::Digest { .. }));
    let imported = parse("curl -u ada http://h/ -H 'Accept:'");
    assert_eq!(imported.warnings.len(), 2, "{:?}", imported.warnings);
    assert!(imported.value.request.headers.is_empty());
}

#[test]
fn bad_commands_are_errors() {
    for (cmd, needle) in [
        ("curl 'http://h/", "never closed"),
        ("curl -H", "needs a value"),
        ("curl -v", "no URL"),
        ("wget http://h/", "not curl"),
        ("   ", "empty"),
    ] {
        let err = parse_curl(cmd).unwrap_err();
        assert!(matches!(err, InterchangeError::Curl(_)));
        assert!(err.to_string().contains(needle), "{cmd}: {err}");
    }
    let api: sextant_model::ApiError = parse_curl("curl").unwrap_err().into();
    assert_eq!(api.code, sextant_model::ErrorCode::InvalidRequest);
}

#[test]
fn missing_scheme_is_http_like_curl() {
    assert_eq!(
        parse("curl example.com/a").value.request.url,
        "http://example.com/a"
    );
    assert_eq!(parse("curl '{{base}}/a'").value.request.url, "{{base}}/a");
}

#[test]
fn export_is_quoted_and_leaves_defaults_out() {
    let mut req = HttpRequest::new("POST", "https://h/it's");
    req.headers.push(KeyValue::new("X-Note", "it's $HOME"));
    req.headers.push(KeyValue {
        enabled: false,
        ..KeyValue::new("X-Off", "1")
    });
    req.body = RequestBody::Json {
        text: "{\"a\":\"b\"}".into(),
    };
    req.settings.follow_redirects = false;
    let out = to_curl(
        &req,
        Some(&Auth::Bearer {
            token: "t0k".into(),
        }),
    );
    assert_eq!(
        out,
        "curl 'https://h/it'\\''s' \\\n  -H 'X-Note: it'\\''s $HOME' \\\n  -H 'Content-Type: application/json' \\\n  --oauth2-bearer t0k \\\n  --data-raw '{\"a\":\"b\"}'"
    );
    let get = to_curl(&HttpRequest::get("http://h/a?b=c"), None);
    assert_eq!(
        get, "curl 'http://h/a?b=c' \\\n  -L",
        "? is a glob character"
    );
}

#[test]
fn export_appends_query_rows_and_api_keys() {
    let mut req = HttpRequest::get("http://h/s?x=1");
    req.query = vec![
        KeyValue::new("q", "a b"),
        KeyValue {
            enabled: false,
            ..KeyValue::new("z", "0")
        },
    ];
    req.settings.follow_redirects = false;
    let auth = Auth::ApiKey {
        name: "key".into(),
        value: "s3cr=t".into(),
        location: ApiKeyLocation::Query,
    };
    let back = parse(&to_curl(&req, Some(&auth))).value.request;
    assert_eq!(back.url, "http://h/s?x=1&q=a+b&key=s3cr%3Dt");
    let auth = Auth::ApiKey {
        name: "X-Key".into(),
        value: "v".into(),
        location: ApiKeyLocation::Header,
    };
    let back = parse(&to_curl(&req, Some(&auth))).value.request;
    assert_eq!(header(&back, "x-key"), Some("v"));
}

/// Requests in the shape the parser produces; each must survive to_curl then parse_curl.
fn round_trip_cases() -> Vec<(HttpRequest, Auth)> {
    let tricky = "it's \"quoted\" \\ back\\slash $HOME `cmd` $(x) !bang\nnew line\ttab ünïcödé 🚀 %20 & ; | < > * ? [a] {b} ~ #";
    let mut cases = Vec::new();
    let mut plain = HttpRequest::get("https://api.example.com/v1/items?filter=a%20b&x=[1]");
    cases.push((plain.clone(), Auth::Inherit));
    plain.settings.follow_redirects = false;
    plain.headers = vec![
        KeyValue::new("X-Tricky", tricky),
        KeyValue::new("X-Empty", ""),
        KeyValue::new("Cookie", "a=1; b=2"),
    ];
    cases.push((
        plain.clone(),
        Auth::Basic {
            username: "ada".into(),
            password: tricky.into(),
        },
    ));

    let mut text = HttpRequest::new("PUT", "http://127.0.0.1:8080/doc's");
    text.body = RequestBody::Text {
        content_type: "text/plain; charset=utf-8".into(),
        text: tricky.into(),
    };
    text.settings.verify_tls = false;
    text.settings.timeout_ms = Some(1500);
    text.settings.connect_timeout_ms = Some(250);
    text.settings.max_redirects = 3;
    text.settings.http_version = HttpVersionPref::Http1;
    text.settings.proxy = ProxySetting::Url {
        url: "socks5://127.0.0.1:1080".into(),
    };
    cases.push((
        text,
        Auth::Bearer {
            token: "tok'en".into(),
        },
    ));

    let mut form_text = HttpRequest::new("POST", "http://h/login");
    form_text.body = RequestBody::Text {
        content_type: "application/x-www-form-urlencoded".into(),
        text: "@a=1&b=%20".into(),
    };
    cases.push((form_text, Auth::Inherit));

    let mut json = HttpRequest::new("PATCH", "http://h/j");
    json.body = RequestBody::Json {
        text: format!("{{\n  \"note\": {:?}\n}}", tricky),
    };
    cases.push((json, Auth::Inherit));

    let mut empty_post = HttpRequest::new("POST", "http://h/empty");
    empty_post.body = RequestBody::Text {
        content_type: "application/x-www-form-urlencoded".into(),
        text: String::new(),
    };
    cases.push((empty_post, Auth::Inherit));
    cases.push((HttpRequest::new("POST", "http://h/nobody"), Auth::Inherit));
    cases.push((HttpRequest::new("HEAD", "http://h/head"), Auth::Inherit));
    cases.push((HttpRequest::new("PROPFIND", "http://h/dav"), Auth::Inherit));

    let mut get_with_body = HttpRequest::new("GET", "http://h/search");
    get_with_body.body = RequestBody::Json { text: "{}".into() };
    cases.push((get_with_body, Auth::Inherit));

    let mut form = HttpRequest::new("POST", "http://h/f");
    form.body = RequestBody::Form {
        fields: vec![
            KeyValue::new("q", tricky),
            KeyValue::new("a b&c=d", "x"),
            KeyValue::new("e", ""),
        ],
    };
    cases.push((form, Auth::Inherit));

    let mut multipart = HttpRequest::new("POST", "http://h/up");
    let part = |name: &str, value: PartValue| MultipartPart {
        name: name.into(),
        enabled: true,
        value,
    };
    multipart.body = RequestBody::Multipart {
        parts: vec![
            part(
                "title",
                PartValue::Text {
                    text: "plain text".into(),
                },
            ),
            part(
                "note",
                PartValue::Text {
                    text: "@looks;like=a file".into(),
                },
            ),
            part(
                "quoted",
                PartValue::Text {
                    text: "\"q\"".into(),
                },
            ),
            part(
                "file",
                PartValue::File {
                    path: "/tmp/a b/it's;\"x\",y.png".into(),
                    filename: Some("we;ird \"name\".png".into()),
                    content_type: Some("image/png".into()),
                },
            ),
            part(
                "plain",
                PartValue::File {
                    path: "data.csv".into(),
                    filename: None,
                    content_type: None,
                },
            ),
        ],
    };
    cases.push((multipart, Auth::Inherit));

    let mut binary = HttpRequest::new("PUT", "http://h/b");
    binary.body = RequestBody::Binary {
        path: "/tmp/x y/@z.bin".into(),
        content_type: Some("application/zip".into()),
    };
    binary.settings.http_version = HttpVersionPref::Http2PriorKnowledge;
    cases.push((binary.clone(), Auth::Inherit));
    binary.body = RequestBody::Binary {
        path: "f.bin".into(),
        content_type: None,
    };
    binary.method = "POST".into();
    cases.push((binary, Auth::Inherit));

    let signed = HttpRequest::get("https://abc.execute-api.eu-west-1.amazonaws.com/prod/items");
    cases.push((
        signed.clone(),
        Auth::Digest {
            username: "ada".into(),
            password: "{{password}}".into(),
            algorithm: DigestAlgorithm::Auto,
        },
    ));
    cases.push((
        signed,
        Auth::AwsSigV4 {
            access_key: "AKIDEXAMPLE".into(),
            secret_key: "{{awsSecretKey}}".into(),
            session_token: "{{awsSessionToken}}".into(),
            region: "eu-west-1".into(),
            service: "execute-api".into(),
        },
    ));
    cases
}

#[test]
fn digest_sigv4_and_cookie_keys_export_as_curl_writes_them() {
    let req = HttpRequest::get("https://h/x");
    let digest = Auth::Digest {
        username: "ada".into(),
        password: "pw".into(),
        algorithm: DigestAlgorithm::Sha256,
    };
    let cmd = to_curl(&req, Some(&digest));
    assert!(
        cmd.contains("--digest") && cmd.contains("-u ada:pw"),
        "{cmd}"
    );
    let aws = Auth::AwsSigV4 {
        access_key: "AKID".into(),
        secret_key: "sk".into(),
        session_token: String::new(),
        region: "us-east-1".into(),
        service: "s3".into(),
    };
    let cmd = to_curl(&req, Some(&aws));
    assert!(cmd.contains("--aws-sigv4 aws:amz:us-east-1:s3"), "{cmd}");
    assert!(
        cmd.contains("-u AKID:sk") && !cmd.contains("X-Amz-Security-Token"),
        "{cmd}"
    );
    let cookie = Auth::ApiKey {
        name: "session".into(),
        value: "s-1".into(),
        location: ApiKeyLocation::Cookie,
    };
    let cmd = to_curl(&req, Some(&cookie));
    assert!(cmd.contains("--cookie session=s-1"), "{cmd}");

    // Read back: a cookie is a cookie header; an --aws-sigv4 without region and service warns.
    let back = parse(&cmd).value;
    assert_eq!(header(&back.request, "cookie"), Some("session=s-1"));
    let imported = parse("curl --aws-sigv4 aws:amz -u AKID:sk https://h/");
    assert!(matches!(imported.value.auth, Auth::AwsSigV4 { ref region, .. } if region.is_empty()));
    assert_eq!(imported.warnings.len(), 1, "{:?}", imported.warnings);
}

#[test]
fn parse_reads_back_what_to_curl_writes() {
    for (req, auth) in round_trip_cases() {
        let cmd = to_curl(&req, Some(&auth));
        let imported = parse(&cmd);
        assert!(
            imported.warnings.is_empty(),
            "{cmd}\n{:?}",
            imported.warnings
        );
        assert_eq!(imported.value.request, req, "\n{cmd}");
        assert_eq!(imported.value.auth, auth, "\n{cmd}");
    }
}
