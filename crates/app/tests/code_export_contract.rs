//! Contract checks in exported pytest suites: the FastAPI demo's OpenAPI spec imported as a
//! collection (each request remembers its operation), a request exported as pytest writes the
//! operation's contract to `schemas/<operation>.json` and checks every response against it
//! through `jsonschema`: green for an operation the demo keeps, red with Schemathesis's wording
//! and the JSON pointer for `/contract/broken-items` (a list of `Item` with one missing `name`),
//! red with the documented statuses when pointed where the operation answers 404, live over
//! httpx and in-process through FastAPI's TestClient.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use sextant_app::{App, AppConfig, CodeFormat, CodeOptions};
use sextant_model::{InterchangeFormat, TreeNode};
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

fn find<'a>(nodes: &'a [TreeNode], name: &str) -> Option<&'a TreeNode> {
    nodes.iter().find_map(|n| {
        (n.name == name)
            .then_some(n)
            .or_else(|| find(&n.children, name))
    })
}

/// The demo's spec imported into a fresh workspace; each named request exported as `format`
/// into its own folder.
fn export(
    api: &PyServer,
    format: CodeFormat,
    app_spec: Option<&str>,
    names: &[&str],
) -> Vec<tempfile::TempDir> {
    let data = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    let mut config = AppConfig::new(data.path());
    config.history = false;
    config.workspace_dir = Some(ws.path().to_path_buf());
    let app = App::new(config).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let imported = app
            .import_into_workspace(InterchangeFormat::Openapi, api.url("/openapi.json"), None)
            .await
            .unwrap();
        let info = app.workspace_info().await.unwrap();
        let collection = info
            .collections
            .iter()
            .find(|c| c.path == imported.paths[0])
            .unwrap();
        let mut dirs = Vec::new();
        for name in names {
            let node = find(&collection.children, name).expect(name);
            let options = CodeOptions {
                app: app_spec.map(str::to_owned),
                ..Default::default()
            };
            let generated = app
                .export_code(node.path.clone(), format, options)
                .await
                .unwrap();
            assert!(
                generated
                    .warnings
                    .iter()
                    .all(|w| !w.message.contains("contract")),
                "{:?}",
                generated.warnings
            );
            let out = tempfile::tempdir().unwrap();
            app.write_code(out.path().to_path_buf(), generated.files)
                .await
                .unwrap();
            dirs.push(out);
        }
        dirs
    })
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

fn pytest(dir: &Path, pythonpath: Option<&Path>) -> Output {
    match pythonpath {
        Some(path) => pytest_with(dir, &[("PYTHONPATH", &path.to_string_lossy())]),
        None => pytest_with(dir, &[]),
    }
}

fn pytest_with(dir: &Path, env: &[(&str, &str)]) -> Output {
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

/// The one test module of an export, and its one schema file.
fn module_and_schema(dir: &Path) -> (String, serde_json::Value) {
    let mut module = None;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("test_") && name.ends_with(".py") {
            module = Some(std::fs::read_to_string(&path).unwrap());
        }
    }
    let schemas: Vec<PathBuf> = std::fs::read_dir(dir.join("schemas"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(schemas.len(), 1, "{schemas:?}");
    let schema = serde_json::from_str(&std::fs::read_to_string(&schemas[0]).unwrap()).unwrap();
    (module.expect("a test module"), schema)
}

#[test]
fn exported_tests_check_the_contract_green_and_red_with_the_pointer() {
    let api = PyServer::shared_demo_api();
    let dirs = export(
        api,
        CodeFormat::Pytest,
        None,
        &["List items", "List items (breaks its own schema)"],
    );
    let (kept, broken) = (dirs[0].path(), dirs[1].path());

    let (module, contract) = module_and_schema(kept);
    assert!(module.contains("check_contract(response, "), "{module}");
    assert!(std::fs::read_to_string(kept.join("requirements.txt"))
        .unwrap()
        .contains("jsonschema=="),);
    // The operation's documented responses, each body schema a self-contained 2020-12 document.
    let statuses: Vec<&str> = contract["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["200", "422"], "{contract:#}");
    let schema = &contract["responses"][0]["content"][0]["schema"];
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let text_of = serde_json::to_string(schema).unwrap();
    assert!(!text_of.contains("#/components"), "bundled: {text_of}");
    assert!(text_of.contains("#/$defs/"), "{text_of}");

    lint(kept);
    let green = pytest(kept, None);
    assert_eq!(green.status.code(), Some(0), "{}", text(&green));
    assert!(
        String::from_utf8_lossy(&green.stdout).contains("1 passed"),
        "{}",
        text(&green)
    );

    // The same suite pointed at a path the operation does not document: 404 is undocumented.
    let conftest = std::fs::read_to_string(kept.join("conftest.py")).unwrap();
    let prefix = conftest
        .lines()
        .find_map(|l| l.strip_prefix("PREFIX = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("PREFIX in conftest.py");
    let elsewhere = pytest_with(
        kept,
        &[(&format!("{prefix}_BASE_URL"), &api.url("/nowhere"))],
    );
    assert_eq!(elsewhere.status.code(), Some(1), "{}", text(&elsewhere));
    assert!(
        String::from_utf8_lossy(&elsewhere.stdout)
            .contains("Undocumented status 404; documented: 200, 422"),
        "{}",
        text(&elsewhere)
    );

    lint(broken);
    let red = pytest(broken, None);
    assert_eq!(red.status.code(), Some(1), "{}", text(&red));
    let out = String::from_utf8_lossy(&red.stdout);
    assert!(out.contains("1 failed"), "{}", text(&red));
    assert!(
        out.contains("Response violates schema: 'name' is a required property at /1"),
        "{}",
        text(&red)
    );
    assert!(out.contains("breaks its contract"), "{}", text(&red));
}

#[test]
fn the_testclient_export_checks_the_contract_in_process() {
    let api = PyServer::shared_demo_api();
    let dirs = export(
        api,
        CodeFormat::TestClient,
        Some("demo_api.app:app"),
        &["List items", "List items (breaks its own schema)"],
    );
    let servers = repo().join("tests/servers");
    lint(dirs[0].path());
    let green = pytest(dirs[0].path(), Some(&servers));
    assert_eq!(green.status.code(), Some(0), "{}", text(&green));
    let red = pytest(dirs[1].path(), Some(&servers));
    assert_eq!(red.status.code(), Some(1), "{}", text(&red));
    assert!(
        String::from_utf8_lossy(&red.stdout)
            .contains("Response violates schema: 'name' is a required property at /1"),
        "{}",
        text(&red)
    );
}
