//! `sextant export locust|k6 PATH --out DIR`: the load test's files written and printed, the
//! secret of the environment left out of them. What the files do when run is
//! `crates/app/tests/code_export_locust.rs`'s.

mod common;

use common::{sextant, text, workspace};

fn export(format: &str, files: &[&str]) -> std::path::PathBuf {
    let ws = workspace();
    let data = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap().keep().join("load");
    let run = sextant(
        data.path(),
        &[
            "export",
            format,
            "demo-api",
            "--out",
            dir.to_str().unwrap(),
            "--workspace",
            ws.path().to_str().unwrap(),
            "--env",
            "local",
        ],
    );
    assert!(run.status.success(), "{}", text(&run));
    let printed = String::from_utf8_lossy(&run.stdout);
    for file in files {
        assert!(
            printed.contains(&dir.join(file).display().to_string()),
            "{}",
            text(&run)
        );
        let contents = std::fs::read_to_string(dir.join(file)).unwrap();
        assert!(
            !contents.contains("not-in-the-export"),
            "{file}:\n{contents}"
        );
    }
    dir
}

#[test]
fn export_locust_writes_the_locustfile_and_its_readme() {
    let dir = export(
        "locust",
        &[
            "locustfile.py",
            "sextant_support.py",
            "requirements.txt",
            "README.md",
        ],
    );
    let file = std::fs::read_to_string(dir.join("locustfile.py")).unwrap();
    assert!(file.contains("class DemoApiUser(HttpUser):"), "{file}");
    // The secret is read from the environment only.
    assert!(
        file.contains(r#""token": from_env(PREFIX, "token"),  # secret"#),
        "{file}"
    );
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(readme.contains("locust -f locustfile.py --worker --master-host HOST"));
}

#[test]
fn export_k6_writes_the_script() {
    let dir = export("k6", &["script.js", "README.md"]);
    let script = std::fs::read_to_string(dir.join("script.js")).unwrap();
    assert!(script.contains("import http from 'k6/http';"), "{script}");
    assert!(
        script.contains(r#""token": fromEnv("token"), // secret"#),
        "{script}"
    );
    assert!(
        script.contains(r#""Authorization": render("Bearer {{token}}", v)"#),
        "{script}"
    );
}
