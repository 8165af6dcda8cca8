//! `sextant send` records into the history shared with the desktop app; `sextant history`
//! lists, searches, shows and prunes it.

use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use sextant_app::{App, AppConfig, HistoryQuery, Source};
use sextant_model::HttpRequest;
use sextant_testkit::FaultServer;

fn sextant_in(data_dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sextant"))
        .args(args)
        .env("SEXTANT_DATA_DIR", data_dir)
        .stdin(Stdio::null())
        .output()
        .expect("run sextant")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn a_send_is_found_by_a_word_of_its_response_and_shown() {
    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    let out = sextant_in(
        dir.path(),
        &[
            "send",
            &server.url("/echo"),
            "word=quetzalcoatl",
            "Authorization:Bearer xyz-secret",
        ],
    );
    assert!(out.status.success(), "{out:?}");
    assert!(dir.path().join("history.sqlite").is_file());

    let rows = json(&sextant_in(
        dir.path(),
        &["history", "quetzalcoatl", "--json"],
    ));
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["method"], "POST");
    assert_eq!(rows[0]["status"], 200);
    let id = rows[0]["id"].as_i64().unwrap();

    let entry = json(&sextant_in(
        dir.path(),
        &["history", "show", &id.to_string(), "--json"],
    ));
    assert_eq!(entry["source"], "cli");
    assert_eq!(entry["responseBodyPath"], serde_json::Value::Null);
    assert!(entry["requestHeaders"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h[0] == "Authorization" && h[1] == "Bearer •••"));
    assert!(entry["responseBodyText"]
        .as_str()
        .unwrap()
        .contains("quetzalcoatl"));

    let table = sextant_in(dir.path(), &["history", "--status", "2xx"]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("POST") && text.contains("/echo"), "{text}");
    let none = json(&sextant_in(
        dir.path(),
        &["history", "--status", "4", "--json"],
    ));
    assert_eq!(none.as_array().unwrap().len(), 0);

    let shown = sextant_in(dir.path(), &["history", "show", &id.to_string()]);
    assert!(String::from_utf8_lossy(&shown.stdout).contains("→ 200"));
    let missing = sextant_in(dir.path(), &["history", "show", "99999"]);
    assert_eq!(missing.status.code(), Some(1));
}

#[test]
fn no_history_skips_recording_and_failures_are_recorded() {
    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    let out = sextant_in(dir.path(), &["send", "--no-history", &server.url("/ok")]);
    assert!(out.status.success());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = sextant_in(dir.path(), &["send", &format!("http://127.0.0.1:{port}/")]);
    assert_eq!(out.status.code(), Some(2));
    let rows = json(&sextant_in(dir.path(), &["history", "--json"]));
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["status"], serde_json::Value::Null);
    assert_eq!(rows[0]["errorCode"], "Connect");
}

#[test]
fn prune_needs_a_limit_and_keeps_the_newest() {
    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..3 {
        assert!(sextant_in(dir.path(), &["send", &server.url("/ok")])
            .status
            .success());
    }
    let refused = sextant_in(dir.path(), &["history", "prune"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--max-entries"));
    let out = sextant_in(dir.path(), &["history", "prune", "--max-entries", "1"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Deleted 2 entries"),
        "{out:?}"
    );
    let rows = json(&sextant_in(dir.path(), &["history", "--json"]));
    assert_eq!(rows.as_array().unwrap().len(), 1);
    let out = sextant_in(dir.path(), &["history", "prune", "--max-age", "soon"]);
    assert!(!out.status.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_and_cli_processes_record_at_the_same_time() {
    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    let app = Arc::new(App::new(AppConfig::new(dir.path())).unwrap());
    let url = server.url("/ok");
    let children: Vec<_> = (0..4)
        .map(|i| {
            Command::new(env!("CARGO_BIN_EXE_sextant"))
                .args(["send", &url, &format!("cli-{i}==1")])
                .env("SEXTANT_DATA_DIR", dir.path())
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    let sends: Vec<_> = (0..10)
        .map(|i| {
            let app = Arc::clone(&app);
            let req = HttpRequest::get(format!("{url}?app-{i}=1"));
            tokio::spawn(async move { app.send_request(&format!("r{i}"), &req, &|_| {}).await })
        })
        .collect();
    for s in sends {
        s.await.unwrap().unwrap();
    }
    for mut c in children {
        assert!(tokio::task::spawn_blocking(move || c.wait())
            .await
            .unwrap()
            .unwrap()
            .success());
    }
    let rows = app.history_list(HistoryQuery::default()).await.unwrap();
    assert_eq!(rows.len(), 14);
    let cli = rows.iter().filter(|r| r.url.contains("cli-")).count();
    assert_eq!(cli, 4);
    let entry = app.history_get(rows[0].id).await.unwrap();
    assert!(matches!(entry.recorded.source, Source::App | Source::Cli));
}
