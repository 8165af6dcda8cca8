//! OAuth 2.0 token requests in the real window's History: a request of a collection whose auth is
//! OAuth 2.0 (client credentials, set in `collection.yaml`) is sent, and the History view lists
//! the token request Sextant made for it, tagged as one, with the client credentials masked in
//! what it shows.

use anyhow::{ensure, Result};
use sextant_e2e::Window;
use sextant_testkit::{OidcProvider, OIDC_CONFIDENTIAL};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_request_is_listed_in_history_tagged_and_masked() -> Result<()> {
    let provider = OidcProvider::start()?;
    let w = Window::open().await?;
    let result = scenario(&w, &provider).await;
    w.finish("oauth_history", result).await
}

async fn scenario(w: &Window, provider: &OidcProvider) -> Result<()> {
    w.wait_text("[data-testid=collections-tree]", |t| t.contains("Demo API"))
        .await?;
    // The collection's auth: OAuth 2.0 client credentials against the test provider.
    let file = w.data_dir.path().join("workspace/demo-api/collection.yaml");
    let yaml = std::fs::read_to_string(&file)?;
    let auth = format!(
        "auth:\n  kind: oauth2\n  grant: clientCredentials\n  issuer: {}\n  clientId: {}\n  \
         clientSecret: {}\n  scopes:\n  - api:read\norder:\n",
        provider.issuer(),
        OIDC_CONFIDENTIAL.0,
        OIDC_CONFIDENTIAL.1
    );
    std::fs::write(&file, yaml.replacen("order:\n", &auth, 1))?;

    w.expand_row("Demo API").await?;
    w.expand_row("misc").await?;
    w.on_text(
        "[data-testid=tree-row] .name",
        "Health check",
        "el.click();",
    )
    .await?;
    w.wait_js("return document.querySelector('[data-testid=url-input]')?.value.includes('health') ?? false")
        .await?;
    let input = w.find("[data-testid=url-input]").await?;
    input.clear().await?;
    input.send_keys(&provider.url("/test/api")).await?;
    w.find("[data-testid=send-button]").await?.click().await?;
    let status = w
        .wait_text(
            "[data-testid=response-status], [data-testid=error-message]",
            |t| !t.trim().is_empty(),
        )
        .await?;
    ensure!(status.starts_with("200"), "the API answered {status}");

    w.find("[data-testid=sidebar-history]")
        .await?
        .click()
        .await?;
    w.wait_for("[data-testid=history-panel]").await?;
    w.wait_for("[data-testid=history-token-exchange]").await?;
    w.screenshot("oauth-history-list").await?;
    // The token request: the tagged row whose URL ends in /token.
    let opened = w
        .client
        .execute(
            "const row = [...document.querySelectorAll('[data-testid=history-row]')]
               .find((r) => r.querySelector('[data-testid=history-token-exchange]') && r.querySelector('.url').textContent.trim().endsWith('/token'));
             if (!row) return false;
             row.querySelector('button.open').click();
             return true;",
            vec![],
        )
        .await?;
    ensure!(opened.as_bool() == Some(true), "no tagged /token row");
    let shown = w
        .wait_text("[data-testid=history-as-sent]", |t| {
            t.contains("client_credentials")
        })
        .await?;
    ensure!(
        !shown.contains(OIDC_CONFIDENTIAL.1),
        "the client secret in clear: {shown}"
    );
    ensure!(shown.contains("Basic •••"), "{shown}");
    Ok(())
}
