//! Client certificates (mTLS) set in a collection's settings: saved in `collection.yaml` as a
//! host pattern and two paths, read from inside the collection folder at send time, presented to
//! a server that requires them; a file outside the folder is refused.

use std::path::{Path, PathBuf};

use sextant_app::{App, AppConfig, SendContext};
use sextant_model::{
    ApiError, ClientCertificate, ErrorCode, FolderSettings, HttpRequest, HttpResponse, SavedRequest,
};
use sextant_testkit::MtlsServer;

struct Setup {
    app: App,
    server: MtlsServer,
    workspace: PathBuf,
    outside: PathBuf,
    _dir: tempfile::TempDir,
}

fn setup() -> Setup {
    let server = MtlsServer::start();
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().join("ws");
    let outside = dir.path().join("home");
    std::fs::create_dir_all(&workspace).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    let mut config = AppConfig::new(dir.path().join("data"));
    config.workspace_dir = Some(workspace.clone());
    config.extra_root_pems = vec![server.ca_pem()];
    Setup {
        app: App::new(config).unwrap(),
        server,
        workspace,
        outside,
        _dir: dir,
    }
}

/// Writes the accepted client certificate and key into `dir` as `client.pem` and `client.key`.
fn write_pair(s: &Setup, dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let pair = s.server.client();
    std::fs::write(dir.join("client.pem"), pair.cert_pem).unwrap();
    std::fs::write(dir.join("client.key"), pair.key_pem).unwrap();
}

fn cert(host: &str, cert_path: &str, key_path: &str) -> ClientCertificate {
    ClientCertificate {
        host: host.into(),
        cert_path: cert_path.into(),
        key_path: key_path.into(),
        passphrase: String::new(),
        enabled: true,
    }
}

/// A collection `c` (with the client pair in its `certs/` folder) with `certs` in its settings
/// and one request to the server; the request's path.
async fn collection_with(s: &Setup, certs: Vec<ClientCertificate>) -> (String, SavedRequest) {
    let collection = s.app.collection_create("c".into()).await.unwrap();
    write_pair(s, &s.workspace.join(&collection).join("certs"));
    let settings = FolderSettings {
        client_certificates: certs,
        ..FolderSettings::default()
    };
    s.app
        .settings_save(collection.clone(), settings.clone())
        .await
        .unwrap();
    assert_eq!(
        s.app.settings_open(collection.clone()).await.unwrap(),
        settings,
        "the settings come back as saved"
    );
    let saved = SavedRequest::new("ok", HttpRequest::get(s.server.url("/ok")));
    let path = s
        .app
        .request_create(collection, saved.clone())
        .await
        .unwrap()
        .path;
    (path, saved)
}

async fn send(s: &Setup, path: &str, saved: &SavedRequest) -> Result<HttpResponse, ApiError> {
    s.app
        .send(
            "r",
            saved,
            Some(SendContext::new(Some(path.to_owned()), None)),
            &|_| {},
        )
        .await
}

#[tokio::test]
async fn a_certificate_in_the_collection_folder_is_presented() {
    let s = setup();
    let (path, saved) = collection_with(
        &s,
        vec![cert("localhost", "certs/client.pem", "certs/client.key")],
    )
    .await;
    let yaml = std::fs::read_to_string(s.workspace.join("c/collection.yaml")).unwrap();
    assert!(yaml.contains("clientCertificates:"), "{yaml}");
    assert!(
        !yaml.contains("PRIVATE KEY"),
        "the key stays in its file: {yaml}"
    );
    let response = send(&s, &path, &saved).await.unwrap();
    assert_eq!(response.status, 200);
}

#[tokio::test]
async fn without_a_matching_certificate_the_send_says_one_is_required() {
    let s = setup();
    let (path, saved) = collection_with(
        &s,
        vec![cert(
            "api.example.com",
            "certs/client.pem",
            "certs/client.key",
        )],
    )
    .await;
    let err = send(&s, &path, &saved).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Tls, "{err:?}");
    assert!(
        err.message.contains("requires a client certificate"),
        "{}",
        err.message
    );
}

#[tokio::test]
async fn a_key_outside_the_collection_folder_is_refused() {
    let s = setup();
    write_pair(&s, &s.outside);
    let key = s.outside.join("client.key");
    let (path, saved) = collection_with(
        &s,
        vec![cert(
            "localhost",
            "../../home/client.pem",
            &key.display().to_string(),
        )],
    )
    .await;
    let err = send(&s, &path, &saved).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::FileNotAllowed, "{err:?}");
    assert!(
        err.message.contains("outside the collection folder"),
        "{}",
        err.message
    );
}
