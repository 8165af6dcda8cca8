//! Opening a client certificate that is locked with a password: an encrypted PKCS#8 key (PEM
//! `ENCRYPTED PRIVATE KEY`) or a PKCS#12 bundle (`.p12`/`.pfx`). Both become the PEM text the
//! rest of the engine (and reqwest) reads. A file chooses its own key-derivation cost, so the
//! cost is checked (`cost`) before any work: a hostile file ends in an error, not in minutes of
//! hashing or gigabytes of memory.

use pkcs8::der::pem::LineEnding;
use pkcs8::{EncryptedPrivateKeyInfoOwned, SecretDocument};

use super::cost;

#[derive(Debug, thiserror::Error)]
pub(crate) enum KeyError {
    #[error("the private key is encrypted; enter its passphrase")]
    NeedsPassphrase,
    #[error("the passphrase is wrong, or the key file is damaged")]
    WrongPassphrase,
    #[error("the PKCS#12 password is wrong, or the file is damaged")]
    WrongPassword,
    #[error("the key file is not a PEM encrypted PKCS#8 key: {0}")]
    NotPkcs8(String),
    #[error("the file is not a PKCS#12 (.p12/.pfx) bundle: {0}")]
    NotPkcs12(String),
    #[error("the PKCS#12 file holds no private key with its certificate")]
    NoKeyInBundle,
    #[error("the key's encryption asks for {what}, above the budget of {limit}")]
    OverBudget { what: String, limit: String },
}

/// The key in `key_pem` decrypted with `passphrase`, as a PEM `PRIVATE KEY`.
pub(crate) fn decrypt_pkcs8(key_pem: &[u8], passphrase: &str) -> Result<String, KeyError> {
    if passphrase.is_empty() {
        return Err(KeyError::NeedsPassphrase);
    }
    let text = std::str::from_utf8(key_pem).map_err(|e| KeyError::NotPkcs8(e.to_string()))?;
    let (label, der) =
        SecretDocument::from_pem(text.trim()).map_err(|e| KeyError::NotPkcs8(e.to_string()))?;
    if label != "ENCRYPTED PRIVATE KEY" {
        return Err(KeyError::NotPkcs8(format!("its label is {label}")));
    }
    let info = EncryptedPrivateKeyInfoOwned::try_from(der.as_bytes())
        .map_err(|e| KeyError::NotPkcs8(e.to_string()))?;
    cost::check_scheme(&info.encryption_algorithm)?;
    let key = info
        .decrypt(passphrase)
        .map_err(|_| KeyError::WrongPassphrase)?;
    key.to_pem("PRIVATE KEY", LineEnding::LF)
        .map(|pem| pem.to_string())
        .map_err(|e| KeyError::NotPkcs8(e.to_string()))
}

/// The certificate chain (leaf first) and private key a PKCS#12 bundle holds, as PEM text.
pub(crate) fn open_pkcs12(der: &[u8], password: &str) -> Result<(String, String), KeyError> {
    use p12_keystore::error::Error;
    use p12_keystore::{KeyStore, Pkcs12ImportPolicy};
    cost::check_pkcs12(der)?;
    let store =
        KeyStore::from_pkcs12(der, password, Pkcs12ImportPolicy::Strict).map_err(|e| match e {
            Error::MacError(_) | Error::UnpadError | Error::Pkcs5Error(_) => {
                KeyError::WrongPassword
            }
            other => KeyError::NotPkcs12(other.to_string()),
        })?;
    let (_, chain) = store.private_key_chain().ok_or(KeyError::NoKeyInBundle)?;
    if chain.certs().is_empty() {
        return Err(KeyError::NoKeyInBundle);
    }
    let pem = |label: &str, der: &[u8]| {
        pkcs8::der::pem::encode_string(label, LineEnding::LF, der)
            .map_err(|e| KeyError::NotPkcs12(e.to_string()))
    };
    let mut certs = String::new();
    for cert in chain.certs() {
        certs.push_str(&pem("CERTIFICATE", cert.as_der())?);
    }
    let key = pem("PRIVATE KEY", chain.key().as_der())?;
    Ok((certs, key))
}
