//! Client certificates (mTLS) in `collection.yaml` and `folder.yaml`: the host pattern and the
//! paths of the certificate and key files (or of one PKCS#12 bundle), relative to the collection
//! folder. The key itself is never in the file. The password that opens a locked key or bundle
//! is a secret: the file holds [`super::SECRET_MARKER`] (or a `{{variable}}` reference) and the
//! value goes to the secret store under `clientCertificates/<index>/passphrase`.

use serde::{Deserialize, Serialize};
use sextant_model::ClientCertificate;

use super::{is_true, secret_in, secret_out, yes, SecretsIn, SecretsOut};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileClientCert {
    host: String,
    cert: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    key: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    passphrase: String,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    enabled: bool,
}

fn scope(index: usize) -> String {
    format!("clientCertificates/{index}/passphrase")
}

pub(super) fn certs_out(
    certs: &[ClientCertificate],
    secrets: &mut SecretsOut,
) -> Vec<FileClientCert> {
    certs
        .iter()
        .enumerate()
        .map(|(i, c)| FileClientCert {
            host: c.host.clone(),
            cert: c.cert_path.clone(),
            key: c.key_path.clone(),
            passphrase: if c.passphrase.is_empty() {
                String::new()
            } else {
                secret_out(&scope(i), &c.passphrase, secrets)
            },
            enabled: c.enabled,
        })
        .collect()
}

pub(super) fn certs_in(
    certs: &[FileClientCert],
    secrets: &mut SecretsIn,
) -> Vec<ClientCertificate> {
    certs
        .iter()
        .enumerate()
        .map(|(i, c)| ClientCertificate {
            host: c.host.clone(),
            cert_path: c.cert.clone(),
            key_path: c.key.clone(),
            passphrase: secret_in(&scope(i), c.passphrase.clone(), secrets),
            enabled: c.enabled,
        })
        .collect()
}
