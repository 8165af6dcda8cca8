//! The response pane and the clipboard in the real window: Copy as curl and Copy body put their
//! text on the X clipboard (read back with `xclip`); Save body to file writes the exact bytes of
//! the stored body; the Request view shows what was sent with `Authorization` masked; a CSV
//! response is a table; cancelling an endless stream shows one notice; a mistyped scheme gets a
//! one-click fix.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{bail, ensure, Context, Result};
use fantoccini::{key::Key, Locator};
use sextant_e2e::{poll_until, Window};
use sextant_testkit::FaultServer;

async fn set_url(w: &Window, url: &str) -> Result<()> {
    let input = w.find("[data-testid=url-input]").await?;
    input.clear().await?;
    input.send_keys(url).await?;
    Ok(())
}

async fn send(w: &Window, status: &str) -> Result<()> {
    w.find("[data-testid=send-button]").await?.click().await?;
    w.wait_text("[data-testid=response-status]", |t| t.starts_with(status))
        .await?;
    Ok(())
}

/// Replaces the tab's request with a curl command, the way pasting it into the URL bar does.
async fn paste_curl(w: &Window, command: &str, url_ends_with: &str) -> Result<()> {
    w.wait_for("[data-testid=url-input]").await?.click().await?;
    w.client
        .execute(
            "const data = new DataTransfer();
             data.setData('text/plain', arguments[0]);
             const input = document.querySelector('[data-testid=url-input]');
             input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));",
            vec![command.into()],
        )
        .await?;
    w.wait_js(&format!(
        "return document.querySelector('[data-testid=url-input]').value.endsWith({url_ends_with:?});"
    ))
    .await
}

/// The X clipboard's text once `pred` holds for it (xclip asks the owner, the app, each time).
async fn wait_clipboard(w: &Window, pred: impl Fn(&str) -> bool) -> Result<String> {
    let mut last = String::new();
    let found = poll_until(
        "the expected clipboard text",
        Duration::from_secs(10),
        async || {
            let out = Command::new("xclip")
                .args(["-o", "-selection", "clipboard", "-display", w.display()])
                .output()
                .context(
                    "cannot run xclip (apt package xclip; scripts/setup-system.sh installs it)",
                )?;
            last = String::from_utf8_lossy(&out.stdout).into_owned();
            Ok((out.status.success() && pred(&last)).then(|| last.clone()))
        },
    )
    .await;
    found.with_context(|| format!("last clipboard text: {last:?}"))
}

/// Copy as curl (from the command palette, after an IPC round trip) and Copy body both reach
/// the system clipboard.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copy_as_curl_and_copy_body_put_text_on_the_clipboard() -> Result<()> {
    let fault = FaultServer::start();
    let w = Window::open().await?;
    let result = async {
        let url = fault.url("/json");
        set_url(&w, &url).await?;
        w.find("body")
            .await?
            .send_keys(&format!("{}k", Key::Control))
            .await?;
        let input = w.wait_for("[data-testid=palette-input]").await?;
        input.send_keys("Copy as curl").await?;
        w.wait_text("[data-testid=palette-item]", |t| t.contains("Copy as curl"))
            .await?;
        input.send_keys(&Key::Enter.to_string()).await?;
        let copied = wait_clipboard(&w, |t| t.starts_with("curl")).await?;
        ensure!(copied.contains(&url), "{copied}");

        send(&w, "200").await?;
        w.wait_text("[data-testid=response-body]", |t| t.contains("hello"))
            .await?;
        w.find("[data-testid=body-copy]").await?.click().await?;
        let body = wait_clipboard(&w, |t| t.contains("hello")).await?;
        ensure!(body == r#"{"hello":"world","n":1}"#, "{body}");
        anyhow::Ok(())
    }
    .await;
    w.finish("exchange-clipboard", result).await
}

/// One response, three views: Save body to file writes exactly the stored bytes; the Request
/// view shows the URL and `Authorization: Bearer •••`, never the token; and a CSV is a table.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn save_body_the_request_as_sent_and_a_csv_table() -> Result<()> {
    let fault = FaultServer::start();
    let w = Window::open().await?;
    let result = async {
        let size: u64 = 2_500_000;
        let path = format!("/bytes/{size}");
        let command = format!(
            "curl -H 'Authorization: Bearer e2e-s3cret-token' -H 'X-Trace: t1' '{}'",
            fault.url(&path)
        );
        paste_curl(&w, &command, &path).await?;
        send(&w, "200").await?;

        // Save body to file.
        let out_dir = tempfile::tempdir()?;
        let dest = out_dir.path().join("saved.bin");
        w.find("[data-testid=body-save]").await?.click().await?;
        w.find("[data-testid=save-body-path]")
            .await?
            .send_keys(&dest.to_string_lossy())
            .await?;
        w.find("[data-testid=save-body-confirm]")
            .await?
            .click()
            .await?;
        w.wait_gone("[data-testid=save-body-dialog]").await?;
        let saved = std::fs::read(&dest).context("the saved file")?;
        ensure!(saved.len() as u64 == size, "{} bytes saved", saved.len());
        ensure!(
            saved == stored_body(w.data_dir.path(), size)?,
            "the saved file differs from the stored body"
        );
        ensure!(
            saved.iter().enumerate().all(|(i, b)| *b == (i % 256) as u8),
            "the saved file is not what the server sent"
        );

        // The request as sent.
        w.find("[data-testid=tab-request]").await?.click().await?;
        let headers = w
            .wait_text("[data-testid=sent-headers]", |t| {
                t.contains("Authorization")
            })
            .await?;
        ensure!(headers.contains("Bearer •••"), "{headers}");
        ensure!(
            headers.contains("X-Trace") && headers.contains("t1"),
            "{headers}"
        );
        let pane = w
            .wait_text("[data-testid=sent-request]", |t| t.contains(&path))
            .await?;
        ensure!(!pane.contains("e2e-s3cret-token"), "{pane}");

        // A CSV response opens as a table.
        set_url(&w, &fault.url("/csv")).await?;
        send(&w, "200").await?;
        w.find("[data-testid=tab-body]").await?.click().await?;
        let table = w
            .wait_text("[data-testid=csv-table]", |t| t.contains("Lovelace, A."))
            .await?;
        ensure!(table.contains("said \"hi\""), "{table}");
        let heads = w
            .client
            .find_all(Locator::Css("[data-testid=csv-table] thead th"))
            .await?
            .len();
        ensure!(heads == 4, "{heads} header cells (row number + 3 columns)");
        let rows = w
            .client
            .find_all(Locator::Css("[data-testid=csv-table] tbody tr"))
            .await?
            .len();
        ensure!(rows == 2, "{rows} rows");
        w.screenshot("exchange-csv-table").await?;
        anyhow::Ok(())
    }
    .await;
    w.finish("exchange-response-tools", result).await
}

/// The one stored body file of a window that sent `size` bytes.
fn stored_body(data_dir: &Path, size: u64) -> Result<Vec<u8>> {
    for entry in std::fs::read_dir(data_dir.join("bodies"))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "body") && std::fs::metadata(&path)?.len() == size
        {
            return Ok(std::fs::read(path)?);
        }
    }
    bail!("no stored body of {size} bytes")
}

/// Cancelling an endless stream leaves one notice (cancelled, partial body kept), not an error
/// banner and a partial-body banner; a mistyped scheme gets "did you mean" and a fix.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_stream_has_one_notice_and_a_mistyped_scheme_a_fix() -> Result<()> {
    let fault = FaultServer::start();
    let w = Window::open().await?;
    let result = async {
        set_url(&w, &fault.url("/endless?delay_ms=5")).await?;
        w.find("[data-testid=send-button]").await?.click().await?;
        // Cancel once some of the body has arrived (the button shows the bytes received).
        w.wait_for("[data-testid=cancel-button] .bytes").await?;
        w.find("[data-testid=cancel-button]").await?.click().await?;
        w.wait_for("[data-testid=cancel-notice]").await?;
        w.wait_text("[data-testid=error-code]", |t| t == "Cancelled")
            .await?;
        w.wait_for("[data-testid=response-body]").await?;
        let partial = w
            .client
            .find_all(Locator::Css("[data-testid=partial-banner]"))
            .await?
            .len();
        let alerts = w
            .client
            .find_all(Locator::Css(".response .banner.danger"))
            .await?
            .len();
        ensure!(
            partial == 0 && alerts == 0,
            "{partial} partial banners, {alerts} error banners"
        );

        let good = fault.url("/json");
        let typo = good.replacen("http://", "htp//", 1);
        set_url(&w, &typo).await?;
        w.wait_text("[data-testid=url-hint]", |t| t.contains(&good))
            .await?;
        w.find("[data-testid=url-hint-fix]").await?.click().await?;
        w.wait_js(&format!(
            "return document.querySelector('[data-testid=url-input]').value === {good:?};"
        ))
        .await?;
        w.wait_gone("[data-testid=url-hint]").await?;
        send(&w, "200").await?;

        set_url(&w, "ws://127.0.0.1:9/chat").await?;
        w.wait_text("[data-testid=url-hint]", |t| t.contains("WebSocket"))
            .await?;
        anyhow::Ok(())
    }
    .await;
    w.finish("exchange-cancel-and-hints", result).await
}

/// A 5 MB JSON body is pretty at once: its first window comes pretty-printed from the backend
/// (indented `"key": ` lines), and the rest of the pretty text pages in with Load more.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_big_json_body_shows_its_first_window_pretty_and_pages_the_rest() -> Result<()> {
    let fault = FaultServer::start();
    let w = Window::open().await?;
    let result = async {
        set_url(&w, &fault.url("/big-json/5000000")).await?;
        send(&w, "200").await?;
        w.wait_text("[data-testid=response-body]", |t| {
            t.contains(r#""name": "item 1""#) && t.contains(r#""tags": ["#)
        })
        .await?;
        let first = w
            .wait_text("[data-testid=body-more]", |t| t.contains("of pretty text"))
            .await?;
        w.find("[data-testid=load-more]").await?.click().await?;
        let more = w
            .wait_text("[data-testid=body-more]", |t| {
                t.contains("of pretty text") && t != first
            })
            .await?;
        ensure!(more.starts_with("Showing"), "{more}");
        anyhow::Ok(())
    }
    .await;
    w.finish("exchange-big-json-pretty", result).await
}
