//! `sextant import` writes collections as files; `sextant export` reads them back out.

use std::process::{Command, Output, Stdio};

use sextant_testkit::PyServer;

fn sextant(data_dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sextant"))
        .args(args)
        .env("SEXTANT_DATA_DIR", data_dir)
        .stdin(Stdio::null())
        .output()
        .expect("run sextant")
}

#[test]
fn import_openapi_writes_one_file_per_operation_grouped_by_tag() {
    let api = PyServer::demo_api().unwrap();
    let data = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let out = sextant(
        data.path(),
        &[
            "import",
            "openapi",
            &api.url("/openapi.json"),
            "--out",
            out_dir.path().to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let printed = String::from_utf8(out.stdout).unwrap();
    let collection = std::path::PathBuf::from(printed.trim());
    assert!(collection.starts_with(std::fs::canonicalize(out_dir.path()).unwrap()));
    let create = collection.join("items/create-an-item.yaml");
    let text = std::fs::read_to_string(&create).unwrap();
    assert!(text.contains("method: POST"), "{text}");
    assert!(text.contains("url: '{{baseUrl}}/items'"), "{text}");
    let get = std::fs::read_to_string(collection.join("items/get-an-item.yaml")).unwrap();
    assert!(get.contains("{{item_id}}"), "{get}");
    let settings = std::fs::read_to_string(collection.join("collection.yaml")).unwrap();
    assert!(settings.contains(&api.base_url()), "{settings}");

    // And out again, as curl with the variables filled in.
    let out = sextant(
        data.path(),
        &[
            "export",
            "curl",
            &format!(
                "{}/items/create-an-item.yaml",
                collection.file_name().unwrap().to_str().unwrap()
            ),
            "--workspace",
            out_dir.path().to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let curl = String::from_utf8(out.stdout).unwrap();
    assert!(curl.starts_with("curl"), "{curl}");
    assert!(curl.contains(&api.url("/items")), "{curl}");
}

#[test]
fn a_bad_file_is_a_clear_error_and_writes_nothing() {
    let data = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let bad = out_dir.path().join("broken.json");
    std::fs::write(&bad, "{\"info\": {\"name\": \"x\"}, \"item\": [").unwrap();
    let ws = out_dir.path().join("ws");
    let out = sextant(
        data.path(),
        &[
            "import",
            "postman",
            bad.to_str().unwrap(),
            "--out",
            ws.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("InvalidFile"), "{err}");
    assert!(err.contains("line 1"), "{err}");
    let written: Vec<_> = std::fs::read_dir(&ws)
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(written.is_empty(), "{written:?}");
}

#[test]
fn importing_a_spec_again_asks_merge_or_a_new_name() {
    let data = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../openapi/tests/fixtures/fastapi-shop-3.1.json");
    let ws = out_dir.path().join("ws");
    let import = |extra: &[&str]| {
        let mut args = vec![
            "import",
            "openapi",
            spec.to_str().unwrap(),
            "--out",
            ws.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        sextant(data.path(), &args)
    };
    let collections = || {
        let mut names: Vec<String> = std::fs::read_dir(&ws)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        names.sort();
        names
    };
    assert!(import(&[]).status.success());
    assert_eq!(collections(), ["shop-api"]);

    let again = import(&[]);
    assert_eq!(again.status.code(), Some(2), "{again:?}");
    let err = String::from_utf8(again.stderr).unwrap();
    assert!(err.contains("Conflict"), "{err}");
    assert!(err.contains("\"Shop API\""), "{err}");
    assert!(err.contains("--merge"), "{err}");
    assert_eq!(collections(), ["shop-api"], "nothing written");

    let renamed = import(&["--as", "Shop API staging"]);
    assert!(renamed.status.success(), "{renamed:?}");
    assert_eq!(collections(), ["shop-api", "shop-api-staging"]);

    let merged = import(&["--merge"]);
    assert!(merged.status.success(), "{merged:?}");
    let printed = String::from_utf8(merged.stdout).unwrap();
    assert!(printed.trim().ends_with("shop-api"), "{printed}");
    assert_eq!(collections(), ["shop-api", "shop-api-staging"]);
}
