//! Contract checks in the real window: a request that calls the demo's `GET
//! /contract/broken-items` operation (its request file names the demo's spec and the operation)
//! is sent; the response's Assertions tab shows the contract violation with its JSON pointer and
//! the schema's, "Save as assertion" turns it into `body $[1].name exists`, saved into the
//! request file, and "Open schema" shows the operation's page (its responses' schemas) in the
//! explorer.

use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Result};
use fantoccini::key::Key;
use sextant_e2e::Window;
use sextant_testkit::PyServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contract_violation_shows_its_pointer_and_becomes_a_saved_assertion() -> Result<()> {
    let api = PyServer::demo_api()?;
    let w = Window::open().await?;
    let result = scenario(&w, &api).await;
    w.finish("contract", result).await
}

async fn scenario(w: &Window, api: &PyServer) -> Result<()> {
    w.wait_text("[data-testid=collections-tree]", |t| t.contains("Demo API"))
        .await?;
    let file = w
        .data_dir
        .path()
        .join("workspace/demo-api/broken-items.yaml");
    std::fs::write(
        &file,
        format!(
            "name: Broken items\nmethod: GET\nurl: {}\ncontract:\n  spec: {}\n  operation: GET /contract/broken-items\n",
            api.url("/contract/broken-items"),
            api.url("/openapi.json"),
        ),
    )?;
    let body = w.find("body").await?;
    body.send_keys(&format!("{}k", Key::Control)).await?;
    let input = w.wait_for("[data-testid=palette-input]").await?;
    input.send_keys("broken items").await?;
    w.wait_text("[data-testid=palette-item]", |t| t.contains("Broken items"))
        .await?;
    input.send_keys(&Key::Enter.to_string()).await?;
    w.wait_js(
        "return document.querySelector('[data-testid=url-input]')?.value.endsWith('/contract/broken-items')",
    )
    .await?;
    w.find("[data-testid=send-button]").await?.click().await?;
    w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
        .await?;

    // One contract result, failed, with the body's pointer and the document's.
    w.wait_text("[data-testid=tab-assertions]", |t| t.contains("0/1"))
        .await?;
    w.find("[data-testid=tab-assertions]")
        .await?
        .click()
        .await?;
    w.wait_for("[data-testid=assertion-result][data-kind=contract][data-passed=false]")
        .await?;
    w.wait_text("[data-testid=contract-badge]", |t| t == "Contract")
        .await?;
    w.wait_text("[data-testid=assertion-message]", |t| {
        t == "Response violates schema: 'name' is a required property at /1"
    })
    .await?;
    w.wait_text("[data-testid=contract-pointer]", |t| t == "/1")
        .await?;
    w.wait_text("[data-testid=contract-schema-pointer]", |t| {
        t == "#/components/schemas/Item/required"
    })
    .await?;
    w.screenshot("contract-violation").await?;

    // Save as assertion: the composer's Assertions tab holds `body $[1].name exists`.
    w.find("[data-testid=contract-save-assertion]")
        .await?
        .click()
        .await?;
    w.wait_text("[data-testid=composer-tab-assertions]", |t| t.contains('1'))
        .await?;
    w.find("[data-testid=composer-tab-assertions]")
        .await?
        .click()
        .await?;
    w.wait_js(
        "const r = document.querySelector('[data-testid=assertion-row]'); \
         return !!r && r.querySelector('[data-testid=assertion-kind]').value === 'jsonPath' \
           && r.querySelector('[data-testid=assertion-arg]').value === '$[1].name' \
           && r.querySelector('[data-testid=assertion-predicate]').value === 'exists';",
    )
    .await?;
    w.find("[data-testid=url-input]")
        .await?
        .send_keys(&format!("{}s", Key::Control))
        .await?;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let text = std::fs::read_to_string(&file)?;
        if text.contains("body $[1].name exists") {
            ensure!(
                text.contains("operation: GET /contract/broken-items"),
                "{text}"
            );
            break;
        }
        if Instant::now() > deadline {
            bail!("the assertion was not saved into the request file:\n{text}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Open schema: the explorer on the operation, its responses naming the Item schema.
    w.find("[data-testid=tab-assertions]")
        .await?
        .click()
        .await?;
    w.find("[data-testid=contract-open-schema]")
        .await?
        .click()
        .await?;
    w.wait_text("[data-testid=op-page] [data-testid=op-path]", |t| {
        t == "/contract/broken-items"
    })
    .await?;
    w.wait_text("[data-testid=op-page]", |t| t.contains("array<Item>"))
        .await?;
    // The response the violation is in is opened and marked.
    w.wait_for("[data-testid=op-page] [data-testid=response-spec].focused.open[data-status='200']")
        .await?;
    w.screenshot("contract-open-schema").await?;
    Ok(())
}
