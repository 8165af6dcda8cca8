//! The watcher reports files changed behind the workspace's back (an editor, a `git pull`) within
//! about a second, and stays quiet about the workspace's own saves, temp files and hidden folders.

use std::collections::BTreeSet;
use std::fs;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::workspace_common::{get, temp_workspace};

/// Everything reported until `want` are all seen or `limit` passes.
fn collect(rx: &mpsc::Receiver<Vec<String>>, want: &[&str], limit: Duration) -> BTreeSet<String> {
    let started = Instant::now();
    let mut seen = BTreeSet::new();
    while started.elapsed() < limit {
        if let Ok(paths) = rx.recv_timeout(Duration::from_millis(50)) {
            seen.extend(paths);
        }
        if want.iter().all(|w| seen.contains(*w)) {
            break;
        }
    }
    seen
}

#[test]
fn an_external_edit_is_reported_within_a_second() {
    let t = temp_workspace();
    t.ws.create_collection("c").unwrap();
    let saved = t.ws.create_request("c", &get("One", "http://a/")).unwrap();
    let (tx, rx) = mpsc::channel();
    let _watch = t.ws.watch(move |paths| {
        let _ = tx.send(paths);
    });

    let started = Instant::now();
    fs::write(
        t.root().join(&saved.path),
        "name: One\nmethod: POST\nurl: http://edited/\n",
    )
    .unwrap();
    let seen = collect(&rx, &[&saved.path], Duration::from_secs(3));
    assert!(seen.contains(&saved.path), "reported: {seen:?}");
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_git_pull_like_change_of_many_files_is_reported() {
    let t = temp_workspace();
    let c = t.ws.create_collection("c").unwrap();
    let a = t.ws.create_request(&c, &get("A", "http://a/")).unwrap();
    let b = t.ws.create_request(&c, &get("B", "http://b/")).unwrap();
    let (tx, rx) = mpsc::channel();
    let _watch = t.ws.watch(move |paths| {
        let _ = tx.send(paths);
    });

    // Like git: write new content to a temp name and rename it, delete a file, add a folder.
    let tmp = t.root().join("c/.git-tmp-obj");
    fs::write(&tmp, "name: A\nmethod: PUT\nurl: http://pulled/\n").unwrap();
    fs::rename(&tmp, t.root().join(&a.path)).unwrap();
    fs::remove_file(t.root().join(&b.path)).unwrap();
    fs::create_dir(t.root().join("c/new")).unwrap();
    fs::write(t.root().join("c/new/folder.yaml"), "name: New\n").unwrap();
    fs::write(
        t.root().join("c/new/n.yaml"),
        "name: N\nmethod: GET\nurl: http://n/\n",
    )
    .unwrap();
    fs::create_dir_all(t.root().join(".git/objects")).unwrap();
    fs::write(t.root().join(".git/objects/x"), "blob").unwrap();

    let want = [a.path.as_str(), b.path.as_str(), "c/new"];
    let seen = collect(&rx, &want, Duration::from_secs(3));
    for w in want {
        assert!(seen.contains(w), "{w} not reported: {seen:?}");
    }
    assert!(
        seen.iter()
            .all(|p| !p.contains(".git") && !p.contains("sextant-tmp")),
        "hidden paths reported: {seen:?}"
    );
}

#[test]
fn the_workspace_s_own_saves_are_not_reported() {
    let t = temp_workspace();
    let c = t.ws.create_collection("c").unwrap();
    let mine = t.ws.create_request(&c, &get("Mine", "http://m/")).unwrap();
    let other = t.ws.create_request(&c, &get("Other", "http://o/")).unwrap();
    let (tx, rx) = mpsc::channel();
    let _watch = t.ws.watch(move |paths| {
        let _ = tx.send(paths);
    });

    t.ws.save_request(&mine.path, &get("Mine", "http://m2/"), Some(&mine.revision))
        .unwrap();
    let folder = t.ws.create_folder(&c, "Made here").unwrap();
    let renamed = t.ws.rename(&mine.path, "Mine renamed").unwrap();
    // Then an external edit, so there is something to wait for.
    fs::write(
        t.root().join(&other.path),
        "name: Other\nmethod: GET\nurl: http://x/\n",
    )
    .unwrap();
    let seen = collect(&rx, &[&other.path], Duration::from_secs(3));
    // Give a late batch for our own writes the chance to show up.
    let late = collect(&rx, &["never"], Duration::from_millis(500));
    let all: BTreeSet<_> = seen.union(&late).cloned().collect();
    assert!(all.contains(&other.path), "{all:?}");
    for own in [&mine.path, &renamed, &folder] {
        assert!(!all.contains(own), "own change {own} reported: {all:?}");
    }
}
