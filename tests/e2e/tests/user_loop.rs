//! A user's whole loop in the real window, against the FastAPI demo: import its spec by URL, log
//! in through Try it (typing the credentials Try it leaves empty), save the login into a new
//! collection, Try it another operation (a new tab: the login is not overwritten), restart, find
//! both tabs and their responses again, re-send the saved login, and reopen it from History,
//! where the password typed literally was not kept: it has to be typed again before Send works.

use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Result};
use fantoccini::key::Key;
use sextant_e2e::Window;
use sextant_testkit::PyServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_log_in_send_save_restart_reopen_and_resend() -> Result<()> {
    let api = PyServer::demo_api()?;
    let w = Window::open().await?;
    if let Err(e) = before_restart(&w, &api).await {
        return w.finish("loop-before", Err(e)).await;
    }
    let w = w.restart().await?;
    let result = after_restart(&w).await;
    w.finish("loop-after", result).await
}

async fn before_restart(w: &Window, api: &PyServer) -> Result<()> {
    let source = w.open_import_dialog().await?;
    source.send_keys(&api.url("/openapi.json")).await?;
    w.find("[data-testid=import-submit]").await?.click().await?;
    w.wait_text("[data-testid=spec-title]", |t| t.contains("Demo API"))
        .await?;

    try_it(w, "login").await?;
    w.wait_text("[data-testid=tryit-hint]", |t| t.contains("Fill in"))
        .await?;
    type_form_value(w, "username", "alice").await?;
    type_form_value(w, "password", "s3cret-typed").await?;
    send_and_expect(w, "token-alice").await?;

    w.find("[data-testid=url-input]")
        .await?
        .send_keys(&format!("{}s", Key::Control))
        .await?;
    let name = w.wait_for("[data-testid=name-input]").await?;
    let proposed = name.prop("value").await?.unwrap_or_default();
    ensure!(
        proposed.starts_with("Log in"),
        "the save dialog proposes {proposed:?}"
    );
    w.find("[data-testid=name-target-new]")
        .await?
        .click()
        .await?;
    w.find("[data-testid=name-new-collection]")
        .await?
        .send_keys("Loop")
        .await?;
    w.find("[data-testid=name-submit]").await?.click().await?;
    w.wait_gone("[data-testid=name-dialog]").await?;
    w.wait_text("[data-testid=collections-tree]", |t| t.contains("Loop"))
        .await?;

    // The saved, answered login tab is not reused: Try it opens a second tab.
    w.find("[data-testid=sidebar-explorer]")
        .await?
        .click()
        .await?;
    try_it(w, "get_item").await?;
    wait_tab_count(w, 2).await?;
    send_and_expect(w, "\"id\"").await?;
    // WebDriver's close kills the app rather than quitting it: wait until the unsaved tab's
    // draft, the tab set and the item's response are on disk, as they are soon after the send.
    w.wait_draft().await?;
    w.wait_session(|s| {
        let tabs = s["tabs"].as_array().map(Vec::as_slice).unwrap_or_default();
        tabs.len() == 2 && tabs[1]["response"]["status"] == 200 && s["active"] == tabs[1]["key"]
    })
    .await?;
    w.screenshot("loop-before-restart").await?;
    Ok(())
}

async fn after_restart(w: &Window) -> Result<()> {
    wait_tab_count(w, 2).await?;
    // The active tab (the item) comes back with its response; then the saved login with its own.
    w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
        .await?;
    w.wait_js(
        "return document.querySelector('[data-testid=url-input]')?.value.includes('/items/');",
    )
    .await?;
    w.find("[data-testid=request-tab]:nth-child(1) button.open")
        .await?
        .click()
        .await?;
    w.wait_text("[data-testid=response-body]", |t| t.contains("token-alice"))
        .await?;
    // Re-sent as saved: the typed credentials are in the collection's request.
    send_and_expect(w, "token-alice").await?;

    // From History: the login opens in a new tab (the active one has a response), as written,
    // with the literally typed password not kept.
    w.find("[data-testid=sidebar-history]")
        .await?
        .click()
        .await?;
    w.wait_for("[data-testid=history-panel]").await?;
    w.find("[data-testid=history-row] button.open")
        .await?
        .click()
        .await?;
    wait_tab_count(w, 3).await?;
    w.wait_text("[data-testid=secret-not-kept]", |t| t.contains("password"))
        .await?;
    w.find("[data-testid=send-button]").await?.click().await?;
    w.wait_text("[data-testid=error-message]", |t| t.contains("enter it"))
        .await?;
    w.find("[data-testid=composer-tab-body]")
        .await?
        .click()
        .await?;
    type_form_value(w, "password", "s3cret-again").await?;
    w.wait_gone("[data-testid=secret-not-kept]").await?;
    send_and_expect(w, "token-alice").await?;
    w.screenshot("loop-resent-from-history").await?;
    Ok(())
}

/// Searches the explorer for `op_id`, opens it and presses Try it.
async fn try_it(w: &Window, op_id: &str) -> Result<()> {
    let search = w.find("[data-testid=op-search]").await?;
    search.send_keys(&format!("{}a", Key::Control)).await?;
    search.send_keys(op_id).await?;
    w.find(&format!("[data-testid=op-row][data-op-id={op_id}]"))
        .await?
        .click()
        .await?;
    w.find("[data-testid=try-it]").await?.click().await?;
    w.wait_for("[data-testid=tryit-hint]").await?;
    Ok(())
}

/// Replaces the value of the form row named `name` by typing, as a user would.
async fn type_form_value(w: &Window, name: &str, value: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let index = loop {
        let found = w
            .client
            .execute(
                "return [...document.querySelectorAll('[data-testid=form-name]')].map((e) => e.value).indexOf(arguments[0]);",
                vec![name.into()],
            )
            .await?
            .as_i64()
            .unwrap_or(-1);
        if found >= 0 {
            break found as usize;
        }
        if Instant::now() > deadline {
            bail!("no form row named {name}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let inputs = w
        .client
        .find_all(fantoccini::Locator::Css("[data-testid=form-value]"))
        .await?;
    let input = &inputs[index];
    input.send_keys(&format!("{}a", Key::Control)).await?;
    input.send_keys(value).await?;
    Ok(())
}

/// Sends the active tab and waits for a *new* response (another id than the one on screen) that
/// is a 200 whose body has `body_has`.
async fn send_and_expect(w: &Window, body_has: &str) -> Result<()> {
    const ID: &str =
        "return document.querySelector('[data-testid=response-status]')?.dataset.responseId ?? '';";
    let before = w.client.execute(ID, vec![]).await?;
    w.find("[data-testid=send-button]").await?.click().await?;
    let deadline = Instant::now() + Duration::from_secs(20);
    while w.client.execute(ID, vec![]).await? == before {
        if Instant::now() > deadline {
            bail!("no new response after Send");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
        .await?;
    w.wait_text("[data-testid=response-body]", |t| t.contains(body_has))
        .await?;
    Ok(())
}

async fn wait_tab_count(w: &Window, want: usize) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let n = w
            .client
            .find_all(fantoccini::Locator::Css("[data-testid=request-tab]"))
            .await?
            .len();
        if n == want {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("{n} tabs, wanted {want}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
