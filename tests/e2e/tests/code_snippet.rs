//! Code snippets in the real window: a request from the sample collection opened, its
//! environment chosen, the composer's Code tab shows it as Python httpx (highlighted) with the
//! request's URL (its `{{baseUrl}}` resolved), then as curl once the language picker says so;
//! Copy copies; a `ws://` URL shows the WebSocket notice instead of a snippet, until the URL is
//! HTTP again.

use anyhow::Result;
use sextant_e2e::Window;

const BASE: &str = "http://127.0.0.1:8123";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_tab_shows_the_request_as_httpx_then_curl() -> Result<()> {
    let w = Window::open().await?;
    let result = scenario(&w).await;
    w.finish("code_snippet", result).await
}

/// Waits until the snippet view's text holds every one of `needles`.
async fn wait_snippet(w: &Window, needles: &[&str]) -> Result<()> {
    let checks: Vec<String> = needles
        .iter()
        .map(|n| format!("t.includes({})", serde_json::to_string(n).unwrap()))
        .collect();
    w.wait_js(&format!(
        "const e = document.querySelector('[data-testid=code-snippet-text] .cm-content'); \
         const t = e ? [...e.querySelectorAll('.cm-line')].map((l) => l.textContent).join('\\n') : ''; \
         return {};",
        checks.join(" && ")
    ))
    .await
}

async fn scenario(w: &Window) -> Result<()> {
    w.point_demo_at(BASE).await?;
    w.open_from_palette("get seed item", "Get seed item")
        .await?;
    w.wait_url(|u| u == "{{baseUrl}}/items/1").await?;
    w.choose_environment("local").await?;

    w.find("[data-testid=composer-tab-code]")
        .await?
        .click()
        .await?;
    w.wait_for("[data-testid=code-snippet]").await?;
    w.find("[data-testid=code-snippet-language]")
        .await?
        .select_by_value("pythonHttpx")
        .await?;
    let url = format!("{BASE}/items/1");
    wait_snippet(w, &["import httpx", &url]).await?;
    // Highlighted as Python: `import` is a token of its own, coloured unlike the plain text.
    w.wait_js(
        "const c = document.querySelector('[data-testid=code-snippet-text] .cm-content');
         const kw = c && [...c.querySelectorAll('.cm-line span')].find((s) => s.textContent === 'import');
         return !!kw && getComputedStyle(kw).color !== getComputedStyle(kw.closest('.cm-line')).color;",
    )
    .await?;
    w.screenshot("code-snippet-httpx").await?;

    w.find("[data-testid=code-snippet-language]")
        .await?
        .select_by_value("curl")
        .await?;
    wait_snippet(w, &["curl ", &url]).await?;

    w.find("[data-testid=code-snippet-copy]")
        .await?
        .click()
        .await?;
    w.wait_text("[data-testid=code-snippet-copy]", |t| t == "Copied")
        .await?;

    // A ws:// URL: a notice instead of an HTTP snippet; back to http:// and the snippet returns.
    let input = w.find("[data-testid=url-input]").await?;
    input.clear().await?;
    input.send_keys("ws://127.0.0.1:8123/ws/echo").await?;
    w.wait_text("[data-testid=code-snippet-websocket]", |t| {
        t.starts_with("Code snippets cover HTTP requests.")
    })
    .await?;
    w.wait_js("return document.querySelector('[data-testid=code-snippet-text]') === null;")
        .await?;
    let input = w.find("[data-testid=url-input]").await?;
    input.clear().await?;
    input.send_keys(&url).await?;
    wait_snippet(w, &["curl ", &url]).await?;
    Ok(())
}
