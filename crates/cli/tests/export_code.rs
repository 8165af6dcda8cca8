//! `sextant export pytest|testclient|flask|curl PATH --out DIR`: the command writes the project
//! and prints the files; what the files do when run is `crates/app/tests/code_export.rs`'s.

mod common;

use common::{sextant, text, workspace};

#[test]
fn export_writes_the_project_and_prints_its_files() {
    let ws = workspace();
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("suite");
    let ws_arg = ws.path().to_str().unwrap();
    let run = sextant(
        data.path(),
        &[
            "export",
            "pytest",
            "demo-api",
            "--out",
            dir.to_str().unwrap(),
            "--workspace",
            ws_arg,
            "--env",
            "local",
        ],
    );
    assert!(run.status.success(), "{}", text(&run));
    let printed = String::from_utf8_lossy(&run.stdout);
    for file in [
        "conftest.py",
        "test_demo_api.py",
        "sextant_support.py",
        "requirements.txt",
        "README.md",
    ] {
        assert!(
            printed.contains(&dir.join(file).display().to_string()),
            "{}",
            text(&run)
        );
        assert!(dir.join(file).is_file());
    }
    let conftest = std::fs::read_to_string(dir.join("conftest.py")).unwrap();
    assert!(
        conftest.contains(r#""baseUrl": from_env(PREFIX, "baseUrl", "http://127.0.0.1:8000"),"#),
        "{conftest}"
    );
    assert!(
        conftest.contains(r#""token": from_env(PREFIX, "token"),  # secret"#),
        "{conftest}"
    );
    assert!(!conftest.contains("not-in-the-export"));

    // curl with --out: the runnable script; without it, curl command lines as before.
    let script_dir = out.path().join("curl");
    let run = sextant(
        data.path(),
        &[
            "export",
            "curl",
            "demo-api",
            "--out",
            script_dir.to_str().unwrap(),
            "--workspace",
            ws_arg,
        ],
    );
    assert!(run.status.success(), "{}", text(&run));
    let script = std::fs::read_to_string(script_dir.join("run.sh")).unwrap();
    assert!(
        script.contains("set -euo pipefail") && script.contains(": \"${DEMO_API_TOKEN:?"),
        "{script}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(script_dir.join("run.sh"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o111, 0o111);
    }
    let run = sextant(
        data.path(),
        &[
            "export",
            "curl",
            "demo-api/health.yaml",
            "--workspace",
            ws_arg,
        ],
    );
    assert!(run.status.success(), "{}", text(&run));
    assert!(
        String::from_utf8_lossy(&run.stdout).starts_with("curl"),
        "{}",
        text(&run)
    );
}

#[test]
fn an_in_process_export_needs_an_app_and_a_folder() {
    let ws = workspace();
    let ws_arg = ws.path().to_str().unwrap();
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let no_app = sextant(
        data.path(),
        &[
            "export",
            "testclient",
            "demo-api",
            "--out",
            out.path().to_str().unwrap(),
            "--workspace",
            ws_arg,
        ],
    );
    assert_eq!(no_app.status.code(), Some(2), "{}", text(&no_app));
    assert!(String::from_utf8_lossy(&no_app.stderr).contains("module:attribute"));
    let no_out = sextant(
        data.path(),
        &["export", "pytest", "demo-api", "--workspace", ws_arg],
    );
    assert!(!no_out.status.success());
    assert!(
        String::from_utf8_lossy(&no_out.stderr).contains("--out DIR"),
        "{}",
        text(&no_out)
    );
    let unknown = sextant(
        data.path(),
        &[
            "export",
            "pytest",
            "demo-api",
            "--out",
            out.path().to_str().unwrap(),
            "--workspace",
            ws_arg,
            "--env",
            "prod",
        ],
    );
    assert_eq!(unknown.status.code(), Some(2), "{}", text(&unknown));
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}
