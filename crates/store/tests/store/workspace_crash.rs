//! Saves are atomic: a writer process killed with SIGKILL at any moment leaves its request file as
//! one whole saved version, never empty or half-written; and the temp files such a crash leaves
//! are ignored by loading and cleaned up.

use std::collections::HashSet;
use std::fs;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use sextant_model::RequestBody;
use sextant_store::workspace::is_temp_name;
use sextant_store::Workspace;

use crate::workspace_common::{all_files, get, temp_workspace};

const WRITER: &str = env!("CARGO_BIN_EXE_sextant-collection-writer");

/// A cheap pseudo-random number from the clock, so kill moments differ between rounds and runs.
fn jitter(max: u64) -> u64 {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    (nanos / 1000) % max.max(1)
}

#[test]
fn a_writer_killed_at_random_moments_leaves_a_whole_saved_version() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    let data = dir.path().join("data");
    let mut seen_versions = 0;
    // Temp files left by kills that landed between "create the temp file" and "rename it".
    let mut mid_save: HashSet<String> = HashSet::new();
    // At least 30 rounds, and more (up to 150) until one kill has landed during a save.
    let mut round = 0;
    while round < 30 || (mid_save.is_empty() && round < 150) {
        round += 1;
        let mut child = Command::new(WRITER)
            .arg(&root)
            .arg(&data)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the writer");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx
                    .send(line.trim().parse::<u64>().expect("a version"))
                    .is_err()
                {
                    break;
                }
            }
        });
        // Wait for the first save, then kill after a random extra delay.
        let first = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("the writer saves");
        let mut printed: HashSet<u64> = HashSet::from([first]);
        // Every other round waits for a save in progress (a temp file beside the request file),
        // freezes the writer there and kills it, so a crash mid-write is exercised every run; the
        // other rounds kill at a random moment.
        if round % 2 == 0 {
            kill_during_a_save(&child, &root.join("writer"));
        } else {
            thread::sleep(Duration::from_millis(jitter(60)));
        }
        child.kill().expect("SIGKILL the writer");
        let status = child.wait().unwrap();
        assert!(!status.success(), "round {round}: the writer was killed");
        reader.join().unwrap();
        printed.extend(rx.try_iter());
        let last = *printed.iter().max().unwrap();

        let ws = Workspace::open(&root, &data).unwrap();
        let loaded = ws
            .read_request("writer/loop.yaml")
            .unwrap_or_else(|e| panic!("round {round}: the file does not load: {e}"));
        let req = loaded.request;
        let n: u64 = req
            .docs
            .strip_prefix("version ")
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("round {round}: unexpected docs {:?}", req.docs));
        // A save that finished before the kill but whose number was not printed yet is the
        // only version allowed beyond what was printed.
        assert!(
            printed.contains(&n) || n == last + 1,
            "round {round}: version {n} was never saved (printed up to {last})"
        );
        assert_eq!(req.name, format!("loop {n}"));
        assert_eq!(req.request.url, format!("http://127.0.0.1:9/loop/{n}"));
        let RequestBody::Json { text } = &req.request.body else {
            panic!("round {round}: body kind changed")
        };
        let filler = "x".repeat(((n % 13) * 60_000) as usize);
        assert_eq!(text, &format!("{{\"n\": {n}, \"filler\": \"{filler}\"}}"));
        seen_versions += printed.len();

        // Only the request and the collection file are visible; any leftover is a hidden temp.
        for file in all_files(ws.root()) {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            if is_temp_name(&name) {
                mid_save.insert(name.clone());
            }
            assert!(
                ["loop.yaml", "collection.yaml"].contains(&name.as_str()) || is_temp_name(&name),
                "round {round}: unexpected file {}",
                file.display()
            );
        }
        let tree = ws.list_tree().unwrap();
        assert_eq!(tree[0].children.len(), 1);
        assert!(tree[0].children[0].error.is_none());
    }
    assert!(seen_versions >= 30);
    assert!(
        !mid_save.is_empty(),
        "no kill landed during a save in {round} rounds: the test did not exercise a crash mid-write"
    );
}

/// Polls `dir` for a temp file of a save in progress; when one is there, stops the writer
/// (SIGSTOP) and looks again: still there means the writer is frozen mid-save, and the caller's
/// SIGKILL lands there. Otherwise the writer goes on (SIGCONT) and the wait goes on, up to 5 s.
fn kill_during_a_save(child: &std::process::Child, dir: &std::path::Path) {
    use rustix::process::{kill_process, Pid, Signal};
    let pid = Pid::from_child(child);
    let signal = |sig: Signal| kill_process(pid, sig).expect("signal the writer");
    let temp_there = || {
        fs::read_dir(dir).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| is_temp_name(&e.file_name().to_string_lossy()))
        })
    };
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if temp_there() {
            signal(Signal::STOP);
            if temp_there() {
                return;
            }
            signal(Signal::CONT);
        }
    }
}

#[test]
fn a_leftover_temp_file_is_ignored_by_loading_and_cleaned() {
    let t = temp_workspace();
    t.ws.create_collection("c").unwrap();
    let saved = t.ws.create_request("c", &get("Kept", "http://k/")).unwrap();
    let kept = fs::read(t.root().join(&saved.path)).unwrap();

    // What a crash between "write temp" and "rename" leaves: a half-written hidden temp file
    // beside the real one, and a half-built import folder.
    let temp = t.root().join("c/.kept.yaml.4242.0.sextant-tmp");
    fs::write(&temp, "name: Kept\nmethod: GE").unwrap();
    let temp_dir = t.root().join(".imported.4242.1.sextant-tmp");
    fs::create_dir(&temp_dir).unwrap();
    fs::write(temp_dir.join("collection.yaml"), "name: Half").unwrap();

    let tree = t.ws.list_tree().unwrap();
    assert_eq!(tree.len(), 1, "the half-built import is not a collection");
    assert_eq!(tree[0].children.len(), 1);
    assert_eq!(tree[0].children[0].name, "Kept");
    assert!(tree[0].children[0].error.is_none());
    assert_eq!(t.ws.read_request(&saved.path).unwrap().request.name, "Kept");
    assert_eq!(t.ws.load_collection("c").unwrap().items.len(), 1);

    // Fresh temp files may belong to a save running in another process: opening keeps them.
    drop(t.reopen());
    assert!(temp.exists() && temp_dir.exists());
    // Once old enough they are a crash's leftovers: opening removes them.
    let old = SystemTime::now() - Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(&temp)
        .unwrap()
        .set_modified(old)
        .unwrap();
    fs::File::open(&temp_dir)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let ws = t.reopen();
    assert!(!temp.exists() && !temp_dir.exists());
    assert_eq!(fs::read(ws.root().join(&saved.path)).unwrap(), kept);
    // And an explicit clean with no minimum age removes any.
    fs::write(&temp, "x").unwrap();
    assert_eq!(ws.clean_temp_files(Duration::ZERO).unwrap(), 1);
    let started = Instant::now();
    assert!(started.elapsed() < Duration::from_secs(5));
}
