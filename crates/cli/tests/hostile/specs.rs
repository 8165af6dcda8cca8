//! Hostile cases: specs. Row 01: `$ref`s to files outside the spec's folder (the canary, a JSON
//! file in the home folder, `../`, `//host`, `\\`, `file://`) become warnings that do not tell
//! whether the file exists, and nothing from them reaches a generated collection. Row 03: one
//! big string and thousands of aliases (or merge keys) to it end in a clear error within the
//! memory limit. Row 09: flow nesting 100,000 deep ends at once with the depth error. Row 12:
//! YAML integers past 64 bits import.

use serde_json::Value;

use crate::harness::Sandbox;

/// A JSON file in the home folder whose values an attacker would like copied into requests.
fn plant_home_json(sandbox: &Sandbox) {
    let dir = sandbox.home().join(".kube");
    std::fs::create_dir_all(&dir).unwrap();
    let secret = &sandbox.secret;
    std::fs::write(
        dir.join("config.json"),
        format!(r#"{{"type": "string", "example": "{secret}", "value": {{"type": "string", "default": "{secret}"}}}}"#),
    )
    .unwrap();
}

fn warnings(stdout: &str) -> Vec<(String, String)> {
    let out: Value = serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    out["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["pointer"].as_str().unwrap().to_owned(),
                w["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn row_01_refs_outside_the_folder_are_not_read() {
    let sandbox = Sandbox::new();
    plant_home_json(&sandbox);
    let spec = sandbox.stage("01-ref-escape.yaml", Some("api/openapi.yaml"));
    let spec = spec.to_str().unwrap();

    let run = sandbox.run(&["openapi", "inspect", spec, "--json"]);
    run.assert_ok();
    sandbox.assert_no_canary(&run.output());
    let warnings = warnings(&run.stdout);
    let reason = |schema: &str| {
        let at = format!("/components/schemas/{schema}/$ref");
        let (_, message) = warnings
            .iter()
            .find(|(pointer, _)| *pointer == at)
            .unwrap_or_else(|| panic!("no warning at {at}: {warnings:?}"));
        message.split_once("not followed: ").unwrap().1.to_owned()
    };
    let outside =
        "it points outside the spec's folder; only files in that folder or below it are read";
    // Existing and missing targets alike.
    for schema in [
        "Canary",
        "HomeJson",
        "HomeMissing",
        "UpJson",
        "UpMissing",
        "Unc",
        "Backslash",
    ] {
        assert_eq!(reason(schema), outside, "{schema}");
    }
    assert!(reason("FileUrl").contains("URLs are not followed"));
    // `~` means nothing special in a path: a file of that name in the folder, absent here.
    assert!(reason("Tilde").starts_with("cannot read ~/.ssh/id_rsa"));

    let ws = sandbox.work().join("ws");
    let run = sandbox.run(&["import", "openapi", spec, "--out", ws.to_str().unwrap()]);
    run.assert_ok();
    sandbox.assert_no_canary(&run.output());
    assert!(
        ws.read_dir().unwrap().next().is_some(),
        "a collection was written"
    );
}

/// A YAML spec with one 1 MiB string and 4,000 aliases to it, directly or through merge keys.
fn alias_bomb(merge: bool) -> String {
    let big = "x".repeat(1 << 20);
    let mut text = String::from("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
    if merge {
        text.push_str(&format!("x-base: &b {{description: {big}}}\nx-copies:\n"));
        for i in 0..4_000 {
            text.push_str(&format!("  c{i}: {{<<: *b}}\n"));
        }
    } else {
        text.push_str(&format!("x-big: &b {big}\nx-copies:\n"));
        for _ in 0..4_000 {
            text.push_str("  - *b\n");
        }
    }
    text
}

#[test]
fn row_03_aliases_repeating_a_big_string_end_in_a_clear_error() {
    let sandbox = Sandbox::new();
    for (name, merge) in [
        ("03-alias-bytes.yaml", false),
        ("03-alias-merge.yaml", true),
    ] {
        let file = sandbox.write(name, alias_bomb(merge).as_bytes());
        let run = sandbox.run(&["openapi", "inspect", file.to_str().unwrap()]);
        run.assert_error("InvalidSpec")
            .assert_error("YAML aliases expand beyond")
            .assert_error("bytes of text");
        sandbox.assert_no_canary(&run.output());
    }
}

#[test]
fn row_09_flow_nesting_a_hundred_thousand_deep_ends_at_once() {
    let sandbox = Sandbox::new();
    let n = 100_000;
    let text = format!(
        "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths: {}{}\n",
        "[".repeat(n),
        "]".repeat(n)
    );
    let file = sandbox.write("09-flow-depth.yaml", text.as_bytes());
    let run = sandbox.run(&["openapi", "inspect", file.to_str().unwrap()]);
    run.assert_error("InvalidSpec")
        .assert_error("the document nests deeper than 100 levels at /paths/0/0/0");
    sandbox.assert_no_canary(&run.output());
}

#[test]
fn row_12_yaml_integers_past_64_bits_import() {
    let sandbox = Sandbox::new();
    let spec = sandbox.stage("12-yaml-u128.yaml", None);
    let run = sandbox.run(&["openapi", "inspect", spec.to_str().unwrap(), "--json"]);
    run.assert_ok();
    let out: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(out["operations"], 1, "{}", run.stdout);
}
