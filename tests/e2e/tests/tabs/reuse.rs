//! Where requests from elsewhere land, in the real window: Try it and a History entry go into
//! the active tab only while it is pristine, else into a new tab, so nothing typed or received is
//! replaced; tabs are titled after the operation (or `METHOD /path`); the Try-it hint stays with
//! its tab; the save dialog offers the title and a new collection; many tabs can be listed.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Result};
use fantoccini::key::Key;
use sextant_e2e::Window;
use sextant_testkit::PyServer;

/// Two operations without servers: `/ping` has no summary, `/pong` has one.
const PING_PONG: &str = "openapi: 3.0.3\ninfo:\n  title: Ping Pong\n  version: '1'\npaths:\n  /ping:\n    get:\n      responses:\n        '200': {description: pong}\n  /pong:\n    get:\n      summary: Pong it\n      responses:\n        '200': {description: ping}\n";

/// The titles of the open tabs, left to right (the strip shows `GET /path` as a badge and `/path`).
async fn titles(w: &Window) -> Result<Vec<String>> {
    let value = w
        .client
        .execute(
            "return Array.from(document.querySelectorAll('[data-testid=request-tab]')).map((e) => e.dataset.title);",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(value)?)
}

/// Waits until the tab titles satisfy `pred`; returns them.
async fn wait_titles(w: &Window, pred: impl Fn(&[String]) -> bool) -> Result<Vec<String>> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let now = titles(w).await?;
        if pred(&now) {
            return Ok(now);
        }
        if Instant::now() > deadline {
            bail!("the tabs never read as expected; last seen: {now:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the active tab's URL bar satisfies `pred`; returns its value.
async fn wait_url(w: &Window, pred: impl Fn(&str) -> bool) -> Result<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let value = w
            .find("[data-testid=url-input]")
            .await?
            .prop("value")
            .await?
            .unwrap_or_default();
        if pred(&value) {
            return Ok(value);
        }
        if Instant::now() > deadline {
            bail!("the URL bar never read as expected; last seen: {value:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Focuses the `n`th tab (from 1) with a click.
async fn click_tab(w: &Window, n: usize) -> Result<()> {
    w.find(&format!(
        "[data-testid=request-tab]:nth-child({n}) button.open"
    ))
    .await?
    .click()
    .await?;
    w.wait_for(&format!(
        "[data-testid=request-tab]:nth-child({n}) button.open[aria-selected=true]"
    ))
    .await?;
    Ok(())
}

/// Opens the operation whose row has the id `row` or mentions it, checks its page shows `path`,
/// and presses Try it.
async fn try_it(w: &Window, row: &str, path: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let clicked = w
            .client
            .execute(
                "const row = Array.from(document.querySelectorAll('[data-testid=op-row]'))
                   .find((r) => r.dataset.opId === arguments[0] || r.textContent.includes(arguments[0]));
                 if (!row) return false;
                 row.click();
                 return true;",
                vec![row.into()],
            )
            .await?;
        if clicked.as_bool() == Some(true) {
            break;
        }
        if Instant::now() > deadline {
            bail!("no operation row is or mentions {row}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    w.wait_text("[data-testid=op-path]", |t| t.trim() == path)
        .await?;
    w.find(".doc-view:not(.hidden) [data-testid=try-it]")
        .await?
        .click()
        .await?;
    w.wait_for(".request-host:not(.hidden)").await?;
    Ok(())
}

async fn import_pasted(w: &Window, doc: &str) -> Result<()> {
    w.open_import_dialog().await?;
    // A paste arrives as one input event with the whole text.
    w.client
        .execute(
            "const el = document.querySelector('[data-testid=import-source]');
             el.value = arguments[0];
             el.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![doc.into()],
        )
        .await?;
    w.find("[data-testid=import-submit]").await?.click().await?;
    w.wait_for("[data-testid=op-row]").await?;
    Ok(())
}

/// Typed work in an unsaved tab (a sent request, then an edit of its URL) survives Try it and
/// opening a History entry: both open new tabs. The Try-it hint shows only on its own tab.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn try_it_and_history_open_new_tabs_beside_typed_work() -> Result<()> {
    let api = PyServer::demo_api()?;
    let w = Window::open().await?;
    let result = async {
        let typed = api.url("/items/2?typed=1");
        // Sent once (History records it), then edited and not sent again.
        let url = w.find("[data-testid=url-input]").await?;
        url.send_keys(&api.url("/items/3")).await?;
        w.find("[data-testid=send-button]").await?.click().await?;
        w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
            .await?;
        url.clear().await?;
        url.send_keys(&typed).await?;
        wait_url(&w, |v| v == typed).await?;

        let source = w.open_import_dialog().await?;
        source.send_keys(&api.url("/openapi.json")).await?;
        w.find("[data-testid=import-submit]").await?.click().await?;
        w.wait_text("[data-testid=spec-title]", |t| t.contains("Demo API"))
            .await?;
        try_it(&w, "create_item", "/items").await?;
        // A new tab, titled after the operation's summary; the typed tab is untouched.
        wait_titles(&w, |t| t.len() == 2 && t[1] == "Create an item").await?;
        wait_url(&w, |v| v == api.url("/items")).await?;
        w.wait_for("[data-testid=tryit-hint]").await?;
        w.screenshot("tabs-try-it-new-tab").await?;
        click_tab(&w, 1).await?;
        wait_url(&w, |v| v == typed).await?;
        w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
            .await?;
        // The hint belongs to the Try-it tab.
        w.wait_gone("[data-testid=tryit-hint]").await?;
        click_tab(&w, 2).await?;
        w.wait_for("[data-testid=tryit-hint]").await?;

        // History from the typed tab: a third tab, titled METHOD /path.
        click_tab(&w, 1).await?;
        w.find("[data-testid=sidebar-history]")
            .await?
            .click()
            .await?;
        w.find("[data-testid=history-row] button.open")
            .await?
            .click()
            .await?;
        let now = wait_titles(&w, |t| t.len() == 3).await?;
        ensure!(
            now[2] == "GET /items/3",
            "the History tab reads {:?}",
            now[2]
        );
        wait_url(&w, |v| v == api.url("/items/3")).await?;
        w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
            .await?;
        click_tab(&w, 1).await?;
        wait_url(&w, |v| v == typed).await?;
        w.screenshot("tabs-history-new-tab").await?;
        anyhow::Ok(())
    }
    .await;
    w.finish("tabs-never-overwritten", result).await
}

/// A pristine tab (blank, or filled by Try it and not touched since) is reused: no pile of tabs.
/// Its title is the operation's summary, else `METHOD /path`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pristine_tab_is_reused_and_titled_after_the_operation() -> Result<()> {
    let w = Window::open().await?;
    let result = async {
        wait_titles(&w, |t| t == ["New request"]).await?;
        import_pasted(&w, PING_PONG).await?;
        try_it(&w, "/ping", "/ping").await?;
        wait_titles(&w, |t| t == ["GET /ping"]).await?;
        try_it(&w, "/pong", "/pong").await?;
        wait_titles(&w, |t| t == ["Pong it"]).await?;
        // Once typed into, the tab is kept and the next Try it opens a new one.
        let url = w.find("[data-testid=url-input]").await?;
        url.send_keys(&format!("{}?mine=1", Key::End)).await?;
        try_it(&w, "/ping", "/ping").await?;
        wait_titles(&w, |t| t == ["Pong it", "GET /ping"]).await?;
        click_tab(&w, 1).await?;
        wait_url(&w, |v| v.ends_with("/pong?mine=1")).await?;
        w.screenshot("tabs-pristine-reused").await?;
        anyhow::Ok(())
    }
    .await;
    w.finish("tabs-pristine-reused", result).await
}

/// A request file under `dir` whose text contains `needle`.
fn find_file(dir: &Path, needle: &str) -> Option<PathBuf> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        // Hidden entries include the store's temp files of a save in progress.
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            if let Some(found) = find_file(&path, needle) {
                return Some(found);
            }
        } else if std::fs::read_to_string(&path).is_ok_and(|t| t.contains(needle)) {
            return Some(path);
        }
    }
    None
}

/// Saving a Try-it tab proposes the operation's name and can put it into a new collection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_save_dialog_proposes_the_title_and_creates_a_collection() -> Result<()> {
    let w = Window::open().await?;
    let result = async {
        import_pasted(&w, PING_PONG).await?;
        try_it(&w, "/pong", "/pong").await?;
        wait_titles(&w, |t| t == ["Pong it"]).await?;
        w.find("[data-testid=url-input]")
            .await?
            .send_keys(&format!("{}s", Key::Control))
            .await?;
        let name = w.wait_for("[data-testid=name-input]").await?;
        let proposed = name.prop("value").await?.unwrap_or_default();
        ensure!(proposed == "Pong it", "the dialog proposes {proposed:?}");
        w.find("[data-testid=name-target-new]")
            .await?
            .click()
            .await?;
        w.find("[data-testid=name-new-collection]")
            .await?
            .send_keys("Ping Pong Saves")
            .await?;
        w.screenshot("tabs-save-new-collection").await?;
        w.find("[data-testid=name-submit]").await?.click().await?;
        w.wait_gone("[data-testid=name-dialog]").await?;
        let workspace = w.data_dir.path().join("workspace");
        let deadline = Instant::now() + Duration::from_secs(10);
        let file = loop {
            if let Some(f) = find_file(&workspace, "name: Pong it") {
                break f;
            }
            if Instant::now() > deadline {
                bail!("no saved request under {}", workspace.display());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        ensure!(
            file.starts_with(workspace.join("ping-pong-saves")),
            "saved to {}",
            file.display()
        );
        w.wait_text("[data-testid=collections-tree]", |t| {
            t.contains("Ping Pong Saves")
        })
        .await?;
        wait_titles(&w, |t| t == ["Pong it"]).await?;
        anyhow::Ok(())
    }
    .await;
    w.finish("tabs-save-new-collection", result).await
}

/// Whether the active tab lies within the strip's visible part.
const ACTIVE_IN_VIEW: &str = "const strip = document.querySelector('[data-testid=request-tabs]').getBoundingClientRect();
     const tab = document.querySelector('[data-testid=request-tab] button.open[aria-selected=true]').parentElement.getBoundingClientRect();
     return tab.left >= strip.left - 1 && tab.right <= strip.right + 1;";

/// Many tabs: the strip keeps the active one in view and a keyboard-reachable button lists them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_tabs_keep_the_active_one_in_view_and_can_be_listed() -> Result<()> {
    let w = Window::open().await?;
    let result = async {
        let new = w.find("[data-testid=tab-new]").await?;
        for _ in 0..24 {
            new.click().await?;
        }
        wait_titles(&w, |t| t.len() == 25).await?;
        w.wait_js(ACTIVE_IN_VIEW).await?;
        let list = w.find("[data-testid=tab-list]").await?;
        w.screenshot("tabs-overflow").await?;
        // From the keyboard: open the list, go to the first tab, pick it.
        w.client
            .execute(
                "document.querySelector('[data-testid=tab-list]').focus();",
                vec![],
            )
            .await?;
        list.send_keys(&Key::Enter.to_string()).await?;
        let menu = w.wait_for("[data-testid=tab-list-menu]").await?;
        let items = w
            .client
            .find_all(fantoccini::Locator::Css("[data-testid=tab-list-item]"))
            .await?;
        ensure!(items.len() == 25, "the list has {} tabs", items.len());
        menu.send_keys(&format!("{}{}", Key::Home, Key::Enter))
            .await?;
        w.wait_gone("[data-testid=tab-list-menu]").await?;
        w.wait_for("[data-testid=request-tab]:nth-child(1) button.open[aria-selected=true]")
            .await?;
        w.wait_js(ACTIVE_IN_VIEW).await?;
        w.screenshot("tabs-overflow-first").await?;
        anyhow::Ok(())
    }
    .await;
    w.finish("tabs-overflow", result).await
}
