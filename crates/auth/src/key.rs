//! Which token belongs to which sign-in. A [`TokenKey`] is formed from exactly what makes two
//! sign-ins different (environment, issuer or token URL, client id, sorted scopes, audience,
//! resource, grant, and the user of a password grant), so a token is never reused across them.
//! [`TokenStore`] is where tokens live; the app backs it with the encrypted secret store.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::Serialize;
use sextant_model::{OAuth2Config, OAuth2Grant};
use sha2::{Digest, Sha256};

use crate::{AuthError, TokenSet};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenKey {
    pub environment: String,
    /// The issuer when there is one, else the token URL.
    pub authority: String,
    pub client_id: String,
    /// Sorted, without duplicates: the order scopes were typed in does not matter.
    pub scopes: Vec<String>,
    pub audience: String,
    pub resource: String,
    pub grant: OAuth2Grant,
    /// The password grant's username (empty for the other grants): two users never share.
    pub user: String,
}

impl TokenKey {
    /// The key of `config` (already resolved) in `environment` (empty: none selected).
    pub fn new(environment: &str, config: &OAuth2Config) -> Self {
        let mut scopes: Vec<String> = config
            .scopes
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        scopes.sort();
        scopes.dedup();
        let authority = match config.issuer.trim() {
            "" => config.token_url.trim(),
            issuer => issuer.trim_end_matches('/'),
        };
        TokenKey {
            environment: environment.to_string(),
            authority: authority.to_string(),
            client_id: config.client_id.clone(),
            scopes,
            audience: config.audience.clone(),
            resource: config.resource.clone(),
            grant: config.grant,
            user: match config.grant {
                OAuth2Grant::Password => config.username.clone(),
                _ => String::new(),
            },
        }
    }

    /// The stable id: SHA-256 (hex) of the key's JSON form, prefixed `oauth2:`. Names a store
    /// entry without spelling out the parts.
    pub fn id(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        let digest = Sha256::digest(json);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        format!("oauth2:{hex}")
    }

    /// A readable label for the token panel: `client @ authority [scopes] (env)`.
    pub fn label(&self) -> String {
        let mut label = format!("{} @ {}", self.client_id, self.authority);
        if !self.user.is_empty() {
            label = format!("{} as {label}", self.user);
        }
        if !self.scopes.is_empty() {
            label.push_str(&format!(" [{}]", self.scopes.join(" ")));
        }
        if !self.environment.is_empty() {
            label.push_str(&format!(" ({})", self.environment));
        }
        label
    }
}

/// Why the place tokens are kept failed: the host store's own error, kept as the source.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct TokenStoreError(Box<dyn std::error::Error + Send + Sync>);

impl TokenStoreError {
    pub fn new(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self(Box::new(error))
    }
}

/// Somewhere to keep token sets as JSON by key id. The app implements it over the encrypted
/// secret store.
pub trait TokenStore: Send + Sync {
    fn get(&self, id: &str) -> Result<Option<String>, TokenStoreError>;
    fn put(&self, id: &str, json: &str) -> Result<(), TokenStoreError>;
    fn remove(&self, id: &str) -> Result<(), TokenStoreError>;
}

/// The token set kept under `key`, if any. An unreadable entry counts as none (a new sign-in
/// replaces it).
pub fn load(store: &dyn TokenStore, key: &TokenKey) -> Result<Option<TokenSet>, AuthError> {
    let json = store.get(&key.id())?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
}

pub fn save(store: &dyn TokenStore, key: &TokenKey, tokens: &TokenSet) -> Result<(), AuthError> {
    let json = serde_json::to_string(tokens).map_err(TokenStoreError::new)?;
    Ok(store.put(&key.id(), &json)?)
}

pub fn forget(store: &dyn TokenStore, key: &TokenKey) -> Result<(), AuthError> {
    Ok(store.remove(&key.id())?)
}

/// A [`TokenStore`] in memory, for tests and for hosts that keep nothing.
#[derive(Debug, Default)]
pub struct MemoryTokenStore {
    entries: Mutex<HashMap<String, String>>,
}

impl MemoryTokenStore {
    pub fn len(&self) -> usize {
        self.entries.lock().map(|e| e.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The memory store's lock was poisoned by a panic elsewhere.
#[derive(Debug, thiserror::Error)]
#[error("the in-memory token store is unusable after a panic")]
struct Poisoned;

impl MemoryTokenStore {
    fn entries(
        &self,
    ) -> Result<std::sync::MutexGuard<'_, HashMap<String, String>>, TokenStoreError> {
        self.entries
            .lock()
            .map_err(|_| TokenStoreError::new(Poisoned))
    }
}

impl TokenStore for MemoryTokenStore {
    fn get(&self, id: &str) -> Result<Option<String>, TokenStoreError> {
        Ok(self.entries()?.get(id).cloned())
    }

    fn put(&self, id: &str, json: &str) -> Result<(), TokenStoreError> {
        self.entries()?.insert(id.to_string(), json.to_string());
        Ok(())
    }

    fn remove(&self, id: &str) -> Result<(), TokenStoreError> {
        self.entries()?.remove(id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> OAuth2Config {
        OAuth2Config {
            issuer: "http://127.0.0.1:9/".into(),
            client_id: "cli".into(),
            scopes: vec!["openid".into(), "api".into()],
            ..Default::default()
        }
    }

    #[test]
    fn scope_order_and_a_trailing_slash_do_not_change_the_key() {
        let mut other = config();
        other.scopes = vec!["api".into(), "openid".into(), "api".into()];
        other.issuer = "http://127.0.0.1:9".into();
        assert_eq!(
            TokenKey::new("dev", &config()).id(),
            TokenKey::new("dev", &other).id()
        );
        assert_eq!(
            TokenKey::new("dev", &config()).id().len(),
            "oauth2:".len() + 64
        );
    }

    #[test]
    fn every_part_of_the_key_separates_tokens() {
        let base = TokenKey::new("dev", &config()).id();
        let variants = [
            TokenKey::new("prod", &config()),
            TokenKey::new(
                "dev",
                &OAuth2Config {
                    client_id: "other".into(),
                    ..config()
                },
            ),
            TokenKey::new(
                "dev",
                &OAuth2Config {
                    scopes: vec!["openid".into()],
                    ..config()
                },
            ),
            TokenKey::new(
                "dev",
                &OAuth2Config {
                    audience: "x".into(),
                    ..config()
                },
            ),
            TokenKey::new(
                "dev",
                &OAuth2Config {
                    resource: "urn:x".into(),
                    ..config()
                },
            ),
            TokenKey::new(
                "dev",
                &OAuth2Config {
                    grant: OAuth2Grant::DeviceCode,
                    ..config()
                },
            ),
            TokenKey::new(
                "dev",
                &OAuth2Config {
                    issuer: "http://127.0.0.1:10".into(),
                    ..config()
                },
            ),
        ];
        for key in variants {
            assert_ne!(key.id(), base, "{}", key.label());
        }
        let alice = OAuth2Config {
            grant: OAuth2Grant::Password,
            username: "alice".into(),
            ..config()
        };
        let bob = OAuth2Config {
            username: "bob".into(),
            ..alice.clone()
        };
        assert_ne!(
            TokenKey::new("dev", &alice).id(),
            TokenKey::new("dev", &bob).id()
        );
    }

    #[test]
    fn the_label_names_the_parts() {
        let label = TokenKey::new("dev", &config()).label();
        assert_eq!(label, "cli @ http://127.0.0.1:9 [api openid] (dev)");
    }
}
