//! Export as code (`App::export_code`, `App::write_code`): a collection written here (the demo
//! API's items, with assertions and a capture chain) exported, checked by `ruff` and
//! `py_compile`, and run: green against the live demo, red with the failing assertion named when
//! the demo is started broken (`DEMO_BREAK=items`), green in-process through FastAPI's TestClient
//! and Flask's test client with no server, and as a curl script.

mod common;

use std::process::{Command, Stdio};

use common::{demo_workspace, export, lint, local_environment, pytest, repo, text, write_files};
use sextant_app::CodeFormat;
use sextant_testkit::PyServer;

#[test]
fn the_pytest_export_is_green_against_the_demo_and_red_when_it_breaks() {
    let demo = PyServer::demo_api().unwrap();
    let ws = demo_workspace(&demo.base_url());
    let (_, dir) = export(ws.path(), CodeFormat::Pytest, None);
    lint(&dir);

    let green = pytest(&dir, &[], &[]);
    assert_eq!(green.status.code(), Some(0), "{}", text(&green));
    assert!(
        String::from_utf8_lossy(&green.stdout).contains("4 passed"),
        "{}",
        text(&green)
    );

    // The same suite against a demo whose GET /items/{id} answers a wrong name.
    let broken = PyServer::demo_api_with_env(&[("DEMO_BREAK", "items")]).unwrap();
    let red = pytest(&dir, &[], &[("DEMO_API_BASE_URL", &broken.base_url())]);
    assert_eq!(red.status.code(), Some(1), "{}", text(&red));
    let out = String::from_utf8_lossy(&red.stdout);
    assert!(out.contains("1 failed, 3 passed"), "{}", text(&red));
    assert!(
        out.contains("TestItems::test_get_created_item"),
        "{}",
        text(&red)
    );
    assert!(out.contains(r#"body $.name == "Lamp""#), "{}", text(&red));
    assert!(out.contains("Lamp (broken)"), "{}", text(&red));
}

#[test]
fn the_testclient_export_runs_in_process_with_no_server() {
    // The environment points at a port nothing listens on: only an in-process client passes.
    let ws = demo_workspace("http://127.0.0.1:9");
    let (_, dir) = export(ws.path(), CodeFormat::TestClient, Some("demo_api.app:app"));
    lint(&dir);
    let servers = repo().join("tests/servers");
    let run = pytest(&dir, &[], &[("PYTHONPATH", &servers.to_string_lossy())]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    assert!(
        String::from_utf8_lossy(&run.stdout).contains("4 passed"),
        "{}",
        text(&run)
    );
}

#[test]
fn the_flask_export_runs_against_the_app_in_process() {
    let ws = tempfile::tempdir().unwrap();
    let c = ws.path().join("demo-api");
    local_environment(&c, "http://127.0.0.1:9", &[]);
    write_files(
        &c,
        &[
            ("collection.yaml", "name: httpbin\n"),
            ("get.yaml", "name: Get\nmethod: GET\nurl: '{{baseUrl}}/get'\nquery:\n- name: q\n  value: lamp\nheaders:\n- name: X-Demo\n  value: yes\nassertions:\n- status == 200\n- body $.args.q == \"lamp\"\n- body $.headers.X-Demo == \"yes\"\n"),
            ("post.yaml", "name: Post form\nmethod: POST\nurl: '{{baseUrl}}/post'\nbody:\n  kind: form\n  fields:\n  - name: a\n    value: '1'\nassertions:\n- status == 200\n- body $.form.a == \"1\"\n"),
        ],
    );
    let (_, dir) = export(ws.path(), CodeFormat::Flask, Some("httpbin:app"));
    lint(&dir);
    let run = pytest(&dir, &[], &[]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    assert!(
        String::from_utf8_lossy(&run.stdout).contains("2 passed"),
        "{}",
        text(&run)
    );
}

#[test]
fn the_curl_script_runs_green_and_stops_at_a_broken_answer() {
    let demo = PyServer::demo_api().unwrap();
    let ws = demo_workspace(&demo.base_url());
    let (_, dir) = export(ws.path(), CodeFormat::Curl, None);
    let script = dir.join("run.sh");
    let run = Command::new("bash")
        .arg(&script)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    assert!(String::from_utf8_lossy(&run.stdout).contains("all requests passed"));

    let broken = PyServer::demo_api_with_env(&[("DEMO_BREAK", "items")]).unwrap();
    let red = Command::new("bash")
        .arg(&script)
        .env("DEMO_API_BASE_URL", broken.base_url())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(red.status.code(), Some(1), "{}", text(&red));
    let err = String::from_utf8_lossy(&red.stderr);
    assert!(
        err.contains("FAILED: Get created item: body .name is \"Lamp (broken)\""),
        "{}",
        text(&red)
    );
}
