//! Request windows: the palette's "Open in new window" opens the active saved request in a window
//! of its own (`request-1`), a save there reaches the main window's tab of the same file, and a
//! save in the main window reaches the request window's tab (the workspace watcher ignores the
//! app's own saves, so this is the windows announcing them to each other). A request window
//! closed with unsaved edits hands them to the main window, where they open as a tab. The tree's
//! menu opens one too, and a request window leaves the main window's session alone.

use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use fantoccini::key::Key;
use fantoccini::wd::WindowHandle;
use sextant_e2e::Window;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_save_in_a_request_window_reaches_the_main_window_and_back() -> Result<()> {
    let w = Window::open().await?;
    let result = scenario(&w).await;
    w.finish("windows", result).await
}

async fn scenario(w: &Window) -> Result<()> {
    run_from_palette(w, "list items", "List items").await?;
    wait_url(w, |u| u.contains("/items")).await?;
    let main = w.client.window().await?;

    run_from_palette(w, "open in new window", "Open in new window").await?;
    let detached = wait_second_window(w, &main).await?;
    w.client.switch_to_window(detached.clone()).await?;
    // The request window opened the same file, with the sidebar collapsed.
    let before = wait_url(w, |u| u.contains("/items")).await?;
    w.wait_js(
        "return document.querySelector('.sidebar-host')?.classList.contains('collapsed') === true",
    )
    .await?;

    edit_url_and_save(w, "?from=detached").await?;
    w.client.switch_to_window(main.clone()).await?;
    wait_url(w, |u| u == format!("{before}?from=detached"))
        .await
        .context("the main window's tab did not follow the save in the request window")?;

    edit_url_and_save(w, "&from=main").await?;
    w.client.switch_to_window(detached).await?;
    wait_url(w, |u| u == format!("{before}?from=detached&from=main"))
        .await
        .context("the request window's tab did not follow the save in the main window")?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_a_request_window_hands_its_unsaved_edits_to_the_main_window() -> Result<()> {
    let w = Window::open().await?;
    let result = hand_over(&w).await;
    w.finish("windows-draft", result).await
}

async fn hand_over(w: &Window) -> Result<()> {
    run_from_palette(w, "list items", "List items").await?;
    wait_url(w, |u| u.contains("/items")).await?;
    let main = w.client.window().await?;
    run_from_palette(w, "open in new window", "Open in new window").await?;
    let detached = wait_second_window(w, &main).await?;
    w.client.switch_to_window(detached).await?;
    wait_url(w, |u| u.contains("/items")).await?;

    let url = w.find("[data-testid=url-input]").await?;
    url.send_keys(&format!("{}?unsaved=kept", Key::End)).await?;
    w.wait_for("[data-testid=request-tabs] .dirty").await?;
    // What the title bar's close button does (WebDriver's own close removes the web view
    // without the window's close request, which a user's close always makes).
    w.client
        .execute(
            "window.__TAURI_INTERNALS__.invoke('plugin:window|close', \
             { label: window.__TAURI_INTERNALS__.metadata.currentWindow.label }); return true;",
            vec![],
        )
        .await?;
    wait_windows(w, 1).await?;
    w.client.switch_to_window(main).await?;
    wait_url(w, |u| u.ends_with("?unsaved=kept"))
        .await
        .context("the unsaved edit of the closed window did not open in the main window")?;
    // Beside the main window's own tab of the file, which stays as it was.
    w.wait_js("return document.querySelectorAll('[data-testid=request-tab]').length === 2")
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tree_menu_opens_a_window_and_the_session_stays_the_main_windows() -> Result<()> {
    let w = Window::open().await?;
    let result = from_tree(&w).await;
    let w = match result {
        Ok(()) => w.restart().await?,
        Err(e) => return w.finish("windows-tree", Err(e)).await,
    };
    // The main window's two tabs are back, not the request window's one.
    let result = async {
        w.wait_js("return document.querySelectorAll('[data-testid=request-tab]').length === 2")
            .await?;
        w.wait_text("[data-testid=request-tabs]", |t| t.contains("List items"))
            .await?;
        w.wait_text("[data-testid=request-tabs]", |t| !t.contains("Create item"))
            .await
            .map(drop)
    }
    .await;
    w.finish("windows-tree-restart", result).await
}

async fn from_tree(w: &Window) -> Result<()> {
    run_from_palette(w, "list items", "List items").await?;
    wait_url(w, |u| u.contains("/items")).await?;
    w.find("body")
        .await?
        .send_keys(&format!("{}n", Key::Control))
        .await?;
    w.wait_js("return document.querySelectorAll('[data-testid=request-tab]').length === 2")
        .await?;
    let main = w.client.window().await?;

    w.wait_text("[data-testid=collections-tree]", |t| t.contains("Demo API"))
        .await?;
    for folder in ["demo-api", "demo-api/items"] {
        let row = w
            .wait_for(&format!("[data-testid=tree-row][data-path='{folder}']"))
            .await?;
        if row.attr("aria-expanded").await?.as_deref() != Some("true") {
            row.click().await?;
        }
    }
    w.wait_for("[data-testid=tree-row][data-path='demo-api/items/create-item.yaml']")
        .await?;
    w.client
        .execute(
            "const row = document.querySelector(`[data-testid=tree-row][data-path='demo-api/items/create-item.yaml']`);
             const r = row.getBoundingClientRect();
             row.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: r.left + 40, clientY: r.bottom }));",
            vec![],
        )
        .await?;
    w.wait_text("[role=menu]", |t| t.contains("Open in new window"))
        .await?;
    w.client
        .execute(
            "[...document.querySelectorAll('[role=menuitem]')].find((e) => e.textContent.includes('Open in new window')).click(); return true;",
            vec![],
        )
        .await?;
    let detached = wait_second_window(w, &main).await?;
    w.client.switch_to_window(detached).await?;
    wait_url(w, |u| u.contains("/items")).await?;
    w.wait_text("[data-testid=request-tabs]", |t| t.contains("Create item"))
        .await?;
    // Its one request only: the main window's tabs are not restored here.
    edit_url_and_save(w, "?detached=1").await?;
    w.wait_js("return document.querySelectorAll('[data-testid=request-tab]').length === 1")
        .await?;
    // The request window closes the way a user closes it (its close request: were it writing
    // the session, it would write it now, and its timers end with it).
    w.client
        .execute(
            "window.__TAURI_INTERNALS__.invoke('plugin:window|close', \
             { label: window.__TAURI_INTERNALS__.metadata.currentWindow.label }); return true;",
            vec![],
        )
        .await?;
    wait_windows(w, 1).await?;
    w.client.switch_to_window(main).await?;
    // A change in the main window after that: the session on disk is the main window's, with
    // its first tab active now, and names no file the request window had open.
    w.find("[data-testid=request-tab] button.open")
        .await?
        .click()
        .await?;
    let session = w
        .wait_session(|s| {
            let tabs = s["tabs"].as_array().map(Vec::as_slice).unwrap_or_default();
            tabs.len() == 2
                && tabs[0]["path"] == "demo-api/items/list-items.yaml"
                && s["active"] == tabs[0]["key"]
        })
        .await?;
    let text = session.to_string();
    if text.contains("create-item") {
        bail!("the request window's request is in the main window's session: {text}");
    }
    Ok(())
}

/// Opens the palette (Ctrl+K), types `query` and clicks the item that reads `label`.
async fn run_from_palette(w: &Window, query: &str, label: &str) -> Result<()> {
    let body = w.find("body").await?;
    body.send_keys(&format!("{}k", Key::Control)).await?;
    let input = w.wait_for("[data-testid=palette-input]").await?;
    input.send_keys(query).await?;
    w.wait_text("[data-testid=palette-item]", |t| t.contains(label))
        .await?;
    input.send_keys(&Key::Enter.to_string()).await?;
    w.wait_gone("[data-testid=palette-input]").await
}

/// Waits until a second window is there; its handle.
async fn wait_second_window(w: &Window, main: &WindowHandle) -> Result<WindowHandle> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let handles = w.client.windows().await?;
        if let Some(other) = handles.into_iter().find(|h| h != main) {
            return Ok(other);
        }
        if Instant::now() > deadline {
            bail!("no second window after 20 s");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until exactly `n` windows are open.
async fn wait_windows(w: &Window, n: usize) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(20);
    while w.client.windows().await?.len() != n {
        if Instant::now() > deadline {
            bail!("not {n} windows after 20 s");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// Appends `suffix` to the URL and saves (Ctrl+S); waits until the tab is clean again.
async fn edit_url_and_save(w: &Window, suffix: &str) -> Result<()> {
    let url = w.find("[data-testid=url-input]").await?;
    url.send_keys(&format!("{}{suffix}", Key::End)).await?;
    wait_url(w, |u| u.ends_with(suffix)).await?;
    url.send_keys(&format!("{}s", Key::Control)).await?;
    w.wait_gone("[data-testid=request-tabs] .dirty").await
}

/// Waits until the URL field's value satisfies `pred`; the value.
async fn wait_url(w: &Window, pred: impl Fn(&str) -> bool) -> Result<String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut last = String::new();
    while Instant::now() < deadline {
        let value = w
            .client
            .execute(
                "const el = document.querySelector('[data-testid=url-input]'); return el ? el.value : null;",
                vec![],
            )
            .await?;
        if let Some(v) = value.as_str() {
            if pred(v) {
                return Ok(v.to_string());
            }
            last = v.to_string();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("the URL never became what was expected; last seen: {last:?}")
}

/// The explorer's "Open in new window" shows the imported spec's documentation in a window of its
/// own (`spec-1`): its title, its operations, an operation's page; the main window keeps its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_specs_documentation_opens_in_its_own_window() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("docs.yaml");
    std::fs::write(
        &file,
        "openapi: 3.1.0\ninfo: {title: Windowed Docs API, version: '2', description: Read me in a window.}\npaths:\n  /gadgets:\n    get:\n      operationId: list_gadgets\n      summary: List gadgets\n      responses: {'200': {description: ok}}\n",
    )?;
    let w = Window::open().await?;
    let result = async {
        let source = w.open_import_dialog().await?;
        source.send_keys(&file.to_string_lossy()).await?;
        w.find("[data-testid=import-submit]").await?.click().await?;
        w.wait_text("[data-testid=spec-title]", |t| {
            t.contains("Windowed Docs API")
        })
        .await?;
        let main = w.client.window().await?;
        w.find("[data-testid=spec-open-window]")
            .await?
            .click()
            .await?;
        let docs = wait_second_window(&w, &main).await?;
        w.client.switch_to_window(docs).await?;
        // The API page, the operation list, and an operation's page.
        w.wait_text("[data-testid=spec-title]", |t| {
            t.contains("Windowed Docs API")
        })
        .await?;
        w.wait_text("[data-testid=api-description]", |t| {
            t.contains("Read me in a window.")
        })
        .await?;
        w.find("[data-testid=op-row][data-op-id=list_gadgets]")
            .await?
            .click()
            .await?;
        w.wait_text("[data-testid=op-path]", |t| t == "/gadgets")
            .await?;
        w.client.switch_to_window(main).await?;
        w.wait_text("[data-testid=spec-title]", |t| {
            t.contains("Windowed Docs API")
        })
        .await
        .map(drop)
    }
    .await;
    w.finish("windows-spec-docs", result).await
}
