//! Client certificates (mTLS): which certificate and key a collection presents to which hosts.
//!
//! The collection file keeps only the host pattern and the paths, relative to the collection's
//! folder; the app reads the files when it sends (inside the folder only, like a body file) and
//! hands the engine the PEM text. The private key stays in its own file, never in the
//! collection file.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A certificate presented to the hosts one pattern names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ClientCertificate {
    /// `api.example.com`, `*.example.com` (any subdomain), each optionally with `:port`.
    pub host: String,
    /// The certificate (PEM; intermediates may follow it), relative to the collection folder.
    pub cert_path: String,
    /// The unencrypted private key (PEM: PKCS#8, PKCS#1 RSA or SEC1 EC), relative to the
    /// collection folder.
    pub key_path: String,
    #[serde(default = "enabled")]
    pub enabled: bool,
}

fn enabled() -> bool {
    true
}
