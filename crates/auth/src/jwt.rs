//! Reading a JWT's header and claims without checking its signature: enough to show them in the
//! token panel and to learn `exp` when the token response has no `expires_in`. Nothing here
//! trusts a claim for a security decision.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{Map, Value};

/// A decoded, **unverified** JWT: the signature was not checked.
#[derive(Debug, Clone, PartialEq)]
pub struct UnverifiedJwt {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
}

impl UnverifiedJwt {
    /// The `exp` claim in Unix seconds, when it is a number.
    pub fn exp(&self) -> Option<u64> {
        self.claims.get("exp").and_then(Value::as_u64)
    }
}

/// Why a token is not a readable JWT (most opaque access tokens are not JWTs, which is fine).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    #[error("not a JWT: expected three dot-separated parts")]
    Shape,
    #[error("the JWT's {0} is not base64url")]
    Base64(&'static str),
    #[error("the JWT's {0} is not a JSON object")]
    Json(&'static str),
}

/// Decodes `token`'s header and claims; the signature is not checked.
pub fn decode_unverified(token: &str) -> Result<UnverifiedJwt, JwtError> {
    let mut parts = token.split('.');
    let (Some(header), Some(claims), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Shape);
    };
    Ok(UnverifiedJwt {
        header: object(header, "header")?,
        claims: object(claims, "claims")?,
    })
}

fn object(part: &str, what: &'static str) -> Result<Map<String, Value>, JwtError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|_| JwtError::Base64(what))?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(JwtError::Json(what)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(value: &str) -> String {
        URL_SAFE_NO_PAD.encode(value)
    }

    #[test]
    fn header_and_claims_are_read_and_exp_found() {
        let token = format!(
            "{}.{}.sig",
            encode(r#"{"alg":"RS256","kid":"k1"}"#),
            encode(r#"{"sub":"alice","exp":1700000000,"aud":"urn:sextant:api"}"#)
        );
        let jwt = decode_unverified(&token).unwrap();
        assert_eq!(jwt.header["alg"], "RS256");
        assert_eq!(jwt.claims["sub"], "alice");
        assert_eq!(jwt.exp(), Some(1_700_000_000));
    }

    #[test]
    fn opaque_and_broken_tokens_are_typed_errors() {
        assert_eq!(decode_unverified("token-alice"), Err(JwtError::Shape));
        assert_eq!(decode_unverified("a.b.c.d"), Err(JwtError::Shape));
        assert_eq!(
            decode_unverified("!!.e30.x"),
            Err(JwtError::Base64("header"))
        );
        let not_object = format!("{}.{}.x", encode("{}"), encode("[1]"));
        assert_eq!(
            decode_unverified(&not_object),
            Err(JwtError::Json("claims"))
        );
    }

    #[test]
    fn a_string_exp_is_no_expiry() {
        let token = format!("{}.{}.x", encode("{}"), encode(r#"{"exp":"soon"}"#));
        assert_eq!(decode_unverified(&token).unwrap().exp(), None);
    }
}
