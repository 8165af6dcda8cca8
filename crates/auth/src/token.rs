//! What a sign-in yields: the token set, when it expires, and what it looks like when shown
//! (secrets masked).

use oauth2::basic::BasicTokenType;
use oauth2::{ExtraTokenFields, StandardTokenResponse, TokenResponse as _};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::jwt;

/// The fields of a token response beyond RFC 6749's: OIDC's `id_token` and whatever else the
/// provider sent (kept for the raw view).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExtraFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl ExtraTokenFields for ExtraFields {}

/// The token response as the `oauth2` crate reads it.
pub type TokenResponse = StandardTokenResponse<ExtraFields, BasicTokenType>;

const MASK: &str = "•••";
const SECRET_FIELDS: [&str; 3] = ["access_token", "refresh_token", "id_token"];

/// One set of tokens. `Debug` never prints a token.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenSet {
    pub access_token: String,
    pub token_type: String,
    pub refresh_token: Option<String>,
    pub id_token: Option<String>,
    /// Unix milliseconds; from `expires_in`, else the access token's JWT `exp`, else unknown.
    pub expires_at_ms: Option<u64>,
    /// The scopes the provider says it granted (the requested ones when it does not say).
    pub scopes_granted: Vec<String>,
    pub obtained_at_ms: u64,
    /// The token response as received. Holds the tokens: show it through [`TokenSet::raw_masked`].
    pub raw: Value,
}

impl std::fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSet")
            .field("token_type", &self.token_type)
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| MASK))
            .field("id_token", &self.id_token.as_ref().map(|_| MASK))
            .field("expires_at_ms", &self.expires_at_ms)
            .field("scopes_granted", &self.scopes_granted)
            .finish_non_exhaustive()
    }
}

impl TokenSet {
    /// Reads a token response received at `now_ms` for a request that asked for `requested`.
    pub fn from_response(response: &TokenResponse, now_ms: u64, requested: &[String]) -> Self {
        let access_token = response.access_token().secret().clone();
        let expires_at_ms = match response.expires_in() {
            Some(d) => Some(now_ms.saturating_add(d.as_millis() as u64)),
            None => jwt::decode_unverified(&access_token)
                .ok()
                .and_then(|t| t.exp())
                .map(|exp| exp.saturating_mul(1000)),
        };
        let scopes_granted = match response.scopes() {
            Some(scopes) => scopes.iter().map(|s| s.to_string()).collect(),
            None => requested.to_vec(),
        };
        TokenSet {
            access_token,
            token_type: response.token_type().as_ref().to_string(),
            refresh_token: response.refresh_token().map(|t| t.secret().clone()),
            id_token: response.extra_fields().id_token.clone(),
            expires_at_ms,
            scopes_granted,
            obtained_at_ms: now_ms,
            raw: serde_json::to_value(response).unwrap_or(Value::Null),
        }
    }

    /// True when the token expires within `skew_secs` of `now_ms` (or already has). A token with
    /// no known expiry is used until the API rejects it.
    pub fn needs_refresh(&self, now_ms: u64, skew_secs: u32) -> bool {
        self.expires_at_ms
            .is_some_and(|at| now_ms.saturating_add(u64::from(skew_secs) * 1000) >= at)
    }

    /// The set after a refresh answered with `fresh`: a response without a refresh token (or id
    /// token) keeps the old one (RFC 6749 §6).
    pub fn refreshed(&self, mut fresh: TokenSet) -> TokenSet {
        if fresh.refresh_token.is_none() {
            fresh.refresh_token = self.refresh_token.clone();
        }
        if fresh.id_token.is_none() {
            fresh.id_token = self.id_token.clone();
        }
        fresh
    }

    /// The raw response with every token replaced by `•••`.
    pub fn raw_masked(&self) -> Value {
        let mut raw = self.raw.clone();
        if let Value::Object(map) = &mut raw {
            for field in SECRET_FIELDS {
                if let Some(v) = map.get_mut(field) {
                    *v = Value::String(MASK.into());
                }
            }
        }
        raw
    }
}

/// Now, in Unix milliseconds.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;

    fn response(json: Value) -> TokenResponse {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn expiry_comes_from_expires_in() {
        let set = TokenSet::from_response(
            &response(
                serde_json::json!({"access_token":"a","token_type":"Bearer","expires_in":60,"scope":"openid api"}),
            ),
            1_000_000,
            &[],
        );
        assert_eq!(set.expires_at_ms, Some(1_060_000));
        assert_eq!(set.scopes_granted, ["openid", "api"]);
        assert!(!set.needs_refresh(1_000_000, 30));
        assert!(set.needs_refresh(1_030_000, 30), "inside the skew");
        assert!(set.needs_refresh(1_070_000, 0), "past expiry");
    }

    #[test]
    fn without_expires_in_the_jwt_exp_counts_else_no_expiry() {
        let jwt = format!(
            "{}.{}.s",
            URL_SAFE_NO_PAD.encode("{}"),
            URL_SAFE_NO_PAD.encode(r#"{"exp":2000}"#)
        );
        let set = TokenSet::from_response(
            &response(serde_json::json!({"access_token": jwt, "token_type":"bearer"})),
            0,
            &["api".into()],
        );
        assert_eq!(set.expires_at_ms, Some(2_000_000));
        assert_eq!(
            set.scopes_granted,
            ["api"],
            "no scope in the answer: the requested ones"
        );
        let opaque = TokenSet::from_response(
            &response(serde_json::json!({"access_token":"opaque","token_type":"bearer"})),
            0,
            &[],
        );
        assert_eq!(opaque.expires_at_ms, None);
        assert!(!opaque.needs_refresh(u64::MAX / 2, 30));
    }

    #[test]
    fn a_refresh_without_refresh_token_keeps_the_old_one() {
        let old = TokenSet::from_response(
            &response(
                serde_json::json!({"access_token":"a1","token_type":"bearer","refresh_token":"r1","id_token":"i1"}),
            ),
            0,
            &[],
        );
        let fresh = TokenSet::from_response(
            &response(serde_json::json!({"access_token":"a2","token_type":"bearer"})),
            5,
            &[],
        );
        let merged = old.refreshed(fresh);
        assert_eq!(merged.access_token, "a2");
        assert_eq!(merged.refresh_token.as_deref(), Some("r1"));
        assert_eq!(merged.id_token.as_deref(), Some("i1"));
    }

    #[test]
    fn shown_forms_hide_every_token() {
        let set = TokenSet::from_response(
            &response(
                serde_json::json!({"access_token":"SECRET-A","token_type":"bearer","refresh_token":"SECRET-R","id_token":"SECRET-I","custom":"kept"}),
            ),
            0,
            &[],
        );
        let shown = format!("{set:?} {}", set.raw_masked());
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains("kept"), "{shown}");
    }
}
