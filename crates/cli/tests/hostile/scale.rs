//! Hostile cases: scale (row 13). Inputs that are merely big used to be quadratic: a diff of two
//! 20,000-operation specs took 18.6 s (Watch diffs every 3 s) and importing 4,000 requests of
//! one name took 29 s. Both are generated here and must end, with the right result, well within
//! the harness's ceiling (a hang check, not a timing assertion).

use std::collections::HashSet;
use std::fmt::Write;

use crate::harness::Sandbox;

/// `count` operations, a GET and a POST on each of `count / 2` paths. In the `new` document every
/// 10th path is gone, every 7th GET's `limit` parameter is now required, and 500 paths are new.
fn spec(count: usize, new: bool) -> String {
    let mut out =
        String::from(r#"{"openapi":"3.0.3","info":{"title":"Big","version":"1"},"paths":{"#);
    let mut names: Vec<(String, bool)> = (0..count / 2)
        .filter(|i| !new || i % 10 != 0)
        .map(|i| (format!("/r{i}"), new && i % 7 == 0))
        .collect();
    if new {
        names.extend((0..500).map(|i| (format!("/added{i}"), false)));
    }
    for (n, (name, required)) in names.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        write!(
            out,
            r#""{name}":{{"get":{{"parameters":[{{"name":"limit","in":"query","required":{required},"schema":{{"type":"integer"}}}}],"responses":{{"200":{{"description":"ok"}}}}}},"post":{{"responses":{{"201":{{"description":"made"}}}}}}}}"#
        )
        .unwrap();
    }
    out.push_str("}}");
    out
}

#[test]
fn row_13_a_diff_of_twenty_thousand_operations_ends_with_every_change() {
    const OPERATIONS: usize = 20_000;
    let sandbox = Sandbox::new();
    let old = sandbox.write("13-old.json", spec(OPERATIONS, false).as_bytes());
    let new = sandbox.write("13-new.json", spec(OPERATIONS, true).as_bytes());
    let run = sandbox.run(&[
        "openapi",
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
    ]);
    run.assert_ok();

    let paths = OPERATIONS / 2;
    let removed = 2 * (0..paths).filter(|i| i % 10 == 0).count();
    let changed = (0..paths).filter(|i| i % 7 == 0 && i % 10 != 0).count();
    let summary = format!(
        "1000 added, {removed} removed, {changed} changed; {} breaking",
        removed + changed
    );
    assert!(
        run.stdout.contains(&summary),
        "expected {summary:?}:\n{}",
        &run.stdout[run.stdout.len().saturating_sub(500)..]
    );
    let required = run
        .stdout
        .lines()
        .filter(|l| l.contains("query parameter \"limit\" is now required  [breaking]"))
        .count();
    assert_eq!(required, changed);
    sandbox.assert_no_canary(&run.stderr);
}

#[test]
fn row_13_four_thousand_requests_of_one_name_get_unique_files() {
    const REQUESTS: usize = 4_000;
    let item = r#"{"name":"Get item","request":"http://127.0.0.1:9/item"}"#;
    let text = format!(
        r#"{{"info":{{"name":"Same names","schema":"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"}},"item":[{}]}}"#,
        vec![item; REQUESTS].join(",")
    );
    let sandbox = Sandbox::new();
    let file = sandbox.write("13-same-names.postman_collection.json", text.as_bytes());
    let ws = sandbox.work().join("ws");
    let run = sandbox.run(&[
        "import",
        "postman",
        file.to_str().unwrap(),
        "--out",
        ws.to_str().unwrap(),
    ]);
    run.assert_ok();

    let names: HashSet<String> = std::fs::read_dir(ws.join("same-names"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "collection.yaml")
        .collect();
    assert_eq!(names.len(), REQUESTS, "{:?}", names.iter().take(5));
    assert!(names
        .iter()
        .all(|n| n.starts_with("get-item") && n.ends_with(".yaml")));
    sandbox.assert_no_canary(&run.output());
}

/// 100,000 `$ref`s, each to a different file that does not exist: every one is looked up once
/// (inside the spec's folder) and becomes a warning. Collecting the distinct files compared each
/// with all the earlier ones: 118 s in a debug build, past the harness's ceiling.
#[test]
fn row_13_a_hundred_thousand_distinct_file_refs_are_collected_once() {
    const REFS: usize = 100_000;
    let mut text = String::from(
        "openapi: 3.1.0\ninfo: {title: refs, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n",
    );
    for i in 0..REFS {
        writeln!(text, "    S{i}: {{$ref: 'f{i}.yaml#/x'}}").unwrap();
    }
    let sandbox = Sandbox::new();
    let spec = sandbox.write("13-file-refs.yaml", text.as_bytes());
    let run = sandbox.run(&["openapi", "inspect", spec.to_str().unwrap()]);
    run.assert_ok();
    let count = |label: &str| {
        run.stdout
            .lines()
            .find_map(|l| {
                let mut words = l.split_whitespace();
                (words.next() == Some(label)).then(|| words.next()?.parse::<usize>().ok())?
            })
            .unwrap_or_else(|| panic!("no {label} count:\n{}", run.output()))
    };
    // Every ref is one schema, each a warning (its file is missing), none dropped.
    assert_eq!((count("schemas"), count("warnings")), (REFS, REFS));
    sandbox.assert_no_canary(&run.output());
}
