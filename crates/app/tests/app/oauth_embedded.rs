//! The embedded-window sign-in without a window, against the real OpenID provider: the test
//! browser logs in at the provider and reports where it would be sent (the registered
//! `https://app.example.test/callback`, which no server answers), as the app's window would
//! catch it; that URL finishes the sign-in. A forged `state`, a refused consent, a replayed
//! callback and a cancelled sign-in each end in their typed error with no token kept.

use std::process::Command;

use sextant_app::{App, AppConfig, EmbeddedSignIn, SendContext};
use sextant_model::{
    Auth, ErrorCode, HttpRequest, OAuth2ClientAuth, OAuth2Config, OAuth2Grant, OAuth2Redirect,
    SavedRequest,
};
use sextant_testkit::{test_browser, OidcProvider, OIDC_CONFIDENTIAL, OIDC_PUBLIC, OIDC_USER};

/// Registered at the test provider for both clients; nothing listens there.
const REDIRECT: &str = "https://app.example.test/callback";

fn app(dir: &std::path::Path) -> App {
    let mut config = AppConfig::new(dir.join("data"));
    config.workspace_dir = Some(dir.join("ws"));
    std::fs::create_dir_all(dir.join("ws")).unwrap();
    App::new(config).unwrap()
}

fn request(provider: &OidcProvider, client_id: &str, secret: &str) -> SavedRequest {
    let mut saved = SavedRequest::new("API", HttpRequest::get(provider.url("/test/api")));
    saved.auth = Auth::OAuth2(Box::new(OAuth2Config {
        grant: OAuth2Grant::AuthorizationCode,
        issuer: provider.issuer(),
        client_id: client_id.into(),
        client_secret: secret.into(),
        client_auth: OAuth2ClientAuth::Basic,
        scopes: vec!["openid".into(), "api:read".into()],
        resource: "urn:sextant:api".into(),
        redirect: OAuth2Redirect::EmbeddedWindow {
            redirect_uri: REDIRECT.into(),
        },
        ..OAuth2Config::default()
    }));
    saved
}

/// Plays the user at the provider (`extra` as test_browser.py options) and returns the URL the
/// provider redirects the browser to, as the sign-in window would see it.
fn browse(started: &EmbeddedSignIn, extra: &[&str]) -> String {
    let out = Command::new(test_browser())
        .args(["--stop-at", REDIRECT, "--user", OIDC_USER.0])
        .args(["--password", OIDC_USER.1])
        .args(extra)
        .arg(&started.authorization_url)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let caught = stdout.lines().last().unwrap_or_default().to_string();
    assert!(started.catches(&caught), "{caught}");
    caught
}

#[tokio::test]
async fn a_caught_https_redirect_signs_in_and_the_token_is_sent() {
    let provider = OidcProvider::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let saved = request(&provider, OIDC_CONFIDENTIAL.0, OIDC_CONFIDENTIAL.1);
    let context = SendContext::default();

    let started = app
        .oauth_embedded_start(saved.clone(), context.clone())
        .await
        .unwrap();
    assert_eq!(started.redirect_uri, REDIRECT);
    assert!(started.authorization_url.contains("code_challenge="));
    let caught = browse(&started, &[]);
    assert!(caught.starts_with(&format!("{REDIRECT}?code=")), "{caught}");

    let status = app
        .oauth_embedded_finish(&started.id, &caught)
        .await
        .unwrap();
    let token = status.token.expect("signed in");
    assert!(token.has_id_token && token.has_refresh_token);
    assert_eq!(status.redirect_uri.as_deref(), Some(REDIRECT));
    let kept = app
        .oauth_status(saved.clone(), context.clone())
        .await
        .unwrap();
    assert!(kept.token.is_some(), "the token is kept");

    let r = app.send("a", &saved, Some(context), &|_| {}).await.unwrap();
    assert_eq!(r.status, 200);

    // The callback is taken once: the same URL again finds no sign-in waiting.
    let replayed = app
        .oauth_embedded_finish(&started.id, &caught)
        .await
        .unwrap_err();
    assert_eq!(replayed.code, ErrorCode::NotFound, "{}", replayed.message);
}

#[tokio::test]
async fn a_forged_state_or_a_refused_consent_keeps_no_token() {
    let provider = OidcProvider::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let saved = request(&provider, OIDC_PUBLIC, "");
    let context = SendContext::default();

    let started = app
        .oauth_embedded_start(saved.clone(), context.clone())
        .await
        .unwrap();
    let caught = browse(&started, &[]);
    let mut forged = url::Url::parse(&caught).unwrap();
    let pairs: Vec<(String, String)> = forged
        .query_pairs()
        .map(|(k, v)| match k.as_ref() {
            "state" => (k.into_owned(), "forged".to_string()),
            _ => (k.into_owned(), v.into_owned()),
        })
        .collect();
    forged.query_pairs_mut().clear().extend_pairs(pairs);
    let refused = app
        .oauth_embedded_finish(&started.id, forged.as_str())
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::Protocol);
    assert!(refused.message.contains("state"), "{}", refused.message);
    // Rejected means over: the genuine callback does not get a second try.
    let after = app
        .oauth_embedded_finish(&started.id, &caught)
        .await
        .unwrap_err();
    assert_eq!(after.code, ErrorCode::NotFound);

    let started = app
        .oauth_embedded_start(saved.clone(), context.clone())
        .await
        .unwrap();
    let caught = browse(&started, &["--deny"]);
    assert!(caught.contains("error=access_denied"), "{caught}");
    let denied = app
        .oauth_embedded_finish(&started.id, &caught)
        .await
        .unwrap_err();
    assert_eq!(denied.code, ErrorCode::InvalidRequest);
    assert!(
        denied.message.contains("access_denied"),
        "{}",
        denied.message
    );

    let shown = app.oauth_status(saved, context).await.unwrap();
    assert!(shown.token.is_none(), "no token is kept");
}

#[tokio::test]
async fn a_cancelled_sign_in_cannot_finish_and_loopback_configs_are_refused() {
    let provider = OidcProvider::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let saved = request(&provider, OIDC_PUBLIC, "");
    let started = app
        .oauth_embedded_start(saved.clone(), SendContext::default())
        .await
        .unwrap();
    assert!(app.oauth_embedded_cancel(&started.id));
    assert!(!app.oauth_embedded_cancel(&started.id));
    let late = format!("{REDIRECT}?code=c&state=s");
    let err = app
        .oauth_embedded_finish(&started.id, &late)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);

    let mut loopback = saved;
    if let Auth::OAuth2(config) = &mut loopback.auth {
        config.redirect = OAuth2Redirect::default();
    }
    let err = app
        .oauth_embedded_start(loopback, SendContext::default())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidRequest);
    assert!(err.message.contains("system browser"), "{}", err.message);
}
