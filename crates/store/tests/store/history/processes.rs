//! Several processes on one file: the app and CLI runs write at once, and a process killed
//! mid-write loses nothing it had committed.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use rusqlite::Connection;
use sextant_store::{History, HistoryQuery};

use crate::support::{entry, temp_db};

const WRITER: &str = env!("CARGO_BIN_EXE_sextant-history-writer");

/// What the writer prints: `ready` once it has opened the history (with `--wait`), then ids.
#[derive(Debug, PartialEq)]
enum Line {
    Ready,
    Id(i64),
}

/// A writer of `count` entries (unbounded when `None`). With `wait`, it opens the history,
/// says `ready`, and starts writing only when [`go`] is called.
fn spawn_writer(db: &Path, tag: &str, count: Option<u32>, wait: bool) -> Child {
    let mut cmd = Command::new(WRITER);
    cmd.arg(db).arg(tag);
    if let Some(count) = count {
        cmd.arg(count.to_string());
    }
    if wait {
        cmd.arg("--wait");
    }
    cmd.stdin(if wait { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the writer")
}

fn go(child: &mut Child) {
    let mut stdin = child.stdin.take().expect("a waiting writer");
    writeln!(stdin, "go").expect("tell the writer to start");
}

/// Reads the child's stdout on a thread, sending each line as it arrives.
fn lines(child: &mut Child) -> mpsc::Receiver<Line> {
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let line = match line.trim() {
                "ready" => Line::Ready,
                id => Line::Id(id.parse().expect("the writer prints ids")),
            };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// The ids still to come, until the writer's stdout closes.
fn remaining_ids(lines: mpsc::Receiver<Line>) -> Vec<i64> {
    lines
        .iter()
        .map(|line| match line {
            Line::Id(id) => id,
            Line::Ready => panic!("ready twice"),
        })
        .collect()
}

fn stderr_of(child: &mut Child) -> String {
    let mut text = String::new();
    if let Some(mut err) = child.stderr.take() {
        std::io::Read::read_to_string(&mut err, &mut text).ok();
    }
    text
}

#[test]
fn a_writer_killed_mid_burst_loses_nothing_it_committed() -> anyhow::Result<()> {
    let db = temp_db();
    // Created first so the child finds the schema in place and starts writing at once.
    History::open(&db.path)?;

    let mut child = spawn_writer(&db.path, "burst", None, false);
    let output = lines(&mut child);
    let first = output
        .recv_timeout(Duration::from_secs(30))
        .expect("the writer commits a first entry");
    let Line::Id(first) = first else {
        panic!("expected an id, got {first:?}")
    };
    // Killed mid-burst: once it has committed a few dozen entries, while it writes more.
    let mut printed = vec![first];
    while printed.len() < 30 {
        match output.recv_timeout(Duration::from_secs(30)) {
            Ok(Line::Id(id)) => printed.push(id),
            other => panic!("expected an id, got {other:?}"),
        }
    }
    child.kill()?; // SIGKILL on Unix: no destructors, no checkpoint
    child.wait()?;

    printed.extend(remaining_ids(output));
    eprintln!(
        "the writer committed {} entries before it was killed",
        printed.len()
    );

    let conn = Connection::open(&db.path)?;
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    assert_eq!(integrity, "ok");
    drop(conn);

    let history = History::open(&db.path)?;
    for &id in &printed {
        let got = history.get(id)?;
        assert!(got.is_some(), "committed entry {id} is missing");
    }
    // The index is as intact as the table.
    let found = history.list(&HistoryQuery {
        text: Some("burst".into()),
        limit: HistoryQuery::MAX_LIMIT,
        ..HistoryQuery::default()
    })?;
    let found: HashSet<i64> = found.into_iter().map(|s| s.id).collect();
    assert!(printed.iter().all(|id| found.contains(id)));
    Ok(())
}

#[test]
fn two_writer_processes_and_this_one_write_at_once_without_errors() -> anyhow::Result<()> {
    const EACH: u32 = 1_000;
    let db = temp_db();
    History::open(&db.path)?;

    let mut children = [
        spawn_writer(&db.path, "one", Some(EACH), true),
        spawn_writer(&db.path, "two", Some(EACH), true),
    ];
    let outputs: Vec<_> = children.iter_mut().map(lines).collect();
    for output in &outputs {
        let ready = output.recv_timeout(Duration::from_secs(30));
        assert_eq!(ready, Ok(Line::Ready), "the writer opened the history");
    }
    let history = History::open(&db.path)?;
    // All three start together, so their writes really interleave.
    children.iter_mut().for_each(go);
    let mut mine = Vec::new();
    let started = Instant::now();
    for i in 0..EACH {
        mine.push(history.record(&entry(i as i64, &format!("https://self.test/{i}")))?);
    }
    let elapsed = started.elapsed();

    let mut all: Vec<i64> = mine.clone();
    for (child, output) in children.iter_mut().zip(outputs) {
        let status = child.wait()?;
        let err = stderr_of(child);
        assert!(status.success(), "writer failed: {status}: {err}");
        assert!(err.is_empty(), "writer complained: {err}");
        let theirs = remaining_ids(output);
        assert_eq!(theirs.len(), EACH as usize);
        all.extend(theirs);
    }
    let unique: HashSet<i64> = all.iter().copied().collect();
    assert_eq!(unique.len(), all.len(), "no id handed out twice");

    let count: i64 =
        Connection::open(&db.path)?.query_row("SELECT count(*) FROM entries", [], |r| r.get(0))?;
    assert_eq!(count, 3 * i64::from(EACH));
    for id in all {
        assert!(history.get(id)?.is_some(), "entry {id} missing");
    }
    eprintln!("this process recorded {EACH} entries in {elapsed:?} alongside two writers");
    Ok(())
}

#[test]
fn processes_creating_the_same_new_file_at_once_all_succeed() -> anyhow::Result<()> {
    let db = temp_db();
    let mut children: Vec<Child> = (0..4)
        .map(|i| spawn_writer(&db.path, &format!("w{i}"), Some(50), false))
        .collect();
    let outputs: Vec<_> = children.iter_mut().map(lines).collect();
    let mut total = 0;
    for (child, output) in children.iter_mut().zip(outputs) {
        let status = child.wait()?;
        let err = stderr_of(child);
        assert!(status.success(), "writer failed: {status}: {err}");
        total += remaining_ids(output).len();
    }
    assert_eq!(total, 200);
    let history = History::open(&db.path)?;
    let all = history.list(&HistoryQuery {
        limit: 1_000,
        ..HistoryQuery::default()
    })?;
    assert_eq!(all.len(), 200);
    Ok(())
}
