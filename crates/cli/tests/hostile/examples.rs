//! Hostile cases: example generation (row 2). Schemas asking for `minLength: 1e11` or arrays of
//! 32 arrays of 32 ... are imported and turned into request files; the examples must stay within
//! their budget, with a warning naming it, and the process must end on its own.

use std::path::Path;

use crate::harness::Sandbox;

/// The most an imported request file may weigh: the per-request example budget (256 KiB of
/// pretty-printed JSON, roughly) with room for YAML quoting and the request around it.
const REQUEST_FILE_BOUND: u64 = 1024 * 1024;

/// Every file under `dir`, with its size.
fn sizes(dir: &Path) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir").flatten() {
            let meta = entry.metadata().expect("metadata");
            if meta.is_dir() {
                stack.push(entry.path());
            } else {
                out.push((entry.path().display().to_string(), meta.len()));
            }
        }
    }
    out
}

/// Imports `corpus` into a fresh workspace and checks what was written.
fn import_stays_small(corpus: &str, warning: &str) {
    let sandbox = Sandbox::new();
    let spec = sandbox.stage(corpus, None);
    let out = sandbox.work().join("ws");
    let run = sandbox.run(&[
        "import",
        "openapi",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    run.assert_ok();
    assert!(
        run.stderr.contains(warning),
        "expected a warning with {warning:?}:\n{}",
        run.output()
    );
    let files = sizes(&out);
    assert!(
        files.iter().any(|(name, _)| name.ends_with(".yaml")),
        "no request files written: {files:?}"
    );
    for (name, size) in &files {
        assert!(
            *size <= REQUEST_FILE_BOUND,
            "{name} is {size} bytes, more than {REQUEST_FILE_BOUND}"
        );
    }
    let total: u64 = files.iter().map(|(_, size)| size).sum();
    assert!(
        total <= 4 * REQUEST_FILE_BOUND,
        "{total} bytes written in all"
    );
    sandbox.assert_no_canary(&run.output());
}

#[test]
fn nested_min_items_import_stays_small_with_a_warning() {
    import_stays_small("02-min-items.yaml", "cut short");
}

#[test]
fn huge_min_length_import_stays_small_with_a_warning() {
    import_stays_small("02-min-length.yaml", "characters");
}

#[test]
fn inspect_of_example_bombs_exits() {
    for corpus in ["02-min-items.yaml", "02-min-length.yaml"] {
        let sandbox = Sandbox::new();
        let spec = sandbox.stage(corpus, None);
        let run = sandbox.run(&["openapi", "inspect", spec.to_str().unwrap()]);
        run.assert_ok();
        assert!(run.stdout.contains("operations"), "{}", run.output());
        sandbox.assert_no_canary(&run.output());
    }
}
