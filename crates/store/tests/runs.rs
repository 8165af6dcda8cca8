//! What a collection run needs from the store: request tags and a folder's `sequential` mark in
//! the files, the history's entries of a run, listed by its id, and finished runs kept whole to
//! be reopened (a history from before runs were kept opens with its run entries intact).

use sextant_model::{
    AssertionKind, AssertionResult, HttpRequest, RunOptions, RunResult, RunSummary, SavedRequest,
};
use sextant_store::schema::MIGRATIONS;
use sextant_store::{History, NewEntry, NewRun, Source, Workspace, MAX_KEPT_RUNS};

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
        response_body_text: None,
        response_body_path: None,
        body_size: 0,
        duration_ms: 1.0,
        timings_json: None,
        error_code: None,
        error_message: None,
    }
}

#[test]
fn tags_and_sequential_are_keys_in_the_files_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::open(dir.path().join("ws"), dir.path().join("data")).unwrap();
    let coll = ws.create_collection("Shop").unwrap();
    let folder = ws.create_folder(&coll, "Checkout").unwrap();
    let mut req = SavedRequest::new("Pay", HttpRequest::get("http://x.test/pay"));
    req.tags = vec!["smoke".into(), "pay".into()];
    let saved = ws.create_request(&folder, &req).unwrap();
    let text = std::fs::read_to_string(ws.root().join(&saved.path)).unwrap();
    assert!(text.contains("tags:\n- smoke\n- pay\n"), "{text}");
    assert_eq!(ws.read_request(&saved.path).unwrap().request.tags, req.tags);

    let loaded = ws.read_folder_settings(&folder).unwrap();
    let mut settings = loaded.settings;
    assert!(!settings.sequential);
    settings.sequential = true;
    ws.save_folder_settings(&folder, &settings, &loaded.revision)
        .unwrap();
    let file = std::fs::read_to_string(ws.root().join(&folder).join("folder.yaml")).unwrap();
    assert!(file.contains("sequential: true"), "{file}");
    assert!(
        ws.read_folder_settings(&folder)
            .unwrap()
            .settings
            .sequential
    );

    let plain = ws
        .create_request(
            &coll,
            &SavedRequest::new("List", HttpRequest::get("http://x.test")),
        )
        .unwrap();
    let text = std::fs::read_to_string(ws.root().join(&plain.path)).unwrap();
    assert!(!text.contains("tags"), "{text}");
}

#[test]
fn a_run_lists_its_entries_in_run_order() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open(dir.path().join("history.sqlite")).unwrap();
    let a = history.record(&entry("http://x.test/a")).unwrap();
    let b = history.record(&entry("http://x.test/b")).unwrap();
    let other = history.record(&entry("http://x.test/c")).unwrap();
    history.tag_run(b, "run-1", 0).unwrap();
    history.tag_run(a, "run-1", 1).unwrap();
    history.tag_run(other, "run-2", 0).unwrap();
    let urls: Vec<String> = history
        .run_entries("run-1")
        .unwrap()
        .into_iter()
        .map(|e| e.url)
        .collect();
    assert_eq!(urls, ["http://x.test/b", "http://x.test/a"]);
    assert!(history.run_entries("nope").unwrap().is_empty());
}

fn result(path: &str, passed: bool) -> RunResult {
    RunResult {
        iteration: 1,
        path: path.into(),
        name: path.rsplit('/').next().unwrap().into(),
        method: "GET".into(),
        url: format!("http://x.test/{path}"),
        status: Some(if passed { 200 } else { 404 }),
        duration_ms: 3.5,
        attempts: 2,
        assertions: vec![AssertionResult {
            index: 0,
            kind: AssertionKind::Assertion,
            passed,
            expected: "== 200".into(),
            actual: if passed { "200" } else { "404" }.into(),
            message: "expected status == 200, got 404".into(),
            diff: None,
            pointer: Some("/items/0".into()),
            schema_pointer: None,
            suggestion: None,
        }],
        passed,
        error: None,
        history_id: Some(7),
        skipped: None,
    }
}

fn summary(run_id: &str, results: Vec<RunResult>) -> RunSummary {
    let passed = results.iter().filter(|r| r.passed).count() as u32;
    RunSummary {
        run_id: run_id.into(),
        total: results.len() as u32,
        passed,
        failed: results.len() as u32 - passed,
        errors: 0,
        duration_ms: 12.25,
        results,
        stopped: false,
    }
}

#[test]
fn a_kept_run_reads_back_whole_and_runs_list_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open(dir.path().join("history.sqlite")).unwrap();
    let options = RunOptions {
        environment: Some("local".into()),
        retries: 2,
        only: vec!["shop/b".into()],
        ..RunOptions::default()
    };
    let first = summary(
        "run-1",
        vec![result("shop/a", true), result("shop/b", false)],
    );
    history
        .record_run(&NewRun {
            at_ms: 100,
            path: "shop",
            name: "Shop",
            options: &options,
            summary: &first,
        })
        .unwrap();
    let second = summary("run-2", vec![result("shop/a", true)]);
    history
        .record_run(&NewRun {
            at_ms: 200,
            path: "shop",
            name: "Shop",
            options: &RunOptions::default(),
            summary: &second,
        })
        .unwrap();

    let listed = history.list_runs(10).unwrap();
    let ids: Vec<&str> = listed.iter().map(|r| r.run_id.as_str()).collect();
    assert_eq!(ids, ["run-2", "run-1"]);
    let one = &listed[1];
    assert_eq!((one.at_ms, one.path.as_str()), (100, "shop"));
    assert_eq!(one.environment.as_deref(), Some("local"));
    assert_eq!((one.total, one.passed, one.failed), (2, 1, 1));
    assert_eq!(one.duration_ms, 12.25);
    assert_eq!(history.list_runs(1).unwrap().len(), 1);

    let read = history.read_run("run-1").unwrap().expect("kept");
    assert_eq!(read.options, options);
    assert_eq!(read.results, first.results);
    assert_eq!(read.listing, *one);
    assert!(history.read_run("nope").unwrap().is_none());
}

#[test]
fn only_the_newest_runs_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open(dir.path().join("history.sqlite")).unwrap();
    for i in 0..=MAX_KEPT_RUNS {
        let s = summary(&format!("run-{i}"), vec![result("shop/a", true)]);
        history
            .record_run(&NewRun {
                at_ms: i as i64,
                path: "shop",
                name: "Shop",
                options: &RunOptions::default(),
                summary: &s,
            })
            .unwrap();
    }
    let listed = history.list_runs(MAX_KEPT_RUNS * 2).unwrap();
    assert_eq!(listed.len(), MAX_KEPT_RUNS);
    assert_eq!(listed[0].run_id, format!("run-{MAX_KEPT_RUNS}"));
    assert!(history.read_run("run-0").unwrap().is_none());
    assert!(history.read_run("run-1").unwrap().is_some());
}

#[test]
fn a_history_from_before_runs_were_kept_opens_with_its_run_entries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    let before = MIGRATIONS
        .iter()
        .position(|m| m.name == "run records")
        .expect("the step exists");
    {
        let old = History::open_with_migrations(&path, &MIGRATIONS[..before]).unwrap();
        let id = old.record(&entry("http://x.test/a")).unwrap();
        old.tag_run(id, "old-run", 0).unwrap();
    }
    let history = History::open(&path).unwrap();
    assert_eq!(history.run_entries("old-run").unwrap().len(), 1);
    assert!(history.list_runs(10).unwrap().is_empty());
    assert!(history.read_run("old-run").unwrap().is_none());
    let s = summary("new-run", vec![result("shop/a", false)]);
    history
        .record_run(&NewRun {
            at_ms: 1,
            path: "shop",
            name: "Shop",
            options: &RunOptions::default(),
            summary: &s,
        })
        .unwrap();
    assert_eq!(
        history.read_run("new-run").unwrap().unwrap().results,
        s.results
    );
}
