//! Snippets per language: what each request shape becomes, that no secret is written, and that
//! every quoting function stands for exactly the text it was given (decoded back, property
//! style, over strings full of quotes, backslashes, newlines, `$` and non-ASCII).

use proptest::prelude::*;
use sextant_model::{
    ApiKeyLocation, Auth, HttpRequest, KeyValue, MultipartPart, PartValue, RequestBody,
};

use super::*;

fn post_json() -> SnippetRequest {
    let mut request = HttpRequest::get("http://127.0.0.1:8000/items");
    request.method = "POST".into();
    request.query = vec![KeyValue::new("q", "a b&c")];
    request.headers = vec![KeyValue::new("X-Trace", "t-1")];
    request.body = RequestBody::Json {
        text: "{\n  \"name\": \"x\"\n}".into(),
    };
    SnippetRequest {
        request,
        auth: Auth::None,
    }
}

fn all(req: &SnippetRequest) -> Vec<(SnippetLanguage, String)> {
    SnippetLanguage::ALL
        .iter()
        .map(|l| (*l, snippet(req, *l)))
        .collect()
}

#[test]
fn every_language_carries_method_url_query_headers_and_body() {
    let req = post_json();
    for (lang, code) in all(&req) {
        assert!(
            code.contains("http://127.0.0.1:8000/items?q=a+b%26c"),
            "{lang:?}: {code}"
        );
        assert!(code.contains("POST"), "{lang:?}: {code}");
        assert!(code.contains("X-Trace"), "{lang:?}: {code}");
        assert!(code.contains("application/json"), "{lang:?}: {code}");
        assert!(code.contains("name"), "{lang:?}: {code}");
    }
    let curl = snippet(&req, SnippetLanguage::Curl);
    assert!(curl.contains("curl -X POST 'http://127.0.0.1:8000/items?q=a+b%26c'"));
    assert!(
        curl.contains("--data-raw '{\n  \"name\": \"x\"\n}'"),
        "{curl}"
    );
    let httpx = snippet(&req, SnippetLanguage::PythonHttpx);
    assert!(httpx.contains("import httpx"));
    assert!(httpx.contains("timeout=None"), "{httpx}");
    assert!(httpx.contains("follow_redirects=True"), "{httpx}");
    let go = snippet(&req, SnippetLanguage::GoNetHttp);
    assert!(go.starts_with("// Go net/http"));
    assert!(go.contains("package main"));
    assert!(go.contains("\"strings\""));
    assert!(!go.contains("\"net/url\""), "unused import: {go}");
    let rust = snippet(&req, SnippetLanguage::RustReqwest);
    assert!(rust.contains("reqwest::Method::POST"));
    assert!(
        rust.contains(".body(r#\"{\n  \"name\": \"x\"\n}\"#)"),
        "{rust}"
    );
}

#[test]
fn settings_become_timeouts_tls_and_redirects() {
    let mut req = post_json();
    req.request.settings.timeout_ms = Some(1500);
    req.request.settings.verify_tls = false;
    req.request.settings.follow_redirects = false;
    let curl = snippet(&req, SnippetLanguage::Curl);
    assert!(curl.contains("--max-time 1.5") && curl.contains("--insecure"));
    assert!(!curl.contains("--location"));
    let requests = snippet(&req, SnippetLanguage::PythonRequests);
    assert!(requests.contains("timeout=1.5") && requests.contains("verify=False"));
    assert!(requests.contains("allow_redirects=False"));
    let js = snippet(&req, SnippetLanguage::JavaScriptFetch);
    assert!(js.contains("AbortSignal.timeout(1500)") && js.contains("redirect: \"manual\""));
    assert!(js.contains("NODE_TLS_REJECT_UNAUTHORIZED"));
    let go = snippet(&req, SnippetLanguage::GoNetHttp);
    assert!(go.contains("1500 * time.Millisecond") && go.contains("InsecureSkipVerify: true"));
    assert!(go.contains("http.ErrUseLastResponse") && go.contains("\"crypto/tls\""));
    let rust = snippet(&req, SnippetLanguage::RustReqwest);
    assert!(rust.contains("from_millis(1500)") && rust.contains("danger_accept_invalid_certs"));
    assert!(rust.contains("Policy::none()"));
}

#[test]
fn secrets_are_read_from_the_environment() {
    let mut request = HttpRequest::get("http://h/x");
    request.query = vec![KeyValue::new("api_key", "LITERALQUERYKEY")];
    request.headers = vec![
        KeyValue::new("X-Api-Key", "LITERALHEADERKEY"),
        KeyValue::new("X-Ref", "{{token}}"),
    ];
    request.body = RequestBody::Form {
        fields: vec![KeyValue::new("password", "LITERALFORMPW")],
    };
    let basic = SnippetRequest {
        request: request.clone(),
        auth: Auth::Basic {
            username: "ann".into(),
            password: "LITERALBASICPW".into(),
        },
    };
    let bearer = SnippetRequest {
        request,
        auth: Auth::Bearer {
            token: "LITERALTOKEN".into(),
        },
    };
    for req in [&basic, &bearer] {
        for (lang, code) in all(req) {
            assert!(!code.contains("LITERAL"), "{lang:?} leaks: {code}");
            assert!(code.contains("SEXTANT_API_KEY"), "{lang:?}: {code}");
            assert!(code.contains("SEXTANT_X_API_KEY"), "{lang:?}: {code}");
            assert!(code.contains("SEXTANT_TOKEN"), "{lang:?}: {code}");
            assert!(code.contains("the variable {{token}}"), "{lang:?}: {code}");
        }
    }
    let py = snippet(&bearer, SnippetLanguage::PythonHttpx);
    assert!(
        py.contains("sextant_token = os.environ[\"SEXTANT_TOKEN\"]"),
        "{py}"
    );
    assert!(
        py.contains("\"Authorization\": \"Bearer \" + sextant_token"),
        "{py}"
    );
    let curl = snippet(&basic, SnippetLanguage::Curl);
    assert!(curl.contains("-u 'ann:'\"$SEXTANT_PASSWORD\""), "{curl}");
    assert!(
        curl.contains("--url-query 'api_key='\"$SEXTANT_API_KEY\""),
        "{curl}"
    );
    let js = snippet(&bearer, SnippetLanguage::JavaScriptFetch);
    assert!(js.contains("const sextantToken = process.env.SEXTANT_TOKEN;"));
    let go = snippet(&bearer, SnippetLanguage::GoNetHttp);
    assert!(go.contains("sextantToken := os.Getenv(\"SEXTANT_TOKEN\")"));
    assert!(go.contains("url.QueryEscape(sextantApiKey)"), "{go}");
    let rust = snippet(&bearer, SnippetLanguage::RustReqwest);
    assert!(rust.contains("let sextant_token = std::env::var(\"SEXTANT_TOKEN\")?;"));
}

#[test]
fn api_keys_land_where_they_belong() {
    let mut req = post_json();
    req.auth = Auth::ApiKey {
        name: "session".into(),
        value: "{{sid}}".into(),
        location: ApiKeyLocation::Cookie,
    };
    let curl = snippet(&req, SnippetLanguage::Curl);
    assert!(
        curl.contains("-H 'Cookie: session='\"$SEXTANT_SID\""),
        "{curl}"
    );
}

#[test]
fn form_multipart_and_file_bodies() {
    let mut request = HttpRequest::get("http://h/upload");
    request.method = "POST".into();
    request.body = RequestBody::Multipart {
        parts: vec![
            MultipartPart {
                name: "title".into(),
                enabled: true,
                value: PartValue::Text {
                    text: "@x;y".into(),
                },
            },
            MultipartPart {
                name: "doc".into(),
                enabled: true,
                value: PartValue::File {
                    path: "/tmp/a \"b\".txt".into(),
                    filename: None,
                    content_type: Some("text/plain".into()),
                },
            },
        ],
    };
    let req = SnippetRequest {
        request,
        auth: Auth::None,
    };
    let curl = snippet(&req, SnippetLanguage::Curl);
    assert!(curl.contains("--form-string 'title=@x;y'"), "{curl}");
    assert!(
        curl.contains(r#"-F 'doc=@"/tmp/a \"b\".txt";filename="a \"b\".txt";type=text/plain'"#),
        "{curl}"
    );
    let py = snippet(&req, SnippetLanguage::PythonRequests);
    assert!(py.contains("(\"title\", (None, \"@x;y\")),"), "{py}");
    assert!(
        py.contains("open(\"/tmp/a \\\"b\\\".txt\", \"rb\"), \"text/plain\")"),
        "{py}"
    );
    let js = snippet(&req, SnippetLanguage::JavaScriptFetch);
    assert!(js.contains("import { readFile } from \"node:fs/promises\";"));
    assert!(js.contains("new Blob([await readFile("), "{js}");
    let go = snippet(&req, SnippetLanguage::GoNetHttp);
    assert!(go.contains("mw.WriteField(\"title\", \"@x;y\")") && go.contains("\"mime\""));
    let rust = snippet(&req, SnippetLanguage::RustReqwest);
    assert!(rust.contains(".multipart(form)") && rust.contains("Part::file("));

    let mut binary = req.clone();
    binary.request.body = RequestBody::Binary {
        path: "/tmp/blob.bin".into(),
        content_type: None,
    };
    let curl = snippet(&binary, SnippetLanguage::Curl);
    assert!(curl.contains("--data-binary '@/tmp/blob.bin'"), "{curl}");
    assert!(curl.contains("Content-Type: application/octet-stream"));
    let mut form = req;
    form.request.body = RequestBody::Form {
        fields: vec![KeyValue::new("a b", "1"), KeyValue::new("a b", "2")],
    };
    let curl = snippet(&form, SnippetLanguage::Curl);
    assert!(curl.contains("--data-urlencode 'a+b=1'") && curl.contains("--data-urlencode 'a+b=2'"));
    let httpx = snippet(&form, SnippetLanguage::PythonHttpx);
    assert!(httpx.contains("\"a b\": [\"1\", \"2\"],"), "{httpx}");
}

#[test]
fn head_and_odd_methods() {
    let mut req = post_json();
    req.request.method = "HEAD".into();
    req.request.body = RequestBody::None;
    assert!(snippet(&req, SnippetLanguage::Curl).contains("curl --head "));
    req.request.method = "PURGE".into();
    assert!(snippet(&req, SnippetLanguage::RustReqwest)
        .contains("reqwest::Method::from_bytes(\"PURGE\".as_bytes())?"));
}

// ---- Quoting, decoded back ----

/// Reads a bash word made of `'…'` runs and `\'`, as bash does.
fn unquote_sh(word: &str) -> String {
    let mut out = String::new();
    let mut chars = word.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    out.push(c);
                }
            }
            '\\' => out.push(chars.next().expect("escaped char")),
            other => panic!("unquoted {other:?} in {word}"),
        }
    }
    out
}

/// The shell word `text` starts with: single-quoted runs and backslash escapes, up to the first
/// unquoted whitespace.
fn sh_word(text: &str) -> &str {
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' => {
                chars.by_ref().find(|(_, c)| *c == '\'');
            }
            '\\' => {
                chars.next();
            }
            c if c.is_whitespace() => return &text[..i],
            _ => {}
        }
    }
    text
}

/// Reads a C-like double-quoted literal with Python, Go and Rust escapes.
fn unescape(literal: &str) -> String {
    let inner = literal
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .expect("quoted");
    let mut out = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        assert!(c != '"', "bare quote in {literal}");
        assert!(!c.is_control(), "bare control char in {literal}");
        if c != '\\' {
            out.push(c);
            continue;
        }
        let hex = |chars: &mut std::iter::Peekable<std::str::Chars>, n: usize| {
            let s: String = chars.by_ref().take(n).collect();
            char::from_u32(u32::from_str_radix(&s, 16).expect("hex")).expect("char")
        };
        match chars.next().expect("escape") {
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            '0' => out.push('\0'),
            '"' => out.push('"'),
            '\\' => out.push('\\'),
            'x' => out.push(hex(&mut chars, 2)),
            'U' => out.push(hex(&mut chars, 8)),
            'u' if chars.peek() == Some(&'{') => {
                chars.next();
                let s: String = chars.by_ref().take_while(|c| *c != '}').collect();
                out.push(char::from_u32(u32::from_str_radix(&s, 16).unwrap()).unwrap());
            }
            'u' => out.push(hex(&mut chars, 4)),
            other => panic!("unknown escape \\{other} in {literal}"),
        }
    }
    out
}

fn nasty() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("'".to_owned()),
            Just("\"".to_owned()),
            Just("\\".to_owned()),
            Just("\n".to_owned()),
            Just("\r".to_owned()),
            Just("$".to_owned()),
            Just("${x}".to_owned()),
            Just("`".to_owned()),
            Just("{}".to_owned()),
            Just("\u{0}".to_owned()),
            Just("\u{7f}".to_owned()),
            Just("\u{85}".to_owned()),
            Just("é".to_owned()),
            Just("😀".to_owned()),
            Just("\u{2028}".to_owned()),
            "[a-z ]{0,3}",
            any::<char>().prop_map(String::from),
        ],
        0..12,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn bash_quoting_round_trips(s in nasty()) {
        prop_assert_eq!(unquote_sh(&curl::quote(&s)), s);
    }

    #[test]
    fn python_go_rust_literals_round_trip(s in nasty()) {
        prop_assert_eq!(unescape(&crate::pylit::string(&s)), s.clone());
        prop_assert_eq!(unescape(&go::lit(&s)), s.clone());
        prop_assert_eq!(unescape(&rust::lit(&s)), s);
    }

    #[test]
    fn javascript_literals_round_trip(s in nasty()) {
        let back: String = serde_json::from_str(&js::lit(&s)).unwrap();
        prop_assert_eq!(back, s);
    }

    #[test]
    fn hostile_values_stay_inside_their_literals(s in nasty()) {
        prop_assume!(sextant_model::variables_in(&s).is_empty());
        let mut req = post_json();
        req.request.headers.push(KeyValue::new("X-Nasty", s.clone()));
        let curl = snippet(&req, SnippetLanguage::Curl);
        let at = curl.find("-H 'X-Nasty").unwrap() + "-H ".len();
        let word = sh_word(&curl[at..]);
        let expected = if s.is_empty() { "X-Nasty;".to_owned() } else { format!("X-Nasty: {s}") };
        prop_assert_eq!(unquote_sh(word), expected);
    }
}
