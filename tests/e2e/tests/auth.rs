//! Auth kinds in the real window: Digest picked in the Auth tab signs in to httpbin's digest
//! route, and the server's 401 challenge shows in the Redirects view before the 200; an API key
//! sent as a cookie reaches the server in the `Cookie` header.

use anyhow::{ensure, Result};
use sextant_e2e::Window;
use sextant_testkit::PyServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn digest_auth_signs_in_and_the_challenge_shows_as_an_attempt() -> Result<()> {
    let httpbin = PyServer::httpbin()?;
    let w = Window::open().await?;
    let result = async {
        let url = w.wait_for("[data-testid=url-input]").await?;
        url.click().await?;
        url.send_keys(&httpbin.url("/digest-auth/auth/ann/s3cret/SHA-256"))
            .await?;
        w.find("[data-testid=composer-tab-auth]")
            .await?
            .click()
            .await?;
        w.find("[data-testid=auth-kind]")
            .await?
            .select_by_value("digest")
            .await?;
        w.find("[data-testid=auth-digest-username]")
            .await?
            .send_keys("ann")
            .await?;
        w.find("[data-testid=auth-digest-password]")
            .await?
            .send_keys("s3cret")
            .await?;
        w.find("[data-testid=send-button]").await?.click().await?;
        w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
            .await?;
        let body = w
            .wait_text("[data-testid=response-body]", |t| {
                t.contains("authenticated")
            })
            .await?;
        ensure!(body.contains("\"user\": \"ann\""), "{body}");

        w.find("[data-testid=tab-redirects]").await?.click().await?;
        w.wait_text("[data-testid=redirect-hop]", |t| t.contains("401"))
            .await?;
        w.wait_text("[data-testid=auth-challenge]", |t| {
            t.contains("sent again with new credentials")
        })
        .await?;
        w.screenshot("auth-digest-challenge").await?;

        // The request as sent shows the answer the engine added, masked.
        w.find("[data-testid=tab-request]").await?.click().await?;
        let headers = w
            .wait_text("[data-testid=sent-headers]", |t| t.contains("Digest"))
            .await?;
        ensure!(headers.contains("Digest •••"), "{headers}");
        ensure!(!headers.contains("s3cret"), "{headers}");
        anyhow::Ok(())
    }
    .await;
    w.finish("auth-digest", result).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_api_key_in_a_cookie_reaches_the_server() -> Result<()> {
    let httpbin = PyServer::httpbin()?;
    let w = Window::open().await?;
    let result = async {
        let url = w.wait_for("[data-testid=url-input]").await?;
        url.click().await?;
        url.send_keys(&httpbin.url("/cookies")).await?;
        w.find("[data-testid=composer-tab-auth]")
            .await?
            .click()
            .await?;
        w.find("[data-testid=auth-kind]")
            .await?
            .select_by_value("apiKey")
            .await?;
        let name = w.find("[data-testid=auth-apikey-name]").await?;
        name.clear().await?;
        name.send_keys("session").await?;
        w.find("[data-testid=auth-apikey-value]")
            .await?
            .send_keys("s-42")
            .await?;
        w.find("[data-testid=auth-apikey-location]")
            .await?
            .select_by_value("cookie")
            .await?;
        w.find("[data-testid=send-button]").await?.click().await?;
        w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
            .await?;
        w.wait_text("[data-testid=response-body]", |t| {
            t.contains("\"session\": \"s-42\"")
        })
        .await?;
        w.screenshot("auth-cookie-key").await?;
        anyhow::Ok(())
    }
    .await;
    w.finish("auth-cookie", result).await
}
