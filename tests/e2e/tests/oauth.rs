//! OAuth 2.0 in the real window, against the test OpenID provider: authorization code + PKCE set
//! on a collection (its settings' Auth tab), a request of that collection that inherits it gets
//! its token through Get new token (the app launches `$BROWSER`, here the scripted test browser
//! that logs in as alice), the token panel shows the decoded claims and the expiry, and a send
//! carries the token to the provider's protected resource. A token that expired is refreshed by
//! the next send and the panel follows; the device grant shows its user code, which the test
//! (playing the user on another device) enters at the verification URI.

use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Result};
use sextant_e2e::Window;
use sextant_testkit::{test_browser, OidcOptions, OidcProvider, OIDC_PUBLIC, OIDC_USER};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_collections_code_login_is_signed_in_from_an_inheriting_request_and_sent() -> Result<()> {
    let provider = OidcProvider::start()?;
    let browser = format!(
        "{} --user {} --password {}",
        test_browser().display(),
        OIDC_USER.0,
        OIDC_USER.1
    );
    let w = Window::open_with_env(&[("BROWSER", &browser)]).await?;
    let result = scenario(&w, &provider).await;
    w.finish("oauth", result).await
}

/// Runs `action` (JavaScript, with `el` bound) on the first element matching `css` whose trimmed
/// text is `text`, waiting up to 10 s for one.
async fn on_text(w: &Window, css: &str, text: &str, action: &str) -> Result<()> {
    let script = format!(
        "const el = [...document.querySelectorAll(arguments[0])].find((e) => e.textContent.trim() === arguments[1]);
         if (!el) return false;
         el.scrollIntoView({{ block: 'nearest' }});
         {action}
         return true;"
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let done = w
            .client
            .execute(&script, vec![css.into(), text.into()])
            .await?;
        if done.as_bool() == Some(true) {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("no {css} reads {text:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn expand_row(w: &Window, name: &str) -> Result<()> {
    on_text(
        w,
        "[data-testid=tree-row] .name",
        name,
        "const row = el.closest('[data-testid=tree-row]'); if (row.getAttribute('aria-expanded') !== 'true') row.click();",
    )
    .await
}

/// Types `text` into the field matching `css` (cleared first), scrolled into the middle of its
/// scrolling panel first: the settings dialog's Auth tab is taller than its panel.
async fn type_into(w: &Window, css: &str, text: &str) -> Result<()> {
    let input = w.wait_for(css).await?;
    w.client
        .execute(
            "arguments[0].scrollIntoView({ block: 'center' });",
            vec![serde_json::to_value(&input)?],
        )
        .await?;
    input.clear().await?;
    input.send_keys(text).await?;
    Ok(())
}

async fn scenario(w: &Window, provider: &OidcProvider) -> Result<()> {
    w.wait_text("[data-testid=collections-tree]", |t| t.contains("Demo API"))
        .await?;

    // The collection's settings: OAuth 2.0, authorization code with PKCE (the defaults), the
    // public client, an access token for the test API.
    on_text(
        w,
        "[data-testid=tree-row] .name",
        "Demo API",
        "const row = el.closest('[data-testid=tree-row]');
         const r = row.getBoundingClientRect();
         row.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: r.left + 40, clientY: r.bottom }));",
    )
    .await?;
    on_text(w, "[role=menuitem]", "Settings…", "el.click();").await?;
    w.wait_for("[data-testid=settings-editor]").await?;
    w.find("[data-testid=settings-tab-auth]")
        .await?
        .click()
        .await?;
    w.find("[data-testid=auth-kind]")
        .await?
        .select_by_value("oauth2")
        .await?;
    let grant = w.find("[data-testid=auth-oauth2-grant]").await?;
    ensure!(grant.prop("value").await?.as_deref() == Some("authorizationCode"));
    let pkce = w.find("[data-testid=auth-oauth2-pkce]").await?;
    ensure!(pkce.prop("value").await?.as_deref() == Some("s256"));
    type_into(w, "[data-testid=auth-oauth2-issuer]", &provider.issuer()).await?;
    type_into(w, "[data-testid=auth-oauth2-clientId]", OIDC_PUBLIC).await?;
    type_into(w, "[data-testid=auth-oauth2-scopes]", "openid api:read").await?;
    type_into(w, "[data-testid=auth-oauth2-resource]", "urn:sextant:api").await?;
    w.wait_text("[data-testid=auth-oauth2-redirect-uri]", |t| {
        t == "http://127.0.0.1/callback"
    })
    .await?;
    w.wait_for("[data-testid=auth-oauth2-settings-note]")
        .await?;
    w.screenshot("oauth-collection-settings").await?;
    w.find("[data-testid=settings-save]").await?.click().await?;
    w.wait_gone("[data-testid=settings-editor]").await?;
    let yaml =
        std::fs::read_to_string(w.data_dir.path().join("workspace/demo-api/collection.yaml"))?;
    ensure!(yaml.contains("sextant-public"), "{yaml}");

    // A request of the collection that inherits its auth, pointed at the protected resource.
    expand_row(w, "Demo API").await?;
    expand_row(w, "misc").await?;
    on_text(
        w,
        "[data-testid=tree-row] .name",
        "Health check",
        "el.click();",
    )
    .await?;
    w.wait_js("return document.querySelector('[data-testid=url-input]')?.value.includes('health') ?? false")
        .await?;
    type_into(w, "[data-testid=url-input]", &provider.url("/test/api")).await?;

    // Without a token the browser grant cannot send: the message says what to do.
    w.find("[data-testid=send-button]").await?.click().await?;
    w.wait_text("[data-testid=error-message]", |t| {
        t.contains("Get new token")
    })
    .await?;

    w.find("[data-testid=composer-tab-auth]")
        .await?
        .click()
        .await?;
    let kind = w.find("[data-testid=auth-kind]").await?;
    ensure!(kind.prop("value").await?.as_deref() == Some("inherit"));
    w.wait_text("[data-testid=oauth-token-present]", |t| {
        t.contains("none yet")
    })
    .await?;
    w.find("[data-testid=oauth-get-token]")
        .await?
        .click()
        .await?;
    let claims = w
        .wait_text("[data-testid=oauth-access-jwt-claims]", |t| {
            t.contains("\"client_id\": \"sextant-public\"")
        })
        .await?;
    ensure!(claims.contains("api:read"), "{claims}");
    w.wait_text("[data-testid=oauth-token-expiry]", |t| {
        t.starts_with("expires in")
    })
    .await?;
    let present = w
        .find("[data-testid=oauth-token-present]")
        .await?
        .text()
        .await?;
    ensure!(present.contains("refresh"), "{present}");
    w.wait_gone("[data-testid=oauth-waiting]").await?;
    w.screenshot("oauth-token-panel").await?;

    w.find("[data-testid=send-button]").await?.click().await?;
    w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
        .await?;
    w.wait_text("[data-testid=response-body]", |t| {
        t.contains("sextant-public")
    })
    .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_is_refreshed_by_the_next_send_and_the_panel_follows() -> Result<()> {
    let provider = OidcProvider::start_with(OidcOptions {
        access_ttl: Some(8),
        ..OidcOptions::default()
    })?;
    let browser = format!(
        "{} --user {} --password {}",
        test_browser().display(),
        OIDC_USER.0,
        OIDC_USER.1
    );
    let w = Window::open_with_env(&[("BROWSER", &browser)]).await?;
    let result = refresh_scenario(&w, &provider).await;
    w.finish("oauth-refresh", result).await
}

/// OAuth 2.0 set on the request itself, refreshed only once the token has expired (no skew).
async fn refresh_scenario(w: &Window, provider: &OidcProvider) -> Result<()> {
    type_into(w, "[data-testid=url-input]", &provider.url("/test/api")).await?;
    w.find("[data-testid=composer-tab-auth]")
        .await?
        .click()
        .await?;
    w.find("[data-testid=auth-kind]")
        .await?
        .select_by_value("oauth2")
        .await?;
    type_into(w, "[data-testid=auth-oauth2-issuer]", &provider.issuer()).await?;
    type_into(w, "[data-testid=auth-oauth2-clientId]", OIDC_PUBLIC).await?;
    type_into(w, "[data-testid=auth-oauth2-scopes]", "openid api:read").await?;
    type_into(w, "[data-testid=auth-oauth2-resource]", "urn:sextant:api").await?;
    type_into(w, "[data-testid=auth-oauth2-refreshSkew]", "0").await?;

    w.find("[data-testid=oauth-get-token]")
        .await?
        .click()
        .await?;
    let first = w
        .wait_text("[data-testid=oauth-access-jwt-claims]", |t| {
            t.contains("\"client_id\": \"sextant-public\"")
        })
        .await?;
    w.wait_text("[data-testid=oauth-token-present]", |t| {
        t.contains("refresh")
    })
    .await?;
    // The countdown reaches the end on its own.
    w.wait_text("[data-testid=oauth-token-expiry]", |t| t == "expired")
        .await?;

    w.find("[data-testid=send-button]").await?.click().await?;
    w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
        .await?;
    w.wait_text("[data-testid=response-body]", |t| {
        t.contains("sextant-public")
    })
    .await?;
    // The send refreshed the token (its refresh token was used); the panel shows the new one.
    w.wait_text("[data-testid=oauth-token-expiry]", |t| {
        t.starts_with("expires in")
    })
    .await?;
    w.wait_text("[data-testid=oauth-access-jwt-claims]", |t| {
        t != first && t.contains("\"client_id\": \"sextant-public\"")
    })
    .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_device_grant_shows_its_code_and_signs_in_once_the_user_enters_it() -> Result<()> {
    let provider = OidcProvider::start()?;
    let w = Window::open().await?;
    let result = device_scenario(&w, &provider).await;
    w.finish("oauth-device", result).await
}

async fn device_scenario(w: &Window, provider: &OidcProvider) -> Result<()> {
    type_into(w, "[data-testid=url-input]", &provider.url("/test/api")).await?;
    w.find("[data-testid=composer-tab-auth]")
        .await?
        .click()
        .await?;
    w.find("[data-testid=auth-kind]")
        .await?
        .select_by_value("oauth2")
        .await?;
    w.find("[data-testid=auth-oauth2-grant]")
        .await?
        .select_by_value("deviceCode")
        .await?;
    w.wait_gone("[data-testid=auth-oauth2-redirect-uri]")
        .await?;
    type_into(w, "[data-testid=auth-oauth2-issuer]", &provider.issuer()).await?;
    type_into(w, "[data-testid=auth-oauth2-clientId]", OIDC_PUBLIC).await?;
    type_into(w, "[data-testid=auth-oauth2-scopes]", "openid api:read").await?;
    type_into(w, "[data-testid=auth-oauth2-resource]", "urn:sextant:api").await?;
    w.find("[data-testid=oauth-get-token]")
        .await?
        .click()
        .await?;

    let code = w
        .wait_text("[data-testid=oauth-user-code]", |t| !t.trim().is_empty())
        .await?;
    let uri = w
        .wait_text("[data-testid=oauth-verification-uri]", |t| {
            t.starts_with("http://127.0.0.1")
        })
        .await?;
    w.screenshot("oauth-device-code").await?;
    // The user, on another device, enters the code at the verification URI.
    let mut user = std::process::Command::new("python3")
        .arg(test_browser())
        .args(["--user", OIDC_USER.0, "--password", OIDC_USER.1])
        .args(["--device-code", code.trim(), uri.trim()])
        .stdout(std::process::Stdio::null())
        .spawn()?;
    let signed_in = w
        .wait_text("[data-testid=oauth-access-jwt-claims]", |t| {
            t.contains("\"client_id\": \"sextant-public\"")
        })
        .await;
    let approved = user.wait()?;
    ensure!(approved.success(), "the test browser failed: {approved}");
    signed_in?;
    w.wait_gone("[data-testid=oauth-waiting]").await?;

    w.find("[data-testid=send-button]").await?.click().await?;
    w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
        .await?;
    Ok(())
}
