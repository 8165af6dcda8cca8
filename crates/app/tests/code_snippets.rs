//! "Code" in the composer (`App::code_snippet`): a request opened from a collection, edited in
//! memory (a secret variable, a literal API key), written as curl, Python httpx, Python requests
//! and JavaScript fetch, and each snippet RUN (bash, the test servers' venv Python, Node) against
//! httpbin's `/anything`, which echoes what arrived: method, query, headers and JSON body must
//! be what the request holds, hostile characters included; the secrets reach the server from
//! environment variables and never appear in the code.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{app, local_environment, runtime, text, venv_bin, write_files};
use serde_json::{json, Value};
use sextant_app::{SendContext, SnippetLanguage};
use sextant_model::{KeyValue, Variable};
use sextant_testkit::PyServer;

const TOKEN: &str = "s3cr3t-token-value";
const API_KEY: &str = "k3y-literal-value";
const NOTE: &str = r#"it's "quoted" \ $HOME ${x} `tick`"#;

/// The snippets of the request `snip/echo.yaml`, edited in memory as the composer would.
fn snippets(base_url: &str) -> Vec<(SnippetLanguage, String)> {
    let ws = tempfile::tempdir().unwrap();
    let c = ws.path().join("snip");
    local_environment(&c, base_url, &[("who", "Zoë & co")]);
    write_files(
        &c,
        &[
            (
                "collection.yaml",
                "name: snip\nheaders:\n- name: X-From-Collection\n  value: inherited\n",
            ),
            (
                "echo.yaml",
                r#"name: Echo
method: POST
url: '{{baseUrl}}/anything'
query:
- name: q
  value: 'a b&c=d'
- name: who
  value: '{{who}}'
auth: {kind: bearer, token: '{{token}}'}
body:
  kind: json
  text: '{"name": "Lampe ünd Licht", "quote": "it''s \"q\" $x \\ {}", "n": 1}'
"#,
            ),
        ],
    );
    let (app, _data) = app(Some(ws.path()));
    runtime().block_on(async {
        let mut saved = app
            .request_open("snip/echo.yaml".into())
            .await
            .unwrap()
            .saved;
        saved.variables.push(Variable::secret("token", TOKEN));
        saved
            .request
            .headers
            .push(KeyValue::new("X-Api-Key", API_KEY));
        saved.request.headers.push(KeyValue::new("X-Note", NOTE));
        let context = SendContext::new(Some("snip/echo.yaml".into()), Some("local".into()));
        let mut out = Vec::new();
        for lang in [
            SnippetLanguage::Curl,
            SnippetLanguage::PythonHttpx,
            SnippetLanguage::PythonRequests,
            SnippetLanguage::JavaScriptFetch,
            SnippetLanguage::GoNetHttp,
            SnippetLanguage::RustReqwest,
        ] {
            let code = app
                .code_snippet(saved.clone(), Some(context.clone()), lang)
                .await
                .unwrap();
            out.push((lang, code));
        }
        out
    })
}

/// Runs `program file` with the secrets in the environment; the JSON httpbin echoed.
fn run(program: &Path, file: &Path) -> Value {
    let out = Command::new(program)
        .arg(file)
        .env("SEXTANT_TOKEN", TOKEN)
        .env("SEXTANT_X_API_KEY", API_KEY)
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", program.display()));
    assert!(out.status.success(), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Python and JavaScript print the status first; curl prints the body only.
    let body = match stdout.split_once('\n') {
        Some((first, rest)) if first.trim() == "200" => rest,
        _ => &stdout,
    };
    serde_json::from_str(body.trim()).unwrap_or_else(|e| panic!("{e}: {}", text(&out)))
}

fn header<'v>(echo: &'v Value, name: &str) -> &'v Value {
    &echo["headers"][name]
}

#[test]
fn snippets_send_the_request_as_composed() {
    let server = PyServer::shared_httpbin();
    let dir = tempfile::tempdir().unwrap();
    let python = venv_bin("python");
    let programs: [(SnippetLanguage, &str, PathBuf); 4] = [
        (SnippetLanguage::Curl, "snippet.sh", PathBuf::from("bash")),
        (
            SnippetLanguage::PythonHttpx,
            "httpx_snippet.py",
            python.clone(),
        ),
        (
            SnippetLanguage::PythonRequests,
            "requests_snippet.py",
            python,
        ),
        (
            SnippetLanguage::JavaScriptFetch,
            "snippet.mjs",
            PathBuf::from("node"),
        ),
    ];
    let all = snippets(&server.base_url());
    for (lang, code) in &all {
        assert!(
            !code.contains(TOKEN),
            "{lang:?} writes the secret variable: {code}"
        );
        assert!(
            !code.contains(API_KEY),
            "{lang:?} writes the literal API key: {code}"
        );
        assert!(code.contains("SEXTANT_TOKEN"), "{lang:?}: {code}");
        assert!(code.contains(&server.url("/anything")), "{lang:?}: {code}");
    }
    for (lang, file, program) in programs {
        let code = &all.iter().find(|(l, _)| *l == lang).unwrap().1;
        let path = dir.path().join(file);
        std::fs::write(&path, code).unwrap();
        let echo = run(&program, &path);
        let ctx = format!("{lang:?}:\n{code}\n--- echoed\n{echo:#}");
        assert_eq!(echo["method"], "POST", "{ctx}");
        assert_eq!(
            echo["args"],
            json!({"q": "a b&c=d", "who": "Zoë & co"}),
            "{ctx}"
        );
        assert_eq!(
            echo["json"],
            json!({"name": "Lampe ünd Licht", "quote": "it's \"q\" $x \\ {}", "n": 1}),
            "{ctx}"
        );
        assert_eq!(header(&echo, "X-Note"), NOTE, "{ctx}");
        assert_eq!(header(&echo, "X-Api-Key"), API_KEY, "{ctx}");
        assert_eq!(header(&echo, "X-From-Collection"), "inherited", "{ctx}");
        assert_eq!(
            header(&echo, "Authorization"),
            &format!("Bearer {TOKEN}"),
            "{ctx}"
        );
        assert!(
            header(&echo, "Content-Type")
                .as_str()
                .is_some_and(|c| c.starts_with("application/json")),
            "{ctx}"
        );
    }
}

/// Go and Rust cannot be run here (no Go toolchain; a reqwest project per test is too slow to
/// build): their text carries the same request and reads the same variables.
#[test]
fn go_and_rust_snippets_carry_the_request() {
    let all = snippets("http://127.0.0.1:9");
    let go = &all
        .iter()
        .find(|(l, _)| *l == SnippetLanguage::GoNetHttp)
        .unwrap()
        .1;
    assert!(
        go.contains("package main") && go.contains("func main() {"),
        "{go}"
    );
    assert!(
        go.contains("sextantToken := os.Getenv(\"SEXTANT_TOKEN\")"),
        "{go}"
    );
    assert!(
        go.contains("req.Header.Add(\"Authorization\", \"Bearer \" + sextantToken)"),
        "{go}"
    );
    assert!(
        go.contains("http://127.0.0.1:9/anything?q=a+b%26c%3Dd&who=Zo%C3%AB+%26+co"),
        "{go}"
    );
    let rust = &all
        .iter()
        .find(|(l, _)| *l == SnippetLanguage::RustReqwest)
        .unwrap()
        .1;
    assert!(
        rust.contains("std::env::var(\"SEXTANT_X_API_KEY\")?"),
        "{rust}"
    );
    assert!(
        rust.contains(".header(\"X-From-Collection\", \"inherited\")"),
        "{rust}"
    );
}

/// Without a collection context (no workspace could be read) the request is written as
/// composed: its own variables resolve, other names are read from the environment.
#[test]
fn without_a_context_the_request_is_written_as_composed() {
    let (app, _data) = app(None);
    let mut saved = sextant_model::SavedRequest::new(
        "Item",
        sextant_model::HttpRequest::get("{{baseUrl}}/items/{{id}}"),
    );
    saved.variables.push(Variable::new("id", "7"));
    let code = runtime()
        .block_on(app.code_snippet(saved, None, SnippetLanguage::PythonRequests))
        .unwrap();
    assert!(
        code.contains("sextant_base_url = os.environ[\"SEXTANT_BASE_URL\"]"),
        "{code}"
    );
    assert!(code.contains("sextant_base_url + \"/items/7\""), "{code}");
}

/// A WebSocket request has no HTTP snippet: one with WebSocket settings, one whose URL is
/// `wss://` as typed, and one whose URL becomes `ws://` only once templated are each refused
/// with the sentence the Code tab shows; the same URL as `http://` still gets its snippet.
#[test]
fn a_websocket_request_is_refused_with_a_sentence_not_written_as_http() {
    let (app, _data) = app(None);
    let snippet = |saved: sextant_model::SavedRequest| {
        runtime().block_on(app.code_snippet(saved, None, SnippetLanguage::Curl))
    };
    let request = |url: &str| {
        let mut saved =
            sextant_model::SavedRequest::new("Chat", sextant_model::HttpRequest::get(url));
        saved
            .variables
            .push(Variable::new("base", "WS://127.0.0.1:9/"));
        saved
    };
    let mut with_settings = request("http://127.0.0.1:9/chat");
    with_settings.websocket = Some(sextant_model::WebSocketSettings::default());
    for saved in [
        with_settings,
        request("wss://127.0.0.1:9/chat"),
        request("{{base}}chat"),
    ] {
        let url = saved.request.url.clone();
        let refused = snippet(saved).unwrap_err();
        assert_eq!(
            refused.code,
            sextant_model::ErrorCode::InvalidRequest,
            "{url}"
        );
        assert!(
            refused
                .message
                .starts_with("Code snippets cover HTTP requests"),
            "{url}: {}",
            refused.message
        );
    }
    let http = snippet(request("http://127.0.0.1:9/chat")).unwrap();
    assert!(http.contains("http://127.0.0.1:9/chat"), "{http}");
}
