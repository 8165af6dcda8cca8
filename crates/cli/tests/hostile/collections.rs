//! Hostile cases: collections someone sends you (rows 04, 05 and 14).
//!
//! Row 04: Postman, HAR and Insomnia files whose request bodies name `~/.ssh/id_rsa` (or climb
//! out with `../../`) import with a warning naming each file and never read it. `sextant send`
//! sends only what its command line builds (it cannot send a saved request), so the refusal to
//! send such a body until the user allows it (`FileNotAllowed`) is the app's, tested in
//! `crates/app/tests/app/file_refs.rs`. Row 05: Insomnia `parentId` links that loop or repeat ids,
//! folders nested too deep and collections with too many requests end in a warning or
//! `TooLarge`, writing little. Row 14: a key file given as a curl command is refused without
//! quoting it.

use std::path::Path;

use crate::harness::Sandbox;

const OUTSIDE: &str = "outside the collection's folder; Sextant will ask before sending it";

/// The bytes of every file under `dir`.
fn bytes_under(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let meta = entry.metadata().unwrap();
            if meta.is_dir() {
                stack.push(entry.path());
            } else {
                total += meta.len();
            }
        }
    }
    total
}

/// Imports the corpus file `name` as `format` into `<work>/ws`; returns the run and the workspace.
fn import(sandbox: &Sandbox, format: &str, name: &str) -> (crate::harness::Run, String) {
    let file = sandbox.stage(name, None);
    let ws = sandbox.work().join("ws").to_string_lossy().into_owned();
    let run = sandbox.run(&["import", format, file.to_str().unwrap(), "--out", &ws]);
    (run, ws)
}

/// Row 04: every body file reference is named in a warning, kept as written, and never read.
#[test]
fn row_04_file_bodies_import_with_a_warning_and_are_not_read() {
    for (format, name, collection) in [
        (
            "postman",
            "04-postman-file-body.postman_collection.json",
            "shared-uploads",
        ),
        ("har", "04-har-path.har", "har-import"),
        ("insomnia", "04-insomnia-file.json", "shared-uploads"),
    ] {
        let sandbox = Sandbox::new();
        let canary = sandbox.canary().to_string_lossy().into_owned();
        let (run, ws) = import(&sandbox, format, name);
        run.assert_ok();
        for path in [canary.as_str(), "../../outside.bin"] {
            assert!(
                run.stderr
                    .lines()
                    .any(|l| l.starts_with("warning: ") && l.contains(path) && l.contains(OUTSIDE)),
                "{name}: no warning naming {path}:\n{}",
                run.output()
            );
        }
        sandbox.assert_no_canary(&run.output());

        // Exporting the imported requests carries the reference, still without reading it.
        let run = sandbox.run(&["export", "har", collection, "--workspace", &ws]);
        run.assert_ok();
        assert!(run.stdout.contains(&canary), "{name}:\n{}", run.output());
        sandbox.assert_no_canary(&run.output());
    }
}

/// Row 05: a folder that is its own parent and two folders inside each other are unreachable
/// from the workspace: imported without them, with a warning, instead of a stack overflow.
#[test]
fn row_05_insomnia_folders_in_themselves_end_with_a_warning() {
    let sandbox = Sandbox::new();
    let (run, ws) = import(&sandbox, "insomnia", "05-insomnia-self-parent.json");
    run.assert_ok();
    assert!(
        run.stderr
            .contains("5 resources belong to no workspace and were not imported"),
        "{}",
        run.output()
    );
    let ws = Path::new(&ws);
    assert!(ws.join("loops/reachable.yaml").is_file());
    assert!(bytes_under(ws) < 1024 * 1024, "{} bytes", bytes_under(ws));
    sandbox.assert_no_canary(&run.output());
}

/// Row 05: thirty resources sharing one id (which wrote 222 MB in two minutes) import the first
/// and skip the rest, each with a warning.
#[test]
fn row_05_insomnia_duplicate_ids_are_skipped_and_write_little() {
    let sandbox = Sandbox::new();
    let (run, ws) = import(&sandbox, "insomnia", "05-insomnia-duplicate-ids.json");
    run.assert_ok();
    let skipped = run
        .stderr
        .lines()
        .filter(|l| l.contains("its id \"dup\" is already used by an earlier resource; skipped"))
        .count();
    assert_eq!(skipped, 28, "{}", run.output());
    let ws = Path::new(&ws);
    assert!(ws.join("duplicates/dup").is_dir());
    assert!(bytes_under(ws) < 1024 * 1024, "{} bytes", bytes_under(ws));
    sandbox.assert_no_canary(&run.output());
}

/// Row 05: folders 100 deep, generated: `TooLarge` naming the nesting, nothing written.
#[test]
fn row_05_insomnia_folders_too_deep_end_in_too_large() {
    let mut resources = vec![r#"{"_id":"wrk","_type":"workspace","name":"Deep"}"#.to_owned()];
    let mut parent = "wrk".to_owned();
    for i in 0..100 {
        resources.push(format!(
            r#"{{"_id":"fld_{i}","_type":"request_group","parentId":"{parent}","name":"f{i}"}}"#
        ));
        parent = format!("fld_{i}");
    }
    resources.push(format!(
        r#"{{"_id":"req","_type":"request","parentId":"{parent}","name":"r","method":"GET","url":"http://127.0.0.1:9/"}}"#
    ));
    let text = format!(
        r#"{{"_type":"export","__export_format":4,"resources":[{}]}}"#,
        resources.join(",")
    );
    let sandbox = Sandbox::new();
    let file = sandbox.write("05-insomnia-deep.json", text.as_bytes());
    let ws = sandbox.work().join("ws");
    let run = sandbox.run(&[
        "import",
        "insomnia",
        file.to_str().unwrap(),
        "--out",
        ws.to_str().unwrap(),
    ]);
    run.assert_error("TooLarge")
        .assert_error("the nesting of folders is over Sextant's limit of 64");
    assert!(!ws.join("deep").exists());
    sandbox.assert_no_canary(&run.output());
}

/// Row 05: a Postman collection of 10,001 requests, generated: `TooLarge` naming the count.
#[test]
fn row_05_postman_with_too_many_requests_ends_in_too_large() {
    let item = r#"{"name":"r","request":"http://127.0.0.1:9/"}"#;
    let text = format!(
        r#"{{"info":{{"name":"Many","schema":"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"}},"item":[{}]}}"#,
        vec![item; 10_001].join(",")
    );
    let sandbox = Sandbox::new();
    let file = sandbox.write("05-postman-many.postman_collection.json", text.as_bytes());
    let ws = sandbox.work().join("ws");
    let run = sandbox.run(&[
        "import",
        "postman",
        file.to_str().unwrap(),
        "--out",
        ws.to_str().unwrap(),
    ]);
    run.assert_error("TooLarge")
        .assert_error("the number of requests and folders is over Sextant's limit of 10000");
    assert!(!ws.join("many").exists());
    sandbox.assert_no_canary(&run.output());
}

/// Row 14: the canary, made to look like a private key, given to `import curl`: refused as not a
/// curl command, and none of its words printed or written.
#[test]
fn row_14_a_key_given_as_a_curl_command_is_not_quoted() {
    let sandbox = Sandbox::new();
    let key = format!(
        "-----BEGIN OPENSSH PRIVATE KEY-----\n{}\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n\
         -----END OPENSSH PRIVATE KEY-----\n",
        sandbox.secret
    );
    for (text, line) in [(key.clone(), 1), (format!("\n# deploy key\n{key}"), 3)] {
        std::fs::write(sandbox.canary(), &text).unwrap();
        let ws = sandbox.work().join("ws");
        let run = sandbox.run(&[
            "import",
            "curl",
            sandbox.canary().to_str().unwrap(),
            "--out",
            ws.to_str().unwrap(),
        ]);
        run.assert_error("InvalidFile")
            .assert_error(&format!("not a curl command (line {line})"));
        for word in ["BEGIN", "OPENSSH", "PRIVATE", "b3Blbn", "deploy"] {
            assert!(!run.output().contains(word), "{word}:\n{}", run.output());
        }
        sandbox.assert_no_canary(&run.output());
    }
}
