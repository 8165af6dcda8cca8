//! Flows against the npm `oidc-provider` (a certified OpenID provider) on 127.0.0.1, with the
//! scripted browser playing the user.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use sextant_auth::{
    authorization_url, device_flow, discover, grants, random_token, AuthError, AuthorizationFlow,
    DeviceOptions, Loopback, Pkce, TokenHttp,
};
use sextant_engine::CancellationToken;
use sextant_model::{OAuth2ClientAuth, OAuth2Config, OAuth2Grant, PkceMethod};
use sextant_testkit::{OidcOptions, OidcProvider, OIDC_CONFIDENTIAL, OIDC_POST, OIDC_PUBLIC};

use crate::support::{browser, engine};

const RESOURCE: &str = "urn:sextant:api";
/// A ceiling that only catches a hang.
const CEILING: Duration = Duration::from_secs(60);

async fn discovered(
    idp: &OidcProvider,
    http: &TokenHttp<'_>,
    mut config: OAuth2Config,
) -> OAuth2Config {
    config.issuer = idp.issuer();
    discover(http, &idp.issuer())
        .await
        .unwrap()
        .fill(&mut config);
    config
}

fn public_client() -> OAuth2Config {
    OAuth2Config {
        grant: OAuth2Grant::AuthorizationCode,
        client_id: OIDC_PUBLIC.into(),
        scopes: vec!["openid".into(), "api:read".into()],
        resource: RESOURCE.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn discovery_fills_every_endpoint_and_checks_the_issuer() {
    let idp = OidcProvider::start().unwrap();
    let engine = engine();
    let http = TokenHttp::new(&engine.engine);
    let metadata = discover(&http, &format!("{}/", idp.issuer()))
        .await
        .unwrap();
    assert_eq!(metadata.issuer, idp.issuer());
    assert!(metadata
        .code_challenge_methods_supported
        .contains(&"S256".to_string()));
    assert!(metadata
        .token_endpoint_auth_methods_supported
        .contains(&"client_secret_post".to_string()));
    assert!(metadata.scopes_supported.contains(&"openid".to_string()));
    let mut config = OAuth2Config::default();
    metadata.fill(&mut config);
    assert!(config.authorization_url.starts_with(&idp.issuer()));
    assert!(config.token_url.starts_with(&idp.issuer()));
    assert!(config.device_authorization_url.starts_with(&idp.issuer()));

    // The same server under another name: its metadata names 127.0.0.1, not localhost.
    let other_name = idp.issuer().replace("127.0.0.1", "localhost");
    let err = discover(&http, &other_name).await.unwrap_err();
    assert!(matches!(err, AuthError::IssuerMismatch { .. }), "{err}");
}

#[tokio::test]
async fn discovery_without_metadata_says_where_it_looked() {
    let server = sextant_testkit::FaultServer::start();
    let engine = engine();
    let err = discover(&TokenHttp::new(&engine.engine), &server.url("/tenant"))
        .await
        .unwrap_err();
    match err {
        AuthError::NoMetadata { url, status } => {
            assert_eq!(status, 404);
            assert!(
                url.ends_with("/.well-known/oauth-authorization-server/tenant"),
                "{url}"
            );
        }
        other => panic!("{other}"),
    }
}

#[tokio::test]
async fn client_credentials_with_basic_and_post_and_a_wrong_secret() {
    let idp = OidcProvider::start().unwrap();
    let engine = engine();
    let http = TokenHttp::new(&engine.engine);
    let base = discovered(
        &idp,
        &http,
        OAuth2Config {
            grant: OAuth2Grant::ClientCredentials,
            scopes: vec!["api:read".into()],
            resource: RESOURCE.into(),
            ..Default::default()
        },
    )
    .await;
    for (client, auth) in [
        (OIDC_CONFIDENTIAL, OAuth2ClientAuth::Basic),
        (OIDC_POST, OAuth2ClientAuth::Post),
    ] {
        let config = OAuth2Config {
            client_id: client.0.into(),
            client_secret: client.1.into(),
            client_auth: auth,
            ..base.clone()
        };
        let tokens = grants::client_credentials(&http, &config).await.unwrap();
        assert!(tokens.expires_at_ms.is_some());
        let (status, body) = engine
            .get(
                &idp.url("/test/api"),
                &[("Authorization", &format!("Bearer {}", tokens.access_token))],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert!(body.contains(client.0), "{body}");
    }
    let wrong = OAuth2Config {
        client_id: OIDC_CONFIDENTIAL.0.into(),
        client_secret: "not-the-secret".into(),
        ..base
    };
    let err = grants::client_credentials(&http, &wrong).await.unwrap_err();
    assert!(matches!(err, AuthError::InvalidClient { .. }), "{err}");
}

#[tokio::test]
async fn code_with_pkce_through_the_browser_signs_in() {
    let idp = OidcProvider::start().unwrap();
    let engine = engine();
    let http = TokenHttp::new(&engine.engine);
    let config = discovered(&idp, &http, public_client()).await;
    let flow = AuthorizationFlow::start(&config).await.unwrap();
    assert!(flow
        .authorization_url()
        .contains("code_challenge_method=S256"));
    assert!(flow.redirect_uri().starts_with("http://127.0.0.1:"));
    let tokens = tokio::time::timeout(CEILING, flow.finish(&http, &config, &browser(&[]), CEILING))
        .await
        .unwrap()
        .unwrap();
    assert!(tokens.id_token.is_some(), "openid scope: an id token");
    assert!(tokens.refresh_token.is_some());
    let claims = sextant_auth::jwt::decode_unverified(&tokens.access_token)
        .unwrap()
        .claims;
    assert_eq!(claims["sub"], "alice");
    assert_eq!(claims["aud"], RESOURCE);
    assert!(tokens.expires_at_ms.is_some());
    let (status, body) = engine
        .get(
            &idp.url("/test/api"),
            &[("Authorization", &format!("Bearer {}", tokens.access_token))],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(
        engine.body_files().is_empty(),
        "no token response left on disk"
    );
}

#[tokio::test]
async fn consent_denied_is_access_denied() {
    let idp = OidcProvider::start().unwrap();
    let engine = engine();
    let http = TokenHttp::new(&engine.engine);
    let config = discovered(&idp, &http, public_client()).await;
    let flow = AuthorizationFlow::start(&config).await.unwrap();
    let err = tokio::time::timeout(
        CEILING,
        flow.finish(&http, &config, &browser(&["--deny"]), CEILING),
    )
    .await
    .unwrap()
    .unwrap_err();
    assert!(matches!(err, AuthError::AccessDenied { .. }), "{err}");
}

#[tokio::test]
async fn a_code_used_twice_is_invalid_grant() {
    let idp = OidcProvider::start().unwrap();
    let engine = engine();
    let http = TokenHttp::new(&engine.engine);
    let config = discovered(&idp, &http, public_client()).await;
    let loopback = Loopback::bind(None, "/callback").await.unwrap();
    let redirect = loopback.redirect_uri().to_string();
    let state = random_token(16);
    let pkce = Pkce::generate(PkceMethod::S256).unwrap();
    let url = authorization_url(&config, &redirect, &state, Some(&pkce)).unwrap();
    let _child = browser(&[]).open(&url).unwrap();
    let callback = loopback
        .wait(&state, &idp.issuer(), CEILING, &CancellationToken::new())
        .await
        .unwrap();
    let first = grants::exchange_code(
        &http,
        &config,
        &callback.code,
        &redirect,
        Some(&pkce.verifier),
    )
    .await;
    assert!(first.is_ok(), "{first:?}");
    let again = grants::exchange_code(
        &http,
        &config,
        &callback.code,
        &redirect,
        Some(&pkce.verifier),
    )
    .await
    .unwrap_err();
    assert!(matches!(again, AuthError::InvalidGrant { .. }), "{again}");
    assert!(again.needs_new_login());
}

#[tokio::test]
async fn an_expired_token_is_refreshed_and_a_bad_refresh_token_is_invalid_grant() {
    let idp = OidcProvider::start_with(OidcOptions {
        access_ttl: Some(2),
        ..Default::default()
    })
    .unwrap();
    let engine = engine();
    let http = TokenHttp::new(&engine.engine);
    let config = discovered(
        &idp,
        &http,
        OAuth2Config {
            client_id: OIDC_CONFIDENTIAL.0.into(),
            client_secret: OIDC_CONFIDENTIAL.1.into(),
            ..public_client()
        },
    )
    .await;
    let flow = AuthorizationFlow::start(&config).await.unwrap();
    let tokens = flow
        .finish(&http, &config, &browser(&[]), CEILING)
        .await
        .unwrap();
    let bearer = |t: &str| format!("Bearer {t}");

    // Wait for the API to reject the token (a condition, with a ceiling against a hang).
    let started = std::time::Instant::now();
    loop {
        let (status, _) = engine
            .get(
                &idp.url("/test/api"),
                &[("Authorization", &bearer(&tokens.access_token))],
            )
            .await;
        if status == 401 {
            break;
        }
        assert!(started.elapsed() < CEILING, "the token never expired");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(tokens.needs_refresh(sextant_auth::now_ms(), config.refresh_skew_secs));
    let fresh = grants::refresh(&http, &config, &tokens).await.unwrap();
    assert_ne!(fresh.access_token, tokens.access_token);
    assert!(fresh.refresh_token.is_some());
    let (status, body) = engine
        .get(
            &idp.url("/test/api"),
            &[("Authorization", &bearer(&fresh.access_token))],
        )
        .await;
    assert_eq!(status, 200, "{body}");

    let mut bad = fresh.clone();
    bad.refresh_token = Some("not-a-refresh-token".into());
    let err = grants::refresh(&http, &config, &bad).await.unwrap_err();
    assert!(matches!(err, AuthError::InvalidGrant { .. }), "{err}");
    assert!(err.needs_new_login());
}

fn recording_sleep(log: Arc<Mutex<Vec<Duration>>>) -> DeviceOptions {
    DeviceOptions {
        sleep: Arc::new(move |d| {
            log.lock().unwrap().push(d);
            Box::pin(tokio::time::sleep(Duration::from_millis(200)))
        }),
        timeout: None,
    }
}

#[tokio::test]
async fn device_flow_shows_the_code_and_polls_until_approved() {
    let idp = OidcProvider::start().unwrap();
    let engine = engine();
    let http = TokenHttp::new(&engine.engine);
    let config = discovered(
        &idp,
        &http,
        OAuth2Config {
            grant: OAuth2Grant::DeviceCode,
            ..public_client()
        },
    )
    .await;
    let slept = Arc::new(Mutex::new(Vec::new()));
    let children = Arc::new(Mutex::new(Vec::new()));
    let spawned = children.clone();
    let tokens = tokio::time::timeout(
        CEILING,
        device_flow(
            &http,
            &config,
            move |prompt| {
                assert!(!prompt.user_code.is_empty());
                let child = browser(&["--device-code", &prompt.user_code])
                    .open(&prompt.verification_uri)
                    .unwrap();
                spawned.lock().unwrap().push(child);
            },
            &recording_sleep(slept.clone()),
        ),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(
        sextant_auth::jwt::decode_unverified(&tokens.access_token)
            .unwrap()
            .claims["sub"],
        "alice"
    );
    let slept = slept.lock().unwrap().clone();
    assert!(
        !slept.is_empty() && slept.iter().all(|d| *d >= Duration::from_secs(5)),
        "polled at the server's interval (5 s): {slept:?}"
    );
}

#[tokio::test]
async fn device_flow_stops_on_denial_and_on_expiry() {
    let idp = OidcProvider::start_with(OidcOptions {
        device_ttl: Some(2),
        ..Default::default()
    })
    .unwrap();
    let engine = engine();
    let http = TokenHttp::new(&engine.engine);
    let config = discovered(
        &idp,
        &http,
        OAuth2Config {
            grant: OAuth2Grant::DeviceCode,
            ..public_client()
        },
    )
    .await;
    let options = recording_sleep(Arc::new(Mutex::new(Vec::new())));
    let expired = tokio::time::timeout(CEILING, device_flow(&http, &config, |_| {}, &options))
        .await
        .unwrap()
        .unwrap_err();
    assert!(matches!(expired, AuthError::DeviceCodeExpired), "{expired}");

    let children = Arc::new(Mutex::new(Vec::new()));
    let spawned = children.clone();
    let denied = tokio::time::timeout(
        CEILING,
        device_flow(
            &http,
            &config,
            move |prompt| {
                let child = browser(&["--deny", "--device-code", &prompt.user_code])
                    .open(&prompt.verification_uri)
                    .unwrap();
                spawned.lock().unwrap().push(child);
            },
            &options,
        ),
    )
    .await
    .unwrap()
    .unwrap_err();
    assert!(matches!(denied, AuthError::AccessDenied { .. }), "{denied}");
}

#[tokio::test]
async fn a_cancelled_device_flow_stops_polling() {
    let idp = OidcProvider::start().unwrap();
    let engine = engine();
    let cancel = CancellationToken::new();
    let http = TokenHttp::new(&engine.engine).with_cancel(cancel.clone());
    let config = discovered(
        &idp,
        &http,
        OAuth2Config {
            grant: OAuth2Grant::DeviceCode,
            ..public_client()
        },
    )
    .await;
    let options = recording_sleep(Arc::new(Mutex::new(Vec::new())));
    let err = tokio::time::timeout(
        CEILING,
        device_flow(&http, &config, |_| cancel.cancel(), &options),
    )
    .await
    .unwrap()
    .unwrap_err();
    assert!(matches!(err, AuthError::Cancelled), "{err}");
}

/// The public client's refresh tokens rotate: the stored set takes the new one, and the old one
/// is refused afterwards. `current_token` refreshes an expired stored token on its own.
#[tokio::test]
async fn a_stored_expired_token_is_refreshed_and_a_rotated_refresh_token_is_kept() {
    let idp = OidcProvider::start_with(OidcOptions {
        access_ttl: Some(2),
        ..Default::default()
    })
    .unwrap();
    let engine = engine();
    let http = TokenHttp::new(&engine.engine);
    let config = OAuth2Config {
        refresh_skew_secs: 0,
        ..discovered(&idp, &http, public_client()).await
    };
    let flow = AuthorizationFlow::start(&config).await.unwrap();
    let signed_in = flow
        .finish(&http, &config, &browser(&[]), CEILING)
        .await
        .unwrap();
    let store = sextant_auth::MemoryTokenStore::default();
    let key = sextant_auth::TokenKey::new("dev", &config);
    sextant_auth::save(&store, &key, &signed_in).unwrap();

    let started = std::time::Instant::now();
    let (fresh, source) = loop {
        let got = sextant_auth::current_token(&http, &config, &store, &key)
            .await
            .unwrap();
        if got.1 != sextant_auth::Source::Stored {
            break got;
        }
        assert!(started.elapsed() < CEILING, "the token never expired");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(source, sextant_auth::Source::Refreshed);
    assert_ne!(fresh.refresh_token, signed_in.refresh_token, "rotated");
    assert_eq!(
        sextant_auth::load(&store, &key)
            .unwrap()
            .unwrap()
            .refresh_token,
        fresh.refresh_token,
        "the store keeps the rotated refresh token"
    );
    assert!(fresh.id_token.is_some(), "kept or renewed, never lost");
    let err = grants::refresh(&http, &config, &signed_in)
        .await
        .unwrap_err();
    assert!(matches!(err, AuthError::InvalidGrant { .. }), "{err}");
}
