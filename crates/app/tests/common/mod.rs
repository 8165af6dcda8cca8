//! What the export-as-code and snippet tests share: collections written into a workspace (the
//! demo collection whole), an `App` over a workspace, the demo's spec imported, the export
//! written into a folder, the venvs' tools (ruff, py_compile, pytest), readable process output.
// Each test file compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use sextant_app::{App, AppConfig, CodeFormat, CodeOptions, Generated};
use sextant_model::{InterchangeFormat, TreeNode};
use sextant_testkit::PyServer;

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A tool of the test servers' venv (`tests/servers/.venv`, scripts/setup-python.sh).
pub fn venv_bin(name: &str) -> PathBuf {
    repo().join("tests/servers/.venv/bin").join(name)
}

/// A tool of the Locust venv (`tests/servers/.venv-locust`, scripts/setup-python.sh).
pub fn locust_bin(name: &str) -> PathBuf {
    repo().join("tests/servers/.venv-locust/bin").join(name)
}

pub fn text(out: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

pub fn write(path: &Path, contents: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

/// Writes each `(path relative to dir, contents)`.
pub fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (path, contents) in files {
        write(&dir.join(path), contents);
    }
}

/// The environment `local` of the collection folder `collection`: `baseUrl` and `more`.
pub fn local_environment(collection: &Path, base_url: &str, more: &[(&str, &str)]) {
    let mut yaml = format!("name: local\nvariables:\n- name: baseUrl\n  value: {base_url}\n");
    for (name, value) in more {
        yaml.push_str(&format!("- name: {name}\n  value: {value}\n"));
    }
    write(&collection.join("environments/local.yaml"), &yaml);
}

/// The items folder of the demo collection, in the order its requests chain.
pub const ITEMS_FOLDER: &str =
    "name: items\norder:\n- create-item.yaml\n- get-created-item.yaml\n- list-items.yaml\n";

/// An `App` on a fresh data folder (no history), reading the workspace `ws` when given; the
/// data folder lives as long as the returned guard.
pub fn app(ws: Option<&Path>) -> (App, tempfile::TempDir) {
    let data = tempfile::tempdir().unwrap();
    let mut config = AppConfig::new(data.path());
    config.history = false;
    config.workspace_dir = ws.map(Path::to_path_buf);
    (App::new(config).unwrap(), data)
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// `ruff check` accepts `paths` (relative to `dir`).
pub fn ruff(dir: &Path, paths: &[&str]) {
    let ruff = Command::new(venv_bin("ruff"))
        .args(["check", "--no-cache"])
        .args(paths)
        .current_dir(dir)
        .output()
        .expect("run ruff (scripts/setup-python.sh installs it)");
    assert!(ruff.status.success(), "{}", text(&ruff));
}

/// `py_compile` accepts `file` (relative to `dir`, or absolute).
pub fn py_compile(dir: &Path, file: &Path) {
    let compiled = Command::new(venv_bin("python"))
        .args(["-m", "py_compile"])
        .arg(file)
        .current_dir(dir)
        .env("PYTHONPYCACHEPREFIX", dir.join(".pycache-check"))
        .output()
        .unwrap();
    assert!(compiled.status.success(), "{}", text(&compiled));
}

/// `ruff check` and `py_compile` accept every Python file of the project.
pub fn lint(dir: &Path) {
    ruff(dir, &["."]);
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "py") {
            py_compile(dir, &path);
        }
    }
}

/// `pytest -q args` in `dir` with the venv's Python, `PYTHONPATH` only as `env` sets it.
pub fn pytest(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(venv_bin("python"))
        .args(["-m", "pytest", "-p", "no:cacheprovider", "-q"])
        .args(args)
        .current_dir(dir)
        .env_remove("PYTHONPATH")
        .envs(env.iter().copied())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run pytest")
}

/// The node called `name` anywhere under `nodes`.
pub fn find<'a>(nodes: &'a [TreeNode], name: &str) -> Option<&'a TreeNode> {
    nodes.iter().find_map(|n| {
        (n.name == name)
            .then_some(n)
            .or_else(|| find(&n.children, name))
    })
}

/// The demo's OpenAPI spec imported into `app`'s workspace: the new collection's tree.
pub async fn import_demo_spec(app: &App, api: &PyServer) -> Vec<TreeNode> {
    let imported = app
        .import_into_workspace(InterchangeFormat::Openapi, api.url("/openapi.json"), None)
        .await
        .unwrap();
    let info = app.workspace_info().await.unwrap();
    info.collections
        .into_iter()
        .find(|c| c.path == imported.paths[0])
        .unwrap()
        .children
}

/// A workspace with the collection "Demo API": an items folder whose requests chain through a
/// captured id, and a health check, with the environment `local` pointing at `base_url`.
pub fn demo_workspace(base_url: &str) -> tempfile::TempDir {
    let ws = tempfile::tempdir().unwrap();
    let c = ws.path().join("demo-api");
    local_environment(&c, base_url, &[]);
    write_files(
        &c,
        &[
            ("collection.yaml", "name: Demo API\nheaders:\n- name: Accept\n  value: application/json\norder:\n- items\n- health.yaml\n"),
            ("items/folder.yaml", ITEMS_FOLDER),
            ("items/create-item.yaml", r#"name: Create item
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
"#),
            ("items/get-created-item.yaml", r#"name: Get created item
method: GET
url: '{{baseUrl}}/items/{{itemId}}'
assertions:
- status == 200
- body $.id == {{itemId}}
- body $.name == "Lamp"
- not body $.missing exists
"#),
            ("items/list-items.yaml", r#"name: List items
method: GET
url: '{{baseUrl}}/items'
query:
- name: limit
  value: '100'
assertions:
- status in 200, 201
- body $[*].id contains {{itemId}}
- body $[?(@.name == 'Lamp')] isArray
"#),
            ("health.yaml", "name: Health\nmethod: GET\nurl: '{{baseUrl}}/health'\nassertions:\n- status == 200\n- body $.status == \"ok\"\n"),
        ],
    );
    ws
}

/// The collection `demo-api` of `ws` exported as `format` with the environment `local`: what
/// was generated, and the folder it was written into (kept: a failing test leaves it to read).
pub fn export(ws: &Path, format: CodeFormat, app_spec: Option<&str>) -> (Generated, PathBuf) {
    let out = tempfile::tempdir().unwrap().keep();
    let (app, _data) = app(Some(ws));
    let generated = runtime().block_on(async {
        let options = CodeOptions {
            environment: Some("local".into()),
            app: app_spec.map(str::to_owned),
        };
        let generated = app
            .export_code("demo-api".into(), format, options)
            .await
            .unwrap();
        let written = app
            .write_code(out.clone(), generated.files.clone())
            .await
            .unwrap();
        assert!(written.iter().all(|p| p.starts_with(&out)), "{written:?}");
        generated
    });
    (generated, out)
}
