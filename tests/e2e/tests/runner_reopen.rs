//! A recorded run reopened after a restart: a folder of three requests to the FastAPI demo (one
//! failing an assertion) is run, the window restarts, and History's Runs list opens that run
//! read-only in the run view, the failing request first with expected vs actual; Rerun failed
//! still works since the folder is still there.

use anyhow::Result;
use sextant_e2e::Window;
use sextant_testkit::PyServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_reopens_from_history_runs_after_a_restart() -> Result<()> {
    let api = PyServer::demo_api()?;
    let w = Window::open().await?;
    if let Err(e) = run_the_folder(&w, &api).await {
        return w.finish("runner-reopen-before", Err(e)).await;
    }
    let w = w.restart().await?;
    let result = reopen(&w).await;
    w.finish("runner-reopen", result).await
}

async fn run_the_folder(w: &Window, api: &PyServer) -> Result<()> {
    w.point_demo_at(&api.url("")).await?;
    w.write_smoke_folder()?;
    w.expand_row("Demo API").await?;
    w.run_from_tree("demo-api/smoke", 3, "local").await?;
    w.wait_for("[data-testid=run-view][data-status=done]")
        .await?;
    w.wait_text("[data-testid=run-failed]", |t| t == "1 failed")
        .await?;
    Ok(())
}

async fn reopen(w: &Window) -> Result<()> {
    w.wait_text("[data-testid=collections-tree]", |t| t.contains("Demo API"))
        .await?;
    w.find("[data-testid=sidebar-history]")
        .await?
        .click()
        .await?;
    w.find("[data-testid=history-mode-runs]")
        .await?
        .click()
        .await?;
    // The one run kept: the folder's, 2 passed and 1 failed.
    w.wait_js(
        "const rows = [...document.querySelectorAll('[data-testid=run-record]')];
         return rows.length === 1
           && rows[0].querySelector('[data-testid=run-record-name]').textContent.trim() === 'smoke'
           && rows[0].querySelector('[data-testid=run-record-line]').textContent.startsWith('2 passed · 1 failed');",
    )
    .await?;
    w.find("[data-testid=run-record]").await?.click().await?;

    // Read-only in the run view, the failing request first with expected vs actual.
    w.wait_for("[data-testid=run-view][data-status=done] [data-testid=run-recorded]")
        .await?;
    w.wait_text("[data-testid=run-name]", |t| t == "smoke")
        .await?;
    w.wait_smoke_run().await?;
    w.screenshot("runner-reopen").await?;

    // The folder is still there: Rerun failed runs the failing request alone, live.
    w.find("[data-testid=run-rerun-failed]")
        .await?
        .click()
        .await?;
    w.wait_for("[data-testid=run-only]").await?;
    w.wait_for("[data-testid=run-view][data-status=done]")
        .await?;
    w.wait_text("[data-testid=run-progress-text]", |t| t == "1 of 1")
        .await?;
    w.wait_js("return !document.querySelector('[data-testid=run-recorded]');")
        .await?;
    Ok(())
}
