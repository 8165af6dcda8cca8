//! Sending with the `sextant` binary against the fault server and the FastAPI demo API, and its
//! OpenAPI inspect and diff.

use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use sextant_testkit::{FaultServer, PyServer};

fn fault() -> &'static FaultServer {
    static SERVER: OnceLock<FaultServer> = OnceLock::new();
    SERVER.get_or_init(FaultServer::start)
}

/// The data directory every test without its own shares, so no test writes to $HOME.
fn shared_data_dir() -> &'static std::path::Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().unwrap()).path()
}

fn sextant(args: &[&str]) -> Output {
    sextant_in(shared_data_dir(), args)
}

fn sextant_in(data_dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sextant"))
        .args(args)
        .env_remove("NO_COLOR")
        .env("SEXTANT_DATA_DIR", data_dir)
        .stdin(Stdio::null())
        .output()
        .expect("run sextant")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn send_prints_status_headers_and_pretty_json_without_colour_when_piped() {
    let out = sextant(&["send", &fault().url("/json")]);
    assert!(out.status.success(), "{out:?}");
    let text = stdout(&out);
    assert!(text.starts_with("HTTP/1.1 200 OK\n"), "{text}");
    assert!(text.contains("content-type: application/json\n"));
    assert!(
        text.contains("{\n  \"hello\": \"world\",\n  \"n\": 1\n}"),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "colour codes in piped output");
}

#[test]
fn items_build_a_json_body_headers_and_query() {
    let out = sextant(&[
        "send",
        "--body-only",
        &fault().url("/echo"),
        "X-Trace:abc",
        "page==2",
        "name=Lamp",
        "price:=12.5",
    ]);
    assert!(out.status.success(), "{out:?}");
    let echo: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(echo["method"], "POST");
    assert_eq!(echo["path"], "/echo?page=2");
    assert_eq!(echo["body"], r#"{"name":"Lamp","price":12.5}"#);
    assert!(echo["headers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h[0] == "x-trace" && h[1] == "abc"));
}

#[test]
fn check_status_turns_4xx_into_a_non_zero_exit() {
    let api = PyServer::shared_demo_api();
    let url = api.url("/items/999999");
    assert!(sextant(&["send", &url]).status.success());
    let out = sextant(&["send", "--check-status", &url]);
    assert_eq!(out.status.code(), Some(4), "{out:?}");
}

#[test]
fn transport_errors_exit_2_with_the_error_code() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = sextant(&["send", &format!("http://127.0.0.1:{port}/")]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Connect:") && err.contains("refused"), "{err}");

    let out = sextant(&["send", "http://exa mple/"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("InvalidUrl"));
}

#[test]
fn timings_output_and_insecure_tls() {
    let out = sextant(&["send", "--timings", &fault().tls_url("/ok")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Tls:"));

    let out = sextant(&["send", "--timings", "--insecure", &fault().tls_url("/ok")]);
    assert!(out.status.success(), "{out:?}");
    let text = stdout(&out);
    for label in ["DNS", "Connect+TLS", "TTFB", "Download", "Total"] {
        assert!(text.contains(label), "{label} missing from {text}");
    }
}

#[test]
fn output_saves_the_body_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("body.bin");
    let out = sextant(&[
        "send",
        &fault().url("/bytes/300000"),
        "-o",
        dest.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(std::fs::metadata(&dest).unwrap().len(), 300_000);
}

#[test]
fn redirects_are_followed_and_shown_with_verbose() {
    let out = sextant(&["send", "-v", &fault().url("/redirect/2")]);
    assert!(out.status.success());
    assert!(stdout(&out).ends_with("done"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("302 GET").count(), 2, "{err}");

    let out = sextant(&[
        "send",
        "--no-follow",
        "--check-status",
        &fault().url("/redirect/2"),
    ]);
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn interrupt_cancels_and_exits_130() {
    // A server of its own, so its connection count is this send's.
    let server = FaultServer::start();
    let child = Command::new(env!("CARGO_BIN_EXE_sextant"))
        .args(["send", &server.url("/stall-head")])
        .env("SEXTANT_DATA_DIR", shared_data_dir())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Interrupted once the server has the connection: the send is underway, its head stalled.
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.connections() == 0 {
        assert!(Instant::now() < deadline, "sextant never connected");
        std::thread::sleep(Duration::from_millis(5));
    }
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("Cancelled"));
}

fn fixture(name: &str) -> String {
    format!(
        "{}/../openapi/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn openapi_inspect_reads_a_running_fastapi_server() {
    let api = PyServer::shared_demo_api();
    let out = sextant(&["openapi", "inspect", "--json", &api.url("/openapi.json")]);
    assert!(out.status.success(), "{out:?}");
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["version"], "3.1.0");
    assert!(summary["operations"].as_u64().unwrap() >= 10, "{summary}");
    assert_eq!(summary["warnings"].as_array().unwrap().len(), 0);
}

#[test]
fn openapi_inspect_lists_warnings_and_fails_with_a_location_on_bad_input() {
    let out = sextant(&["openapi", "inspect", &fixture("missing-ref.yaml")]);
    assert!(out.status.success(), "{out:?}");
    assert!(stdout(&out).contains("#/components/schemas/Nope"));

    let out = sextant(&["openapi", "inspect", &fixture("bad/truncated.json")]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("InvalidSpec") && err.contains("line 8"),
        "{err}"
    );
}

#[test]
fn openapi_diff_marks_breaking_changes() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.yaml");
    let new = dir.path().join("new.yaml");
    std::fs::write(
        &old,
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\n  /b:\n    get:\n      responses: {'200': {description: ok}}\n",
    )
    .unwrap();
    std::fs::write(
        &new,
        "openapi: 3.1.0\ninfo: {title: T, version: '2'}\npaths:\n  /a:\n    get:\n      parameters: [{name: q, in: query, required: true, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n  /c:\n    post:\n      responses: {'201': {description: made}}\n",
    )
    .unwrap();
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    let out = sextant(&["openapi", "diff", old, new]);
    assert!(out.status.success(), "{out:?}");
    let text = stdout(&out);
    assert!(text.contains("+ POST /c"), "{text}");
    assert!(text.contains("- GET /b  [breaking]"), "{text}");
    assert!(
        text.contains("query parameter \"q\" added (required)  [breaking]"),
        "{text}"
    );
    assert!(
        text.contains("1 added, 1 removed, 1 changed; 2 breaking"),
        "{text}"
    );

    let out = sextant(&["openapi", "diff", "--fail-on-breaking", old, new]);
    assert_eq!(out.status.code(), Some(1));
    let out = sextant(&["openapi", "diff", old, old]);
    assert_eq!(stdout(&out).trim(), "no changes");
}
