//! Client certificates (mTLS): which certificate and key a collection presents to which hosts.
//!
//! The collection file keeps only the host pattern and the paths, relative to the collection's
//! folder; the app reads the files when it sends (inside the folder only, like a body file) and
//! hands the engine their contents. The private key stays in its own file (or in the PKCS#12
//! bundle), never in the collection file; the password that opens a locked one is a secret the
//! collection file keeps in the secret store.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A certificate presented to the hosts one pattern names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ClientCertificate {
    /// `api.example.com`, `*.example.com` (any subdomain), each optionally with `:port`.
    pub host: String,
    /// The certificate (PEM; intermediates may follow it), or a PKCS#12 bundle (`.p12`/`.pfx`)
    /// that holds the key as well, relative to the collection folder.
    pub cert_path: String,
    /// The private key (PEM: PKCS#8, encrypted PKCS#8, PKCS#1 RSA or SEC1 EC), relative to the
    /// collection folder; empty for a PKCS#12 bundle.
    pub key_path: String,
    /// The PKCS#12 bundle's password or the encrypted key's passphrase; empty when neither is
    /// locked. May be a `{{variable}}` reference.
    #[serde(default)]
    pub passphrase: String,
    #[serde(default = "enabled")]
    pub enabled: bool,
}

fn enabled() -> bool {
    true
}
