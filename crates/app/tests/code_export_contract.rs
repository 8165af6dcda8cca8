//! Contract checks in exported pytest suites: the FastAPI demo's OpenAPI spec imported as a
//! collection (each request remembers its operation), a request exported as pytest writes the
//! operation's contract to `schemas/<operation>.json` and checks every response against it
//! through `jsonschema`: green for an operation the demo keeps, red with Schemathesis's wording
//! and the JSON pointer for `/contract/broken-items` (a list of `Item` with one missing `name`),
//! red with the documented statuses when pointed where the operation answers 404, live over
//! httpx and in-process through FastAPI's TestClient.

mod common;

use std::path::{Path, PathBuf};

use common::{app, find, import_demo_spec, lint, pytest, repo, runtime, text};
use sextant_app::{CodeFormat, CodeOptions};
use sextant_testkit::PyServer;

/// The demo's spec imported into a fresh workspace; each named request exported as `format`
/// into its own folder.
fn export(
    api: &PyServer,
    format: CodeFormat,
    app_spec: Option<&str>,
    names: &[&str],
) -> Vec<tempfile::TempDir> {
    let ws = tempfile::tempdir().unwrap();
    let (app, _data) = app(Some(ws.path()));
    runtime().block_on(async {
        let tree = import_demo_spec(&app, api).await;
        let mut dirs = Vec::new();
        for name in names {
            let node = find(&tree, name).expect(name);
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
    let green = pytest(kept, &[], &[]);
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
    let elsewhere = pytest(
        kept,
        &[],
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
    let red = pytest(broken, &[], &[]);
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
    let pythonpath = [("PYTHONPATH", &*servers.to_string_lossy())];
    lint(dirs[0].path());
    let green = pytest(dirs[0].path(), &[], &pythonpath);
    assert_eq!(green.status.code(), Some(0), "{}", text(&green));
    let red = pytest(dirs[1].path(), &[], &pythonpath);
    assert_eq!(red.status.code(), Some(1), "{}", text(&red));
    assert!(
        String::from_utf8_lossy(&red.stdout)
            .contains("Response violates schema: 'name' is a required property at /1"),
        "{}",
        text(&red)
    );
}
