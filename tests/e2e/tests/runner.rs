//! The runner in the real window: a folder of three requests to the FastAPI demo (one with an
//! assertion that fails) is run from the tree's context menu with the `local` environment; the
//! run view shows the progress complete, the failing request first with expected vs actual, and
//! Rerun failed runs that one request alone; its Open puts the recorded exchange in a tab.

use anyhow::Result;
use sextant_e2e::Window;
use sextant_testkit::PyServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_a_folder_from_the_tree_then_rerun_the_failed_request() -> Result<()> {
    let api = PyServer::demo_api()?;
    let w = Window::open().await?;
    let result = scenario(&w, &api).await;
    w.finish("runner", result).await
}

async fn scenario(w: &Window, api: &PyServer) -> Result<()> {
    w.point_demo_at(&api.url("")).await?;
    w.write_smoke_folder()?;
    w.expand_row("Demo API").await?;
    // Run… from the folder's context menu.
    w.run_from_tree("demo-api/smoke", 3, "local").await?;

    // The run view: done, 3 of 3, 2 passed and 1 failed, the failed one first with expected vs
    // actual in its details.
    w.wait_for("[data-testid=run-view][data-status=done]")
        .await?;
    w.wait_text("[data-testid=run-failed]", |t| t == "1 failed")
        .await?;
    w.wait_smoke_run().await?;
    let shot = w.screenshot("runner").await?;
    eprintln!("screenshot: {}", shot.display());

    // Rerun failed: only the failing request, which fails again.
    w.find("[data-testid=run-rerun-failed]")
        .await?
        .click()
        .await?;
    w.wait_for("[data-testid=run-only]").await?;
    w.wait_for("[data-testid=run-view][data-status=done]")
        .await?;
    w.wait_text("[data-testid=run-progress-text]", |t| t == "1 of 1")
        .await?;
    w.wait_js(
        "const rows = [...document.querySelectorAll('[data-testid=run-result]')];
         return rows.length === 1 && rows[0].dataset.path === 'demo-api/smoke/wrong-id.yaml' \
           && rows[0].dataset.passed === 'false';",
    )
    .await?;
    w.screenshot("runner-rerun").await?;

    // Open: the recorded exchange in the request view.
    w.find("[data-testid=run-open-entry]")
        .await?
        .click()
        .await?;
    // As written ({{baseUrl}}/items/1) when the history kept it, else as sent.
    w.wait_js(
        "return (document.querySelector('[data-testid=url-input]')?.value ?? '').endsWith('/items/1');",
    )
    .await?;
    w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
        .await?;
    Ok(())
}
