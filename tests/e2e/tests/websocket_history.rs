//! WebSocket sessions and the history in the real window, against the FastAPI demo's `/ws/echo`:
//! a session (a message, a ping with a payload, a close) is found in the History panel by the
//! text of a frame, shows its frame count and close in its row, opens read-only (the frames with
//! the log's filters, the close code and reason, the handshake) and Reconnect opens a live tab.
//! And Cancel ends a handshake that would otherwise wait for its timeout (a port that never
//! answers).

use anyhow::{ensure, Context, Result};
use sextant_e2e::Window;
use sextant_testkit::{PyServer, SilentPort};

async fn status(w: &Window, pred: impl Fn(&str) -> bool) -> Result<String> {
    w.wait_text("[data-testid=ws-status-text]", pred).await
}

async fn type_url(w: &Window, url: &str) -> Result<()> {
    let input = w.find("[data-testid=url-input]").await?;
    input.clear().await?;
    input.send_keys(url).await?;
    w.find("[data-testid=ws-badge]").await?;
    w.wait_js(&format!(
        "return document.querySelector('[data-testid=url-input]').value === {url:?};"
    ))
    .await
}

/// Waits until some frame of `direction` and `opcode` under `scope` holds `needle`.
async fn wait_frame(
    w: &Window,
    scope: &str,
    direction: &str,
    opcode: &str,
    needle: &str,
) -> Result<()> {
    w.wait_js(&format!(
        "return [...document.querySelectorAll('{scope} [data-testid=ws-frame][data-direction={direction}][data-opcode={opcode}] [data-testid=ws-frame-data]')]
           .some((el) => el.textContent.includes({needle:?}));"
    ))
    .await
    .with_context(|| format!("no {direction} {opcode} frame with {needle} in {scope}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_is_found_in_the_history_opens_read_only_and_reconnects() -> Result<()> {
    let api = PyServer::demo_api()?;
    let w = Window::open().await?;
    let url = api.url("/ws/echo").replacen("http://", "ws://", 1);
    let result = history_scenario(&w, &url).await;
    w.finish("websocket-history", result).await
}

async fn history_scenario(w: &Window, url: &str) -> Result<()> {
    type_url(w, url).await?;
    w.find("[data-testid=ws-connect]").await?.click().await?;
    status(w, |t| t == "Connected").await?;

    // A text message, echoed.
    w.find("[data-testid=ws-message-kind]").await?;
    w.client
        .execute(
            "const el = document.querySelector('[data-testid=ws-message-kind]');
             el.value = 'text';
             el.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![],
        )
        .await?;
    let editor = w
        .wait_for("[data-testid=ws-message-editor] .cm-content")
        .await?;
    editor.click().await?;
    editor.send_keys("kittiwake-4242").await?;
    w.find("[data-testid=ws-send]").await?.click().await?;
    wait_frame(
        w,
        "[data-testid=ws-log]",
        "received",
        "text",
        "kittiwake-4242",
    )
    .await?;

    // A ping with a payload; the server's pong carries it back.
    w.find("[data-testid=ws-ping-payload]")
        .await?
        .send_keys("are-you-there")
        .await?;
    w.find("[data-testid=ws-ping]").await?.click().await?;
    wait_frame(w, "[data-testid=ws-log]", "sent", "ping", "are-you-there").await?;
    wait_frame(
        w,
        "[data-testid=ws-log]",
        "received",
        "pong",
        "are-you-there",
    )
    .await?;

    w.find("[data-testid=ws-disconnect]").await?.click().await?;
    status(w, |t| t.starts_with("Closed by you: 1000")).await?;

    // History: found by the text of a frame.
    w.find("[data-testid=sidebar-history]")
        .await?
        .click()
        .await?;
    w.wait_for("[data-testid=history-panel]").await?;
    w.find("[data-testid=history-search]")
        .await?
        .send_keys("kittiwake")
        .await?;
    w.wait_js(
        "const rows = document.querySelectorAll('[data-testid=history-row]');
         return rows.length === 1 && rows[0].textContent.includes('WS');",
    )
    .await
    .context("the session is not the one row found by its message")?;
    let row_status = w
        .wait_text("[data-testid=history-status]", |t| t.contains("frames"))
        .await?;
    ensure!(
        row_status.ends_with("· 1000"),
        "the row reads {row_status:?}"
    );

    // Read-only: the frames, the close, the handshake.
    w.find("[data-testid=history-row] button.open")
        .await?
        .click()
        .await?;
    w.wait_for("[data-testid=ws-recording]").await?;
    let close = w
        .wait_text("[data-testid=ws-recording-close]", |t| {
            t.starts_with("Closed")
        })
        .await?;
    ensure!(
        close == "Closed by you: 1000 (normal closure)",
        "the recorded close reads {close:?}"
    );
    let scope = "[data-testid=ws-recording]";
    wait_frame(w, scope, "sent", "text", "kittiwake-4242").await?;
    wait_frame(w, scope, "received", "text", "kittiwake-4242").await?;
    wait_frame(w, scope, "received", "pong", "are-you-there").await?;
    w.wait_text("[data-testid=ws-recording-url]", |t| t == url)
        .await?;
    // The log's filters work on the recording: only the pings and pongs.
    w.find("[data-testid=ws-recording] [data-testid=ws-log-opcode-pong]")
        .await?
        .click()
        .await?;
    w.wait_js(
        "const rows = [...document.querySelectorAll('[data-testid=ws-recording] [data-testid=ws-frame]')];
         return rows.length === 1 && rows[0].dataset.opcode === 'pong';",
    )
    .await?;
    w.find("[data-testid=ws-recording] [data-testid=ws-log-opcode-pong]")
        .await?
        .click()
        .await?;
    ensure!(
        w.client
            .find_all(fantoccini::Locator::Css(
                "[data-testid=ws-recording] [data-testid=ws-log-clear]"
            ))
            .await?
            .is_empty(),
        "a recorded log offers Clear"
    );
    let shot = w.screenshot("websocket-history").await?;
    let _ = std::fs::copy(&shot, "/tmp/ws-history.png");
    w.find("[data-testid=ws-recording-tab-handshake]")
        .await?
        .click()
        .await?;
    w.wait_text(
        "[data-testid=ws-recording] [data-testid=ws-handshake]",
        |t| t.contains("101") && t.contains("/ws/echo"),
    )
    .await?;

    // Reconnect: a new live WebSocket tab for the same URL.
    w.find("[data-testid=ws-recording-reconnect]")
        .await?
        .click()
        .await?;
    w.wait_gone("[data-testid=ws-recording]").await?;
    status(w, |t| t == "Connected").await?;
    w.wait_js(&format!(
        "return document.querySelector('[data-testid=url-input]').value === {url:?};"
    ))
    .await?;
    w.wait_js("return document.querySelectorAll('[data-testid=request-tab]').length >= 2;")
        .await
        .context("Reconnect did not open a new tab")?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_ends_a_handshake_that_would_wait_for_its_timeout() -> Result<()> {
    let silent = SilentPort::open()?;
    let w = Window::open().await?;
    let url = silent.url("/never").replacen("http://", "ws://", 1);
    let result = async {
        type_url(&w, &url).await?;
        w.find("[data-testid=ws-connect]").await?.click().await?;
        status(&w, |t| t.starts_with("Connecting")).await?;
        // The request's connect timeout is 30 s: only the cancel ends it within wait_text's 20 s.
        w.find("[data-testid=ws-cancel]").await?.click().await?;
        status(&w, |t| t == "Cancelled").await?;
        w.find("[data-testid=ws-connect]").await?;
        ensure!(
            w.client
                .find_all(fantoccini::Locator::Css("[data-testid=ws-error]"))
                .await?
                .is_empty(),
            "a cancel the user asked for is shown as a failure"
        );
        anyhow::Ok(())
    }
    .await;
    w.finish("websocket-cancel", result).await
}
