//! The token a request gets: stored, refreshed or obtained again, and the one recovery after a
//! 401, against oidc-provider with an in-memory store.

use std::time::Duration;

use sextant_auth::{
    current_token, load, recover_after_401, save, AuthError, MemoryTokenStore, Source, TokenHttp,
    TokenKey,
};
use sextant_model::{OAuth2Config, OAuth2Grant};
use sextant_testkit::{OidcOptions, OidcProvider, OIDC_CONFIDENTIAL};

use crate::support::engine;

fn client_credentials(idp: &OidcProvider, secret: &str) -> OAuth2Config {
    OAuth2Config {
        grant: OAuth2Grant::ClientCredentials,
        issuer: idp.issuer(),
        token_url: idp.url("/token"),
        client_id: OIDC_CONFIDENTIAL.0.into(),
        client_secret: secret.into(),
        scopes: vec!["api:read".into()],
        resource: "urn:sextant:api".into(),
        refresh_skew_secs: 0,
        ..Default::default()
    }
}

/// The session functions are spawned by the app: their futures must be `Send`.
#[allow(dead_code)]
fn futures_are_send(
    http: &TokenHttp<'_>,
    config: &OAuth2Config,
    store: &MemoryTokenStore,
    key: &TokenKey,
) {
    fn send<T: Send>(_: T) {}
    send(current_token(http, config, store, key));
    send(sextant_auth::grants::refresh(
        http,
        config,
        &load(store, key).unwrap().unwrap(),
    ));
    send(sextant_auth::device_flow(
        http,
        config,
        |_| {},
        &Default::default(),
    ));
}

#[tokio::test]
async fn a_stored_token_is_reused_until_it_expires_then_replaced() {
    let idp = OidcProvider::start_with(OidcOptions {
        access_ttl: Some(2),
        ..Default::default()
    })
    .unwrap();
    let engine = engine();
    let http = TokenHttp::new(&engine.engine);
    let store = MemoryTokenStore::default();
    let config = client_credentials(&idp, OIDC_CONFIDENTIAL.1);
    let key = TokenKey::new("dev", &config);

    let (first, source) = current_token(&http, &config, &store, &key).await.unwrap();
    assert_eq!(source, Source::Obtained);
    assert_eq!(
        load(&store, &key).unwrap().unwrap().access_token,
        first.access_token
    );
    let (again, source) = current_token(&http, &config, &store, &key).await.unwrap();
    assert_eq!(
        (source, &again.access_token),
        (Source::Stored, &first.access_token)
    );

    let other_env = TokenKey::new("prod", &config);
    assert!(
        load(&store, &other_env).unwrap().is_none(),
        "another environment shares nothing"
    );

    let started = std::time::Instant::now();
    let (replaced, source) = loop {
        let got = current_token(&http, &config, &store, &key).await.unwrap();
        if got.1 != Source::Stored {
            break got;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the token never expired"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(
        source,
        Source::Obtained,
        "client credentials: no refresh token, a new token"
    );
    assert_ne!(replaced.access_token, first.access_token);
}

#[tokio::test]
async fn a_401_recovers_once_and_a_wrong_secret_stores_nothing() {
    let idp = OidcProvider::start().unwrap();
    let engine = engine();
    let http = TokenHttp::new(&engine.engine);
    let store = MemoryTokenStore::default();
    let config = client_credentials(&idp, OIDC_CONFIDENTIAL.1);
    let key = TokenKey::new("", &config);
    let (used, _) = current_token(&http, &config, &store, &key).await.unwrap();
    let fresh = recover_after_401(&http, &config, &store, &key, &used, false)
        .await
        .unwrap()
        .expect("a first 401 recovers");
    assert_ne!(fresh.access_token, used.access_token);
    assert_eq!(
        load(&store, &key).unwrap().unwrap().access_token,
        fresh.access_token
    );
    let none = recover_after_401(&http, &config, &store, &key, &fresh, true)
        .await
        .unwrap();
    assert!(
        none.is_none(),
        "a 401 on the retry is shown, never retried again"
    );

    // Another client (its own key) with a wrong secret.
    let wrong = OAuth2Config {
        client_id: sextant_testkit::OIDC_POST.0.into(),
        client_auth: sextant_model::OAuth2ClientAuth::Post,
        ..client_credentials(&idp, "wrong-secret")
    };
    let wrong_key = TokenKey::new("", &wrong);
    let err = current_token(&http, &wrong, &store, &wrong_key)
        .await
        .unwrap_err();
    assert!(matches!(err, AuthError::InvalidClient { .. }), "{err}");
    assert!(load(&store, &wrong_key).unwrap().is_none());
    assert_eq!(store.len(), 1, "only the good client's token is kept");
}

#[tokio::test]
async fn a_refused_refresh_token_is_forgotten_and_a_browser_grant_asks_for_login() {
    let idp = OidcProvider::start().unwrap();
    let engine = engine();
    let http = TokenHttp::new(&engine.engine);
    let store = MemoryTokenStore::default();
    let config = OAuth2Config {
        grant: OAuth2Grant::AuthorizationCode,
        ..client_credentials(&idp, OIDC_CONFIDENTIAL.1)
    };
    let key = TokenKey::new("", &config);
    let mut stale = sextant_auth::grants::client_credentials(
        &http,
        &OAuth2Config {
            grant: OAuth2Grant::ClientCredentials,
            ..config.clone()
        },
    )
    .await
    .unwrap();
    stale.refresh_token = Some("revoked-refresh-token".into());
    stale.expires_at_ms = Some(1);
    save(&store, &key, &stale).unwrap();
    let err = current_token(&http, &config, &store, &key)
        .await
        .unwrap_err();
    assert!(matches!(err, AuthError::LoginRequired), "{err}");
    assert!(
        load(&store, &key).unwrap().is_none(),
        "the refused refresh token is gone"
    );
}
