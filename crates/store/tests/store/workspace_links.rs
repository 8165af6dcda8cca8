//! A workspace someone else made: symlinks back to `.`, links out of the workspace and folders
//! nested far deeper than anyone writes by hand. Listing and loading end, nothing outside the
//! workspace is read, and a link inside the workspace still works.

#![cfg(unix)]

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use sextant_model::ErrorCode;
use sextant_store::workspace::{NodeKind, TreeNode, MAX_TREE_DEPTH};
use sextant_store::StoreError;

use crate::workspace_common::{get, temp_workspace, TempWorkspace};

/// A hang fails the test instead of stalling the run; nothing here should take a second.
const CEILING: Duration = Duration::from_secs(60);

/// Runs `f` on a thread with a 2 MiB stack (a Tokio blocking thread's), failing on a hang.
fn bounded<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let _ = tx.send(f());
        })
        .unwrap();
    rx.recv_timeout(CEILING)
        .expect("the walk neither ended nor failed (hang or stack overflow)")
}

fn count(nodes: &[TreeNode]) -> usize {
    nodes.iter().map(|n| 1 + count(&n.children)).sum()
}

fn find<'a>(nodes: &'a [TreeNode], path: &str) -> Option<&'a TreeNode> {
    nodes.iter().find_map(|n| {
        if n.path == path {
            Some(n)
        } else {
            find(&n.children, path)
        }
    })
}

/// A file outside the workspace standing in for `~/.kube/config`.
fn outside_secret(t: &TempWorkspace) -> (std::path::PathBuf, &'static str) {
    let secret = "CANARY-kube-config-DO-NOT-READ";
    let path = t.dir.path().join("kube-config.yaml");
    fs::write(
        &path,
        format!("name: {secret}\nmethod: GET\nurl: http://{secret}/\n"),
    )
    .unwrap();
    (path, secret)
}

#[test]
fn links_back_to_the_workspace_are_listed_once() {
    let t = temp_workspace();
    t.ws.create_collection("c").unwrap();
    t.ws.create_request("c", &get("One", "http://a/")).unwrap();
    let root = t.root();
    symlink(".", root.join("self")).unwrap();
    symlink(".", root.join("again")).unwrap();
    symlink(".", root.join("c/loop")).unwrap();
    symlink("..", root.join("c/up")).unwrap();
    let ws = t.reopen();
    let tree = bounded(move || ws.list_tree().unwrap());
    assert_eq!(tree.len(), 1, "{tree:#?}");
    assert_eq!(tree[0].path, "c");
    assert_eq!(count(&tree), 2, "the collection and its request: {tree:#?}");

    let ws = t.reopen();
    let loaded = bounded(move || ws.load_collection("c").unwrap());
    assert_eq!(loaded.items.len(), 1);
}

#[test]
fn a_link_to_a_folder_inside_the_workspace_still_works() {
    let t = temp_workspace();
    t.ws.create_collection("c").unwrap();
    t.ws.create_folder("c", "Real").unwrap();
    t.ws.create_request("c/real", &get("One", "http://a/"))
        .unwrap();
    symlink("real", t.root().join("c/alias")).unwrap();
    let tree = t.ws.list_tree().unwrap();
    // The link and the folder it names: both listed, the real one always.
    assert!(find(&tree, "c/real/one.yaml").is_some(), "{tree:#?}");
    assert!(find(&tree, "c/alias/one.yaml").is_some(), "{tree:#?}");
    assert_eq!(
        t.ws.read_request("c/alias/one.yaml").unwrap().request.name,
        "One"
    );
}

#[test]
fn folders_nested_fifteen_hundred_deep_stop_at_the_cap() {
    let t = temp_workspace();
    t.ws.create_collection("c").unwrap();
    let mut dir = t.root().join("c");
    for _ in 0..1500 {
        dir.push("d");
    }
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("deep.yaml"),
        "name: Deep\nmethod: GET\nurl: http://a/\n",
    )
    .unwrap();

    let ws = t.reopen();
    let tree = bounded(move || ws.list_tree().unwrap());
    let mut node = &tree[0];
    let mut depth = 1;
    while let Some(child) = node.children.first() {
        node = child;
        depth += 1;
    }
    assert_eq!(depth, MAX_TREE_DEPTH);
    assert_eq!(node.kind, NodeKind::Folder);
    let error = node.error.as_deref().unwrap_or_default();
    assert!(error.contains("more than 64 folders deep"), "{error}");

    let ws = t.reopen();
    let err = bounded(move || ws.load_collection("c").unwrap_err());
    assert!(matches!(err, StoreError::TooDeep { max: 64, .. }), "{err}");
    assert_eq!(err.code(), ErrorCode::TooLarge);
}

#[test]
fn a_request_file_linked_out_of_the_workspace_is_not_read() {
    let t = temp_workspace();
    t.ws.create_collection("c").unwrap();
    let (outside, secret) = outside_secret(&t);
    symlink(&outside, t.root().join("c/config.yaml")).unwrap();
    t.ws.create_request("c", &get("One", "http://a/")).unwrap();
    // Not listed: the sidebar shows what is inside the workspace.
    let tree = t.ws.list_tree().unwrap();
    assert!(find(&tree, "c/config.yaml").is_none(), "{tree:#?}");
    assert!(find(&tree, "c/one.yaml").is_some(), "{tree:#?}");
    assert!(!format!("{tree:?}").contains(secret));

    let err = t.ws.read_request("c/config.yaml").unwrap_err();
    assert!(matches!(err, StoreError::OutsideWorkspace { .. }), "{err}");
    assert_eq!(err.code(), ErrorCode::FileNotAllowed);
    assert!(!err.to_string().contains(secret));
    let loaded = t.ws.load_collection("c").unwrap();
    assert_eq!(loaded.items.len(), 1);
    assert!(!format!("{loaded:?}").contains(secret));
    // Duplicating it copies nothing from outside either.
    assert!(t.ws.duplicate("c/config.yaml").is_err());
}

#[test]
fn settings_environments_and_folders_linked_out_are_not_read() {
    let t = temp_workspace();
    let (outside, secret) = outside_secret(&t);
    // A collection whose settings file is a link out.
    fs::create_dir(t.root().join("c")).unwrap();
    symlink(&outside, t.root().join("c/collection.yaml")).unwrap();
    // An environment file linked out.
    fs::create_dir(t.root().join("c/environments")).unwrap();
    symlink(&outside, t.root().join("c/environments/prod.yaml")).unwrap();
    // A folder and a whole collection that are links to a folder outside.
    let elsewhere = t.dir.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    fs::copy(&outside, elsewhere.join("inner.yaml")).unwrap();
    symlink(&elsewhere, t.root().join("c/linked")).unwrap();
    symlink(&elsewhere, t.root().join("linked-collection")).unwrap();

    let tree = t.ws.list_tree().unwrap();
    assert_eq!(tree.len(), 1, "{tree:#?}");
    assert!(tree[0].children.is_empty(), "{tree:#?}");
    assert!(tree[0]
        .error
        .as_deref()
        .unwrap_or_default()
        .contains("outside"));
    assert!(!format!("{tree:?}").contains(secret));

    let err = t.ws.read_folder_settings("c").unwrap_err();
    assert_eq!(err.code(), ErrorCode::FileNotAllowed);
    let envs = t.ws.list_environments("c").unwrap();
    assert_eq!(envs.len(), 1);
    assert!(envs[0]
        .error
        .as_deref()
        .unwrap_or_default()
        .contains("outside"));
    let err =
        t.ws.read_environment("c/environments/prod.yaml")
            .unwrap_err();
    assert_eq!(err.code(), ErrorCode::FileNotAllowed);
    assert!(t.ws.list_folder("linked-collection").is_err());
    let err = t.ws.read_request("c/linked/inner.yaml").unwrap_err();
    assert_eq!(err.code(), ErrorCode::FileNotAllowed);
}

#[test]
fn duplicating_a_folder_copies_links_as_links() {
    let t = temp_workspace();
    t.ws.create_collection("c").unwrap();
    t.ws.create_folder("c", "F").unwrap();
    let (outside, secret) = outside_secret(&t);
    symlink(".", t.root().join("c/f/loop")).unwrap();
    symlink(&outside, t.root().join("c/f/config.yaml")).unwrap();
    let ws = t.reopen();
    let copy = bounded(move || ws.duplicate("c/f").unwrap());
    let copied = t.root().join(&copy);
    let meta = fs::symlink_metadata(copied.join("config.yaml")).unwrap();
    assert!(meta.file_type().is_symlink());
    assert!(fs::symlink_metadata(copied.join("loop"))
        .unwrap()
        .file_type()
        .is_symlink());
    for file in files_no_follow(&t.root()) {
        let bytes = fs::read(&file).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(secret),
            "{file:?}"
        );
    }
}

/// Regular files under `dir`, links neither followed nor listed.
fn files_no_follow(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                pending.push(entry.path());
            } else if kind.is_file() {
                out.push(entry.path());
            }
        }
    }
    out
}

#[test]
fn the_watcher_does_not_follow_links() {
    let t = temp_workspace();
    t.ws.create_collection("c").unwrap();
    symlink(".", t.root().join("c/loop")).unwrap();
    symlink("/", t.root().join("c/everything")).unwrap();
    let ws = t.reopen();
    let (tx, rx) = mpsc::channel();
    // Following `/` would walk and watch the whole file system before returning.
    let handle = bounded(move || {
        ws.watch(move |paths| {
            let _ = tx.send(paths);
        })
        .unwrap()
    });
    let file = t.root().join("c/new.yaml");
    let deadline = std::time::Instant::now() + CEILING;
    let mut seen = Vec::new();
    // Written until reported: the watch may need a moment to be in place.
    while !seen.iter().any(|p: &String| p == "c/new.yaml") {
        assert!(
            std::time::Instant::now() < deadline,
            "never reported: {seen:?}"
        );
        fs::write(&file, "name: New\nmethod: GET\nurl: http://a/\n").unwrap();
        if let Ok(paths) = rx.recv_timeout(Duration::from_millis(500)) {
            seen.extend(paths);
        }
    }
    assert!(!seen.iter().any(|p| p.starts_with("c/loop/")), "{seen:?}");
    drop(handle);
}
