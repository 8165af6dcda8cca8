//! The history's batch writer (a collection run's): entries get their ids at once, are tagged
//! with their run, are searchable once committed, and are committed when a batch is full, when
//! it gets old with nothing else coming, on flush and when the writer is dropped. Another handle
//! on the same file (another process's view) is what checks what is committed.

use std::time::{Duration, Instant};

use sextant_store::{BatchLimits, History, HistoryQuery, NewEntry, RunTag, Source};

fn entry(url: &str) -> NewEntry {
    NewEntry {
        at_ms: 1,
        source: Source::Cli,
        collection: Some("Shop".into()),
        method: "GET".into(),
        url: url.into(),
        request_headers: Vec::new(),
        request_body: None,
        request_as_written: None,
        request_body_bytes: None,
        status: Some(200),
        response_headers: Vec::new(),
        response_body_text: Some("{\"colour\":\"ultramarine\"}".into()),
        response_body_path: None,
        body_size: 24,
        duration_ms: 1.0,
        timings_json: None,
        error_code: None,
        error_message: None,
    }
}

fn found(history: &History, text: &str) -> usize {
    history
        .list(&HistoryQuery {
            text: Some(text.into()),
            ..HistoryQuery::default()
        })
        .unwrap()
        .len()
}

fn two_handles() -> (tempfile::TempDir, History, History) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    let writer = History::open(&path).unwrap();
    let reader = History::open(&path).unwrap();
    (dir, writer, reader)
}

#[test]
fn a_full_batch_is_committed_tagged_and_searchable_and_flush_commits_the_rest() {
    let (_dir, history, other) = two_handles();
    let limits = BatchLimits {
        max_rows: 3,
        max_age: Duration::from_secs(600),
    };
    let batch = history.batch_writer(limits).unwrap();
    let mut ids = Vec::new();
    for seq in 0..4u32 {
        let tag = RunTag {
            run_id: "run-a",
            seq,
        };
        ids.push(
            batch
                .record(&entry(&format!("http://shop.test/item/{seq}")), Some(tag))
                .unwrap(),
        );
    }
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    // The first three were a full batch; the fourth waits in the open one.
    assert_eq!(found(&other, "ultramarine"), 3);
    assert_eq!(other.run_entries("run-a").unwrap().len(), 3);
    assert!(other.get(ids[3]).unwrap().is_none());

    batch.flush().unwrap();
    assert_eq!(found(&other, "ultramarine"), 4);
    let listed: Vec<i64> = other
        .run_entries("run-a")
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(listed, ids);
    assert_eq!(
        other.get(ids[2]).unwrap().unwrap().recorded.url,
        "http://shop.test/item/2"
    );
}

#[test]
fn an_old_batch_is_committed_with_nothing_else_coming_and_dropping_commits() {
    let (_dir, history, other) = two_handles();
    let batch = history
        .batch_writer(BatchLimits {
            max_rows: 1000,
            max_age: Duration::from_millis(40),
        })
        .unwrap();
    let id = batch.record(&entry("http://shop.test/late"), None).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while other.get(id).unwrap().is_none() {
        assert!(
            Instant::now() < deadline,
            "the old batch was never committed"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(found(&other, "late"), 1);

    let slow = history
        .batch_writer(BatchLimits {
            max_rows: 1000,
            max_age: Duration::from_secs(600),
        })
        .unwrap();
    let kept = slow.record(&entry("http://shop.test/kept"), None).unwrap();
    drop(slow);
    assert!(other.get(kept).unwrap().is_some());
    assert_eq!(found(&other, "kept"), 1);
}

#[test]
fn a_bad_entry_fails_alone_and_single_records_wait_for_the_open_batch() {
    let (_dir, history, other) = two_handles();
    let batch = history
        .batch_writer(BatchLimits {
            max_rows: 1000,
            max_age: Duration::from_millis(50),
        })
        .unwrap();
    let good = batch.record(&entry("http://shop.test/good"), None).unwrap();
    let mut bad = entry("http://shop.test/bad");
    bad.duration_ms = f64::NAN;
    assert!(batch.record(&bad, None).is_err());
    // Another handle's single record waits for the batch's lock (the ticker commits it) instead
    // of failing.
    let single = other.record(&entry("http://shop.test/single")).unwrap();
    assert!(single > good);
    batch.flush().unwrap();
    assert!(other.get(good).unwrap().is_some());
    assert_eq!(found(&other, "bad"), 0);
    assert_eq!(found(&other, "ultramarine"), 2);
}

#[test]
fn submitted_entries_get_their_ids_in_order_through_the_callback() {
    let (_dir, history, other) = two_handles();
    let batch = history
        .batch_writer(BatchLimits {
            max_rows: 1000,
            max_age: Duration::from_secs(600),
        })
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    for seq in 0..5u32 {
        let tx = tx.clone();
        let tag = RunTag {
            run_id: "run-q",
            seq,
        };
        batch.submit(
            entry(&format!("http://shop.test/q/{seq}")),
            Some(tag),
            Box::new(move |id| tx.send((seq, id.unwrap())).unwrap()),
        );
    }
    let got: Vec<(u32, i64)> = (0..5)
        .map(|_| rx.recv_timeout(Duration::from_secs(10)).unwrap())
        .collect();
    assert_eq!(got.iter().map(|g| g.0).collect::<Vec<_>>(), [0, 1, 2, 3, 4]);
    assert!(got.windows(2).all(|w| w[0].1 < w[1].1), "{got:?}");
    // Written, not committed: the batch is young and not full.
    assert_eq!(found(&other, "ultramarine"), 0);
    batch.flush().unwrap();
    assert_eq!(found(&other, "ultramarine"), 5);
    assert_eq!(other.run_entries("run-q").unwrap().len(), 5);

    let mut bad = entry("http://shop.test/bad");
    bad.duration_ms = f64::NAN;
    let (tx, rx) = std::sync::mpsc::channel();
    batch.submit(bad, None, Box::new(move |r| tx.send(r.is_err()).unwrap()));
    assert!(rx.recv_timeout(Duration::from_secs(10)).unwrap());
}
