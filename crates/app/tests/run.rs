//! The collection runner against the in-process fault server: data files, retries, parallel
//! workers with a sequential folder, bail, the run's history, skipped WebSocket requests and the
//! data file's rules.

use std::sync::{Arc, Mutex};

use sextant_app::{App, AppConfig};
use sextant_model::{
    AssertPredicate as P, AssertQuery as Q, Assertion, ErrorCode, HttpRequest, RunEvent,
    RunOptions, RunSummary, SavedRequest, WebSocketSettings,
};
use sextant_testkit::FaultServer;

struct Fixture {
    dir: tempfile::TempDir,
    app: App,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut config = AppConfig::new(dir.path().join("data"));
    config.workspace_dir = Some(dir.path().join("ws"));
    let app = App::new(config).unwrap();
    app.collection_create("shop".into()).await.unwrap();
    Fixture { dir, app }
}

fn get(name: &str, url: String, status: u16) -> SavedRequest {
    let mut saved = SavedRequest::new(name, HttpRequest::get(url));
    saved.assertions = vec![Assertion::new(
        Q::Status,
        P::Equals,
        Some(&status.to_string()),
    )];
    saved
}

impl Fixture {
    async fn add(&self, parent: &str, saved: SavedRequest) -> String {
        self.app
            .request_create(parent.into(), saved)
            .await
            .unwrap()
            .path
    }

    async fn run(&self, path: &str, options: RunOptions) -> (RunSummary, Vec<RunEvent>) {
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&events);
        let summary = self
            .app
            .run(
                "run-1",
                path,
                options,
                Arc::new(move |e| sink.lock().unwrap().push(e)),
            )
            .await
            .unwrap();
        let events = events.lock().unwrap().clone();
        (summary, events)
    }
}

#[tokio::test]
async fn a_data_file_of_three_rows_runs_three_iterations_with_its_values() {
    let server = FaultServer::start();
    let f = fixture().await;
    let mut echo = get("echo", server.url("/echo?user={{user}}&id={{id}}"), 200);
    echo.assertions.push(Assertion::new(
        Q::JsonPath {
            path: "$.path".into(),
        },
        P::Contains,
        Some("user={{user}}"),
    ));
    f.add("shop", echo).await;
    std::fs::write(
        f.dir.path().join("ws/shop/users.csv"),
        "user,id\nada,1\n\"grace,h\",2\nalan,3\n",
    )
    .unwrap();
    let (summary, events) = f
        .run(
            "shop",
            RunOptions {
                data: Some("users.csv".into()),
                ..RunOptions::default()
            },
        )
        .await;
    assert!(
        matches!(events[0], RunEvent::Started { total: 3, .. }),
        "{events:?}"
    );
    assert!(matches!(events.last(), Some(RunEvent::Finished { .. })));
    assert_eq!((summary.total, summary.passed), (3, 3), "{summary:#?}");
    let urls: Vec<(u32, &str)> = summary
        .results
        .iter()
        .map(|r| (r.iteration, r.url.as_str()))
        .collect();
    assert_eq!(urls[0], (1, server.url("/echo?user=ada&id=1").as_str()));
    assert_eq!(urls[1], (2, server.url("/echo?user=grace,h&id=2").as_str()));
    assert_eq!(urls[2], (3, server.url("/echo?user=alan&id=3").as_str()));
}

#[tokio::test]
async fn failed_requests_are_retried_until_they_pass_or_retries_run_out() {
    let server = FaultServer::start();
    let f = fixture().await;
    f.add(
        "shop",
        get("flaky", server.url("/flaky/retry-a?fail=2"), 200),
    )
    .await;
    let (summary, _) = f
        .run(
            "shop",
            RunOptions {
                retries: 2,
                retry_interval_ms: 10,
                ..RunOptions::default()
            },
        )
        .await;
    let r = &summary.results[0];
    assert!(r.passed, "{r:#?}");
    assert_eq!((r.attempts, r.status), (3, Some(200)));

    let g = fixture().await;
    g.add(
        "shop",
        get("flaky", server.url("/flaky/retry-b?fail=2"), 200),
    )
    .await;
    let (summary, _) = g
        .run(
            "shop",
            RunOptions {
                retries: 1,
                ..RunOptions::default()
            },
        )
        .await;
    let r = &summary.results[0];
    assert!(!r.passed);
    assert_eq!((r.attempts, r.status), (2, Some(503)));
    assert_eq!(r.assertions[0].message, "expected status == 200, got 503");
    assert_eq!((summary.failed, summary.errors), (1, 0));
}

#[tokio::test]
async fn parallel_workers_run_everything_and_a_sequential_folder_keeps_its_order() {
    let server = FaultServer::start();
    let f = fixture().await;
    let folder = f
        .app
        .folder_create("shop".into(), "ordered".into())
        .await
        .unwrap();
    let mut settings = f.app.settings_open(folder.clone()).await.unwrap();
    settings.sequential = true;
    f.app.settings_save(folder.clone(), settings).await.unwrap();
    // Slowest first: run at once, they would finish in the reverse order.
    for (name, delay) in [("a", 300), ("b", 150), ("c", 0)] {
        let url = server.url(&format!("/log/par-seq/{name}?delay_ms={delay}"));
        f.add(&folder, get(name, url, 200)).await;
    }
    for i in 0..6 {
        let url = server.url(&format!("/log/par-free/r{i}?delay_ms=50"));
        f.add("shop", get(&format!("free {i}"), url, 200)).await;
    }
    let (summary, _) = f
        .run(
            "shop",
            RunOptions {
                parallel: 4,
                ..RunOptions::default()
            },
        )
        .await;
    assert_eq!((summary.total, summary.passed), (9, 9), "{summary:#?}");
    let client = reqwest_like_get(&server.url("/log/par-seq"));
    assert_eq!(client, r#"["a","b","c"]"#);
    let free: Vec<String> =
        serde_json::from_str(&reqwest_like_get(&server.url("/log/par-free"))).unwrap();
    assert_eq!(free.len(), 6);
}

/// A plain GET through the standard library, for reading the fault server's logs.
fn reqwest_like_get(url: &str) -> String {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(
        stream,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).unwrap();
    text.split_once("\r\n\r\n").unwrap().1.to_owned()
}

#[tokio::test]
async fn bail_stops_after_the_first_failure_and_the_run_is_in_the_history() {
    let server = FaultServer::start();
    let f = fixture().await;
    f.add("shop", get("a ok", server.url("/ok"), 200)).await;
    f.add("shop", get("b fails", server.url("/ok"), 201)).await;
    f.add("shop", get("c never", server.url("/ok"), 200)).await;
    let (summary, _) = f
        .run(
            "shop",
            RunOptions {
                bail: true,
                ..RunOptions::default()
            },
        )
        .await;
    let names: Vec<&str> = summary.results.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["a ok", "b fails"]);
    assert!(summary.stopped);
    assert_eq!((summary.passed, summary.failed), (1, 1));

    let entries = f.app.run_history("run-1").await.unwrap();
    let ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
    let from_results: Vec<i64> = summary
        .results
        .iter()
        .filter_map(|r| r.history_id)
        .collect();
    assert_eq!(ids, from_results);
    assert_eq!(entries[1].url, server.url("/ok"));
}

#[tokio::test]
async fn refused_connections_fail_websockets_are_skipped_and_tags_select() {
    let server = FaultServer::start();
    let f = fixture().await;
    let mut smoke = get("a smoke", server.url("/ok"), 200);
    smoke.tags = vec!["smoke".into()];
    f.add("shop", smoke).await;
    let mut refused = get("b refused", "http://127.0.0.1:9/".into(), 200);
    refused.tags = vec!["smoke".into(), "slow".into()];
    f.add("shop", refused).await;
    let mut ws = SavedRequest::new("c socket", HttpRequest::get("ws://127.0.0.1:9/"));
    ws.websocket = Some(WebSocketSettings::default());
    f.add("shop", ws).await;

    let (summary, _) = f.run("shop", RunOptions::default()).await;
    assert_eq!(
        (
            summary.total,
            summary.passed,
            summary.failed,
            summary.errors
        ),
        (3, 2, 1, 1)
    );
    assert_eq!(
        summary.results[1].error.as_ref().unwrap().code,
        ErrorCode::Connect
    );
    assert!(summary.results[2]
        .skipped
        .as_deref()
        .unwrap()
        .contains("WebSocket"));

    let (summary, _) = f
        .run(
            "shop",
            RunOptions {
                include_tags: vec!["smoke".into()],
                exclude_tags: vec!["slow".into()],
                ..RunOptions::default()
            },
        )
        .await;
    let names: Vec<&str> = summary.results.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["a smoke"]);
}

#[tokio::test]
async fn a_data_file_outside_the_workspace_or_unreadable_stops_the_run_before_it_starts() {
    let f = fixture().await;
    let outside = f.dir.path().join("rows.csv");
    std::fs::write(&outside, "a\n1\n").unwrap();
    let options = |data: String| RunOptions {
        data: Some(data),
        ..RunOptions::default()
    };
    let err = f
        .app
        .run(
            "r",
            "shop",
            options(outside.display().to_string()),
            Arc::new(|_| {}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::FileNotAllowed, "{err:?}");
    std::fs::write(
        f.dir.path().join("ws/shop/bad.json"),
        "{\"not\": \"a list\"}",
    )
    .unwrap();
    let err = f
        .app
        .run("r", "shop", options("bad.json".into()), Arc::new(|_| {}))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidFile, "{err:?}");
    let err = f
        .app
        .run("r", "nope", RunOptions::default(), Arc::new(|_| {}))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound, "{err:?}");
}
