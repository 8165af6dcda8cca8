//! `sextant run` as a process against the in-process fault server: exit codes 0/1/2, Hurl-like
//! failure output, and the JSON, JUnit XML (parsed) and HTML reports.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use quick_xml::events::Event;
use sextant_app::{App, AppConfig};
use sextant_model::{AssertPredicate as P, AssertQuery as Q, Assertion, HttpRequest, SavedRequest};
use sextant_testkit::FaultServer;

fn request(name: &str, url: String, status: &str, tag: &str) -> SavedRequest {
    let mut saved = SavedRequest::new(name, HttpRequest::get(url));
    saved.assertions = vec![Assertion::new(Q::Status, P::Equals, Some(status))];
    saved.tags = vec![tag.into()];
    saved
}

async fn workspace(dir: &Path, server: &FaultServer) {
    let mut config = AppConfig::new(dir.join("data"));
    config.workspace_dir = Some(dir.join("ws"));
    std::fs::create_dir_all(dir.join("ws")).unwrap();
    let app = App::new(config).unwrap();
    app.collection_create("shop".into()).await.unwrap();
    let folder = app
        .folder_create("shop".into(), "items".into())
        .await
        .unwrap();
    for saved in [
        request("a <ok>", server.url("/ok"), "200", "good"),
        request("b wrong status", server.url("/ok"), "201", "bad"),
        request("c refused", "http://127.0.0.1:9/".into(), "200", "bad"),
    ] {
        app.request_create(folder.clone(), saved).await.unwrap();
    }
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sextant"))
        .arg("run")
        .args(args)
        .arg("--workspace")
        .arg(dir.join("ws"))
        .env("SEXTANT_DATA_DIR", dir.join("data"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// (tests, failures, errors) of each `testsuite`, and each failure's message.
fn read_junit(xml: &str) -> (Vec<[String; 3]>, Vec<String>) {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut suites = Vec::new();
    let mut failures = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let attr = |name: &str| {
                    e.attributes()
                        .map(Result::unwrap)
                        .find(|a| a.key.as_ref() == name)
                        .map(|a| a.value.to_string())
                        .unwrap_or_default()
                };
                match e.name().as_ref() {
                    "testsuite" => suites.push([attr("tests"), attr("failures"), attr("errors")]),
                    "failure" | "error" => failures.push(attr("message")),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    (suites, failures)
}

#[tokio::test]
async fn a_failing_run_exits_1_and_writes_its_reports() {
    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    workspace(dir.path(), &server).await;
    let out = dir.path().join("reports");
    let output = run(
        dir.path(),
        &[
            "shop",
            "--reporter",
            "cli,json,junit,html",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("FAILED: 3 requests, 1 passed, 2 failed (1 without a response)"),
        "{stdout}"
    );
    let file = dir.path().join("ws/shop/items");
    assert!(
        stderr.contains(&format!("--> {}", file.display()))
            && stderr.contains("expected status == 201, got 200")
            && stderr.contains("expected: == 201")
            && stderr.contains("actual:   200")
            && stderr.contains("Connect"),
        "{stderr}"
    );

    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    assert_eq!(summary["total"], 3);
    assert_eq!(summary["failed"], 2);

    let xml = std::fs::read_to_string(out.join("junit.xml")).unwrap();
    let (suites, failures) = read_junit(&xml);
    assert_eq!(suites, [["3".to_owned(), "1".into(), "1".into()]], "{xml}");
    assert_eq!(failures.len(), 2, "{xml}");
    assert!(
        failures[0].contains("expected status == 201, got 200"),
        "{xml}"
    );
    assert!(failures[1].starts_with("Connect"), "{xml}");

    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("a &lt;ok&gt;") && !html.contains("a <ok>"),
        "{html}"
    );
    assert!(html.contains("b wrong status") && html.contains("expected status == 201"));
    assert!(!html.contains("http-equiv=\"refresh\"") && !html.contains("<script"));
    assert!(
        !html.contains("src=") && !html.contains("href="),
        "offline: nothing outside"
    );
}

#[tokio::test]
async fn a_passing_run_exits_0_and_a_run_that_cannot_start_exits_2() {
    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    workspace(dir.path(), &server).await;
    let output = run(dir.path(), &["shop", "--tag", "good"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let output = run(dir.path(), &["no-such-collection"]);
    assert_eq!(output.status.code(), Some(2));
    let data = dir.path().join("rows.csv");
    std::fs::write(&data, "a,b\n1\n").unwrap();
    let output = run(dir.path(), &["shop", "--data", data.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("1 fields on data row 1"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn no_history_leaves_the_run_out_of_the_history() {
    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    workspace(dir.path(), &server).await;
    let recorded = || async {
        let mut config = AppConfig::new(dir.path().join("data"));
        config.workspace_dir = Some(dir.path().join("ws"));
        let app = App::new(config).unwrap();
        let entries = app
            .history_list(sextant_app::HistoryQuery::default())
            .await
            .unwrap()
            .len();
        (entries, app.list_runs(10).await.unwrap().len())
    };
    let output = run(dir.path(), &["shop", "--tag", "good", "--no-history"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(recorded().await, (0, 0));
    let output = run(dir.path(), &["shop", "--tag", "good"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(recorded().await, (1, 1));
}
