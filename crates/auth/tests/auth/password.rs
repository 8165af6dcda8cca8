//! The password grant against the FastAPI demo's `OAuth2PasswordBearer` login.

use sextant_auth::{grants, AuthError, TokenHttp};
use sextant_model::{OAuth2ClientAuth, OAuth2Config, OAuth2Grant};
use sextant_testkit::PyServer;

use crate::support::engine;

fn config(server: &PyServer) -> OAuth2Config {
    OAuth2Config {
        grant: OAuth2Grant::Password,
        token_url: server.url("/token"),
        client_id: "sextant".into(),
        client_auth: OAuth2ClientAuth::Post,
        username: "alice".into(),
        password: "pw".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn the_fastapi_login_gives_a_bearer_token_without_expiry() {
    let server = PyServer::shared_demo_api();
    let engine = engine();
    let http = TokenHttp::new(&engine.engine);
    let tokens = grants::password(&http, &config(server)).await.unwrap();
    assert_eq!(tokens.access_token, "token-alice");
    assert_eq!(tokens.token_type, "bearer");
    assert_eq!(
        tokens.expires_at_ms, None,
        "no expires_in and not a JWT: no expiry, no crash"
    );
    assert!(!tokens.needs_refresh(u64::MAX / 2, 30));
    assert!(
        engine.body_files().is_empty(),
        "the token response must not stay on disk: {:?}",
        engine.body_files()
    );
}

#[tokio::test]
async fn a_missing_username_is_a_config_error_before_any_request() {
    let server = PyServer::shared_demo_api();
    let engine = engine();
    let http = TokenHttp::new(&engine.engine);
    let mut config = config(server);
    config.username.clear();
    let err = grants::password(&http, &config).await.unwrap_err();
    assert!(matches!(err, AuthError::Config(_)), "{err}");
}

fn jwt_login(server: &PyServer, password: &str) -> OAuth2Config {
    OAuth2Config {
        token_url: server.url("/auth/token"),
        password: password.into(),
        refresh_skew_secs: 0,
        ..config(server)
    }
}

#[tokio::test]
async fn a_wrong_password_is_invalid_grant_and_nothing_is_stored() {
    let server = PyServer::shared_demo_api();
    let engine = engine();
    let http = TokenHttp::new(&engine.engine);
    let store = sextant_auth::MemoryTokenStore::default();
    let config = jwt_login(server, "not-wonderland");
    let key = sextant_auth::TokenKey::new("", &config);
    let err = sextant_auth::current_token(&http, &config, &store, &key)
        .await
        .unwrap_err();
    assert!(matches!(err, AuthError::InvalidGrant { .. }), "{err}");
    assert!(store.is_empty());
}

/// The FastAPI JWT login: a request's 401 after the token expired refreshes it once and the
/// retry goes through; a 401 on the retry would not be retried again.
#[tokio::test]
async fn an_expired_jwt_is_refreshed_after_the_apis_401_and_the_retry_succeeds() {
    let server = PyServer::shared_demo_api();
    let engine = engine();
    let http = TokenHttp::new(&engine.engine);
    let store = sextant_auth::MemoryTokenStore::default();
    let config = jwt_login(server, "wonderland");
    let key = sextant_auth::TokenKey::new("dev", &config);
    let (tokens, _) = sextant_auth::current_token(&http, &config, &store, &key)
        .await
        .unwrap();
    assert!(tokens.expires_at_ms.is_some(), "expires_in is honoured");
    assert!(tokens.refresh_token.is_some());
    let me = server.url("/auth/me");
    let bearer = |t: &sextant_auth::TokenSet| format!("Bearer {}", t.access_token);
    let (status, body) = engine
        .get(&me, &[("Authorization", &bearer(&tokens))])
        .await;
    assert_eq!(status, 200, "{body}");

    let started = std::time::Instant::now();
    loop {
        let (status, _) = engine
            .get(&me, &[("Authorization", &bearer(&tokens))])
            .await;
        if status == 401 {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "never expired"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let retry_with = sextant_auth::recover_after_401(&http, &config, &store, &key, &tokens, false)
        .await
        .unwrap()
        .expect("one refresh");
    assert_ne!(retry_with.refresh_token, tokens.refresh_token, "rotated");
    let (status, body) = engine
        .get(&me, &[("Authorization", &bearer(&retry_with))])
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        sextant_auth::load(&store, &key)
            .unwrap()
            .unwrap()
            .access_token,
        retry_with.access_token
    );

    // The old set's refresh token was rotated away: refused (invalid_grant), so the password
    // grant signs in again by itself.
    let relogged = sextant_auth::recover_after_401(&http, &config, &store, &key, &tokens, false)
        .await
        .unwrap()
        .expect("a new login");
    assert_ne!(relogged.access_token, retry_with.access_token);
    let (status, body) = engine
        .get(&me, &[("Authorization", &bearer(&relogged))])
        .await;
    assert_eq!(status, 200, "{body}");
}
