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

/// Writes the workspace's globals: `token` = `value`. Every send reads them afresh.
fn set_global_token(w: &Window, value: &str) -> Result<()> {
    let path = w.data_dir.path().join("workspace").join("globals.yaml");
    std::fs::write(
        path,
        format!("name: Globals\nvariables:\n- name: token\n  value: {value}\n"),
    )?;
    Ok(())
}

/// Sets the first header row's value (the headers pane open).
async fn set_header_value(w: &Window, value: &str) -> Result<()> {
    let input = w.find("[data-testid=header-value]").await?;
    input.clear().await?;
    input.send_keys(value).await?;
    Ok(())
}

/// Waits until the first header row's value reads `want` (the headers pane open).
async fn wait_header_value(w: &Window, want: &str) -> Result<()> {
    let script = format!(
        "return document.querySelector('[data-testid=header-value]')?.value === {};",
        serde_json::to_string(want)?
    );
    w.wait_js(&script)
        .await
        .map_err(|e| anyhow::anyhow!("the header value never read {want:?}: {e}"))
}

/// Clicks the newest history row (once `rows` are listed) and waits until it is the one opened.
async fn open_newest(w: &Window, rows: usize) -> Result<()> {
    wait_rows(w, rows).await?;
    w.find("[data-testid=history-row] button.open")
        .await?
        .click()
        .await?;
    w.wait_js(
        "return document.querySelector('[data-testid=history-row] button.open')
           ?.getAttribute('aria-current') === 'true';",
    )
    .await?;
    Ok(())
}

/// The text of the opened entry's as-sent view (collapsed, so read from the DOM).
async fn as_sent_text(w: &Window) -> Result<String> {
    let text = w
        .client
        .execute(
            "return document.querySelector('[data-testid=history-as-sent]')?.textContent ?? '';",
            vec![],
        )
        .await?;
    Ok(text.as_str().unwrap_or_default().to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_reopened_from_history_is_sent_with_the_real_token() -> Result<()> {
    let httpbin = PyServer::httpbin()?;
    let w = Window::open().await?;
    let result = resend_scenario(&w, &httpbin).await;
    w.finish("history-resend", result).await
}

async fn resend_scenario(w: &Window, httpbin: &PyServer) -> Result<()> {
    set_global_token(w, "e2e-token-first")?;
    let url = w.find("[data-testid=url-input]").await?;
    url.clear().await?;
    url.send_keys(&httpbin.url("/bearer")).await?;
    w.find("[data-testid=composer-tab-headers]")
        .await?
        .click()
        .await?;
    w.wait_for("[data-testid=header-name]")
        .await?
        .send_keys("Authorization")
        .await?;
    set_header_value(w, "Bearer {{token}}").await?;
    w.find("[data-testid=send-button]").await?.click().await?;
    w.wait_text("[data-testid=response-body]", |t| {
        t.contains("e2e-token-first")
    })
    .await?;

    // Reopened from the history, the request is the one written: `{{token}}` resolves again,
    // against the token of now, while the entry's as-sent copy keeps the mask.
    set_global_token(w, "e2e-token-second")?;
    w.find("[data-testid=sidebar-history]")
        .await?
        .click()
        .await?;
    open_newest(w, 1).await?;
    w.find("[data-testid=composer-tab-headers]")
        .await?
        .click()
        .await?;
    wait_header_value(w, "Bearer {{token}}").await?;
    w.find("[data-testid=send-button]").await?.click().await?;
    w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
        .await?;
    w.wait_text("[data-testid=response-body]", |t| {
        t.contains("e2e-token-second")
    })
    .await?;
    w.screenshot("history-resent").await?;
    w.wait_for("[data-testid=history-as-sent]").await?;
    let sent = as_sent_text(w).await?;
    assert!(
        sent.contains("Bearer •••") && !sent.contains("e2e-token"),
        "the entry's as-sent copy keeps the mask: {sent}"
    );

    // A token typed literally is not kept: reopened, the field says so and Send refuses the mask
    // until the token is typed again.
    set_header_value(w, "Bearer typed-literal-7").await?;
    w.find("[data-testid=send-button]").await?.click().await?;
    w.wait_text("[data-testid=response-body]", |t| {
        t.contains("typed-literal-7")
    })
    .await?;
    open_newest(w, 3).await?;
    w.wait_text("[data-testid=secret-not-kept]", |t| {
        t.contains("Secret not kept: enter it") && t.contains("header Authorization")
    })
    .await?;
    w.find("[data-testid=composer-tab-headers]")
        .await?
        .click()
        .await?;
    wait_header_value(w, "Bearer •••").await?;
    w.screenshot("history-secret-not-kept").await?;
    w.find("[data-testid=send-button]").await?.click().await?;
    w.wait_text("[data-testid=error-message]", |t| {
        t.contains("header Authorization") && t.contains("enter it")
    })
    .await?;
    wait_rows(w, 3).await?;

    set_header_value(w, "Bearer typed-literal-7").await?;
    w.wait_gone("[data-testid=secret-not-kept]").await?;
    w.find("[data-testid=send-button]").await?.click().await?;
    w.wait_text("[data-testid=response-body]", |t| {
        t.contains("typed-literal-7")
    })
    .await?;
    wait_rows(w, 4).await?;
    Ok(())
}

/// A request reopened from History is sent, and checked for undefined variables, in the
/// environment of the collection it came from: the picker shows that environment, not a
/// disabled "No environment".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_environment_picker_shows_a_history_tabs_environment() -> Result<()> {
    let fault = sextant_testkit::FaultServer::start();
    let w = Window::open().await?;
    let result = picker_scenario(&w, &fault).await;
    w.finish("history-env", result).await
}

async fn picker_scenario(w: &Window, fault: &sextant_testkit::FaultServer) -> Result<()> {
    use fantoccini::key::Key;
    w.point_demo_at(&fault.url("")).await?;
    w.open_from_palette("get seed item", "Get seed item")
        .await?;
    w.wait_url(|u| u == "{{baseUrl}}/items/1").await?;
    w.choose_environment("local").await?;
    let body = w.find("body").await?;
    w.find("[data-testid=send-button]").await?.click().await?;
    w.wait_text("[data-testid=response-status]", |t| {
        t.chars().next().is_some_and(|c| c.is_ascii_digit())
    })
    .await?;

    // A new tab: no collection, no environment.
    body.send_keys(&format!("{}n", Key::Control)).await?;
    w.wait_js("return document.querySelectorAll('[data-testid=request-tab]').length === 2")
        .await?;
    w.wait_js("return document.querySelector('[data-testid=env-select]').disabled === true")
        .await?;

    // Reopened from History into it: the picker shows the environment the send will use.
    w.find("[data-testid=sidebar-history]")
        .await?
        .click()
        .await?;
    w.find("[data-testid=history-row] button.open")
        .await?
        .click()
        .await?;
    w.wait_js(
        "return document.querySelector('[data-testid=url-input]')?.value === '{{baseUrl}}/items/1'",
    )
    .await?;
    w.wait_js(
        "const s = document.querySelector('[data-testid=env-select]'); \
         return s.disabled === false && s.value === 'local';",
    )
    .await?;
    w.wait_gone("[data-testid=undefined-vars]").await
}
