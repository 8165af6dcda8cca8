//! Tabs in the real window: the command palette opens a saved request; closing a tab with
//! unsaved changes asks first (Cancel keeps it, Save writes the file, Discard leaves the file);
//! a curl command pasted into the URL bar becomes the tab's request; an unsaved change survives
//! a restart as a draft.
//!
//! `reuse`: where Try it and History land (never over typed work), tab titles, the Try-it hint
//! per tab, the save dialog's proposals, and a strip of many tabs.

#[path = "tabs/reuse.rs"]
mod reuse;

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use fantoccini::key::Key;
use sextant_e2e::{poll_until, Window};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_a_changed_tab_asks_and_does_what_was_chosen() -> Result<()> {
    let w = Window::open().await?;
    let result = scenario(&w).await;
    w.finish("tabs", result).await
}

async fn open_list_items(w: &Window) -> Result<()> {
    let body = w.find("body").await?;
    body.send_keys(&format!("{}k", Key::Control)).await?;
    let input = w.wait_for("[data-testid=palette-input]").await?;
    input.send_keys("list items").await?;
    w.wait_text("[data-testid=palette-item]", |t| t.contains("List items"))
        .await?;
    input.send_keys(&Key::Enter.to_string()).await?;
    w.wait_url(|u| u.contains("/items")).await?;
    Ok(())
}

/// Waits until a tab titled "List items" is open (`open`) or gone.
async fn wait_list_items_tab(w: &Window, open: bool) -> Result<()> {
    w.wait_text("[data-testid=request-tabs]", |tabs| {
        tabs.contains("List items") == open
    })
    .await
    .map(|_| ())
    .with_context(|| format!("expected the List items tab open: {open}"))
}

/// Appends `suffix` to the URL and asks to close the tab (Ctrl+W).
async fn edit_and_close(w: &Window, suffix: &str) -> Result<()> {
    let url = w.find("[data-testid=url-input]").await?;
    url.send_keys(&format!("{}{suffix}", Key::End)).await?;
    url.send_keys(&format!("{}w", Key::Control)).await?;
    w.wait_for("[data-testid=close-dialog]").await?;
    Ok(())
}

async fn wait_file(file: &Path, pred: impl Fn(&str) -> bool) -> Result<String> {
    poll_until(
        format_args!("{} to change as expected", file.display()),
        Duration::from_secs(5),
        async || {
            let text = std::fs::read_to_string(file)?;
            Ok(pred(&text).then_some(text))
        },
    )
    .await
}

async fn scenario(w: &Window) -> Result<()> {
    let file = w
        .data_dir
        .path()
        .join("workspace/demo-api/items/list-items.yaml");
    w.wait_text("[data-testid=collections-tree]", |t| t.contains("Demo API"))
        .await?;
    let original = std::fs::read_to_string(&file)?;
    open_list_items(w).await?;
    wait_list_items_tab(w, true).await?;

    // Cancel (Escape): the tab stays, with the edit.
    edit_and_close(w, "&page=2").await?;
    w.screenshot("tabs-close-dialog").await?;
    w.find("[data-testid=close-dialog]")
        .await?
        .send_keys(&Key::Escape.to_string())
        .await?;
    w.wait_gone("[data-testid=close-dialog]").await?;
    wait_list_items_tab(w, true).await?;
    anyhow::ensure!(w.url_value().await?.ends_with("&page=2"));
    anyhow::ensure!(
        std::fs::read_to_string(&file)? == original,
        "Cancel wrote the file"
    );

    // Save: the file gets the edit, the tab closes.
    w.find("[data-testid=url-input]")
        .await?
        .send_keys(&format!("{}w", Key::Control))
        .await?;
    w.wait_for("[data-testid=close-save]")
        .await?
        .click()
        .await?;
    let saved = wait_file(&file, |t| t.contains("name: page")).await?;
    w.wait_gone("[data-testid=close-dialog]").await?;
    wait_list_items_tab(w, false).await?;

    // Discard: the tab closes and the file stays as saved.
    open_list_items(w).await?;
    edit_and_close(w, "&size=9").await?;
    w.find("[data-testid=close-discard]").await?.click().await?;
    w.wait_gone("[data-testid=close-dialog]").await?;
    // Discarding issues no save: once the tab is gone, the file is what Save wrote.
    wait_list_items_tab(w, false).await?;
    anyhow::ensure!(
        std::fs::read_to_string(&file)? == saved,
        "Discard changed the file"
    );
    Ok(())
}

/// A curl command pasted into the URL bar becomes the tab's request (method, URL, header, body),
/// and sending it reaches httpbin as written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_curl_command_pasted_into_the_url_bar_is_sent_as_written() -> Result<()> {
    let httpbin = sextant_testkit::PyServer::httpbin()?;
    let w = Window::open().await?;
    let result = async {
        let url = w.wait_for("[data-testid=url-input]").await?;
        url.click().await?;
        let command = format!(
            r#"curl -X PUT '{}' -H 'X-From-Curl: pasted' -H 'Content-Type: application/json' -d '{{"size": 9}}'"#,
            httpbin.url("/anything/from-curl")
        );
        // What a paste delivers: one event carrying the clipboard's text.
        w.client
            .execute(
                "const data = new DataTransfer();
                 data.setData('text/plain', arguments[0]);
                 const input = document.querySelector('[data-testid=url-input]');
                 input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));",
                vec![command.into()],
            )
            .await?;
        w.wait_url(|u| u.ends_with("/anything/from-curl")).await?;
        let method = w
            .find("[data-testid=method-select]")
            .await?
            .prop("value")
            .await?
            .unwrap_or_default();
        anyhow::ensure!(method == "PUT", "method {method}");
        w.find("[data-testid=send-button]").await?.click().await?;
        w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
            .await?;
        let body = w
            .wait_text("[data-testid=response-body]", |t| t.contains("from-curl"))
            .await?;
        for expected in ["\"method\": \"PUT\"", "pasted", "\"size\": 9"] {
            anyhow::ensure!(body.contains(expected), "{expected} not in {body}");
        }
        w.screenshot("tabs-curl-pasted").await?;
        anyhow::Ok(())
    }
    .await;
    w.finish("curl-paste", result).await
}

/// A change not saved when the app quits comes back as a draft in its tab, marked unsaved, and
/// the file on disk is untouched.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unsaved_change_survives_a_restart_as_a_draft() -> Result<()> {
    let w = Window::open().await?;
    let file = w
        .data_dir
        .path()
        .join("workspace/demo-api/items/list-items.yaml");
    let before = async {
        w.wait_text("[data-testid=collections-tree]", |t| t.contains("Demo API"))
            .await?;
        open_list_items(&w).await?;
        let url = w.find("[data-testid=url-input]").await?;
        url.send_keys(&format!("{}&page=7", Key::End)).await?;
        // Drafts are written half a second after the last change.
        w.wait_draft().await?;
        std::fs::read_to_string(&file).map_err(anyhow::Error::from)
    }
    .await;
    let original = match before {
        Ok(text) => text,
        Err(e) => return w.finish("draft-before", Err(e)).await,
    };
    let w = w.restart().await?;
    let result = async {
        wait_list_items_tab(&w, true).await?;
        w.wait_url(|u| u.ends_with("&page=7")).await?;
        let close = w.find("[data-testid=request-tab] .close").await?;
        let label = close.attr("aria-label").await?.unwrap_or_default();
        anyhow::ensure!(
            label.contains("unsaved changes"),
            "the tab is not marked: {label}"
        );
        anyhow::ensure!(
            std::fs::read_to_string(&file)? == original,
            "the draft reached the file"
        );
        w.screenshot("tabs-draft-restored").await?;
        anyhow::Ok(())
    }
    .await;
    w.finish("draft-restored", result).await
}
