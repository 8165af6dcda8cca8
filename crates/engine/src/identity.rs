//! Client certificates (mTLS): which identity, if any, the engine presents to a host.
//!
//! A [`ClientIdentity`] is a certificate chain and its private key (PEM, or a PKCS#12 bundle, or
//! PEM with an encrypted PKCS#8 key and its passphrase: see `keys`; the files already read by
//! the caller, which owns the file access rules) bound to a host pattern. The engine picks the
//! identity per hop from the hop's URL, so a redirect to a host the pattern does not name gets no
//! certificate. reqwest fixes the identity when it builds a client, so the identity's digest is
//! part of the client pool's key.

use sha2::{Digest, Sha256};
use url::Url;

use crate::EngineError;

mod cost;
mod keys;

/// `api.example.com`, `*.example.com` (any subdomain, not the bare domain), each with an
/// optional `:port` (without one, any port).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPattern {
    /// Lowercase; for a wildcard, the part after `*.`.
    host: String,
    wildcard: bool,
    port: Option<u16>,
}

impl HostPattern {
    pub fn parse(pattern: &str) -> Result<Self, EngineError> {
        let invalid = |why: &str| {
            EngineError::InvalidRequest(format!(
                "invalid client certificate host pattern {pattern:?}: {why}"
            ))
        };
        let trimmed = pattern.trim().to_ascii_lowercase();
        let port_part = if trimmed.ends_with(']') {
            None // a bare IPv6 literal
        } else {
            trimmed.rsplit_once(':')
        };
        let (host, port) = match port_part {
            Some((h, p)) => {
                let port = p
                    .parse::<u16>()
                    .map_err(|_| invalid("the port is not a number"))?;
                (h.to_string(), Some(port))
            }
            _ => (trimmed.clone(), None),
        };
        let (host, wildcard) = match host.strip_prefix("*.") {
            Some(rest) => (rest.to_string(), true),
            None => (host, false),
        };
        if host.is_empty() || host.contains(['*', '/', ' ']) {
            return Err(invalid(
                "use a host name such as api.example.com or *.example.com, optionally with :port",
            ));
        }
        Ok(Self {
            host,
            wildcard,
            port,
        })
    }

    /// Whether a request to `url` presents this identity.
    pub fn matches(&self, url: &Url) -> bool {
        let Some(host) = url.host_str() else {
            return false;
        };
        let host = host.to_ascii_lowercase();
        let host_ok = if self.wildcard {
            host.strip_suffix(&self.host)
                .is_some_and(|prefix| prefix.len() > 1 && prefix.ends_with('.'))
        } else {
            host == self.host
        };
        host_ok
            && self
                .port
                .is_none_or(|p| url.port_or_known_default() == Some(p))
    }
}

/// A certificate chain and key for the hosts one pattern names.
#[derive(Clone)]
pub struct ClientIdentity {
    pattern: HostPattern,
    /// The certificate chain followed by the key, PEM: the shape reqwest reads.
    pem: Vec<u8>,
    digest: [u8; 32],
}

impl std::fmt::Debug for ClientIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key stays out of logs and panics.
        f.debug_struct("ClientIdentity")
            .field("pattern", &self.pattern)
            .finish_non_exhaustive()
    }
}

impl ClientIdentity {
    /// An identity from PEM text: `cert_pem` holds the certificate (and any intermediates),
    /// `key_pem` an unencrypted PKCS#8, PKCS#1 (RSA) or SEC1 (EC) private key. Checked here, so
    /// a bad file is an error naming the pattern before anything is sent.
    pub fn from_pem(pattern: &str, cert_pem: &[u8], key_pem: &[u8]) -> Result<Self, EngineError> {
        Self::from_pem_with_passphrase(pattern, cert_pem, key_pem, "")
    }

    /// As [`ClientIdentity::from_pem`], and `key_pem` may also be an encrypted PKCS#8 key
    /// (`ENCRYPTED PRIVATE KEY`), opened with `passphrase`. A wrong passphrase is an error
    /// naming the pattern.
    pub fn from_pem_with_passphrase(
        pattern: &str,
        cert_pem: &[u8],
        key_pem: &[u8],
        passphrase: &str,
    ) -> Result<Self, EngineError> {
        let pattern = HostPattern::parse(pattern)?;
        let text = String::from_utf8_lossy(key_pem);
        if text.contains("Proc-Type: 4,ENCRYPTED") {
            return Err(bad(
                &pattern,
                "the private key is encrypted in OpenSSL's legacy format; convert it to PKCS#8 \
                 (openssl pkcs8 -topk8) or export it without a passphrase"
                    .into(),
            ));
        }
        if text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
            let key =
                keys::decrypt_pkcs8(key_pem, passphrase).map_err(|e| key_error(&pattern, e))?;
            return Self::build(pattern, cert_pem, key.as_bytes());
        }
        Self::build(pattern, cert_pem, key_pem)
    }

    /// An identity from a PKCS#12 bundle (`.p12`/`.pfx`, DER) and its password: the first
    /// private key with its certificate chain. A wrong password is an error naming the pattern.
    pub fn from_pkcs12(pattern: &str, der: &[u8], password: &str) -> Result<Self, EngineError> {
        let pattern = HostPattern::parse(pattern)?;
        let (cert, key) = keys::open_pkcs12(der, password).map_err(|e| key_error(&pattern, e))?;
        Self::build(pattern, cert.as_bytes(), key.as_bytes())
    }

    fn build(pattern: HostPattern, cert_pem: &[u8], key_pem: &[u8]) -> Result<Self, EngineError> {
        let text = String::from_utf8_lossy(key_pem);
        if text.contains("ENCRYPTED PRIVATE KEY") {
            return Err(key_error(&pattern, keys::KeyError::NeedsPassphrase));
        }
        if !String::from_utf8_lossy(cert_pem).contains("-----BEGIN CERTIFICATE-----") {
            return Err(bad(
                &pattern,
                "the certificate file holds no PEM certificate".into(),
            ));
        }
        if !text.contains("PRIVATE KEY-----") {
            return Err(bad(
                &pattern,
                "the key file holds no PEM private key".into(),
            ));
        }
        let mut pem = cert_pem.to_vec();
        pem.push(b'\n');
        pem.extend_from_slice(key_pem);
        reqwest::Identity::from_pem(&pem).map_err(|e| bad(&pattern, e.to_string()))?;
        let digest = Sha256::digest(&pem).into();
        Ok(Self {
            pattern,
            pem,
            digest,
        })
    }

    pub fn pattern(&self) -> &HostPattern {
        &self.pattern
    }

    pub(crate) fn digest(&self) -> [u8; 32] {
        self.digest
    }

    /// The certificate chain followed by the key, PEM.
    pub(crate) fn pem(&self) -> &[u8] {
        &self.pem
    }

    pub(crate) fn reqwest_identity(&self) -> Result<reqwest::Identity, EngineError> {
        reqwest::Identity::from_pem(&self.pem)
            .map_err(|e| EngineError::Internal(format!("client certificate: {e}")))
    }
}

/// The first identity whose pattern matches `url` (an https URL only: a certificate never goes
/// over plain http).
pub(crate) fn identity_for<'a>(
    identities: &'a [ClientIdentity],
    url: &Url,
) -> Option<&'a ClientIdentity> {
    if url.scheme() != "https" {
        return None;
    }
    identities.iter().find(|i| i.pattern.matches(url))
}

fn bad(pattern: &HostPattern, what: String) -> EngineError {
    EngineError::InvalidRequest(format!(
        "the client certificate for {}: {what}",
        pattern_text(pattern)
    ))
}

/// A key that cannot be opened: over a budget is `TooLarge`, anything else a bad request.
fn key_error(pattern: &HostPattern, e: keys::KeyError) -> EngineError {
    match e {
        keys::KeyError::OverBudget { .. } => EngineError::OverBudget(format!(
            "the client certificate for {}: {e}",
            pattern_text(pattern)
        )),
        other => bad(pattern, other.to_string()),
    }
}

fn pattern_text(p: &HostPattern) -> String {
    let star = if p.wildcard { "*." } else { "" };
    match p.port {
        Some(port) => format!("{star}{}:{port}", p.host),
        None => format!("{star}{}", p.host),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn exact_wildcard_and_port_patterns() {
        let exact = HostPattern::parse("API.example.com").unwrap();
        assert!(exact.matches(&url("https://api.example.com/x")));
        assert!(exact.matches(&url("https://api.example.com:8443/x")));
        assert!(!exact.matches(&url("https://www.example.com/")));

        let wild = HostPattern::parse("*.example.com").unwrap();
        assert!(wild.matches(&url("https://a.b.example.com/")));
        assert!(!wild.matches(&url("https://example.com/")));
        assert!(!wild.matches(&url("https://badexample.com/")));

        let port = HostPattern::parse("localhost:8443").unwrap();
        assert!(port.matches(&url("https://localhost:8443/")));
        assert!(!port.matches(&url("https://localhost/")));
        assert!(HostPattern::parse("localhost:443")
            .unwrap()
            .matches(&url("https://localhost/")));
    }

    #[test]
    fn bad_patterns_are_named() {
        for bad in ["", "*", "a.*.com", "host:port", "https://x.com"] {
            let err = HostPattern::parse(bad).unwrap_err().to_string();
            assert!(err.contains("host pattern"), "{bad}: {err}");
        }
    }
}
