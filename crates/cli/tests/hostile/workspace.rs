//! Hostile cases: workspace. Row 07: a workspace folder made by someone else, with two symlinks
//! to `.`, 1,500 nested folders and a request file that is a symlink to `~/.ssh/id_rsa`. Export
//! (which loads a whole collection, as the sidebar lists one) ends, reads nothing outside the
//! workspace, and says which limit stopped it.

use std::os::unix::fs::symlink;

use crate::harness::Sandbox;

const REQUEST: &str = "name: Real\nmethod: GET\nurl: http://127.0.0.1:9/real\n";

#[test]
fn row_07_links_and_deep_folders_end_without_reading_outside() {
    let sandbox = Sandbox::new();
    let ws = sandbox.work().join("ws");
    sandbox.write("ws/c/collection.yaml", b"name: C\n");
    sandbox.write("ws/c/real.yaml", REQUEST.as_bytes());
    symlink(".", ws.join("self")).unwrap();
    symlink(".", ws.join("c/loop")).unwrap();
    symlink(sandbox.canary(), ws.join("c/stolen.yaml")).unwrap();
    let mut deep = String::from("ws/deep");
    for _ in 0..1500 {
        deep.push_str("/d");
    }
    sandbox.write(&format!("{deep}/deepest.yaml"), REQUEST.as_bytes());
    let ws = ws.to_str().unwrap();

    // The collection with the loop and the stolen file: exported without either.
    let run = sandbox.run(&["export", "curl", "c", "--workspace", ws]);
    run.assert_ok();
    assert!(run.stdout.contains("/real"), "{}", run.output());
    sandbox.assert_no_canary(&run.output());

    // The linked file asked for by name: refused, not read.
    let run = sandbox.run(&["export", "curl", "c/stolen.yaml", "--workspace", ws]);
    run.assert_error("FileNotAllowed");
    sandbox.assert_no_canary(&run.output());

    // 1,500 nested folders: the depth cap, not a stack overflow.
    let run = sandbox.run(&["export", "curl", "deep", "--workspace", ws]);
    run.assert_error("TooLarge")
        .assert_error("more than 64 folders deep");
    sandbox.assert_no_canary(&run.output());
}
