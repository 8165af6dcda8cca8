//! Broken token endpoints, from the fault server and a closed port: each a typed error.

use sextant_auth::{grants, AuthError, TokenHttp};
use sextant_model::{ErrorCode, OAuth2Config, OAuth2Grant};
use sextant_testkit::FaultServer;

use crate::support::engine;

fn config(token_url: String) -> OAuth2Config {
    OAuth2Config {
        grant: OAuth2Grant::ClientCredentials,
        token_url,
        client_id: "cli".into(),
        client_secret: "secret".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_non_json_answer_is_not_a_token() {
    let server = FaultServer::start();
    let engine = engine();
    let err =
        grants::client_credentials(&TokenHttp::new(&engine.engine), &config(server.url("/ok")))
            .await
            .unwrap_err();
    assert!(matches!(err, AuthError::NotJson { .. }), "{err}");
    assert_eq!(err.code(), ErrorCode::Protocol);
    assert!(engine.body_files().is_empty());
}

#[tokio::test]
async fn a_redirect_from_the_token_endpoint_is_refused_not_followed() {
    let server = FaultServer::start();
    let engine = engine();
    let target = server.url("/json");
    let url = server.url(&format!("/redirect-to?url={target}"));
    let err = grants::client_credentials(&TokenHttp::new(&engine.engine), &config(url))
        .await
        .unwrap_err();
    match &err {
        AuthError::Redirected { location, .. } => assert_eq!(location, &target),
        other => panic!("expected a redirect error, got {other}"),
    }
    assert_eq!(err.code(), ErrorCode::Protocol);
}

#[tokio::test]
async fn an_unreachable_token_endpoint_is_a_connect_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let engine = engine();
    let url = format!("http://127.0.0.1:{port}/token");
    let err = grants::client_credentials(&TokenHttp::new(&engine.engine), &config(url))
        .await
        .unwrap_err();
    assert!(matches!(err, AuthError::Engine(_)), "{err}");
    assert_eq!(err.code(), ErrorCode::Connect);
}

#[tokio::test]
async fn a_connection_closed_before_the_head_is_a_protocol_error() {
    let server = FaultServer::start();
    let engine = engine();
    let err = grants::client_credentials(
        &TokenHttp::new(&engine.engine),
        &config(server.url("/close-before-head")),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AuthError::Engine(_)), "{err}");
}

#[tokio::test]
async fn an_answer_over_the_budget_is_too_large() {
    let server = FaultServer::start();
    let engine = engine();
    let http = TokenHttp::new(&engine.engine).with_max_body(1024);
    let err = grants::client_credentials(&http, &config(server.url("/bytes/100000")))
        .await
        .unwrap_err();
    assert!(
        matches!(err, AuthError::TooLarge { limit: 1024, .. }),
        "{err}"
    );
    assert_eq!(err.code(), ErrorCode::TooLarge);
    assert!(engine.body_files().is_empty());
}

#[tokio::test]
async fn a_stalled_token_endpoint_times_out() {
    let server = FaultServer::start();
    let engine = engine();
    let settings = sextant_model::RequestSettings {
        timeout_ms: Some(300),
        ..Default::default()
    };
    let http = TokenHttp::new(&engine.engine).with_settings(settings);
    let err = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        grants::client_credentials(&http, &config(server.url("/stall-head"))),
    )
    .await
    .expect("the exchange's own timeout ends it")
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Timeout, "{err}");
}

#[tokio::test]
async fn every_exchange_is_shown_to_the_observer() {
    let server = FaultServer::start();
    let engine = engine();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    let http = TokenHttp::new(&engine.engine).with_observer(std::sync::Arc::new(
        move |request: &sextant_model::HttpRequest,
              response: &sextant_model::HttpResponse,
              _body: &[u8]| {
            log.lock().unwrap().push((
                request.method.clone(),
                request.credentials.clone(),
                request.settings.follow_redirects,
                response.status,
            ));
        },
    ));
    let _ = grants::client_credentials(&http, &config(server.url("/redirect/1"))).await;
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        [(
            "POST".to_string(),
            vec!["Authorization".to_string()],
            false,
            302
        )],
        "one exchange, its Authorization marked a credential, redirects off"
    );
}
