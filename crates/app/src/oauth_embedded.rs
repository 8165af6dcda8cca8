//! The authorization code sign-in for providers that refuse loopback redirects: the shell shows
//! the provider's pages in a window of its own, and catches the navigation to the registered
//! redirect URI (any scheme, `https://` included) before it leaves the window. The window is the
//! shell's; this module is the two halves around it, so they are tested without a window:
//! [`App::oauth_embedded_start`] builds the authorization URL and keeps `state`, the PKCE
//! verifier and the resolved config under an id, [`App::oauth_embedded_finish`] takes the caught
//! URL, checks it and exchanges the code through the engine, [`App::oauth_embedded_cancel`]
//! forgets a sign-in whose window was closed.
//!
//! A callback is taken once: finishing (or failing to) forgets the sign-in, so a replayed or
//! forged URL never gets a second try (RFC 6749 §10.12), the same rule as the loopback listener.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use sextant_auth::{random_token, AuthError, Pkce};
use sextant_engine::CancellationToken;
use sextant_model::{ApiError, ErrorCode, OAuth2Grant, OAuth2Redirect, SavedRequest};
use url::Url;

use crate::oauth::{status, OAuthUse, TokenStatus, SIGN_IN_TIMEOUT};
use crate::send::SendContext;
use crate::App;

/// The most embedded sign-ins waiting at once (each is a window on screen).
pub const MAX_PENDING_SIGN_INS: usize = 8;

/// An embedded sign-in started: open a window on `authorization_url` and hand the first
/// navigation that [`EmbeddedSignIn::catches`] to [`App::oauth_embedded_finish`] with `id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbeddedSignIn {
    pub id: String,
    pub authorization_url: String,
    pub redirect_uri: String,
}

impl EmbeddedSignIn {
    /// True when `url` is the provider sending the user back: the redirect URI's scheme, host,
    /// port and path, whatever the query and fragment.
    pub fn catches(&self, url: &str) -> bool {
        same_endpoint(url, &self.redirect_uri)
    }
}

/// What a started sign-in needs to finish.
struct Waiting {
    use_: OAuthUse,
    redirect_uri: String,
    state: String,
    verifier: Option<String>,
    started: Instant,
}

/// The embedded sign-ins waiting for their callback, by id.
#[derive(Default)]
pub(crate) struct Pending(Mutex<HashMap<String, Waiting>>);

fn same_endpoint(url: &str, redirect_uri: &str) -> bool {
    let (Ok(a), Ok(b)) = (Url::parse(url), Url::parse(redirect_uri)) else {
        return false;
    };
    a.scheme() == b.scheme()
        && a.host_str().map(str::to_ascii_lowercase) == b.host_str().map(str::to_ascii_lowercase)
        && a.port_or_known_default() == b.port_or_known_default()
        && a.path() == b.path()
}

/// The code the callback carries, after checking its `state` and any error it reports.
fn code_of(callback: &Url, state: &str) -> Result<String, AuthError> {
    let params: HashMap<String, String> = callback.query_pairs().into_owned().collect();
    if params.get("state").map(String::as_str) != Some(state) {
        return Err(AuthError::StateMismatch);
    }
    if let Some(error) = params.get("error") {
        let description = params.get("error_description").cloned();
        return Err(match error.as_str() {
            "access_denied" => AuthError::AccessDenied { description },
            "invalid_client" => AuthError::InvalidClient { description },
            "invalid_grant" => AuthError::InvalidGrant { description },
            other => AuthError::Provider {
                error: other.to_string(),
                description,
            },
        });
    }
    match params.get("code") {
        Some(code) if !code.is_empty() => Ok(code.clone()),
        _ => Err(AuthError::MissingCallbackParam("code")),
    }
}

impl App {
    /// Starts the embedded-window sign-in of `saved` in `context`: its auth must be OAuth 2.0's
    /// authorization code with the embedded-window redirect.
    pub async fn oauth_embedded_start(
        &self,
        saved: SavedRequest,
        context: SendContext,
    ) -> Result<EmbeddedSignIn, ApiError> {
        let cancel = CancellationToken::new();
        let use_ = self.oauth_of(&saved, &context, &cancel).await?;
        let OAuth2Redirect::EmbeddedWindow { redirect_uri } = &use_.config.redirect else {
            return Err(ApiError::new(
                ErrorCode::InvalidRequest,
                "this sign-in redirects to a loopback address: it runs in the system browser, not in the app's window",
            ));
        };
        if use_.config.grant != OAuth2Grant::AuthorizationCode {
            return Err(ApiError::new(
                ErrorCode::InvalidRequest,
                "the app's sign-in window runs the authorization code grant only (the implicit grant is discouraged by RFC 9700)",
            ));
        }
        let redirect_uri = redirect_uri.trim().to_string();
        Url::parse(&redirect_uri).map_err(|e| {
            ApiError::new(
                ErrorCode::InvalidRequest,
                format!("the redirect URI {redirect_uri:?} is not a URL: {e}"),
            )
        })?;
        let state = random_token(24);
        let pkce = Pkce::generate(use_.config.pkce);
        let authorization_url =
            sextant_auth::authorization_url(&use_.config, &redirect_uri, &state, pkce.as_ref())?;
        let id = random_token(16);
        let mut pending = self
            .embedded_sign_ins
            .0
            .lock()
            .map_err(|_| ApiError::new(ErrorCode::Internal, "the sign-in list is poisoned"))?;
        pending.retain(|_, w| w.started.elapsed() < SIGN_IN_TIMEOUT);
        if pending.len() >= MAX_PENDING_SIGN_INS {
            return Err(ApiError::new(
                ErrorCode::TooLarge,
                format!(
                    "{MAX_PENDING_SIGN_INS} sign-in windows are open already (the budget): finish or close one first"
                ),
            ));
        }
        pending.insert(
            id.clone(),
            Waiting {
                use_,
                redirect_uri: redirect_uri.clone(),
                state,
                verifier: pkce.map(|p| p.verifier),
                started: Instant::now(),
            },
        );
        Ok(EmbeddedSignIn {
            id,
            authorization_url,
            redirect_uri,
        })
    }

    /// Finishes sign-in `id` with the URL the provider sent the window to: checks `state` and
    /// any error, exchanges the code and keeps the token. The sign-in is forgotten either way.
    pub async fn oauth_embedded_finish(
        &self,
        id: &str,
        callback_url: &str,
    ) -> Result<TokenStatus, ApiError> {
        let waiting = self
            .embedded_sign_ins
            .0
            .lock()
            .ok()
            .and_then(|mut p| p.remove(id))
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::NotFound,
                    "this sign-in is over (finished, cancelled or never started)",
                )
            })?;
        if waiting.started.elapsed() >= SIGN_IN_TIMEOUT {
            return Err(AuthError::TimedOut(SIGN_IN_TIMEOUT.as_secs()).into());
        }
        let callback = Url::parse(callback_url)
            .ok()
            .filter(|_| same_endpoint(callback_url, &waiting.redirect_uri))
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::InvalidRequest,
                    format!(
                        "the sign-in ended on a page that is not the redirect URI {}",
                        waiting.redirect_uri
                    ),
                )
            })?;
        let code = code_of(&callback, &waiting.state)?;
        let cancel = CancellationToken::new();
        let config = &waiting.use_.config;
        let tokens = sextant_auth::grants::exchange_code(
            &self.token_http(&cancel),
            config,
            &code,
            &waiting.redirect_uri,
            waiting.verifier.as_deref(),
        )
        .await?;
        sextant_auth::save(&self.token_store()?, &waiting.use_.key, &tokens)?;
        Ok(status(&waiting.use_, Some(&tokens)))
    }

    /// Forgets sign-in `id` (its window was closed); true when it was still waiting.
    pub fn oauth_embedded_cancel(&self, id: &str) -> bool {
        self.embedded_sign_ins
            .0
            .lock()
            .map(|mut p| p.remove(id).is_some())
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_redirect_is_matched_by_scheme_host_port_and_path() {
        let r = "https://app.example.test/callback";
        assert!(same_endpoint(
            "https://APP.example.test/callback?code=x&state=y",
            r
        ));
        assert!(same_endpoint(
            "https://app.example.test:443/callback#frag",
            r
        ));
        assert!(!same_endpoint("http://app.example.test/callback?code=x", r));
        assert!(!same_endpoint("https://app.example.test/callback/x", r));
        assert!(!same_endpoint("https://app.example.test:8443/callback", r));
        assert!(!same_endpoint("https://evil.test/callback", r));
        assert!(!same_endpoint("not a url", r));
    }

    #[test]
    fn the_callback_is_judged_state_first() {
        let url = |q: &str| Url::parse(&format!("https://a.test/cb?{q}")).unwrap();
        assert!(matches!(
            code_of(&url("code=c&state=wrong"), "s"),
            Err(AuthError::StateMismatch)
        ));
        assert!(matches!(
            code_of(&url("error=access_denied"), "s"),
            Err(AuthError::StateMismatch)
        ));
        assert!(matches!(
            code_of(&url("error=access_denied&state=s"), "s"),
            Err(AuthError::AccessDenied { .. })
        ));
        assert!(matches!(
            code_of(&url("state=s"), "s"),
            Err(AuthError::MissingCallbackParam("code"))
        ));
        assert_eq!(code_of(&url("code=c1&state=s"), "s").unwrap(), "c1");
    }
}
