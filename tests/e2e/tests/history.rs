//! The request history in the real window: a sent request shows up in the History view, the
//! search finds it by a word of its response, and opening it restores request and response.

use anyhow::Result;
use sextant_e2e::Window;
use sextant_testkit::PyServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sent_request_is_found_in_history_and_reopens() -> Result<()> {
    let api = PyServer::demo_api()?;
    let w = Window::open().await?;
    let result = scenario(&w, &api).await;
    w.finish("history", result).await
}

async fn send(w: &Window, url: &str, status: &str) -> Result<()> {
    let input = w.find("[data-testid=url-input]").await?;
    input.clear().await?;
    input.send_keys(url).await?;
    w.find("[data-testid=send-button]").await?.click().await?;
    w.wait_text("[data-testid=response-status]", |t| t.starts_with(status))
        .await?;
    Ok(())
}

async fn scenario(w: &Window, api: &PyServer) -> Result<()> {
    // "guide" appears only in the first response's body (seed item 3 is the "Field guide").
    send(w, &api.url("/items/3"), "200").await?;
    send(w, &api.url("/items/999999"), "404").await?;

    w.find("[data-testid=sidebar-history]")
        .await?
        .click()
        .await?;
    w.wait_for("[data-testid=history-panel]").await?;
    let rows = wait_rows(w, 2).await?;
    assert_eq!(rows, 2, "both sends are listed");
    w.screenshot("history-list").await?;

    w.find("[data-testid=history-search]")
        .await?
        .send_keys("guide")
        .await?;
    wait_rows(w, 1).await?;
    let row = w.find("[data-testid=history-row] button.open").await?;
    let title = row.attr("title").await?.unwrap_or_default();
    assert!(title.ends_with("/items/3"), "{title}");
    let status = w.find("[data-testid=history-status]").await?.text().await?;
    assert_eq!(status, "200");
    row.click().await?;
    w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
        .await?;
    let url = w
        .find("[data-testid=url-input]")
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    assert!(url.ends_with("/items/3"), "{url}");
    w.screenshot("history-opened").await?;

    // A search with no match says so.
    let search = w.find("[data-testid=history-search]").await?;
    search.clear().await?;
    search.send_keys("nothing-like-this-anywhere").await?;
    w.wait_for("[data-testid=history-empty]").await?;
    Ok(())
}

/// Waits until the list shows exactly `want` rows; returns the count.
async fn wait_rows(w: &Window, want: usize) -> Result<usize> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let n = w
            .client
            .find_all(fantoccini::Locator::Css("[data-testid=history-row]"))
            .await?
            .len();
        if n == want || std::time::Instant::now() > deadline {
            anyhow::ensure!(n == want, "{n} history rows, wanted {want}");
            return Ok(n);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
