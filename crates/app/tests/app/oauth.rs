//! OAuth 2.0 through the command layer, against the real OpenID provider and the FastAPI demo:
//! a send gets its token (obtained, kept, reused), a sign-in through the test browser keeps one
//! for the browser grant, a rejected token is refreshed or obtained again and the request re-sent
//! once, and no token or client secret is ever written anywhere in clear.

use std::path::Path;

use sextant_app::{
    App, AppConfig, HistoryQuery, Launcher, SendContext, SignInEvent, TOKEN_EXCHANGES,
};
use sextant_model::{
    Auth, ErrorCode, FolderSettings, HttpRequest, OAuth2ClientAuth, OAuth2Config, OAuth2Grant,
    SavedRequest,
};
use sextant_store::workspace::SecretStore;
use sextant_testkit::{
    test_browser, OidcProvider, PyServer, OIDC_CONFIDENTIAL, OIDC_PUBLIC, OIDC_USER,
};

fn app(dir: &Path) -> App {
    let mut config = AppConfig::new(dir.join("data"));
    config.workspace_dir = Some(dir.join("ws"));
    std::fs::create_dir_all(dir.join("ws")).unwrap();
    App::new(config).unwrap()
}

fn client_credentials(provider: &OidcProvider) -> OAuth2Config {
    OAuth2Config {
        grant: OAuth2Grant::ClientCredentials,
        issuer: provider.issuer(),
        client_id: OIDC_CONFIDENTIAL.0.into(),
        client_secret: OIDC_CONFIDENTIAL.1.into(),
        client_auth: OAuth2ClientAuth::Basic,
        scopes: vec!["api:read".into()],
        ..OAuth2Config::default()
    }
}

/// Every file under `dir`, read as bytes, that holds `needle`.
fn files_holding(dir: &Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                    found.push(path.display().to_string());
                }
            }
        }
    }
    found
}

/// The ids of the history's token exchanges (recorded beside the sends).
async fn token_exchanges(app: &App) -> Vec<i64> {
    let query = HistoryQuery {
        collection: Some(TOKEN_EXCHANGES.into()),
        ..HistoryQuery::default()
    };
    let listed = app.history_list(query).await.unwrap();
    listed.iter().map(|h| h.id).collect()
}

async fn api_call(app: &App, provider: &OidcProvider, path: &str) -> (u16, serde_json::Value) {
    let saved = SavedRequest::new("API", HttpRequest::get(provider.url("/test/api")));
    let r = app
        .send(
            "api",
            &saved,
            Some(SendContext::new(Some(path.into()), None)),
            &|_| {},
        )
        .await
        .unwrap();
    let body = std::fs::read(app.body_path(&r.id).unwrap()).unwrap_or_default();
    (r.status, serde_json::from_slice(&body).unwrap_or_default())
}

#[tokio::test]
async fn a_collections_client_credentials_login_is_obtained_on_send_kept_and_never_in_clear() {
    let provider = OidcProvider::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let collection = app.collection_create("Api".into()).await.unwrap();
    app.settings_save(
        collection.clone(),
        FolderSettings {
            auth: Auth::OAuth2(Box::new(client_credentials(&provider))),
            ..FolderSettings::default()
        },
    )
    .await
    .unwrap();
    let saved = SavedRequest::new("API", HttpRequest::get(provider.url("/test/api")));
    let created = app.request_create(collection, saved.clone()).await.unwrap();

    let (status, body) = api_call(&app, &provider, &created.path).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["client_id"], OIDC_CONFIDENTIAL.0);

    let context = SendContext::new(Some(created.path.clone()), None);
    let shown = app
        .oauth_status(saved.clone(), context.clone())
        .await
        .unwrap();
    let token = shown.token.expect("a token is kept after the send");
    assert!(token.expires_at_ms.is_some());
    let claims = token.access_token_jwt.expect("a JWT access token").claims;
    assert!(claims.contains("api:read"), "{claims}");
    assert!(
        !token.raw_response.contains("eyJ"),
        "{}",
        token.raw_response
    );

    // The second send reuses the kept token: the provider issues no new one.
    let before = std::fs::read_to_string(provider.log_path()).unwrap();
    let issued = |log: &str| log.matches("POST /token").count();
    let (status, _) = api_call(&app, &provider, &created.path).await;
    assert_eq!(status, 200);
    let after = std::fs::read_to_string(provider.log_path()).unwrap();
    assert_eq!(
        issued(&after),
        issued(&before),
        "the token was fetched again"
    );

    // The access token and the client secret are nowhere in clear: not in the collection files,
    // the data folder (history, secret store, bodies) or anywhere else Sextant wrote.
    let history = app.history_list(HistoryQuery::default()).await.unwrap();
    let exchanges = token_exchanges(&app).await;
    assert_eq!(history.len() - exchanges.len(), 2);
    let secrets = SecretStore::open(dir.path().join("data").join("workspace-data")).unwrap();
    let id = secrets
        .keys()
        .unwrap()
        .into_iter()
        .find(|k| k.starts_with("oauth2:"))
        .expect("the token is in the secret store");
    let kept: serde_json::Value =
        serde_json::from_str(&secrets.get(&id).unwrap().unwrap()).unwrap();
    let access = kept["accessToken"].as_str().unwrap().to_string();
    assert!(files_holding(dir.path(), &access).is_empty());
    assert!(files_holding(dir.path(), OIDC_CONFIDENTIAL.1).is_empty());
}

#[tokio::test]
async fn a_rejected_token_is_obtained_again_and_the_request_sent_once_more() {
    let provider = OidcProvider::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let mut saved = SavedRequest::new("API", HttpRequest::get(provider.url("/test/api")));
    saved.auth = Auth::OAuth2(Box::new(client_credentials(&provider)));
    let context = SendContext::default();
    let signed_in = app
        .oauth_sign_in(
            "s",
            saved.clone(),
            context.clone(),
            &Launcher::System,
            &|_| {},
        )
        .await
        .unwrap();
    assert!(signed_in.token.is_some());

    // The provider stops accepting the kept token (as after a key rotation or a revocation):
    // the app still thinks it valid for an hour.
    let secrets = SecretStore::open(dir.path().join("data").join("workspace-data")).unwrap();
    let id = secrets
        .keys()
        .unwrap()
        .into_iter()
        .find(|k| k.starts_with("oauth2:"))
        .unwrap();
    let mut kept: serde_json::Value =
        serde_json::from_str(&secrets.get(&id).unwrap().unwrap()).unwrap();
    kept["accessToken"] = "rejected-token".into();
    secrets.set(&id, &kept.to_string()).unwrap();

    let r = app.send("r", &saved, Some(context), &|_| {}).await.unwrap();
    assert_eq!(r.status, 200);
    let rejections: Vec<u16> = r.redirects.iter().map(|h| h.status).collect();
    assert_eq!(rejections, [401], "the 401 shows in front of the re-send");
    let history = app.history_list(HistoryQuery::default()).await.unwrap();
    let exchanges = token_exchanges(&app).await;
    let statuses: Vec<Option<u16>> = history
        .iter()
        .filter(|h| !exchanges.contains(&h.id))
        .map(|h| h.status)
        .collect();
    assert_eq!(statuses.len(), 2, "one 401, then one retry: {statuses:?}");
    assert!(statuses.contains(&Some(401)) && statuses.contains(&Some(200)));
}

#[tokio::test]
async fn the_browser_grant_waits_for_a_sign_in_then_sends_with_the_token() {
    let provider = OidcProvider::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let mut saved = SavedRequest::new("API", HttpRequest::get(provider.url("/test/api")));
    saved.auth = Auth::OAuth2(Box::new(OAuth2Config {
        grant: OAuth2Grant::AuthorizationCode,
        issuer: provider.issuer(),
        client_id: OIDC_PUBLIC.into(),
        scopes: vec!["openid".into(), "api:read".into()],
        resource: "urn:sextant:api".into(),
        ..OAuth2Config::default()
    }));
    let context = SendContext::default();

    let refused = app
        .send("a", &saved, Some(context.clone()), &|_| {})
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::InvalidRequest);
    assert!(
        refused.message.contains("Get new token"),
        "{}",
        refused.message
    );

    let browser = Launcher::Command(vec![
        test_browser().display().to_string(),
        "--user".into(),
        OIDC_USER.0.into(),
        "--password".into(),
        OIDC_USER.1.into(),
    ]);
    let events = std::sync::Mutex::new(Vec::new());
    let status = app
        .oauth_sign_in("b", saved.clone(), context.clone(), &browser, &|e| {
            events.lock().unwrap().push(e)
        })
        .await
        .unwrap();
    let token = status.token.expect("signed in");
    assert!(token.has_id_token && token.has_refresh_token);
    assert_eq!(
        status.redirect_uri.as_deref(),
        Some("http://127.0.0.1/callback")
    );
    let events = events.into_inner().unwrap();
    assert!(matches!(
        events.as_slice(),
        [SignInEvent::Browser { redirect_uri, .. }] if redirect_uri.starts_with("http://127.0.0.1:")
    ));

    let r = app
        .send("c", &saved, Some(context.clone()), &|_| {})
        .await
        .unwrap();
    assert_eq!(r.status, 200);

    let forgotten = app
        .oauth_forget(saved.clone(), context.clone())
        .await
        .unwrap();
    assert!(forgotten.token.is_none());
    assert!(app.send("d", &saved, Some(context), &|_| {}).await.is_err());
}

#[tokio::test]
async fn the_password_grant_refreshes_an_expired_token_before_sending() {
    let demo = PyServer::shared_demo_api();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let mut saved = SavedRequest::new("Me", HttpRequest::get(demo.url("/auth/me")));
    saved.auth = Auth::OAuth2(Box::new(OAuth2Config {
        grant: OAuth2Grant::Password,
        token_url: demo.url("/auth/token"),
        client_id: "demo".into(),
        username: "alice".into(),
        password: "wonderland".into(),
        client_auth: OAuth2ClientAuth::Post,
        // The demo's tokens live 3 s: refresh only once they are 1 s from expiry.
        refresh_skew_secs: 1,
        ..OAuth2Config::default()
    }));
    let context = SendContext::default();
    let r = app
        .send("1", &saved, Some(context.clone()), &|_| {})
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    let first = app
        .oauth_status(saved.clone(), context.clone())
        .await
        .unwrap();
    let first = first.token.unwrap();
    let expires = first.expires_at_ms.expect("the demo says expires_in");

    // Wait until the kept token is within the skew of its expiry, then send again.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while sextant_auth_now_ms() + 1_000 < expires {
        assert!(std::time::Instant::now() < deadline, "the token never aged");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let r = app
        .send("2", &saved, Some(context.clone()), &|_| {})
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    let second = app
        .oauth_status(saved, context)
        .await
        .unwrap()
        .token
        .unwrap();
    assert!(second.obtained_at_ms > first.obtained_at_ms, "refreshed");
    let history = app.history_list(HistoryQuery::default()).await.unwrap();
    assert!(
        history.iter().all(|h| h.status == Some(200)),
        "no 401 was needed"
    );
}

fn sextant_auth_now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

#[tokio::test]
async fn a_sign_in_address_is_opened_only_when_it_is_http() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let out = dir.path().join("opened");
    // A "browser" that writes down the address it was given.
    let launcher = Launcher::Command(vec![
        "sh".into(),
        "-c".into(),
        format!(
            "printf %s \"$1\" > {}.part && mv {0}.part {0}",
            out.display()
        ),
        "sh".into(),
    ]);
    let address = "http://127.0.0.1:1/device?user_code=ABCD-EFGH";
    app.open_sign_in_address(address, &launcher).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !out.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "the browser never ran"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(std::fs::read_to_string(&out).unwrap(), address);
    for refused in [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "not an address",
    ] {
        let e = app.open_sign_in_address(refused, &launcher).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidUrl, "{refused}");
    }
}
