//! `sextant auth login|token|status|logout` against the real OpenID provider: a collection's
//! client-credentials sign-in gives a token that is kept and printed again, logout forgets it,
//! and the browser grant signs in through `$BROWSER` (the scripted test browser).

use std::path::Path;
use std::process::{Command, Output, Stdio};

use sextant_app::{App, AppConfig};
use sextant_model::{Auth, FolderSettings, OAuth2Config, OAuth2Grant};
use sextant_testkit::{test_browser, OidcProvider, OIDC_CONFIDENTIAL, OIDC_PUBLIC, OIDC_USER};

/// Makes a workspace with a collection `Api` whose auth is `config`.
async fn workspace(dir: &Path, config: OAuth2Config) -> String {
    let mut app_config = AppConfig::new(dir.join("data"));
    app_config.workspace_dir = Some(dir.join("ws"));
    std::fs::create_dir_all(dir.join("ws")).unwrap();
    let app = App::new(app_config).unwrap();
    let collection = app.collection_create("Api".into()).await.unwrap();
    app.settings_save(
        collection.clone(),
        FolderSettings {
            auth: Auth::OAuth2(Box::new(config)),
            ..FolderSettings::default()
        },
    )
    .await
    .unwrap();
    collection
}

fn auth(dir: &Path, args: &[&str], browser: Option<String>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sextant"));
    command
        .arg("auth")
        .args(args)
        .arg("--workspace")
        .arg(dir.join("ws"))
        .env("SEXTANT_DATA_DIR", dir.join("data"))
        .stdin(Stdio::null());
    match browser {
        Some(b) => command.env("BROWSER", b),
        None => command.env_remove("BROWSER"),
    };
    command.output().expect("run sextant")
}

fn stdout(o: &Output) -> String {
    assert!(o.status.success(), "{o:?}");
    String::from_utf8(o.stdout.clone())
        .unwrap()
        .trim()
        .to_string()
}

#[tokio::test]
async fn token_prints_a_kept_token_and_logout_forgets_it() {
    let provider = OidcProvider::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let api = workspace(
        dir.path(),
        OAuth2Config {
            grant: OAuth2Grant::ClientCredentials,
            issuer: provider.issuer(),
            client_id: OIDC_CONFIDENTIAL.0.into(),
            client_secret: OIDC_CONFIDENTIAL.1.into(),
            scopes: vec!["api:read".into()],
            ..OAuth2Config::default()
        },
    )
    .await;

    let first = stdout(&auth(dir.path(), &["token", &api], None));
    assert_eq!(first.split('.').count(), 3, "a JWT: {first}");
    assert_eq!(stdout(&auth(dir.path(), &["token", &api], None)), first);

    let status = stdout(&auth(dir.path(), &["status", &api], None));
    assert!(status.contains(OIDC_CONFIDENTIAL.0), "{status}");
    assert!(status.contains("expires in"), "{status}");

    let logout = auth(dir.path(), &["logout", &api], None);
    assert!(logout.status.success(), "{logout:?}");
    let status = stdout(&auth(dir.path(), &["status", &api], None));
    assert!(status.contains("no token kept"), "{status}");
    let second = stdout(&auth(dir.path(), &["token", &api], None));
    assert_ne!(second, first, "a new token after logout");
}

#[tokio::test]
async fn login_signs_in_through_the_browser_and_token_needs_it_first() {
    let provider = OidcProvider::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let api = workspace(
        dir.path(),
        OAuth2Config {
            grant: OAuth2Grant::AuthorizationCode,
            issuer: provider.issuer(),
            client_id: OIDC_PUBLIC.into(),
            scopes: vec!["openid".into(), "api:read".into()],
            resource: "urn:sextant:api".into(),
            ..OAuth2Config::default()
        },
    )
    .await;

    let before = auth(dir.path(), &["token", &api], None);
    assert_eq!(before.status.code(), Some(1), "{before:?}");
    let said = String::from_utf8_lossy(&before.stderr);
    assert!(said.contains("sextant auth login"), "{said}");

    let browser = format!(
        "{} --user {} --password {}",
        test_browser().display(),
        OIDC_USER.0,
        OIDC_USER.1
    );
    let login = auth(dir.path(), &["login", &api], Some(browser));
    assert!(login.status.success(), "{login:?}");
    let said = String::from_utf8_lossy(&login.stderr);
    assert!(said.contains("Signed in"), "{said}");

    let token = stdout(&auth(dir.path(), &["token", &api], None));
    assert_eq!(token.split('.').count(), 3, "{token}");
    // Nothing Sextant wrote holds the token in clear.
    let mut stack = vec![dir.path().to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                let text = String::from_utf8_lossy(&bytes);
                assert!(!text.contains(&token), "{} holds the token", path.display());
            }
        }
    }
}
