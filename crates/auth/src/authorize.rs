//! The authorization code grant through the system browser: bind the loopback listener (so the
//! redirect URI is known before anything opens), build the authorization URL with `state` and
//! PKCE, open the browser, take the one callback, exchange the code.
//!
//! The implicit grant runs the same way with `response_type=token`: the token arrives in the
//! redirect's fragment, relayed by the listener's page, and there is no exchange. RFC 9700
//! (OAuth 2.0 Security BCP) says not to use it: the token passes through the browser's history
//! and no refresh token is issued. It is here for old providers only.

use std::time::Duration;

use std::collections::HashMap;

use sextant_model::{OAuth2Config, OAuth2Grant, OAuth2Redirect};
use url::Url;

use crate::grants::{exchange_code, required};
use crate::loopback::ResponseMode;
use crate::token::{now_ms, TokenResponse};
use crate::{random_token, AuthError, Launcher, Loopback, Pkce, TokenHttp, TokenSet};

/// A started authorization code flow: listener bound, URL built, browser not yet opened.
pub struct AuthorizationFlow {
    loopback: Loopback,
    state: String,
    pkce: Option<Pkce>,
    url: String,
}

impl AuthorizationFlow {
    /// Binds the loopback listener `config.redirect` asks for and builds the authorization URL.
    /// An embedded-window redirect is the shell's job, not this function's.
    pub async fn start(config: &OAuth2Config) -> Result<AuthorizationFlow, AuthError> {
        let OAuth2Redirect::Loopback { port, path } = &config.redirect else {
            return Err(AuthError::Unsupported(
                "an embedded-window redirect is caught by the app's window, not a loopback listener".into(),
            ));
        };
        let loopback = Loopback::bind(*port, path).await?;
        let state = random_token(24);
        let pkce = match config.grant {
            OAuth2Grant::Implicit => None,
            _ => Pkce::generate(config.pkce),
        };
        let url = authorization_url(config, loopback.redirect_uri(), &state, pkce.as_ref())?;
        Ok(AuthorizationFlow {
            loopback,
            state,
            pkce,
            url,
        })
    }

    /// The redirect URI to register with the provider (shown and copied by the UI).
    pub fn redirect_uri(&self) -> &str {
        self.loopback.redirect_uri()
    }

    pub fn authorization_url(&self) -> &str {
        &self.url
    }

    /// Opens the browser with `launcher`, waits up to `timeout` (or the cancel token of
    /// `http`) for the callback, and exchanges the code.
    pub async fn finish(
        self,
        http: &TokenHttp<'_>,
        config: &OAuth2Config,
        launcher: &Launcher,
        timeout: Duration,
    ) -> Result<TokenSet, AuthError> {
        let redirect_uri = self.loopback.redirect_uri().to_string();
        let _browser = launcher.open(&self.url)?;
        let issuer = match config.issuer.trim() {
            "" => config.authorization_url.as_str(),
            issuer => issuer,
        };
        let implicit = config.grant == OAuth2Grant::Implicit;
        let mode = match implicit {
            true => ResponseMode::Fragment,
            false => ResponseMode::Query,
        };
        let callback = self
            .loopback
            .wait_for(mode, &self.state, issuer, timeout, http.cancel_token())
            .await?;
        if implicit {
            return implicit_tokens(callback.params, config);
        }
        exchange_code(
            http,
            config,
            &callback.code,
            &redirect_uri,
            self.pkce.as_ref().map(|p| p.verifier.as_str()),
        )
        .await
    }
}

/// The token set an implicit callback carried in its fragment.
fn implicit_tokens(
    mut params: HashMap<String, String>,
    config: &OAuth2Config,
) -> Result<TokenSet, AuthError> {
    params.remove("state");
    let mut json = serde_json::Map::new();
    for (name, value) in params {
        let value = match (name.as_str(), value.parse::<u64>()) {
            ("expires_in", Ok(n)) => serde_json::Value::from(n),
            _ => serde_json::Value::String(value),
        };
        json.insert(name, value);
    }
    json.entry("token_type")
        .or_insert_with(|| serde_json::Value::String("bearer".into()));
    let response: TokenResponse =
        serde_json::from_value(serde_json::Value::Object(json)).map_err(|e| {
            AuthError::NotJson {
                what: "the implicit callback".into(),
                detail: e.to_string(),
            }
        })?;
    Ok(TokenSet::from_response(&response, now_ms(), &config.scopes))
}

/// The authorization request URL (RFC 6749 §4.1.1, RFC 7636 §4.3).
pub fn authorization_url(
    config: &OAuth2Config,
    redirect_uri: &str,
    state: &str,
    pkce: Option<&Pkce>,
) -> Result<String, AuthError> {
    let base = required(&config.authorization_url, "the authorization URL")?;
    let mut url = Url::parse(base)
        .map_err(|e| AuthError::Config(format!("the authorization URL is not a URL: {e}")))?;
    {
        let mut query = url.query_pairs_mut();
        query
            .append_pair(
                "response_type",
                match config.grant {
                    OAuth2Grant::Implicit => "token",
                    _ => "code",
                },
            )
            .append_pair("client_id", required(&config.client_id, "the client id")?)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("state", state);
        let scopes: Vec<&str> = config
            .scopes
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        if !scopes.is_empty() {
            query.append_pair("scope", &scopes.join(" "));
        }
        if let Some(pkce) = pkce {
            query
                .append_pair("code_challenge", &pkce.challenge)
                .append_pair("code_challenge_method", pkce.method);
        }
        if !config.audience.is_empty() {
            query.append_pair("audience", &config.audience);
        }
        if !config.resource.is_empty() {
            query.append_pair("resource", &config.resource);
        }
        for param in config
            .authorize_params
            .iter()
            .filter(|p| p.enabled && !p.name.is_empty())
        {
            query.append_pair(&param.name, &param.value);
        }
    }
    Ok(url.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sextant_model::{KeyValue, PkceMethod};

    #[test]
    fn the_url_carries_state_pkce_scopes_and_extras() {
        let config = OAuth2Config {
            authorization_url: "https://idp.example/auth?tenant=t1".into(),
            client_id: "cli".into(),
            scopes: vec!["openid".into(), "api".into()],
            resource: "urn:sextant:api".into(),
            authorize_params: vec![KeyValue::new("prompt", "consent")],
            ..Default::default()
        };
        let pkce = Pkce::generate(PkceMethod::S256).unwrap();
        let url = authorization_url(&config, "http://127.0.0.1:5000/callback", "st", Some(&pkce))
            .unwrap();
        let parsed = Url::parse(&url).unwrap();
        let q: std::collections::HashMap<_, _> = parsed.query_pairs().into_owned().collect();
        assert_eq!(q["tenant"], "t1");
        assert_eq!(q["response_type"], "code");
        assert_eq!(q["redirect_uri"], "http://127.0.0.1:5000/callback");
        assert_eq!(q["scope"], "openid api");
        assert_eq!(q["code_challenge"], pkce.challenge);
        assert_eq!(q["code_challenge_method"], "S256");
        assert_eq!(q["resource"], "urn:sextant:api");
        assert_eq!(q["prompt"], "consent");
        assert!(
            !url.contains(&pkce.verifier),
            "the verifier never leaves the app"
        );
    }
}
