//! How to obtain an OAuth 2.0 / OpenID Connect token: the settings a user fills in for one of the
//! five grants. Plain data; `sextant-auth` runs the flows. Every text field may hold
//! `{{variables}}`: the caller resolves them before handing the config to a flow.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::KeyValue;

/// Which OAuth 2.0 grant obtains the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum OAuth2Grant {
    /// Authorization code through the system browser (or an embedded window), with PKCE.
    #[default]
    AuthorizationCode,
    ClientCredentials,
    /// Resource-owner password (FastAPI's `OAuth2PasswordBearer` login).
    Password,
    /// RFC 8628: the user types a code on another device.
    DeviceCode,
    /// Legacy: the token arrives in the redirect's fragment. Discouraged by RFC 9700.
    Implicit,
}

/// How the client authenticates at the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum OAuth2ClientAuth {
    /// `client_secret_basic`: the id and secret in an `Authorization: Basic` header.
    #[default]
    Basic,
    /// `client_secret_post`: the id and secret in the form body.
    Post,
}

/// PKCE (RFC 7636) for the authorization code grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PkceMethod {
    #[default]
    S256,
    Plain,
    Off,
}

/// Where the provider sends the browser back to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum OAuth2Redirect {
    /// RFC 8252 §7.3: `http://127.0.0.1:{port}{path}`, served by Sextant for one callback.
    /// No port: an ephemeral one, chosen when the flow starts.
    Loopback {
        #[serde(default)]
        port: Option<u16>,
        #[serde(default = "callback_path")]
        path: String,
    },
    /// A window of Sextant's own that catches the navigation to this registered URI.
    #[serde(rename_all = "camelCase")]
    EmbeddedWindow { redirect_uri: String },
}

fn callback_path() -> String {
    "/callback".to_string()
}

impl Default for OAuth2Redirect {
    fn default() -> Self {
        Self::Loopback {
            port: None,
            path: callback_path(),
        }
    }
}

/// Where the access token goes on a request.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum TokenPlacement {
    /// `Authorization: {prefix} {token}`; an empty prefix sends the bare token.
    Header {
        #[serde(default = "bearer")]
        prefix: String,
    },
    /// `?{name}={token}`.
    Query { name: String },
}

fn bearer() -> String {
    "Bearer".to_string()
}

impl Default for TokenPlacement {
    fn default() -> Self {
        Self::Header { prefix: bearer() }
    }
}

/// One OAuth 2.0 configuration. Endpoints left empty are filled by discovery from `issuer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct OAuth2Config {
    pub grant: OAuth2Grant,
    /// The OpenID issuer (or RFC 8414 authorization server) whose metadata fills the endpoints.
    pub issuer: String,
    pub authorization_url: String,
    pub token_url: String,
    pub device_authorization_url: String,
    pub client_id: String,
    /// Empty for a public client.
    pub client_secret: String,
    pub client_auth: OAuth2ClientAuth,
    /// Password grant only.
    pub username: String,
    /// Password grant only.
    pub password: String,
    pub scopes: Vec<String>,
    pub audience: String,
    pub resource: String,
    /// Added to the authorization URL.
    pub authorize_params: Vec<KeyValue>,
    /// Added to every token request's form.
    pub token_params: Vec<KeyValue>,
    pub pkce: PkceMethod,
    pub redirect: OAuth2Redirect,
    pub placement: TokenPlacement,
    /// Refresh this many seconds before the token expires.
    pub refresh_skew_secs: u32,
}

impl Default for OAuth2Config {
    fn default() -> Self {
        Self {
            grant: OAuth2Grant::default(),
            issuer: String::new(),
            authorization_url: String::new(),
            token_url: String::new(),
            device_authorization_url: String::new(),
            client_id: String::new(),
            client_secret: String::new(),
            client_auth: OAuth2ClientAuth::default(),
            username: String::new(),
            password: String::new(),
            scopes: Vec::new(),
            audience: String::new(),
            resource: String::new(),
            authorize_params: Vec::new(),
            token_params: Vec::new(),
            pkce: PkceMethod::default(),
            redirect: OAuth2Redirect::default(),
            placement: TokenPlacement::default(),
            refresh_skew_secs: 30,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_config_reads_with_the_safe_defaults() {
        let config: OAuth2Config = serde_json::from_str(r#"{"clientId":"cli"}"#).unwrap();
        assert_eq!(config.client_id, "cli");
        assert_eq!(config.pkce, PkceMethod::S256);
        assert_eq!(
            config.redirect,
            OAuth2Redirect::Loopback {
                port: None,
                path: "/callback".into()
            }
        );
        assert_eq!(
            config.placement,
            TokenPlacement::Header {
                prefix: "Bearer".into()
            }
        );
        assert_eq!(config.refresh_skew_secs, 30);
    }

    #[test]
    fn variants_are_camel_case_on_the_wire() {
        let config = OAuth2Config {
            grant: OAuth2Grant::DeviceCode,
            client_auth: OAuth2ClientAuth::Post,
            redirect: OAuth2Redirect::EmbeddedWindow {
                redirect_uri: "https://app.example/cb".into(),
            },
            ..Default::default()
        };
        let json = serde_json::to_value(&config).unwrap();
        assert_eq!(json["grant"], "deviceCode");
        assert_eq!(json["clientAuth"], "post");
        assert_eq!(json["redirect"]["kind"], "embeddedWindow");
        assert_eq!(json["redirect"]["redirectUri"], "https://app.example/cb");
        let back: OAuth2Config = serde_json::from_value(json).unwrap();
        assert_eq!(back, config);
    }
}
