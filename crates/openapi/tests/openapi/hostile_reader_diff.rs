//! Diffing two big specs (issue 10, row 13): Watch re-fetches and diffs a spec every few
//! seconds, and a 20,000-operation diff used to take 18.6 s (every lookup a scan). This checks
//! that such a diff is right; run it with `--nocapture` to see the time.

use std::fmt::Write;
use std::time::Instant;

use sextant_openapi::{diff, parse_str};

const OPERATIONS: usize = 20_000;

/// `count` operations, half GET and half POST over `count / 2` paths. In the `new` document
/// every 10th path is gone, every 7th GET's `limit` is now required, and 500 paths are new.
fn document(count: usize, new: bool) -> String {
    let mut out =
        String::from(r#"{"openapi":"3.0.3","info":{"title":"Big","version":"1"},"paths":{"#);
    let mut first = true;
    let mut path = |out: &mut String, name: String, required: bool| {
        if !first {
            out.push(',');
        }
        first = false;
        write!(
            out,
            r#""{name}":{{"get":{{"parameters":[{{"name":"limit","in":"query","required":{required},"schema":{{"type":"integer"}}}}],"responses":{{"200":{{"description":"ok"}}}}}},"post":{{"responses":{{"201":{{"description":"made"}}}}}}}}"#
        )
        .unwrap();
    };
    for i in 0..count / 2 {
        if new && i % 10 == 0 {
            continue;
        }
        path(&mut out, format!("/r{i}"), new && i % 7 == 0);
    }
    if new {
        for i in 0..500 {
            path(&mut out, format!("/added{i}"), false);
        }
    }
    out.push_str("}}");
    out
}

#[test]
fn a_diff_of_twenty_thousand_operations_is_right() {
    let old = parse_str(&document(OPERATIONS, false)).unwrap();
    let new = parse_str(&document(OPERATIONS, true)).unwrap();
    assert_eq!(old.operations.len(), OPERATIONS);

    let started = Instant::now();
    let d = diff(&old, &new);
    println!(
        "diff of {} and {} operations: {:?}",
        old.operations.len(),
        new.operations.len(),
        started.elapsed()
    );

    let paths = OPERATIONS / 2;
    let gone = (0..paths).filter(|i| i % 10 == 0).count();
    let tightened = (0..paths).filter(|i| i % 7 == 0 && i % 10 != 0).count();
    assert_eq!(d.added.len(), 2 * 500);
    assert!(d.added.iter().all(|op| op.path.starts_with("/added")));
    assert_eq!(d.removed.len(), 2 * gone);
    assert!(d
        .removed
        .iter()
        .all(|op| op.path[2..].parse::<usize>().unwrap() % 10 == 0));
    assert_eq!(d.changed.len(), tightened);
    for change in &d.changed {
        assert!(
            change.method.eq_ignore_ascii_case("get"),
            "{}",
            change.method
        );
        assert_eq!(change.changes.len(), 1, "{change:?}");
        assert!(change.changes[0].breaking);
        assert_eq!(
            change.changes[0].description,
            "query parameter \"limit\" is now required"
        );
    }
    assert_eq!(d.breaking_count(), 2 * gone + tightened);
    assert!(diff(&new, &new).is_empty());
}
