//! PKCE (RFC 7636) and the `state` value: random secrets a flow sends and checks.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::RngCore;
use sextant_model::PkceMethod;
use sha2::{Digest, Sha256};

/// A code verifier and the challenge sent for it.
#[derive(Clone, PartialEq, Eq)]
pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
    /// `S256` or `plain`, as the authorization request names it.
    pub method: &'static str,
}

impl std::fmt::Debug for Pkce {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pkce")
            .field("method", &self.method)
            .finish_non_exhaustive()
    }
}

impl Pkce {
    /// A fresh verifier (32 random bytes, 43 characters) and its challenge; `None` when off.
    pub fn generate(method: PkceMethod) -> Option<Pkce> {
        Self::from_verifier(random_token(32), method)
    }

    pub fn from_verifier(verifier: String, method: PkceMethod) -> Option<Pkce> {
        match method {
            PkceMethod::Off => None,
            PkceMethod::Plain => Some(Pkce {
                challenge: verifier.clone(),
                verifier,
                method: "plain",
            }),
            PkceMethod::S256 => Some(Pkce {
                challenge: URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())),
                verifier,
                method: "S256",
            }),
        }
    }
}

/// `bytes` random bytes as base64url: for `state`, `nonce` and verifiers.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_7636_appendix_b_vector() {
        let pkce = Pkce::from_verifier(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into(),
            PkceMethod::S256,
        )
        .unwrap();
        assert_eq!(
            pkce.challenge,
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert_eq!(pkce.method, "S256");
    }

    #[test]
    fn plain_sends_the_verifier_and_off_sends_nothing() {
        let plain = Pkce::generate(PkceMethod::Plain).unwrap();
        assert_eq!(plain.challenge, plain.verifier);
        assert!(Pkce::generate(PkceMethod::Off).is_none());
    }

    #[test]
    fn verifiers_are_long_enough_and_fresh() {
        let a = Pkce::generate(PkceMethod::S256).unwrap();
        let b = Pkce::generate(PkceMethod::S256).unwrap();
        assert_eq!(
            a.verifier.len(),
            43,
            "RFC 7636 asks for 43 to 128 characters"
        );
        assert_ne!(a.verifier, b.verifier);
    }
}
