//! Assertions in the real window: a request from the sample collection is sent to the demo API,
//! "Assert this" on a value of its JSON body adds `body $.id == 1`, the next send shows it
//! passing under the response's Assertions tab; the expected value changed to 2, the next send
//! shows it failing with expected vs actual.

use anyhow::Result;
use fantoccini::Locator;
use sextant_e2e::Window;
use sextant_testkit::PyServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assert_a_value_from_the_response_then_see_it_pass_and_fail() -> Result<()> {
    let api = PyServer::demo_api()?;
    let w = Window::open().await?;
    let result = scenario(&w, &api).await;
    w.finish("assertions", result).await
}

async fn send_and_wait(w: &Window) -> Result<()> {
    // Each send gets a new response id: wait for one we have not seen.
    let before: String = w
        .client
        .execute(
            "return document.querySelector('[data-testid=response-status]')?.dataset.responseId ?? '';",
            vec![],
        )
        .await?
        .as_str()
        .unwrap_or_default()
        .to_owned();
    w.find("[data-testid=send-button]").await?.click().await?;
    w.wait_js(&format!(
        "const s = document.querySelector('[data-testid=response-status]'); \
         return !!s && s.dataset.responseId !== '{before}' && s.textContent.startsWith('200');"
    ))
    .await
}

async fn scenario(w: &Window, api: &PyServer) -> Result<()> {
    w.point_demo_at(&api.url("")).await?;
    w.open_from_palette("get seed item", "Get seed item")
        .await?;
    w.wait_url(|u| u == "{{baseUrl}}/items/1").await?;
    w.choose_environment("local").await?;
    send_and_wait(w).await?;

    // The cursor on the line `"id": 1,` of the pretty body, then "Assert this".
    w.wait_js(
        "return [...document.querySelectorAll('[data-testid=response-body] .cm-line')] \
           .some((e) => e.textContent.trim().startsWith('\"id\": 1'));",
    )
    .await?;
    let mut id_line = None;
    for line in w
        .client
        .find_all(Locator::Css("[data-testid=response-body] .cm-line"))
        .await?
    {
        let text = line.prop("textContent").await?.unwrap_or_default();
        if text.trim().starts_with("\"id\": 1") {
            id_line = Some(line);
            break;
        }
    }
    id_line
        .ok_or_else(|| anyhow::anyhow!("no line `\"id\": 1` in the body"))?
        .click()
        .await?;
    w.wait_js("return document.querySelector('[data-testid=assert-this]')?.disabled === false")
        .await?;
    w.find("[data-testid=assert-this]").await?.click().await?;

    // The composer's Assertions tab holds it.
    w.wait_text("[data-testid=composer-tab-assertions]", |t| t.contains('1'))
        .await?;
    w.find("[data-testid=composer-tab-assertions]")
        .await?
        .click()
        .await?;
    w.wait_js(
        "const r = document.querySelector('[data-testid=assertion-row]'); \
         return !!r && r.querySelector('[data-testid=assertion-kind]').value === 'jsonPath' \
           && r.querySelector('[data-testid=assertion-arg]').value === '$.id' \
           && r.querySelector('[data-testid=assertion-predicate]').value === 'equals' \
           && r.querySelector('[data-testid=assertion-value]').value === '1';",
    )
    .await?;
    w.screenshot("assertions-added").await?;

    // Sent again: it passes.
    send_and_wait(w).await?;
    w.wait_text("[data-testid=tab-assertions]", |t| t.contains("1/1"))
        .await?;
    w.find("[data-testid=tab-assertions]")
        .await?
        .click()
        .await?;
    w.wait_for("[data-testid=assertion-result][data-passed=true]")
        .await?;
    w.wait_text("[data-testid=assertion-summary]", |t| {
        t.contains("1 passed")
    })
    .await?;

    // The expected value changed to 2: it fails, saying what it expected and what it got.
    let value = w.find("[data-testid=assertion-value]").await?;
    value.clear().await?;
    value.send_keys("2").await?;
    w.wait_js("return document.querySelector('[data-testid=assertion-value]').value === '2'")
        .await?;
    send_and_wait(w).await?;
    w.wait_text("[data-testid=tab-assertions]", |t| t.contains("0/1"))
        .await?;
    w.find("[data-testid=tab-assertions]")
        .await?
        .click()
        .await?;
    w.wait_for("[data-testid=assertion-result][data-passed=false]")
        .await?;
    w.wait_text("[data-testid=assertion-message]", |t| {
        t == "$.id: expected 2, got 1"
    })
    .await?;
    w.wait_text("[data-testid=assertion-expected]", |t| t == "== 2")
        .await?;
    w.wait_text("[data-testid=assertion-actual]", |t| t == "1")
        .await?;
    w.screenshot("assertions-failed").await?;
    Ok(())
}
