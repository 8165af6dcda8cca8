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
