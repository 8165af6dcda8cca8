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

fn write_folder(w: &Window, api: &PyServer) -> Result<()> {
    let collection = w.data_dir.path().join("workspace/demo-api");
    std::fs::write(
        collection.join("environments/local.yaml"),
        format!(
            "name: local\nvariables:\n- name: baseUrl\n  value: {}\n",
            api.url("")
        ),
    )?;
    let smoke = collection.join("smoke");
    std::fs::create_dir_all(&smoke)?;
    std::fs::write(
        smoke.join("health.yaml"),
        "name: Health\nmethod: GET\nurl: '{{baseUrl}}/health'\nassertions:\n- status == 200\n",
    )?;
    std::fs::write(
        smoke.join("list-items.yaml"),
        "name: List items\nmethod: GET\nurl: '{{baseUrl}}/items'\nassertions:\n- status == 200\n\
         - header content-type contains json\n",
    )?;
    std::fs::write(
        smoke.join("wrong-id.yaml"),
        "name: Wrong id\nmethod: GET\nurl: '{{baseUrl}}/items/1'\nassertions:\n- status == 200\n\
         - body $.id == 99\n",
    )?;
    std::fs::write(
        smoke.join("folder.yaml"),
        "name: smoke\norder:\n- health.yaml\n- list-items.yaml\n- wrong-id.yaml\n",
    )?;
    Ok(())
}

async fn scenario(w: &Window, api: &PyServer) -> Result<()> {
    w.wait_text("[data-testid=collections-tree]", |t| t.contains("Demo API"))
        .await?;
    write_folder(w, api)?;
    w.on_text("[data-testid=tree-row] .name",
        "Demo API",
        "const row = el.closest('[data-testid=tree-row]'); if (row.getAttribute('aria-expanded') !== 'true') row.click();",
    )
    .await?;
    w.wait_for("[data-testid=tree-row][data-path='demo-api/smoke']")
        .await?;

    // Run… from the folder's context menu.
    w.wait_js(
        "const row = document.querySelector(\"[data-testid=tree-row][data-path='demo-api/smoke']\");
         if (!row) return false;
         const r = row.getBoundingClientRect();
         row.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: r.left + 40, clientY: r.bottom }));
         return true;",
    )
    .await?;
    w.on_text("[role=menuitem]", "Run…", "el.click();").await?;
    w.wait_for("[data-testid=run-dialog]").await?;
    w.wait_js(
        "return document.querySelectorAll('[data-testid=run-request]:checked').length === 3 \
           && !!document.querySelector(\"[data-testid=run-environment] option[value=local]\");",
    )
    .await?;
    w.find("[data-testid=run-environment]")
        .await?
        .select_by_value("local")
        .await?;
    w.find("[data-testid=run-start]").await?.click().await?;

    // The run view: done, 3 of 3, 2 passed and 1 failed, the failed one first with expected vs
    // actual in its details.
    w.wait_for("[data-testid=run-view][data-status=done]")
        .await?;
    w.wait_text("[data-testid=run-progress-text]", |t| t == "3 of 3")
        .await?;
    w.wait_text("[data-testid=run-passed]", |t| t == "2 passed")
        .await?;
    w.wait_text("[data-testid=run-failed]", |t| t == "1 failed")
        .await?;
    w.wait_js(
        "const rows = [...document.querySelectorAll('[data-testid=run-result]')];
         return rows.length === 3 && rows[0].dataset.path === 'demo-api/smoke/wrong-id.yaml'
           && rows[0].dataset.passed === 'false'
           && rows.slice(1).every((r) => r.dataset.passed === 'true');",
    )
    .await?;
    w.wait_text(
        "[data-testid=run-details] [data-testid=assertion-expected]",
        |t| t == "== 99",
    )
    .await?;
    w.wait_text(
        "[data-testid=run-details] [data-testid=assertion-actual]",
        |t| t == "1",
    )
    .await?;
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
