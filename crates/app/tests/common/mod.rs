//! What the export-as-code tests share: the demo collection written into a workspace, the export
//! written into a folder, the venvs' tools, readable process output.
// Each test file compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use sextant_app::{App, AppConfig, CodeFormat, CodeOptions, Generated};

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

/// A workspace with the collection "Demo API": an items folder whose requests chain through a
/// captured id, and a health check, with the environment `local` pointing at `base_url`.
pub fn demo_workspace(base_url: &str) -> tempfile::TempDir {
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

/// The collection `demo-api` of `ws` exported as `format` with the environment `local`: what
/// was generated, and the folder it was written into (kept: a failing test leaves it to read).
pub fn export(ws: &Path, format: CodeFormat, app_spec: Option<&str>) -> (Generated, PathBuf) {
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
    let generated = runtime.block_on(async {
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
