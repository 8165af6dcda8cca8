//! Client certificates (mTLS) in `collection.yaml` and `folder.yaml`: the host pattern and the
//! paths of the certificate and key files, relative to the collection folder. The key itself is
//! never in the file, so there is no secret to move to the secret store.

use serde::{Deserialize, Serialize};
use sextant_model::ClientCertificate;

use super::{is_true, yes};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileClientCert {
    host: String,
    cert: String,
    key: String,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    enabled: bool,
}

pub(super) fn certs_out(certs: &[ClientCertificate]) -> Vec<FileClientCert> {
    certs
        .iter()
        .map(|c| FileClientCert {
            host: c.host.clone(),
            cert: c.cert_path.clone(),
            key: c.key_path.clone(),
            enabled: c.enabled,
        })
        .collect()
}

pub(super) fn certs_in(certs: &[FileClientCert]) -> Vec<ClientCertificate> {
    certs
        .iter()
        .map(|c| ClientCertificate {
            host: c.host.clone(),
            cert_path: c.cert.clone(),
            key_path: c.key.clone(),
            enabled: c.enabled,
        })
        .collect()
}
