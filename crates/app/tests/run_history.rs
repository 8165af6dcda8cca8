//! A run's history entries, which a run writes in batches: all of them are in the history and
//! found by search as soon as the run returns, in parallel too, and a cancelled run keeps every
//! request that finished. A second `App` on the same data dir (another process's view) checks
//! what is committed.

use std::sync::{Arc, Mutex};

use sextant_app::{App, AppConfig, HistoryQuery};
use sextant_model::{
    AssertPredicate as P, AssertQuery as Q, Assertion, ErrorCode, HttpRequest, RunEvent,
    RunOptions, SavedRequest,
};
use sextant_testkit::FaultServer;

struct Fixture {
    dir: tempfile::TempDir,
    app: App,
}

fn config(dir: &tempfile::TempDir) -> AppConfig {
    let mut config = AppConfig::new(dir.path().join("data"));
    config.workspace_dir = Some(dir.path().join("ws"));
    config
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let app = App::new(config(&dir)).unwrap();
    app.collection_create("shop".into()).await.unwrap();
    Fixture { dir, app }
}

fn get(name: &str, url: String) -> SavedRequest {
    let mut saved = SavedRequest::new(name, HttpRequest::get(url));
    saved.assertions = vec![Assertion::new(Q::Status, P::Equals, Some("200"))];
    saved
}

impl Fixture {
    async fn add(&self, saved: SavedRequest) {
        self.app.request_create("shop".into(), saved).await.unwrap();
    }

    /// The same history, as another process sees it.
    fn other(&self) -> App {
        App::new(config(&self.dir)).unwrap()
    }
}

async fn searched(app: &App, text: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = app
        .history_list(HistoryQuery {
            text: Some(text.into()),
            ..HistoryQuery::default()
        })
        .await
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn every_entry_of_a_parallel_run_is_in_the_history_and_searchable_when_it_returns() {
    let server = FaultServer::start();
    let f = fixture().await;
    for i in 0..30 {
        f.add(get(
            &format!("r{i:02}"),
            server.url(&format!("/ok?marker=zebra{i}")),
        ))
        .await;
    }
    let live = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&live);
    let summary = f
        .app
        .run(
            "run-all",
            "shop",
            RunOptions {
                parallel: 3,
                iterations: 2,
                ..RunOptions::default()
            },
            Arc::new(move |event| {
                if let RunEvent::RequestFinished { result } = event {
                    seen.lock().unwrap().push(result.history_id);
                }
            }),
        )
        .await
        .unwrap();
    assert_eq!((summary.total, summary.passed), (60, 60), "{summary:#?}");
    let from_results: Vec<i64> = summary
        .results
        .iter()
        .map(|r| r.history_id.expect("every result has its entry"))
        .collect();
    // Each result went out while the run went on with its entry id already known (the entries
    // are written on the batch writer's thread meanwhile).
    let mut live: Vec<i64> = live
        .lock()
        .unwrap()
        .iter()
        .map(|id| id.expect("a live result has its entry id"))
        .collect();
    live.sort_unstable();
    let mut sorted = from_results.clone();
    sorted.sort_unstable();
    assert_eq!(live, sorted);
    // The run's bodies are written to their files behind it, all of them before it returns.
    let bodies: Vec<Vec<u8>> = std::fs::read_dir(f.dir.path().join("data/bodies"))
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(bodies.len(), 60);
    assert!(bodies.iter().all(|b| b == b"ok"));

    let other = f.other();
    let listed: Vec<i64> = other
        .run_history("run-all")
        .await
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(listed, from_results, "the run's entries in run order");
    let mut all = from_results.clone();
    all.sort_unstable();
    assert_eq!(searched(&other, "zebra*").await, all);
    let entry = other.history_get(from_results[7]).await.unwrap().recorded;
    assert_eq!(entry.url, server.url("/ok?marker=zebra7"));
}

#[tokio::test]
async fn a_cancelled_run_keeps_every_request_that_finished() {
    let server = FaultServer::start();
    let f = fixture().await;
    f.add(get("a", server.url("/ok?marker=quokka1"))).await;
    f.add(get("b", server.url("/ok?marker=quokka2"))).await;
    f.add(get("c stalls", server.url("/stall-head"))).await;
    f.add(get("d never", server.url("/ok?marker=quokka4")))
        .await;
    let stalled = Arc::new(tokio::sync::Notify::new());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (notify, sink) = (Arc::clone(&stalled), Arc::clone(&seen));
    let on_event = Arc::new(move |event: RunEvent| {
        if let RunEvent::RequestStarted { name, .. } = &event {
            if name == "c stalls" {
                notify.notify_one();
            }
        }
        sink.lock().unwrap().push(event);
    });
    let run = f
        .app
        .run("run-cut", "shop", RunOptions::default(), on_event);
    let cancel = async {
        stalled.notified().await;
        assert!(f.app.cancel_run("run-cut"));
    };
    let (summary, ()) = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        tokio::join!(run, cancel)
    })
    .await
    .expect("the cancelled run ends");
    let summary = summary.unwrap();
    assert!(summary.stopped);
    let names: Vec<&str> = summary.results.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "c stalls"]);
    assert_eq!(
        summary.results[2].error.as_ref().map(|e| e.code),
        Some(ErrorCode::Cancelled)
    );
    let finished: Vec<i64> = summary.results[..2]
        .iter()
        .map(|r| r.history_id.expect("a finished request has its entry"))
        .collect();

    let other = f.other();
    let listed: Vec<i64> = other
        .run_history("run-cut")
        .await
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(listed, finished);
    assert_eq!(searched(&other, "quokka*").await, finished);
}
