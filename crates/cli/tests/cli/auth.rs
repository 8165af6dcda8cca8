//! `sextant send -A/--auth-type` and `-a/--auth` against httpbin, which checks the credentials.

use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use sextant_testkit::PyServer;

fn data_dir() -> &'static std::path::Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().unwrap()).path()
}

/// Runs `sextant send --body-only ARGS` with stdin not a terminal.
fn send(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sextant"))
        .arg("send")
        .arg("--body-only")
        .args(args)
        .env("SEXTANT_DATA_DIR", data_dir())
        .stdin(Stdio::null())
        .output()
        .expect("run sextant")
}

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{o:?}");
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {o:?}"))
}

#[test]
fn basic_is_the_default_auth_type() {
    let httpbin = PyServer::shared_httpbin();
    let url = httpbin.url("/basic-auth/u/p");
    assert_eq!(json(&send(&["-a", "u:p", &url]))["authenticated"], true);
    assert_eq!(
        json(&send(&["--auth-type", "basic", "--auth", "u:p", &url]))["user"],
        "u"
    );
    let wrong = send(&["-a", "u:nope", "--check-status", &url]);
    assert_eq!(wrong.status.code(), Some(4), "{wrong:?}");
}

#[test]
fn digest_answers_the_challenge() {
    let httpbin = PyServer::shared_httpbin();
    let url = httpbin.url("/digest-auth/auth/u/p/MD5");
    assert_eq!(
        json(&send(&["-A", "digest", "-a", "u:p", &url]))["authenticated"],
        true
    );
    // Without -A the same credentials go as Basic, which the digest route refuses.
    let basic = send(&["-a", "u:p", "--check-status", &url]);
    assert_eq!(basic.status.code(), Some(4), "{basic:?}");
}

#[test]
fn bearer_sends_the_token() {
    let httpbin = PyServer::shared_httpbin();
    let out = send(&["-A", "bearer", "-a", "tok-123", &httpbin.url("/bearer")]);
    assert_eq!(json(&out)["token"], "tok-123");
}

#[test]
fn a_missing_password_without_a_terminal_is_an_error() {
    let httpbin = PyServer::shared_httpbin();
    let out = send(&["-a", "u", &httpbin.url("/basic-auth/u/p")]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("stdin is not a terminal"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn auth_type_without_auth_is_a_usage_error() {
    let out = send(&["-A", "digest", "http://127.0.0.1:9/"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--auth"));
}
