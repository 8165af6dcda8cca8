//! After a restart everything comes back: a saved request that was sent (with its response,
//! status and body), an unsaved tab with what was typed in it, their order and which was active;
//! and the explorer lists the spec imported before, reopening it when picked. A body file deleted
//! since shows the head and "body no longer on disk"; a damaged session file means starting from
//! the drafts.

use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use fantoccini::key::Key;
use sextant_e2e::Window;
use sextant_testkit::PyServer;

const SAVED: &str = "demo-api/items/get-seed-item.yaml";
const TYPED: &str = "http://127.0.0.1:9/typed-in-the-second-tab";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tabs_their_responses_and_imported_specs_come_back_after_a_restart() -> Result<()> {
    let api = PyServer::demo_api()?;
    let w = Window::open().await?;
    let before = before_restart(&w, &api).await;
    if let Err(e) = before {
        return w.finish("restore-before", Err(e)).await;
    }
    let w = w.restart().await?;
    let result = after_restart(&w, &api).await;
    if let Err(e) = result {
        return w.finish("restore-after", Err(e)).await;
    }

    // The body files deleted (a trimmed history): the response head comes back, and says so.
    let first_active = async {
        w.find("[data-testid=request-tab] button.open")
            .await?
            .click()
            .await?;
        w.wait_session(|s| s["active"] == s["tabs"][0]["key"]).await
    }
    .await;
    if let Err(e) = first_active {
        return w.finish("restore-first-active", Err(e)).await;
    }
    let w = w
        .restart_after(|data| {
            for entry in std::fs::read_dir(data.join("bodies"))? {
                std::fs::remove_file(entry?.path())?;
            }
            Ok(())
        })
        .await?;
    let result = async {
        w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
            .await?;
        w.wait_text("[data-testid=response-body]", |t| {
            t.contains("body no longer on disk")
        })
        .await?;
        anyhow::Ok(())
    }
    .await;
    if let Err(e) = result {
        return w.finish("restore-body-gone", Err(e)).await;
    }

    // A damaged session file: the window starts from the drafts (the typed tab), no crash.
    let w = w
        .restart_after(|data| {
            Ok(std::fs::write(
                data.join("session.json"),
                "{\"tabs\": [{\"key\"",
            )?)
        })
        .await?;
    let result = async {
        wait_url(&w, TYPED).await?;
        let tabs = w
            .client
            .find_all(fantoccini::Locator::Css("[data-testid=request-tab]"))
            .await?;
        anyhow::ensure!(tabs.len() == 1, "{} tabs from the drafts alone", tabs.len());
        anyhow::Ok(())
    }
    .await;
    w.finish("restore-damaged-session", result).await
}

async fn wait_url(w: &Window, want: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let url = w.url_value().await?;
        if url == want {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("the URL bar shows {url:?}, not {want:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn before_restart(w: &Window, api: &PyServer) -> Result<()> {
    let data = w.data_dir.path().to_path_buf();
    w.wait_text("[data-testid=collections-tree]", |t| t.contains("Demo API"))
        .await?;
    // The sample environment points at the demo server this test started.
    std::fs::write(
        data.join("workspace/demo-api/environments/local.yaml"),
        format!(
            "name: local\nvariables:\n- name: baseUrl\n  value: {}\n",
            api.base_url()
        ),
    )?;

    // The saved request, opened from the palette, sent.
    let body = w.find("body").await?;
    body.send_keys(&format!("{}k", Key::Control)).await?;
    let input = w.wait_for("[data-testid=palette-input]").await?;
    input.send_keys("get seed item").await?;
    w.wait_text("[data-testid=palette-item]", |t| {
        t.contains("Get seed item")
    })
    .await?;
    input.send_keys(&Key::Enter.to_string()).await?;
    wait_url(w, "{{baseUrl}}/items/1").await?;
    w.find("[data-testid=env-select]")
        .await?
        .select_by_value("local")
        .await?;
    w.wait_gone("[data-testid=undefined-vars]").await?;
    w.find("[data-testid=send-button]").await?.click().await?;
    w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
        .await?;

    // A spec imported in the explorer.
    let source = w.open_import_dialog().await?;
    source.send_keys(&api.url("/openapi.json")).await?;
    w.find("[data-testid=import-submit]").await?.click().await?;
    w.wait_text("[data-testid=spec-title]", |t| t.contains("Demo API"))
        .await?;

    // A second, unsaved tab with something typed in it.
    w.find("body")
        .await?
        .send_keys(&format!("{}n", Key::Control))
        .await?;
    wait_url(w, "").await?;
    w.find("[data-testid=url-input]")
        .await?
        .send_keys(TYPED)
        .await?;
    wait_url(w, TYPED).await?;

    // The first tab made active again.
    w.find("[data-testid=request-tab] button.open")
        .await?
        .click()
        .await?;
    wait_url(w, "{{baseUrl}}/items/1").await?;

    // Written to disk: the typed tab's draft, the session naming both tabs.
    w.wait_draft().await?;
    w.wait_session(|s| {
        let tabs = s["tabs"].as_array().map(Vec::as_slice).unwrap_or_default();
        tabs.len() == 2
            && tabs[0]["path"] == SAVED
            && tabs[0]["response"]["status"] == 200
            && tabs[1]["path"].is_null()
            && s["active"] == tabs[0]["key"]
    })
    .await?;
    let specs = std::fs::read_to_string(data.join("specs.json")).context("specs.json")?;
    anyhow::ensure!(specs.contains(&api.url("/openapi.json")), "{specs}");
    w.screenshot("restore-before").await?;
    Ok(())
}

async fn after_restart(w: &Window, api: &PyServer) -> Result<()> {
    // Both tabs, in order, the first active with its request and its response.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let tabs = w
            .client
            .execute(
                "return [...document.querySelectorAll('[data-testid=request-tab] button.open')]
                   .map((b) => [b.title, b.getAttribute('aria-selected')]);",
                vec![],
            )
            .await?;
        let want = serde_json::json!([[SAVED, "true"], ["Not saved yet", "false"]]);
        if tabs == want {
            break;
        }
        if Instant::now() > deadline {
            bail!("the tabs after the restart: {tabs}, wanted {want}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    wait_url(w, "{{baseUrl}}/items/1").await?;
    w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
        .await?;
    w.wait_text("[data-testid=response-body]", |t| t.contains("Widget"))
        .await?;
    w.screenshot("restore-after").await?;

    // The second tab has what was typed.
    let second = w
        .client
        .find_all(fantoccini::Locator::Css(
            "[data-testid=request-tab] button.open",
        ))
        .await?;
    second
        .get(1)
        .context("no second tab")?
        .clone()
        .click()
        .await?;
    wait_url(w, TYPED).await?;

    // The explorer lists the spec imported before, and picking it imports it again.
    w.find("[data-testid=sidebar-explorer]")
        .await?
        .click()
        .await?;
    w.wait_text("[data-testid=spec-list]", |t| t.contains("Demo API"))
        .await?;
    let source = w
        .find("[data-testid=remembered-spec] button.open")
        .await?
        .attr("title")
        .await?
        .unwrap_or_default();
    anyhow::ensure!(source == api.url("/openapi.json"), "{source}");
    w.find("[data-testid=remembered-spec] button.open")
        .await?
        .click()
        .await?;
    w.wait_text("[data-testid=spec-title]", |t| t.contains("Demo API"))
        .await?;
    w.screenshot("restore-spec-reopened").await?;
    Ok(())
}

/// Quitting right after a change keeps it: the window writes its session and the draft of what
/// was just typed when it is asked to close, instead of 300 / 500 ms later (by then the app has
/// ended).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_was_typed_just_before_closing_comes_back() -> Result<()> {
    const JUST_TYPED: &str = "http://127.0.0.1:9/typed-then-closed";
    let w = Window::open().await?;
    let before = async {
        w.find("body")
            .await?
            .send_keys(&format!("{}n", Key::Control))
            .await?;
        w.wait_js("return document.querySelectorAll('[data-testid=request-tab]').length === 2")
            .await?;
        let url = w.find("[data-testid=url-input]").await?;
        url.send_keys(JUST_TYPED).await?;
        // At once: no wait for the draft or the session to be written.
        w.close_and_wait_exit().await
    }
    .await;
    if let Err(e) = before {
        return w.finish("restore-closed-at-once", Err(e)).await;
    }
    let w = w.restart().await?;
    let result = async {
        w.wait_js("return document.querySelectorAll('[data-testid=request-tab]').length === 2")
            .await?;
        wait_url(&w, JUST_TYPED).await
    }
    .await;
    w.finish("restore-closed-at-once-after", result).await
}
