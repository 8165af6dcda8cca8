//! What a collection run needs from the store: request tags and a folder's `sequential` mark in
//! the files, and the history's entries of a run, listed by its id.

use sextant_model::{HttpRequest, SavedRequest};
use sextant_store::{History, NewEntry, Source, Workspace};

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
