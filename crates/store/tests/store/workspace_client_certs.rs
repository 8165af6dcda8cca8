//! Client certificates in `collection.yaml`: a PKCS#12 bundle's password or an encrypted key's
//! passphrase goes to the secret store (the file holds the marker), a `{{reference}}` stays in
//! the file, a bundle has no key path, and everything reads back; a clone without the store
//! reports the passphrase missing.

use std::fs;

use sextant_model::{ClientCertificate, FolderSettings};

use crate::workspace_common::temp_workspace;

fn cert(cert_path: &str, key_path: &str, passphrase: &str) -> ClientCertificate {
    ClientCertificate {
        host: "api.example.com".into(),
        cert_path: cert_path.into(),
        key_path: key_path.into(),
        passphrase: passphrase.into(),
        enabled: true,
    }
}

#[test]
fn a_certificates_passphrase_stays_out_of_the_file_and_comes_back() {
    let t = temp_workspace();
    let c = t.ws.create_collection("Certs").unwrap();
    let settings = FolderSettings {
        client_certificates: vec![
            cert("certs/client.p12", "", "p12-pw-Z8r"),
            cert("certs/client.pem", "certs/client.key", "{{keyPassphrase}}"),
            cert("certs/plain.pem", "certs/plain.key", ""),
        ],
        ..FolderSettings::default()
    };
    let revision = t.ws.read_folder_settings(&c).unwrap().revision;
    t.ws.save_folder_settings(&c, &settings, &revision).unwrap();

    let text = fs::read_to_string(t.root().join(&c).join("collection.yaml")).unwrap();
    assert!(!text.contains("p12-pw-Z8r"), "{text}");
    assert!(text.contains("passphrase: <secret>"), "{text}");
    assert!(text.contains("passphrase: '{{keyPassphrase}}'"), "{text}");
    assert_eq!(text.matches("passphrase:").count(), 2, "{text}");
    assert_eq!(
        text.matches("key:").count(),
        2,
        "a bundle has no key path: {text}"
    );

    let ws = t.reopen();
    assert_eq!(ws.read_folder_settings(&c).unwrap().settings, settings);

    let elsewhere =
        sextant_store::Workspace::open(t.ws.root(), t.dir.path().join("other-data")).unwrap();
    let loaded = elsewhere.read_folder_settings(&c).unwrap();
    assert_eq!(loaded.missing_secrets, ["clientCertificates/0/passphrase"]);
}
