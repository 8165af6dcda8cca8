//! Token and discovery exchanges in the history, against the real OpenID provider: a send that
//! obtains a token records the exchange (under its own collection name) beside the request, with
//! the client credentials, the secret form fields and the tokens masked, and no file Sextant
//! wrote holds the access token or the client secret in clear.

use std::path::Path;

use sextant_app::{App, AppConfig, HistoryQuery, HistoryRow, SendContext, MASK, TOKEN_EXCHANGES};
use sextant_model::{
    Auth, FolderSettings, HttpRequest, OAuth2ClientAuth, OAuth2Config, OAuth2Grant, SavedRequest,
};
use sextant_store::workspace::SecretStore;
use sextant_testkit::{OidcProvider, OIDC_CONFIDENTIAL};

fn app(dir: &Path) -> App {
    let mut config = AppConfig::new(dir.join("data"));
    config.workspace_dir = Some(dir.join("ws"));
    std::fs::create_dir_all(dir.join("ws")).unwrap();
    App::new(config).unwrap()
}

fn client_credentials(provider: &OidcProvider, client_auth: OAuth2ClientAuth) -> OAuth2Config {
    OAuth2Config {
        grant: OAuth2Grant::ClientCredentials,
        issuer: provider.issuer(),
        client_id: OIDC_CONFIDENTIAL.0.into(),
        client_secret: OIDC_CONFIDENTIAL.1.into(),
        client_auth,
        scopes: vec!["api:read".into()],
        ..OAuth2Config::default()
    }
}

/// Every file under `dir` that holds `needle`.
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

/// The access token the secret store keeps for the only sign-in.
fn kept_access_token(dir: &Path) -> String {
    let secrets = SecretStore::open(dir.join("data").join("workspace-data")).unwrap();
    let id = secrets
        .keys()
        .unwrap()
        .into_iter()
        .find(|k| k.starts_with("oauth2:"))
        .expect("the token is in the secret store");
    let kept: serde_json::Value =
        serde_json::from_str(&secrets.get(&id).unwrap().unwrap()).unwrap();
    kept["accessToken"].as_str().unwrap().to_string()
}

/// The history's token exchanges: the entries under their collection name.
async fn token_exchanges(app: &App) -> Vec<sextant_app::EntrySummary> {
    let query = HistoryQuery {
        collection: Some(TOKEN_EXCHANGES.into()),
        ..HistoryQuery::default()
    };
    app.history_list(query).await.unwrap()
}

#[tokio::test]
async fn a_token_exchange_is_in_the_history_with_its_secrets_masked() {
    let provider = OidcProvider::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let collection = app.collection_create("Api".into()).await.unwrap();
    app.settings_save(
        collection.clone(),
        FolderSettings {
            auth: Auth::OAuth2(Box::new(client_credentials(
                &provider,
                OAuth2ClientAuth::Basic,
            ))),
            ..FolderSettings::default()
        },
    )
    .await
    .unwrap();
    let saved = SavedRequest::new("API", HttpRequest::get(provider.url("/test/api")));
    let created = app.request_create(collection, saved.clone()).await.unwrap();
    let r = app
        .send(
            "api",
            &saved,
            Some(SendContext::new(Some(created.path.clone()), None)),
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(r.status, 200);

    let history = app.history_list(HistoryQuery::default()).await.unwrap();
    let exchanges = token_exchanges(&app).await;
    assert!(
        exchanges
            .iter()
            .any(|h| h.method == "GET" && h.url.contains("/.well-known/") && h.status == Some(200)),
        "the discovery is recorded: {exchanges:?}"
    );
    let token = exchanges
        .iter()
        .find(|h| h.method == "POST" && h.url.ends_with("/token"))
        .unwrap_or_else(|| panic!("the token exchange is recorded: {exchanges:?}"));
    assert_eq!(token.status, Some(200));
    assert!(
        HistoryRow::from(token.clone()).token_exchange,
        "the history list marks it"
    );
    assert!(history
        .iter()
        .filter(|h| !exchanges.contains(h))
        .all(|h| !HistoryRow::from(h.clone()).token_exchange));
    assert_eq!(
        history.len() - exchanges.len(),
        1,
        "the request itself is recorded once, apart from the exchanges"
    );

    let entry = app.history_entry(token.id).await.unwrap();
    let authorization = entry
        .request_headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("authorization"))
        .expect("the client credentials header is recorded");
    assert_eq!(authorization.value, format!("Basic {MASK}"));
    let body = entry.request_body.as_deref().unwrap();
    assert!(body.contains("grant_type=client_credentials"), "{body}");
    let answer: serde_json::Value =
        serde_json::from_str(entry.response_body_text.as_deref().unwrap()).unwrap();
    assert_eq!(answer["access_token"], MASK, "{answer}");
    assert_eq!(answer["token_type"], "Bearer", "{answer}");
    assert_eq!(entry.response_id, None, "no body file is kept for it");

    let access = kept_access_token(dir.path());
    assert!(
        files_holding(dir.path(), &access).is_empty(),
        "the access token in clear: {:?}",
        files_holding(dir.path(), &access)
    );
    assert!(files_holding(dir.path(), OIDC_CONFIDENTIAL.1).is_empty());
}

#[tokio::test]
async fn a_client_secret_in_the_form_is_masked_in_the_history() {
    let provider = OidcProvider::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let mut saved = SavedRequest::new("API", HttpRequest::get(provider.url("/test/api")));
    saved.auth = Auth::OAuth2(Box::new(client_credentials(
        &provider,
        OAuth2ClientAuth::Post,
    )));
    let r = app
        .send("r", &saved, Some(SendContext::default()), &|_| {})
        .await
        .unwrap();
    assert_eq!(r.status, 200);

    let exchanges = token_exchanges(&app).await;
    let token = exchanges
        .iter()
        .find(|h| h.method == "POST" && h.url.ends_with("/token"))
        .unwrap_or_else(|| panic!("the token exchange is recorded: {exchanges:?}"));
    let entry = app.history_entry(token.id).await.unwrap();
    let body = entry.request_body.as_deref().unwrap();
    assert!(body.contains(&format!("client_secret={MASK}")), "{body}");
    assert!(
        body.contains(&format!("client_id={}", OIDC_CONFIDENTIAL.0)),
        "{body}"
    );
    assert!(!body.contains(OIDC_CONFIDENTIAL.1), "{body}");
    assert!(files_holding(dir.path(), OIDC_CONFIDENTIAL.1).is_empty());
    assert!(files_holding(dir.path(), &kept_access_token(dir.path())).is_empty());
}
