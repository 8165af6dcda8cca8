//! Client certificates locked with a password against the mTLS server: a PKCS#12 bundle and an
//! encrypted PKCS#8 key are accepted with the right password, and a wrong or missing one, or a
//! key-derivation cost above the budget, is a typed error naming the pattern (never a panic).
//! The locked files are made here from the server's PEM pair with the same crates Sextant reads
//! them with.

use p12_keystore::{Certificate, KeyStore, KeyStoreEntry, PrivateKey, PrivateKeyChain};
use pkcs8::der::pem::{self, LineEnding};
use pkcs8::pkcs5::pbes2;
use pkcs8::PrivateKeyInfoRef;
use sextant_engine::{CancellationToken, ClientIdentity, SendLimits};
use sextant_model::{ErrorCode, HttpRequest};
use sextant_testkit::{MtlsServer, PemPair};

use crate::support::engine_trusting;

fn der(pem_text: &str) -> Vec<u8> {
    pem::decode_vec(pem_text.as_bytes()).unwrap().1
}

/// `pair` as a PKCS#12 bundle locked with `password`.
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

/// `pair`'s key as an encrypted PKCS#8 PEM (PBKDF2-SHA256, AES-256-CBC, `iterations`).
fn encrypted_key(pair: &PemPair, passphrase: &str, iterations: u32) -> String {
    let plain = der(&pair.key_pem);
    let info = PrivateKeyInfoRef::try_from(plain.as_slice()).unwrap();
    let params =
        pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(iterations, b"saltsalt", [7; 16])
            .unwrap();
    let locked = info.encrypt_with_params(params, passphrase).unwrap();
    pem::encode_string("ENCRYPTED PRIVATE KEY", LineEnding::LF, locked.as_bytes()).unwrap()
}

async fn status_with(server: &MtlsServer, identity: ClientIdentity) -> u16 {
    let engine = engine_trusting(&[server.ca_pem()]);
    engine
        .engine
        .send_with_identities(
            &HttpRequest::get(server.url("/ok")),
            &[identity],
            &SendLimits::default(),
            &CancellationToken::new(),
            &|_| {},
        )
        .await
        .unwrap()
        .status
}

#[tokio::test]
async fn a_pkcs12_bundle_is_presented_with_its_password() {
    let server = MtlsServer::start();
    let bundle = pkcs12(&server.client(), "s3cret-p12");
    let identity = ClientIdentity::from_pkcs12("localhost", &bundle, "s3cret-p12").unwrap();
    assert_eq!(status_with(&server, identity).await, 200);

    for wrong in ["wrong", ""] {
        let err = ClientIdentity::from_pkcs12("localhost", &bundle, wrong).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidRequest, "{err}");
        let text = err.to_string();
        assert!(
            text.contains("localhost") && text.contains("password"),
            "{text}"
        );
    }
    let not_a_bundle = ClientIdentity::from_pkcs12("localhost", b"hello", "x").unwrap_err();
    assert!(
        not_a_bundle.to_string().contains("PKCS#12"),
        "{not_a_bundle}"
    );
}

#[tokio::test]
async fn an_encrypted_pkcs8_key_is_opened_with_its_passphrase() {
    let server = MtlsServer::start();
    let pair = server.client();
    let key = encrypted_key(&pair, "open sesame", 2048);
    let identity = ClientIdentity::from_pem_with_passphrase(
        "localhost",
        pair.cert_pem.as_bytes(),
        key.as_bytes(),
        "open sesame",
    )
    .unwrap();
    assert_eq!(status_with(&server, identity).await, 200);

    let wrong = ClientIdentity::from_pem_with_passphrase(
        "localhost",
        pair.cert_pem.as_bytes(),
        key.as_bytes(),
        "open barley",
    )
    .unwrap_err();
    assert_eq!(wrong.code(), ErrorCode::InvalidRequest);
    assert!(wrong.to_string().contains("passphrase is wrong"), "{wrong}");

    let missing = ClientIdentity::from_pem("localhost", pair.cert_pem.as_bytes(), key.as_bytes())
        .unwrap_err();
    assert!(
        missing.to_string().contains("enter its passphrase"),
        "{missing}"
    );
}

#[test]
fn a_key_derivation_cost_above_the_budget_is_refused_before_any_work() {
    let server = MtlsServer::start();
    let pair = server.client();
    // Encrypting with this cost would itself take minutes: the header is what is checked, so
    // build the file with a small cost and the same structure, then ask for a huge one.
    let small = encrypted_key(&pair, "pw", 2048);
    let huge = encrypted_key_claiming(&small, u32::MAX);
    let err = ClientIdentity::from_pem_with_passphrase(
        "localhost",
        pair.cert_pem.as_bytes(),
        huge.as_bytes(),
        "pw",
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::TooLarge, "{err}");
    assert!(err.to_string().contains("PBKDF2 iterations"), "{err}");
}

/// `pem_text` (an encrypted PKCS#8 key) re-encoded claiming `iterations` PBKDF2 rounds.
fn encrypted_key_claiming(pem_text: &str, iterations: u32) -> String {
    use pkcs8::der::{Decode, Encode};
    use pkcs8::pkcs5::EncryptionScheme;
    let mut info = pkcs8::EncryptedPrivateKeyInfoOwned::from_der(&der(pem_text)).unwrap();
    let EncryptionScheme::Pbes2(params) = &mut info.encryption_algorithm else {
        panic!("PBES2 expected");
    };
    let pbes2::Kdf::Pbkdf2(kdf) = &mut params.kdf else {
        panic!("PBKDF2 expected");
    };
    kdf.iteration_count = iterations;
    pem::encode_string(
        "ENCRYPTED PRIVATE KEY",
        LineEnding::LF,
        &info.to_der().unwrap(),
    )
    .unwrap()
}
