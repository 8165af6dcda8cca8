//! A finished run is kept in the history and reopened by its id, after a restart too: the same
//! rows, attempts and assertion results (expected and actual, the contract's pointer) as the run
//! answered, and the options to run it again. Against the FastAPI demo, imported from its spec.

use std::sync::Arc;

use sextant_app::{App, AppConfig};
use sextant_model::{AssertionKind, InterchangeFormat, RunOptions, TreeNode};
use sextant_testkit::PyServer;

fn parent_of<'a>(nodes: &'a [TreeNode], name: &str) -> Option<&'a TreeNode> {
    nodes.iter().find_map(|n| {
        if n.children.iter().any(|c| c.name == name) {
            Some(n)
        } else {
            parent_of(&n.children, name)
        }
    })
}

fn app(dir: &std::path::Path) -> App {
    let mut config = AppConfig::new(dir.join("data"));
    config.workspace_dir = Some(dir.join("ws"));
    App::new(config).unwrap()
}

#[tokio::test]
async fn a_finished_run_reopens_with_the_same_rows_and_assertions_after_a_restart() {
    let api = PyServer::shared_demo_api();
    let dir = tempfile::tempdir().unwrap();
    let first = app(dir.path());
    first
        .import_into_workspace(InterchangeFormat::Openapi, api.url("/openapi.json"), None)
        .await
        .unwrap();
    let info = first.workspace_info().await.unwrap();
    let folder = parent_of(&info.collections, "List items (breaks its own schema)")
        .expect("the demo's broken operation is imported")
        .clone();
    let options = RunOptions {
        retries: 1,
        ..RunOptions::default()
    };
    let ran = first
        .run("reopen-1", &folder.path, options.clone(), Arc::new(|_| {}))
        .await
        .unwrap();
    assert!(ran.failed >= 1, "{ran:#?}");
    drop(first);

    let again = app(dir.path());
    let listed = again.list_runs(20).await.unwrap();
    assert_eq!(listed.len(), 1, "{listed:#?}");
    let record = &listed[0];
    assert_eq!(record.run_id, "reopen-1");
    assert_eq!(
        (record.path.as_str(), record.name.as_str()),
        (folder.path.as_str(), folder.name.as_str())
    );
    assert_eq!(
        (record.total, record.passed, record.failed),
        (ran.total, ran.passed, ran.failed)
    );
    assert!(record.at_ms > 0);

    let opened = again.open_run("reopen-1").await.unwrap();
    assert_eq!(opened.summary, ran);
    assert_eq!(opened.options, options);
    assert_eq!(opened.record, *record);
    let broken = opened
        .summary
        .results
        .iter()
        .find(|r| r.name == "List items (breaks its own schema)")
        .expect("the broken request's row");
    assert!(!broken.passed);
    assert_eq!(broken.attempts, 2, "retried once");
    let contract = broken
        .assertions
        .iter()
        .find(|a| a.kind == AssertionKind::Contract && !a.passed)
        .expect("the contract failure is kept");
    assert!(contract.pointer.is_some(), "{contract:#?}");
    assert!(!contract.expected.is_empty() && !contract.actual.is_empty());

    let missing = again.open_run("no-such-run").await.unwrap_err();
    assert_eq!(missing.code, sextant_model::ErrorCode::NotFound);
}
