//! `sextant send PATH` as a process against two in-process fault servers: a saved request's
//! `{{baseUrl}}` comes from the chosen environment (so `--env` picks the server), its
//! collection's variables and auth are applied, a failing assertion exits 1 with `sextant run`'s
//! failure text, and a request file that is not there exits 2 with a clear message.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use sextant_app::{App, AppConfig};
use sextant_model::{
    AssertPredicate as P, AssertQuery as Q, Assertion, Auth, Environment, HttpRequest, KeyValue,
    SavedRequest, Variable,
};
use sextant_testkit::FaultServer;

/// A workspace with collection `shop` (variable `who`, bearer auth from it), environments `a`
/// and `b` (each a `baseUrl`), and two requests: `echo.yaml` (passing assertions) and
/// `wrong.yaml` (expects 201 from a 200).
async fn workspace(dir: &Path, a: &FaultServer, b: &FaultServer) -> (String, String) {
    let mut config = AppConfig::new(dir.join("data"));
    config.workspace_dir = Some(dir.join("ws"));
    std::fs::create_dir_all(dir.join("ws")).unwrap();
    let app = App::new(config).unwrap();
    let collection = app.collection_create("shop".into()).await.unwrap();
    let mut settings = app.settings_open(collection.clone()).await.unwrap();
    settings.variables = vec![Variable::new("who", "tester")];
    settings.auth = Auth::Bearer {
        token: "{{who}}-abc".into(),
    };
    app.settings_save(collection.clone(), settings)
        .await
        .unwrap();
    for (name, server) in [("a", a), ("b", b)] {
        let environment = Environment {
            name: name.into(),
            variables: vec![Variable::new("baseUrl", server.url(""))],
        };
        app.environment_save(collection.clone(), environment)
            .await
            .unwrap();
    }
    let mut echo = SavedRequest::new("echo", HttpRequest::get("{{baseUrl}}/echo"));
    echo.request.headers = vec![KeyValue::new("X-Who", "{{who}}")];
    echo.assertions = vec![
        Assertion::new(Q::Status, P::Equals, Some("200")),
        Assertion::new(
            Q::JsonPath {
                path: "$.method".into(),
            },
            P::Equals,
            Some("\"GET\""),
        ),
    ];
    let echo = app.request_create(collection.clone(), echo).await.unwrap();
    let mut wrong = SavedRequest::new("wrong", HttpRequest::get("{{baseUrl}}/ok"));
    wrong.assertions = vec![Assertion::new(Q::Status, P::Equals, Some("201"))];
    let wrong = app.request_create(collection, wrong).await.unwrap();
    (echo.path, wrong.path)
}

fn send(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sextant"))
        .arg("send")
        .args(args)
        .env("SEXTANT_DATA_DIR", dir.join("data"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[tokio::test]
async fn the_environment_picks_the_server_and_the_collection_supplies_variables_and_auth() {
    let (a, b) = (FaultServer::start(), FaultServer::start());
    let dir = tempfile::tempdir().unwrap();
    let (echo, _) = workspace(dir.path(), &a, &b).await;
    let ws = dir.path().join("ws");
    let ws = ws.to_str().unwrap();

    for (env, server, other) in [("a", &a, &b), ("b", &b, &a)] {
        let out = send(dir.path(), &[&echo, "--env", env, "--workspace", ws]);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
        assert!(stdout.starts_with("HTTP/1.1 200 OK\n"), "{stdout}");
        let host = server.url("").trim_start_matches("http://").to_owned();
        let elsewhere = other.url("").trim_start_matches("http://").to_owned();
        assert!(
            stdout.contains(&host) && !stdout.contains(&elsewhere),
            "{env}: {stdout}"
        );
        assert!(stdout.contains("\"x-who\",\n      \"tester\""), "{stdout}");
        assert!(stdout.contains("Bearer tester-abc"), "{stdout}");
        assert!(
            stderr.contains("PASSED: 2 assertions, 2 passed, 0 failed"),
            "{stderr}"
        );
    }

    // An absolute path inside the workspace names the same request.
    let absolute = dir.path().join("ws").join(&echo);
    let out = send(
        dir.path(),
        &[absolute.to_str().unwrap(), "--env", "b", "--workspace", ws],
    );
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    assert!(text(&out).0.contains(&b.url("").replace("http://", "")));
}

#[tokio::test]
async fn a_failing_assertion_exits_1_with_the_run_failure_text() {
    let (a, b) = (FaultServer::start(), FaultServer::start());
    let dir = tempfile::tempdir().unwrap();
    let (_, wrong) = workspace(dir.path(), &a, &b).await;
    let ws = dir.path().join("ws");
    let out = send(
        dir.path(),
        &[&wrong, "--env", "a", "--workspace", ws.to_str().unwrap()],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.starts_with("HTTP/1.1 200 OK\n"), "{stdout}");
    assert!(
        stderr.contains(&format!("--> {}", ws.join(&wrong).display()))
            && stderr.contains("expected status == 201, got 200")
            && stderr.contains("expected: == 201")
            && stderr.contains("actual:   200")
            && stderr.contains("FAILED: 1 assertions, 0 passed, 1 failed"),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_missing_request_file_exits_2_and_says_so() {
    let (a, b) = (FaultServer::start(), FaultServer::start());
    let dir = tempfile::tempdir().unwrap();
    workspace(dir.path(), &a, &b).await;
    let ws = dir.path().join("ws");
    let out = send(
        dir.path(),
        &["shop/nothing.yaml", "--workspace", ws.to_str().unwrap()],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("no request file shop/nothing.yaml in the workspace"),
        "{stderr}"
    );
    assert!(stdout.is_empty(), "{stdout}");

    // Without --workspace the word is still a saved request: it does not read as a host.
    let out = send(dir.path(), &["shop/nothing.yaml"]);
    assert_eq!(out.status.code(), Some(2), "{:?}", text(&out));
    assert!(text(&out).1.contains("no request file shop/nothing.yaml"));

    // An unknown environment is an error of the saved request, not a send.
    let echo = send(
        dir.path(),
        &[
            "shop/echo.yaml",
            "--env",
            "nope",
            "--workspace",
            ws.to_str().unwrap(),
        ],
    );
    assert_eq!(echo.status.code(), Some(2), "{:?}", text(&echo));
    assert!(
        text(&echo).1.contains("no environment nope"),
        "{:?}",
        text(&echo)
    );
}
