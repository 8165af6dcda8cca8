//! OAuth 2.0 in the real window, against the test OpenID provider: authorization code + PKCE set
//! on a collection (its settings' Auth tab), a request of that collection that inherits it gets
//! its token through Get new token (the app launches `$BROWSER`, here the scripted test browser
//! that logs in as alice), the token panel shows the decoded claims and the expiry, and a send
//! carries the token to the provider's protected resource. A token that expired is refreshed by
//! the next send and the panel follows; a token the provider rejects (401) is refreshed once and
//! the request sent again, never in a loop; the device grant shows its user code, which the test
//! (playing the user on another device) enters at the verification URI.

use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use serde_json::Value;
use sextant_e2e::Window;
use sextant_store::SecretStore;
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

async fn scenario(w: &Window, provider: &OidcProvider) -> Result<()> {
    w.wait_text("[data-testid=collections-tree]", |t| t.contains("Demo API"))
        .await?;

    // The collection's settings: OAuth 2.0, authorization code with PKCE (the defaults), the
    // public client, an access token for the test API.
    w.on_text("[data-testid=tree-row] .name",
        "Demo API",
        "const row = el.closest('[data-testid=tree-row]');
         const r = row.getBoundingClientRect();
         row.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: r.left + 40, clientY: r.bottom }));",
    )
    .await?;
    w.on_text("[role=menuitem]", "Settings…", "el.click();")
        .await?;
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
    w.type_into("[data-testid=auth-oauth2-issuer]", &provider.issuer())
        .await?;
    w.type_into("[data-testid=auth-oauth2-clientId]", OIDC_PUBLIC)
        .await?;
    w.type_into("[data-testid=auth-oauth2-scopes]", "openid api:read")
        .await?;
    w.type_into("[data-testid=auth-oauth2-resource]", "urn:sextant:api")
        .await?;
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
    w.type_into("[data-testid=url-input]", &provider.url("/test/api"))
        .await?;

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
    w.type_into("[data-testid=url-input]", &provider.url("/test/api"))
        .await?;
    w.find("[data-testid=composer-tab-auth]")
        .await?
        .click()
        .await?;
    w.find("[data-testid=auth-kind]")
        .await?
        .select_by_value("oauth2")
        .await?;
    w.type_into("[data-testid=auth-oauth2-issuer]", &provider.issuer())
        .await?;
    w.type_into("[data-testid=auth-oauth2-clientId]", OIDC_PUBLIC)
        .await?;
    w.type_into("[data-testid=auth-oauth2-scopes]", "openid api:read")
        .await?;
    w.type_into("[data-testid=auth-oauth2-resource]", "urn:sextant:api")
        .await?;
    w.type_into("[data-testid=auth-oauth2-refreshSkew]", "0")
        .await?;

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
    w.type_into("[data-testid=url-input]", &provider.url("/test/api"))
        .await?;
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
    w.type_into("[data-testid=auth-oauth2-issuer]", &provider.issuer())
        .await?;
    w.type_into("[data-testid=auth-oauth2-clientId]", OIDC_PUBLIC)
        .await?;
    w.type_into("[data-testid=auth-oauth2-scopes]", "openid api:read")
        .await?;
    w.type_into("[data-testid=auth-oauth2-resource]", "urn:sextant:api")
        .await?;
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
    // A phone can scan the address: the QR code is drawn at full size next to the code.
    w.wait_js(
        "const q = document.querySelector('[data-testid=oauth-device-qr]');
         const r = q?.getBoundingClientRect();
         return !!q && r.width >= 150 && r.height >= 150
             && q.getAttribute('aria-label').startsWith('QR code for http://127.0.0.1')
             && (q.querySelector('path')?.getAttribute('d') ?? '').startsWith('M');",
    )
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_token_is_refreshed_once_and_the_request_sent_again() -> Result<()> {
    let provider = OidcProvider::start()?;
    let browser = format!(
        "{} --user {} --password {}",
        test_browser().display(),
        OIDC_USER.0,
        OIDC_USER.1
    );
    let w = Window::open_with_env(&[("BROWSER", &browser)]).await?;
    let result = rejected_scenario(&w, &provider).await;
    w.finish("oauth-rejected", result).await
}

/// Rewrites the one token the app keeps (in its secret store, as the app would read it on the
/// next send) through `edit`; answers with the token as it was.
fn tamper_kept_token(w: &Window, edit: impl FnOnce(&mut Value)) -> Result<Value> {
    let secrets = SecretStore::open(w.data_dir.path().join("workspace-data"))?;
    let id = secrets
        .keys()?
        .into_iter()
        .find(|k| k.starts_with("oauth2:"))
        .context("the app keeps no OAuth 2.0 token")?;
    let before: Value =
        serde_json::from_str(&secrets.get(&id)?.context("the kept token vanished")?)?;
    let mut kept = before.clone();
    edit(&mut kept);
    secrets.set(&id, &kept.to_string())?;
    Ok(before)
}

/// The kept token now, if any.
fn kept_token(w: &Window) -> Result<Option<Value>> {
    let secrets = SecretStore::open(w.data_dir.path().join("workspace-data"))?;
    let Some(id) = secrets
        .keys()?
        .into_iter()
        .find(|k| k.starts_with("oauth2:"))
    else {
        return Ok(None);
    };
    Ok(match secrets.get(&id)? {
        Some(text) => Some(serde_json::from_str(&text)?),
        None => None,
    })
}

/// One row of the History panel: tagged as a token request, its host and path, its status.
type Row = (bool, String, String);

/// Waits up to 20 s until the History panel's rows (newest first) satisfy `pred`; returns them.
async fn wait_history(w: &Window, pred: impl Fn(&[Row]) -> bool) -> Result<Vec<Row>> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let value = w
            .client
            .execute(
                "return [...document.querySelectorAll('[data-testid=history-row]')].map((r) => [
                   r.querySelector('[data-testid=history-token-exchange]') !== null,
                   r.querySelector('.url').textContent.trim(),
                   r.querySelector('[data-testid=history-status]').textContent.trim(),
                 ]);",
                vec![],
            )
            .await?;
        let rows: Vec<Row> = serde_json::from_value(value)?;
        if pred(&rows) {
            return Ok(rows);
        }
        if Instant::now() > deadline {
            bail!("the history never had the expected rows; last seen: {rows:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The statuses of the sends to the protected resource, newest first.
fn api_statuses(rows: &[Row]) -> Vec<&str> {
    rows.iter()
        .filter(|(token, url, _)| !token && url.ends_with("/test/api"))
        .map(|(_, _, status)| status.as_str())
        .collect()
}

/// How many token-endpoint requests the history holds.
fn token_requests(rows: &[Row]) -> usize {
    rows.iter()
        .filter(|(token, url, _)| *token && url.ends_with("/token"))
        .count()
}

/// The provider stops accepting the kept access token (as after a revocation) while the app
/// still thinks it valid: one send answers 401, refreshes, sends once more and shows 200 with
/// the 401 in front. Then with the refresh token refused too: one 401, no loop, and the token is
/// forgotten so the panel asks for a new sign-in.
async fn rejected_scenario(w: &Window, provider: &OidcProvider) -> Result<()> {
    w.type_into("[data-testid=url-input]", &provider.url("/test/api"))
        .await?;
    w.find("[data-testid=composer-tab-auth]")
        .await?
        .click()
        .await?;
    w.find("[data-testid=auth-kind]")
        .await?
        .select_by_value("oauth2")
        .await?;
    w.type_into("[data-testid=auth-oauth2-issuer]", &provider.issuer())
        .await?;
    w.type_into("[data-testid=auth-oauth2-clientId]", OIDC_PUBLIC)
        .await?;
    w.type_into("[data-testid=auth-oauth2-scopes]", "openid api:read")
        .await?;
    w.type_into("[data-testid=auth-oauth2-resource]", "urn:sextant:api")
        .await?;
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
    w.wait_gone("[data-testid=oauth-waiting]").await?;
    w.find("[data-testid=sidebar-history]")
        .await?
        .click()
        .await?;
    w.wait_for("[data-testid=history-panel]").await?;
    let signed_in = wait_history(w, |rows| token_requests(rows) >= 1).await?;
    ensure!(api_statuses(&signed_in).is_empty(), "{signed_in:?}");
    let token_rows = token_requests(&signed_in);

    let before = tamper_kept_token(w, |kept| kept["accessToken"] = "rejected-token".into())?;
    w.find("[data-testid=send-button]").await?.click().await?;
    let status = w
        .wait_text(
            "[data-testid=response-status], [data-testid=error-message]",
            |t| !t.trim().is_empty(),
        )
        .await?;
    ensure!(status.starts_with("200"), "the API answered {status}");
    w.wait_text("[data-testid=response-body]", |t| {
        t.contains("sextant-public")
    })
    .await?;

    // The 401 shows in front of the re-send, as an answered Digest challenge does.
    w.find("[data-testid=tab-redirects]").await?.click().await?;
    let hop = w
        .wait_text("[data-testid=redirect-hop]", |t| t.contains("401"))
        .await?;
    ensure!(hop.contains("/test/api"), "{hop}");
    w.wait_text("[data-testid=auth-challenge]", |t| {
        t.contains("sent again with new credentials")
    })
    .await?;
    let hops = w
        .client
        .execute(
            "return document.querySelectorAll('[data-testid=redirect-hop]').length;",
            vec![],
        )
        .await?;
    ensure!(hops.as_u64() == Some(1), "one 401 hop, got {hops}");
    w.screenshot("oauth-rejected-retried").await?;

    // One refresh, then the 401 and the 200 each once.
    let rows = wait_history(w, |rows| {
        api_statuses(rows).len() >= 2 && token_requests(rows) > token_rows
    })
    .await?;
    ensure!(api_statuses(&rows) == ["200", "401"], "{rows:?}");
    ensure!(token_requests(&rows) == token_rows + 1, "{rows:?}");
    w.screenshot("oauth-rejected-history").await?;

    // The panel and the store hold the new token.
    w.wait_text("[data-testid=oauth-access-jwt-claims]", |t| {
        t != first && t.contains("\"client_id\": \"sextant-public\"")
    })
    .await?;
    let fresh = kept_token(w)?.context("the refreshed token was not kept")?;
    ensure!(fresh["accessToken"] != "rejected-token", "{fresh}");
    ensure!(
        fresh["obtainedAtMs"].as_u64() > before["obtainedAtMs"].as_u64(),
        "obtained {} then {}",
        before["obtainedAtMs"],
        fresh["obtainedAtMs"]
    );

    // Now the refresh token is refused as well: one 401, not retried, and no token kept.
    tamper_kept_token(w, |kept| {
        kept["accessToken"] = "rejected-again".into();
        kept["refreshToken"] = "rejected-refresh".into();
    })?;
    w.find("[data-testid=send-button]").await?.click().await?;
    w.wait_text("[data-testid=response-status]", |t| t.starts_with("401"))
        .await?;
    let rows = wait_history(w, |rows| {
        api_statuses(rows).len() >= 3 && token_requests(rows) > token_rows + 1
    })
    .await?;
    ensure!(api_statuses(&rows) == ["401", "200", "401"], "{rows:?}");
    ensure!(token_requests(&rows) == token_rows + 2, "{rows:?}");
    w.wait_gone("[data-testid=redirect-hop]").await?;
    w.wait_text("[data-testid=oauth-token-present]", |t| {
        t.contains("none yet")
    })
    .await?;
    ensure!(kept_token(w)?.is_none(), "a refused token is still kept");
    Ok(())
}
