//! Fixture paths and the snapshot helper shared by the import tests.

use std::path::PathBuf;

use sextant_openapi::ApiSpec;

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn fixture_text(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap_or_else(|err| panic!("reading {name}: {err}"))
}

/// Imports a fixture from its file (so references to other files are followed).
pub fn import(name: &str) -> ApiSpec {
    sextant_openapi::parse_file(&fixture(name))
        .unwrap_or_else(|err| panic!("importing {name}: {err}"))
}

/// Compares `spec`, serialised, with `tests/snapshots/NAME.json`.
///
/// With `UPDATE_SNAPSHOTS=1` the snapshot is (re)written instead; review the diff before
/// committing it.
pub fn assert_snapshot(name: &str, spec: &ApiSpec) {
    let actual = serde_json::to_string_pretty(spec).expect("the model serialises") + "\n";
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{name}.json"));
    if std::env::var("UPDATE_SNAPSHOTS").as_deref() == Ok("1") {
        std::fs::write(&path, &actual).expect("writing the snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot {}; run with UPDATE_SNAPSHOTS=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        panic!(
            "snapshot {name} differs (run with UPDATE_SNAPSHOTS=1 to accept):\n{}",
            diff(&expected, &actual)
        );
    }
}

/// The changed region between two texts, with a few lines of context.
fn diff(expected: &str, actual: &str) -> String {
    let old: Vec<&str> = expected.lines().collect();
    let new: Vec<&str> = actual.lines().collect();
    let head = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let tail = old[head..]
        .iter()
        .rev()
        .zip(new[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    const CONTEXT: usize = 3;
    const SHOWN: usize = 40;
    let mut out = String::new();
    let start = head.saturating_sub(CONTEXT);
    for line in &old[start..head] {
        out.push_str(&format!("  {line}\n"));
    }
    for line in old[head..old.len() - tail].iter().take(SHOWN) {
        out.push_str(&format!("- {line}\n"));
    }
    for line in new[head..new.len() - tail].iter().take(SHOWN) {
        out.push_str(&format!("+ {line}\n"));
    }
    for line in new[new.len() - tail..].iter().take(CONTEXT) {
        out.push_str(&format!("  {line}\n"));
    }
    format!("@@ line {} @@\n{out}", head + 1)
}
