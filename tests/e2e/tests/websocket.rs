//! WebSocket in the real window, against the FastAPI demo's `/ws/echo`: a `ws://` URL typed into
//! a new request makes it a WebSocket request; a JSON message saved with it is sent and its echo
//! shows in the log (pretty when opened); Pong sends a lone pong, logged as sent; Close with 4000
//! "goodbye" and the server's own close (`close:4000:goodbye`) both show their code and reason;
//! the tab's URL, saved message and editor text come back after a restart; the tree's "New
//! WebSocket request" makes a request file that keeps the URL and the saved messages.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use fantoccini::key::Key;
use sextant_e2e::Window;
use sextant_testkit::PyServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_websocket_request_echoes_a_saved_json_message_and_shows_each_close() -> Result<()> {
    let api = PyServer::demo_api()?;
    let w = Window::open().await?;
    let url = api.url("/ws/echo").replacen("http://", "ws://", 1);
    let result = scenario(&w, &url).await;
    let w = match result {
        Ok(()) => w,
        Err(e) => return w.finish("websocket", Err(e)).await,
    };
    let w = match prepare_restart(&w).await {
        Ok(()) => w.restart().await?,
        Err(e) => return w.finish("websocket", Err(e)).await,
    };
    let result = after_restart(&w, &url).await;
    w.finish("websocket-restart", result).await
}

async fn set_select(w: &Window, css: &str, value: &str) -> Result<()> {
    w.find(css).await?;
    w.client
        .execute(
            "const el = document.querySelector(arguments[0]);
             el.value = arguments[1];
             el.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![css.into(), value.into()],
        )
        .await?;
    Ok(())
}

/// Replaces the message editor's text (select all, then type).
async fn type_message(w: &Window, text: &str) -> Result<()> {
    let editor = w
        .wait_for("[data-testid=ws-message-editor] .cm-content")
        .await?;
    editor.click().await?;
    editor
        .send_keys(&format!("{}a", Key::Control))
        .await
        .context("select all")?;
    editor.send_keys(text).await?;
    Ok(())
}

async fn status(w: &Window, pred: impl Fn(&str) -> bool) -> Result<String> {
    w.wait_text("[data-testid=ws-status-text]", pred).await
}

async fn connect(w: &Window) -> Result<()> {
    w.find("[data-testid=ws-connect]").await?.click().await?;
    status(w, |t| t == "Connected").await?;
    Ok(())
}

/// Waits until some frame of `direction` in the log holds `needle`.
async fn wait_frame(w: &Window, direction: &str, needle: &str) -> Result<()> {
    w.wait_js(&format!(
        "return [...document.querySelectorAll('[data-testid=ws-frame][data-direction={direction}] [data-testid=ws-frame-data]')]
           .some((el) => el.textContent.includes({needle:?}));"
    ))
    .await
    .with_context(|| format!("no {direction} frame with {needle}"))
}

async fn scenario(w: &Window, url: &str) -> Result<()> {
    let input = w.find("[data-testid=url-input]").await?;
    input.clear().await?;
    input.send_keys(url).await?;
    w.find("[data-testid=ws-badge]").await?;
    w.wait_js(&format!(
        "return document.querySelector('[data-testid=url-input]').value === {url:?};"
    ))
    .await?;

    // A JSON message, saved with the request.
    type_message(w, r#"{"type": "hello", "n": 1}"#).await?;
    w.find("[data-testid=ws-save-message]")
        .await?
        .click()
        .await?;
    w.find("[data-testid=ws-tab-saved]").await?.click().await?;
    w.wait_js(
        "return document.querySelector('[data-testid=ws-saved-name]')?.value === 'Message 1';",
    )
    .await?;

    connect(w).await?;
    w.find("[data-testid=ws-tab-handshake]")
        .await?
        .click()
        .await?;
    w.wait_text("[data-testid=ws-handshake]", |t| t.contains("101"))
        .await?;
    w.find("[data-testid=ws-tab-log]").await?.click().await?;

    w.find("[data-testid=ws-saved-send]").await?.click().await?;
    wait_frame(w, "sent", r#""type": "hello""#).await?;
    wait_frame(w, "received", r#""type": "hello""#).await?;

    // The echo, opened: pretty JSON.
    w.find("[data-testid=ws-frame][data-direction=received]")
        .await?
        .click()
        .await?;
    w.wait_text("[data-testid=ws-frame-json]", |t| t.contains(r#""n": 1"#))
        .await?;
    w.screenshot("websocket").await?;

    // A lone pong (a heartbeat) with the payload typed beside Ping: logged as sent, kind pong.
    w.find("[data-testid=ws-ping-payload]")
        .await?
        .send_keys("beat")
        .await?;
    w.find("[data-testid=ws-pong]").await?.click().await?;
    w.wait_js(
        "return [...document.querySelectorAll('[data-testid=ws-frame][data-direction=sent][data-opcode=pong]')]
           .some((el) => el.textContent.includes('beat'));",
    )
    .await
    .context("no sent pong with the payload in the log")?;

    // Close from here with 4000 "goodbye".
    w.find("[data-testid=ws-close]").await?.click().await?;
    let code = w.find("[data-testid=ws-close-code]").await?;
    code.clear().await?;
    code.send_keys("4000").await?;
    w.find("[data-testid=ws-close-reason]")
        .await?
        .send_keys("goodbye")
        .await?;
    w.find("[data-testid=ws-close-submit]")
        .await?
        .click()
        .await?;
    let closed = status(w, |t| t.starts_with("Closed")).await?;
    anyhow::ensure!(
        closed == "Closed by you: 4000 goodbye",
        "the client close reads {closed:?}"
    );

    // The server closes with 4000 "goodbye" when asked to; Ctrl+Enter sends the editor's text.
    connect(w).await?;
    w.find("[data-testid=ws-tab-message]")
        .await?
        .click()
        .await?;
    set_select(w, "[data-testid=ws-message-kind]", "text").await?;
    type_message(w, "close:4000:goodbye").await?;
    w.find("[data-testid=ws-message-editor] .cm-content")
        .await?
        .send_keys(&format!("{}{}", Key::Control, Key::Enter))
        .await?;
    let closed = status(w, |t| t.starts_with("Closed")).await?;
    anyhow::ensure!(
        closed == "Closed by the server: 4000 goodbye",
        "the server close reads {closed:?}"
    );

    // Settings: deflate, auto-pong and the proxy a WebSocket can go through.
    w.find("[data-testid=ws-tab-settings]")
        .await?
        .click()
        .await?;
    w.wait_for("[data-testid=ws-deflate]").await?;
    w.wait_for("[data-testid=ws-auto-pong]").await?;
    set_select(w, "[data-testid=ws-proxy]", "url").await?;
    w.wait_for("[data-testid=ws-proxy-url]").await?;
    w.screenshot("ws-settings").await?;
    Ok(())
}

/// The unsaved tab's draft and the session are on disk before the app goes.
async fn prepare_restart(w: &Window) -> Result<()> {
    w.wait_draft().await?;
    w.wait_session(|s| s["tabs"].as_array().is_some_and(|t| !t.is_empty()))
        .await?;
    Ok(())
}

async fn after_restart(w: &Window, url: &str) -> Result<()> {
    w.find("[data-testid=ws-badge]").await?;
    w.wait_js(&format!(
        "return document.querySelector('[data-testid=url-input]').value === {url:?};"
    ))
    .await?;
    w.wait_text("[data-testid=ws-message-editor]", |t| {
        t.contains("close:4000:goodbye")
    })
    .await?;
    w.find("[data-testid=ws-tab-saved]").await?.click().await?;
    w.wait_js(
        "return document.querySelector('[data-testid=ws-saved-name]')?.value === 'Message 1';",
    )
    .await?;
    Ok(())
}

/// A file under `dir` whose text contains `needle`.
fn find_file(dir: &Path, needle: &str) -> Option<PathBuf> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
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

/// The tree's "New WebSocket request" makes a WebSocket request file in the collection; a
/// message saved with it and the URL go into that file with Ctrl+S, and the tree marks it `WS`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_websocket_request_made_in_the_tree_is_saved_with_its_messages() -> Result<()> {
    let api = PyServer::demo_api()?;
    let w = Window::open().await?;
    let url = api.url("/ws/echo").replacen("http://", "ws://", 1);
    let result = async {
        let workspace = w.data_dir.path().join("workspace");
        w.wait_text("[data-testid=collections-tree]", |t| t.contains("Demo API"))
            .await?;
        w.find("[data-testid=tree-new-websocket]")
            .await?
            .click()
            .await?;
        let name = w.wait_for("[data-testid=name-input]").await?;
        name.clear().await?;
        name.send_keys("Chat socket").await?;
        w.find("[data-testid=name-submit]").await?.click().await?;
        w.find("[data-testid=ws-badge]").await?;

        let input = w.find("[data-testid=url-input]").await?;
        input.clear().await?;
        input.send_keys(&url).await?;
        type_message(&w, r#"{"type": "hello"}"#).await?;
        w.find("[data-testid=ws-save-message]")
            .await?
            .click()
            .await?;
        w.find("[data-testid=url-input]")
            .await?
            .send_keys(&format!("{}s", Key::Control))
            .await?;

        let deadline = Instant::now() + Duration::from_secs(10);
        let file = loop {
            if let Some(f) = find_file(&workspace, "Message 1") {
                break f;
            }
            if Instant::now() > deadline {
                bail!("no request file with the saved message under {}", workspace.display());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        let text = std::fs::read_to_string(&file)?;
        ensure!(text.contains("name: Chat socket"), "{text}");
        ensure!(text.contains("websocket:"), "{text}");
        ensure!(text.contains("/ws/echo"), "{text}");
        w.wait_js(
            "return [...document.querySelectorAll('[data-testid=collections-tree] [role=treeitem]')]
               .some((row) => row.textContent.includes('Chat socket') && row.textContent.includes('WS'));",
        )
        .await?;
        anyhow::Ok(())
    }
    .await;
    w.finish("websocket-tree", result).await
}
