//! What the `sextant export` tests share: the binary run with its own data folder, readable
//! process output, and the small collection they export (a secret in its environment that no
//! export may carry).
// Each test file compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// `sextant args` with `data` as its data folder and no stdin.
pub fn sextant(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sextant"))
        .args(args)
        .env("SEXTANT_DATA_DIR", data)
        .stdin(Stdio::null())
        .output()
        .expect("run sextant")
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

/// A workspace with the collection "Demo API" (`demo-api`): a health check sent with a bearer
/// token, and the environment `local` whose `token` is a secret (`not-in-the-export`).
pub fn workspace() -> tempfile::TempDir {
    let ws = tempfile::tempdir().unwrap();
    let c = ws.path().join("demo-api");
    write(&c.join("collection.yaml"), "name: Demo API\n");
    write(
        &c.join("environments/local.yaml"),
        "name: local\nvariables:\n- name: baseUrl\n  value: http://127.0.0.1:8000\n- name: token\n  value: not-in-the-export\n  secret: true\n",
    );
    write(
        &c.join("health.yaml"),
        "name: Health\nmethod: GET\nurl: '{{baseUrl}}/health'\nauth:\n  kind: bearer\n  token: '{{token}}'\nassertions:\n- status == 200\n",
    );
    ws
}
