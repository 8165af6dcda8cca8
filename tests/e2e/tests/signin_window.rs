//! The OAuth 2.0 sign-in in the app's own window, against the test OpenID provider whose public
//! client has `https://app.example.test/callback` registered (no server answers there). The
//! `oauth_sign_in_window` command opens a `signin-<n>` window on the provider's login page; the
//! user logs in and consents in it, the window catches the redirect to the `https://` URI, closes,
//! and the command answers with the token kept. Closing the window instead cancels the sign-in.
//!
//! The Auth tab has no button for the embedded window yet, so the main window calls the command
//! through Tauri's IPC, as that button will.

use std::time::Duration;

use anyhow::{ensure, Result};
use fantoccini::wd::WindowHandle;
use sextant_e2e::{poll_until, Window};
use sextant_testkit::{OidcProvider, OIDC_PUBLIC, OIDC_USER};

const REDIRECT: &str = "https://app.example.test/callback";

/// Starts `oauth_sign_in_window` from the main window; its answer lands in `window.__signin`.
async fn start_sign_in(w: &Window, provider: &OidcProvider) -> Result<()> {
    let request = serde_json::json!({
        "name": "API",
        "request": { "method": "GET", "url": provider.url("/test/api") },
        "auth": {
            "kind": "oauth2",
            "grant": "authorizationCode",
            "issuer": provider.issuer(),
            "clientId": OIDC_PUBLIC,
            "scopes": ["openid", "api:read"],
            "resource": "urn:sextant:api",
            "redirect": { "kind": "embeddedWindow", "redirectUri": REDIRECT },
        },
    });
    w.wait_for("[data-testid=url-input]").await?;
    w.client
        .execute(
            "window.__signin = null;
             window.__TAURI_INTERNALS__
               .invoke('oauth_sign_in_window', { request: arguments[0], context: { path: null, environment: null } })
               .then((ok) => { window.__signin = { ok }; }, (err) => { window.__signin = { err }; });
             return true;",
            vec![request],
        )
        .await?;
    Ok(())
}

/// Waits until a window other than `main` is there; its handle.
async fn wait_other_window(w: &Window, main: &WindowHandle) -> Result<WindowHandle> {
    poll_until("a sign-in window", Duration::from_secs(20), async || {
        Ok(w.client.windows().await?.into_iter().find(|h| h != main))
    })
    .await
}

/// Waits until `main` is the only window left.
async fn wait_only(w: &Window, main: &WindowHandle) -> Result<()> {
    poll_until(
        "the sign-in window to close",
        Duration::from_secs(20),
        async || Ok((w.client.windows().await? == vec![main.clone()]).then_some(())),
    )
    .await
}

/// The command's answer (`{ok}` or `{err}`), once it has come.
async fn answer(w: &Window) -> Result<serde_json::Value> {
    w.wait_js("return window.__signin != null;").await?;
    Ok(w.client.execute("return window.__signin;", vec![]).await?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_in_window_catches_an_https_redirect_and_keeps_the_token() -> Result<()> {
    let provider = OidcProvider::start()?;
    let w = Window::open().await?;
    let result = signed_in(&w, &provider).await;
    w.finish("signin_window", result).await
}

async fn signed_in(w: &Window, provider: &OidcProvider) -> Result<()> {
    let main = w.client.window().await?;
    start_sign_in(w, provider).await?;
    let signin = wait_other_window(w, &main).await?;
    w.client.switch_to_window(signin).await?;

    w.wait_for("input[name=login]")
        .await?
        .send_keys(OIDC_USER.0)
        .await?;
    w.find("input[name=password]")
        .await?
        .send_keys(OIDC_USER.1)
        .await?;
    w.find("button[type=submit]").await?.click().await?;
    w.wait_for("input[name=prompt][value=consent]").await?;
    w.find("button[type=submit]").await?.click().await?;

    wait_only(w, &main).await?;
    w.client.switch_to_window(main).await?;
    let answer = answer(w).await?;
    let status = &answer["ok"];
    ensure!(status.is_object(), "the sign-in failed: {answer}");
    ensure!(status["redirectUri"] == REDIRECT, "{status}");
    ensure!(status["token"]["hasIdToken"] == true, "{status}");
    ensure!(
        status["token"]["accessTokenJwt"]["claims"]
            .as_str()
            .is_some_and(|c| c.contains("api:read")),
        "{status}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_the_sign_in_window_cancels_the_sign_in() -> Result<()> {
    let provider = OidcProvider::start()?;
    let w = Window::open().await?;
    let result = cancelled(&w, &provider).await;
    w.finish("signin_window_closed", result).await
}

async fn cancelled(w: &Window, provider: &OidcProvider) -> Result<()> {
    let main = w.client.window().await?;
    start_sign_in(w, provider).await?;
    let signin = wait_other_window(w, &main).await?;
    w.client.switch_to_window(signin).await?;
    w.wait_for("input[name=login]").await?;
    // As the title bar's close button does (WebDriver's close would end only the webview).
    w.client.switch_to_window(main.clone()).await?;
    w.client
        .execute(
            "window.__TAURI_INTERNALS__.invoke('plugin:window|close', { label: 'signin-1' }); return true;",
            vec![],
        )
        .await?;
    wait_only(w, &main).await?;
    let answer = answer(w).await?;
    ensure!(answer["err"]["code"] == "Cancelled", "{answer}");
    Ok(())
}
