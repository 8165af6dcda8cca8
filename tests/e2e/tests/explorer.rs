//! The OpenAPI explorer in the real window: import the demo server's own spec by URL, search an
//! operation, open it, Try it, Send, and see a success status.

use anyhow::Result;
use sextant_e2e::Window;
use sextant_testkit::PyServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_search_open_try_it_and_send() -> Result<()> {
    let api = PyServer::demo_api()?;
    let w = Window::open().await?;
    let result = scenario(&w, &api).await;
    w.finish("explorer", result).await
}

async fn scenario(w: &Window, api: &PyServer) -> Result<()> {
    // A spec that cannot be fetched shows its error in the dialog.
    let source = w.open_import_dialog().await?;
    let closed = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    source
        .send_keys(&format!("http://127.0.0.1:{closed}/openapi.json"))
        .await?;
    w.find("[data-testid=import-submit]").await?.click().await?;
    w.wait_text("[data-testid=import-error]", |t| t.contains("Connect"))
        .await?;

    // The real one imports.
    let source = w.find("[data-testid=import-source]").await?;
    source.clear().await?;
    source.send_keys(&api.url("/openapi.json")).await?;
    w.find("[data-testid=import-submit]").await?.click().await?;
    w.wait_text("[data-testid=spec-title]", |t| t.contains("Demo API"))
        .await?;
    w.screenshot("explorer-imported").await?;

    // Search narrows the list; open the create-item operation.
    let search = w.find("[data-testid=op-search]").await?;
    search.send_keys("create").await?;
    let row = w
        .wait_for("[data-testid=op-row][data-op-id=create_item]")
        .await?;
    let rows = w
        .client
        .find_all(fantoccini::Locator::Css("[data-testid=op-row]"))
        .await?;
    assert!(rows.len() < 5, "search left {} rows", rows.len());
    row.click().await?;
    w.wait_text("[data-testid=op-path]", |t| t.contains("/items"))
        .await?;
    w.wait_for("[data-testid=schema-tree]").await?;
    w.screenshot("explorer-operation").await?;

    // Try it fills the composer; Send gets a success status.
    w.find("[data-testid=try-it]").await?.click().await?;
    let url = w.wait_for("[data-testid=url-input]").await?;
    let typed = url.prop("value").await?.unwrap_or_default();
    assert_eq!(typed, api.url("/items"));
    w.find("[data-testid=send-button]").await?.click().await?;
    w.wait_text("[data-testid=response-status]", |t| t.starts_with("201"))
        .await?;
    w.screenshot("explorer-try-it-sent").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_shows_what_changed_in_the_spec() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("api.yaml");
    let v1 = "openapi: 3.1.0\ninfo: {title: Evolving API, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: get_a\n      responses: {'200': {description: ok}}\n  /b:\n    get:\n      operationId: get_b\n      responses: {'200': {description: ok}}\n";
    std::fs::write(&file, v1)?;
    let w = Window::open().await?;
    let result = async {
        let source = w.open_import_dialog().await?;
        source.send_keys(&file.to_string_lossy()).await?;
        w.find("[data-testid=import-submit]").await?.click().await?;
        w.wait_text("[data-testid=spec-title]", |t| t.contains("Evolving API"))
            .await?;

        w.find("[data-testid=spec-reload]").await?.click().await?;
        w.wait_text("[data-testid=spec-diff]", |t| t.contains("No changes"))
            .await?;

        let v2 = v1.replace("  /b:\n    get:\n      operationId: get_b\n      responses: {'200': {description: ok}}\n", "  /c:\n    post:\n      operationId: make_c\n      responses: {'201': {description: made}}\n");
        std::fs::write(&file, v2)?;
        w.find("[data-testid=spec-reload]").await?.click().await?;
        let diff = w
            .wait_text("[data-testid=spec-diff]", |t| t.contains("1 added"))
            .await?;
        assert!(diff.contains("1 removed") && diff.contains("breaking"), "{diff}");
        w.wait_for("[data-testid=op-row][data-op-id=make_c]").await?;
        w.screenshot("explorer-reload-diff").await?;
        anyhow::Ok(())
    }
    .await;
    w.finish("reload", result).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pasted_yaml_document_imports() -> Result<()> {
    let w = Window::open().await?;
    let result = async {
        w.open_import_dialog().await?;
        // A paste arrives as one input event with the whole text.
        w.client
            .execute(
                "const el = document.querySelector('[data-testid=import-source]');
                 el.value = arguments[0];
                 el.dispatchEvent(new Event('input', { bubbles: true }));",
                vec!["openapi: 3.0.3\ninfo:\n  title: Pasted API\n  version: '1'\npaths:\n  /ping:\n    get:\n      responses:\n        '200': {description: pong}\n".into()],
            )
            .await?;
        w.wait_for("[data-testid=import-source].document").await?;
        w.screenshot("explorer-paste").await?;
        w.find("[data-testid=import-submit]").await?.click().await?;
        w.wait_text("[data-testid=spec-title]", |t| t.contains("Pasted API"))
            .await?;
        w.wait_for("[data-testid=op-row]").await?;
        anyhow::Ok(())
    }
    .await;
    w.finish("paste", result).await
}

/// The list comes from the outline; the warnings only the model finds arrive after it, in the
/// same row (no layout jump), and the operation opens once the model is there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_models_warnings_follow_the_operation_list() -> Result<()> {
    let w = Window::open().await?;
    let result = async {
        w.open_import_dialog().await?;
        let doc = r##"{"openapi": "3.1.0", "info": {"title": "Broken ref", "version": "1"},
          "paths": {"/things": {"get": {"operationId": "listThings", "summary": "List things",
            "responses": {"200": {"description": "ok", "content": {"application/json":
              {"schema": {"$ref": "#/components/schemas/Missing"}}}}}}}}}"##;
        w.client
            .execute(
                "const el = document.querySelector('[data-testid=import-source]');
                 el.value = arguments[0];
                 el.dispatchEvent(new Event('input', { bubbles: true }));",
                vec![doc.into()],
            )
            .await?;
        w.find("[data-testid=import-submit]").await?.click().await?;
        w.wait_for("[data-testid=op-row]").await?;
        let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        w.wait_text("[data-testid=spec-warnings]", |t| words(t) == "1 warning")
            .await?;
        anyhow::ensure!(
            w.client
                .find_all(fantoccini::Locator::Css("[data-testid=spec-reading]"))
                .await?
                .is_empty(),
            "still reading after the warnings arrived"
        );
        w.find("[data-testid=spec-warnings]").await?.click().await?;
        w.wait_text("[aria-label='Import warnings']", |t| t.contains("Missing"))
            .await?;
        w.find("[data-testid=op-row]").await?.click().await?;
        w.wait_text("[data-testid=op-page]", |t| t.contains("List things"))
            .await?;
        w.screenshot("explorer-warnings").await?;
        anyhow::Ok(())
    }
    .await;
    w.finish("warnings", result).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_variables_are_picked_and_path_parameters_become_variables() -> Result<()> {
    let spec = sextant_e2e::repo_root().join("crates/openapi/tests/fixtures/fastapi-shop-3.1.json");
    let w = Window::open().await?;
    let result = async {
        let source = w.open_import_dialog().await?;
        source.send_keys(&spec.to_string_lossy()).await?;
        w.find("[data-testid=import-submit]").await?.click().await?;
        w.wait_for("[data-testid=op-row][data-op-id=get_product_products__product_id__get]")
            .await?
            .click()
            .await?;
        w.wait_text("[data-testid=server-vars]", |t| {
            t.contains("https://eu.shop.example.com/api")
        })
        .await?;
        w.find("[data-testid=server-var-region] option[value=us]")
            .await?
            .click()
            .await?;
        w.wait_text("[data-testid=server-vars]", |t| {
            t.contains("https://us.shop.example.com/api")
        })
        .await?;
        w.screenshot("explorer-server-variables").await?;
        w.find("[data-testid=try-it]").await?.click().await?;
        let url = w.wait_for("[data-testid=url-input]").await?;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let typed = url.prop("value").await?.unwrap_or_default();
            if typed == "https://us.shop.example.com/api/products/{{product_id}}" {
                break;
            }
            anyhow::ensure!(
                std::time::Instant::now() < deadline,
                "the composer shows {typed}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        Ok::<(), anyhow::Error>(())
    }
    .await;
    w.finish("server-variables", result).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_page_shows_the_description_and_how_to_log_in() -> Result<()> {
    let spec =
        sextant_e2e::repo_root().join("crates/openapi/tests/fixtures/flasgger-library-2.0.json");
    let w = Window::open().await?;
    let result = async {
        let source = w.open_import_dialog().await?;
        source.send_keys(&spec.to_string_lossy()).await?;
        w.find("[data-testid=import-submit]").await?.click().await?;
        w.wait_text("[data-testid=spec-title]", |t| t == "Library API")
            .await?;
        w.find("[data-testid=spec-title]").await?.click().await?;
        w.wait_text("[data-testid=api-description]", |t| {
            t.contains("Books and covers, documented with flasgger.")
        })
        .await?;
        // The schemes come with the model, after the outline: wait for all three.
        w.wait_js("return document.querySelectorAll('[data-testid=security-scheme]').length === 3")
            .await?;
        let page = w
            .wait_text("[data-testid=api-page]", |t| t.contains("OAuth 2.0"))
            .await?;
        for expected in [
            "HTTP Basic",
            "API key",
            "X-API-KEY",
            "Authorization code",
            "https://library.example.org/oauth/authorize",
            "https://library.example.org/oauth/token",
        ] {
            assert!(page.contains(expected), "{expected:?} missing from {page}");
        }
        w.screenshot("explorer-api-page").await?;
        Ok(())
    }
    .await;
    w.finish("explorer-api-page", result).await
}
