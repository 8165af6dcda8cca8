//! Export as code (`App::export_code`, `App::write_code`): a collection written here (the demo
//! API's items, with assertions and a capture chain) exported, checked by `ruff` and
//! `py_compile`, and run: green against the live demo, red with the failing assertion named when
//! the demo is started broken (`DEMO_BREAK=items`), green in-process through FastAPI's TestClient
//! and Flask's test client with no server, and as a curl script.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use sextant_app::{App, AppConfig, CodeFormat, CodeOptions};
use sextant_testkit::PyServer;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn venv_bin(name: &str) -> PathBuf {
    repo().join("tests/servers/.venv/bin").join(name)
}

fn text(out: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn write(path: &Path, contents: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

/// A workspace with the collection "Demo API": an items folder whose requests chain through a
/// captured id, and a health check, with the environment `local` pointing at `base_url`.
fn workspace(base_url: &str) -> tempfile::TempDir {
    let ws = tempfile::tempdir().unwrap();
    let c = ws.path().join("demo-api");
    write(
        &c.join("collection.yaml"),
        "name: Demo API\nheaders:\n- name: Accept\n  value: application/json\norder:\n- items\n- health.yaml\n",
    );
    write(
        &c.join("environments/local.yaml"),
        &format!("name: local\nvariables:\n- name: baseUrl\n  value: {base_url}\n"),
    );
    write(
        &c.join("items/folder.yaml"),
        "name: items\norder:\n- create-item.yaml\n- get-created-item.yaml\n- list-items.yaml\n",
    );
    write(
        &c.join("items/create-item.yaml"),
        r#"name: Create item
method: POST
url: '{{baseUrl}}/items'
body:
  kind: json
  text: '{"name": "Lamp", "price": 12.5, "tags": ["home", "light"]}'
captures:
- variable: itemId
  body: $.id
assertions:
- status == 201
- body $.name == "Lamp"
- body $.tags[*] contains "light"
- body $.id isInteger
- header content-type contains json
"#,
    );
    write(
        &c.join("items/get-created-item.yaml"),
        r#"name: Get created item
method: GET
url: '{{baseUrl}}/items/{{itemId}}'
assertions:
- status == 200
- body $.id == {{itemId}}
- body $.name == "Lamp"
- not body $.missing exists
"#,
    );
    write(
        &c.join("items/list-items.yaml"),
        r#"name: List items
method: GET
url: '{{baseUrl}}/items'
query:
- name: limit
  value: '100'
assertions:
- status in 200, 201
- body $[*].id contains {{itemId}}
- body $[?(@.name == 'Lamp')] isArray
"#,
    );
    write(
        &c.join("health.yaml"),
        "name: Health\nmethod: GET\nurl: '{{baseUrl}}/health'\nassertions:\n- status == 200\n- body $.status == \"ok\"\n",
    );
    ws
}

fn export(ws: &Path, format: CodeFormat, app_spec: Option<&str>) -> PathBuf {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap().keep();
    let mut config = AppConfig::new(data.path());
    config.history = false;
    config.workspace_dir = Some(ws.to_path_buf());
    let app = App::new(config).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let options = CodeOptions {
            environment: Some("local".into()),
            app: app_spec.map(str::to_owned),
        };
        let generated = app
            .export_code("demo-api".into(), format, options)
            .await
            .unwrap();
        let written = app.write_code(out.clone(), generated.files).await.unwrap();
        assert!(written.iter().all(|p| p.starts_with(&out)), "{written:?}");
    });
    out
}

/// `ruff check` and `py_compile` accept every Python file of the project.
fn lint(dir: &Path) {
    let ruff = Command::new(venv_bin("ruff"))
        .args(["check", "--no-cache", "."])
        .current_dir(dir)
        .output()
        .expect("run ruff (scripts/setup-python.sh installs it)");
    assert!(ruff.status.success(), "{}", text(&ruff));
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "py") {
            let compiled = Command::new(venv_bin("python"))
                .args(["-m", "py_compile"])
                .arg(&path)
                .env("PYTHONPYCACHEPREFIX", dir.join(".pycache-check"))
                .output()
                .unwrap();
            assert!(compiled.status.success(), "{}", text(&compiled));
        }
    }
}

fn pytest(dir: &Path, env: &[(&str, &str)]) -> Output {
    Command::new(venv_bin("python"))
        .args(["-m", "pytest", "-p", "no:cacheprovider", "-q"])
        .current_dir(dir)
        .env_remove("PYTHONPATH")
        .envs(env.iter().copied())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run pytest")
}

#[test]
fn the_pytest_export_is_green_against_the_demo_and_red_when_it_breaks() {
    let demo = PyServer::demo_api().unwrap();
    let ws = workspace(&demo.base_url());
    let dir = export(ws.path(), CodeFormat::Pytest, None);
    lint(&dir);

    let green = pytest(&dir, &[]);
    assert_eq!(green.status.code(), Some(0), "{}", text(&green));
    assert!(
        String::from_utf8_lossy(&green.stdout).contains("4 passed"),
        "{}",
        text(&green)
    );

    // The same suite against a demo whose GET /items/{id} answers a wrong name.
    let broken = PyServer::demo_api_with_env(&[("DEMO_BREAK", "items")]).unwrap();
    let red = pytest(&dir, &[("DEMO_API_BASE_URL", &broken.base_url())]);
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
    let ws = workspace("http://127.0.0.1:9");
    let dir = export(ws.path(), CodeFormat::TestClient, Some("demo_api.app:app"));
    lint(&dir);
    let servers = repo().join("tests/servers");
    let run = Command::new(venv_bin("python"))
        .args(["-m", "pytest", "-p", "no:cacheprovider", "-q"])
        .current_dir(&dir)
        .env("PYTHONPATH", &servers)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
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
    write(&c.join("collection.yaml"), "name: httpbin\n");
    write(
        &c.join("environments/local.yaml"),
        "name: local\nvariables:\n- name: baseUrl\n  value: http://127.0.0.1:9\n",
    );
    write(
        &c.join("get.yaml"),
        "name: Get\nmethod: GET\nurl: '{{baseUrl}}/get'\nquery:\n- name: q\n  value: lamp\nheaders:\n- name: X-Demo\n  value: yes\nassertions:\n- status == 200\n- body $.args.q == \"lamp\"\n- body $.headers.X-Demo == \"yes\"\n",
    );
    write(
        &c.join("post.yaml"),
        "name: Post form\nmethod: POST\nurl: '{{baseUrl}}/post'\nbody:\n  kind: form\n  fields:\n  - name: a\n    value: '1'\nassertions:\n- status == 200\n- body $.form.a == \"1\"\n",
    );
    let dir = export(ws.path(), CodeFormat::Flask, Some("httpbin:app"));
    lint(&dir);
    let run = pytest(&dir, &[]);
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
    let ws = workspace(&demo.base_url());
    let dir = export(ws.path(), CodeFormat::Curl, None);
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
