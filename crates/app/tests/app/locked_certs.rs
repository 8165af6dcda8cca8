//! Client certificates locked with a password, set in a collection's settings and sent to the
//! mTLS server: a PKCS#12 bundle with its password and an encrypted PKCS#8 key whose passphrase
//! is a `{{reference}}` to a secret variable are presented (200); a wrong password is a clear
//! error; the password is never in the collection file. The locked files are made here from the
//! server's PEM pair.

use std::path::PathBuf;

use p12_keystore::{Certificate, KeyStore, KeyStoreEntry, PrivateKey, PrivateKeyChain};
use pkcs8::der::pem::{self, LineEnding};
use pkcs8::pkcs5::pbes2;
use pkcs8::PrivateKeyInfoRef;
use sextant_app::{App, AppConfig, SendContext};
use sextant_model::{
    ApiError, ClientCertificate, ErrorCode, FolderSettings, HttpRequest, HttpResponse,
    SavedRequest, Variable,
};
use sextant_testkit::{MtlsServer, PemPair};

const P12_PASSWORD: &str = "p12-password-Q7x";
const KEY_PASSPHRASE: &str = "key-passphrase-M3k";

struct Setup {
    app: App,
    server: MtlsServer,
    workspace: PathBuf,
    _dir: tempfile::TempDir,
}

fn setup() -> Setup {
    let server = MtlsServer::start();
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().join("ws");
    std::fs::create_dir_all(&workspace).unwrap();
    let mut config = AppConfig::new(dir.path().join("data"));
    config.workspace_dir = Some(workspace.clone());
    config.extra_root_pems = vec![server.ca_pem()];
    Setup {
        app: App::new(config).unwrap(),
        server,
        workspace,
        _dir: dir,
    }
}

fn der(pem_text: &str) -> Vec<u8> {
    pem::decode_vec(pem_text.as_bytes()).unwrap().1
}

fn pkcs12(pair: &PemPair, password: &str) -> Vec<u8> {
    let chain = PrivateKeyChain::new(
        b"client".as_slice(),
        PrivateKey::from_der(&der(&pair.key_pem)).unwrap(),
        [Certificate::from_der(&der(&pair.cert_pem)).unwrap()],
    );
    let mut store = KeyStore::new();
    store.add_entry("client", KeyStoreEntry::PrivateKeyChain(chain));
    store.writer(password).write().unwrap()
}

fn encrypted_key(pair: &PemPair, passphrase: &str) -> String {
    let plain = der(&pair.key_pem);
    let info = PrivateKeyInfoRef::try_from(plain.as_slice()).unwrap();
    let params =
        pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(2048, b"saltsalt", [7; 16]).unwrap();
    let locked = info.encrypt_with_params(params, passphrase).unwrap();
    pem::encode_string("ENCRYPTED PRIVATE KEY", LineEnding::LF, locked.as_bytes()).unwrap()
}

fn cert(cert_path: &str, key_path: &str, passphrase: &str) -> ClientCertificate {
    ClientCertificate {
        host: "localhost".into(),
        cert_path: cert_path.into(),
        key_path: key_path.into(),
        passphrase: passphrase.into(),
        enabled: true,
    }
}

/// A collection `c` with the locked files in `certs/`, `settings` saved; a request to the
/// server's `/ok` and its path.
async fn collection_with(s: &Setup, settings: FolderSettings) -> (String, SavedRequest) {
    let collection = s.app.collection_create("c".into()).await.unwrap();
    let certs = s.workspace.join(&collection).join("certs");
    std::fs::create_dir_all(&certs).unwrap();
    let pair = s.server.client();
    std::fs::write(certs.join("client.p12"), pkcs12(&pair, P12_PASSWORD)).unwrap();
    std::fs::write(certs.join("client.pem"), &pair.cert_pem).unwrap();
    std::fs::write(
        certs.join("locked.key"),
        encrypted_key(&pair, KEY_PASSPHRASE),
    )
    .unwrap();
    s.app
        .settings_save(collection.clone(), settings.clone())
        .await
        .unwrap();
    assert_eq!(
        s.app.settings_open(collection.clone()).await.unwrap(),
        settings,
        "the settings come back as saved, passphrase included"
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

fn collection_yaml(s: &Setup) -> String {
    std::fs::read_to_string(s.workspace.join("c/collection.yaml")).unwrap()
}

#[tokio::test]
async fn a_pkcs12_bundle_is_presented_with_its_password_which_stays_out_of_the_file() {
    let s = setup();
    let settings = FolderSettings {
        client_certificates: vec![cert("certs/client.p12", "", P12_PASSWORD)],
        ..FolderSettings::default()
    };
    let (path, saved) = collection_with(&s, settings).await;
    let yaml = collection_yaml(&s);
    assert!(yaml.contains("cert: certs/client.p12"), "{yaml}");
    assert!(!yaml.contains(P12_PASSWORD), "{yaml}");
    assert_eq!(send(&s, &path, &saved).await.unwrap().status, 200);
}

#[tokio::test]
async fn a_wrong_pkcs12_password_is_a_clear_error() {
    let s = setup();
    let settings = FolderSettings {
        client_certificates: vec![cert("certs/client.p12", "", "not-the-password")],
        ..FolderSettings::default()
    };
    let (path, saved) = collection_with(&s, settings).await;
    let err = send(&s, &path, &saved).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidRequest, "{err:?}");
    assert!(
        err.message.contains("localhost") && err.message.contains("password is wrong"),
        "{}",
        err.message
    );
}

#[tokio::test]
async fn an_encrypted_key_is_opened_with_a_passphrase_from_a_secret_variable() {
    let s = setup();
    let settings = FolderSettings {
        client_certificates: vec![cert(
            "certs/client.pem",
            "certs/locked.key",
            "{{keyPassphrase}}",
        )],
        variables: vec![Variable::secret("keyPassphrase", KEY_PASSPHRASE)],
        ..FolderSettings::default()
    };
    let (path, saved) = collection_with(&s, settings).await;
    let yaml = collection_yaml(&s);
    assert!(yaml.contains("{{keyPassphrase}}"), "{yaml}");
    assert!(!yaml.contains(KEY_PASSPHRASE), "{yaml}");
    assert_eq!(send(&s, &path, &saved).await.unwrap().status, 200);
}
