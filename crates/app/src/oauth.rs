//! OAuth 2.0 in the app: the token a send carries, the sign-in the user starts, and the token
//! panel. A request whose effective auth is OAuth 2.0 gets the token kept for its
//! [`TokenKey`] while it is fresh, else a refreshed one, else a new one when the grant needs no
//! user (client credentials, password); a grant that needs the user (browser, device) signs in
//! only when the user asks ([`App::oauth_sign_in`]). A 401 to a request that carried a token
//! refreshes (or signs in again without the user) and re-sends once (`send`).
//!
//! Tokens live in the workspace's encrypted secret store under the key's id: never in
//! collection files, drafts, history or exports. The key is formed from the environment and the
//! resolved config, so another client id, scope, user or environment never reuses a token.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sextant_auth::{
    AuthError, AuthorizationFlow, DeviceOptions, DevicePrompt, Launcher, ProviderMetadata,
    TokenHttp, TokenKey, TokenSet, TokenStore, TokenStoreError,
};
use sextant_engine::CancellationToken;
use sextant_model::{
    ApiError, ErrorCode, HttpRequest, KeyValue, OAuth2Config, OAuth2Grant, OAuth2Redirect,
    SavedRequest, TokenPlacement,
};
use sextant_store::workspace::Workspace;
use ts_rs::TS;

mod qr;

use crate::send::SendContext;
use crate::App;

/// The name of the request that stands for a folder's inherited auth (never written).
const INHERITING_REQUEST: &str = "sextant-auth-target.yaml";

/// How long the browser sign-in waits for its callback.
pub(crate) const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// A send's OAuth 2.0 sign-in: the resolved config and the key its token is kept under.
#[derive(Debug, Clone)]
pub(crate) struct OAuthUse {
    pub config: OAuth2Config,
    pub key: TokenKey,
}

/// The workspace's secret store as the place tokens are kept.
pub(crate) struct SecretTokens(Arc<Workspace>);

impl TokenStore for SecretTokens {
    fn get(&self, id: &str) -> Result<Option<String>, TokenStoreError> {
        self.0.secrets().get(id).map_err(TokenStoreError::new)
    }

    fn put(&self, id: &str, json: &str) -> Result<(), TokenStoreError> {
        self.0.secrets().set(id, json).map_err(TokenStoreError::new)
    }

    fn remove(&self, id: &str) -> Result<(), TokenStoreError> {
        self.0
            .secrets()
            .remove(id)
            .map(|_| ())
            .map_err(TokenStoreError::new)
    }
}

/// Providers' metadata already read, by issuer: discovery runs once per issuer per run.
#[derive(Default)]
pub(crate) struct Discovered(Mutex<HashMap<String, ProviderMetadata>>);

/// A JWT's parts as the token panel shows them. The signature is not checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JwtView {
    /// Pretty JSON.
    pub header: String,
    /// Pretty JSON.
    pub claims: String,
}

/// The token kept for one sign-in, secrets left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TokenView {
    pub token_type: String,
    pub has_refresh_token: bool,
    pub has_id_token: bool,
    pub scopes_granted: Vec<String>,
    /// Unix milliseconds; none when the provider said nothing and the token is not a JWT.
    pub expires_at_ms: Option<u64>,
    pub obtained_at_ms: u64,
    pub access_token_jwt: Option<JwtView>,
    pub id_token_jwt: Option<JwtView>,
    /// The token response as received, tokens masked, pretty JSON.
    pub raw_response: String,
}

/// What the token panel shows for a request's OAuth 2.0 sign-in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TokenStatus {
    /// `client @ authority [scopes] (environment)`.
    pub label: String,
    pub environment: String,
    pub authority: String,
    pub client_id: String,
    pub scopes: Vec<String>,
    pub grant: OAuth2Grant,
    /// The redirect URI to register with the provider, for the grants that use one.
    pub redirect_uri: Option<String>,
    pub token: Option<TokenView>,
}

/// What a sign-in asks the user to do while it waits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum SignInEvent {
    /// The browser was opened on this URL; the provider sends it back to `redirect_uri`.
    #[serde(rename_all = "camelCase")]
    Browser {
        authorization_url: String,
        redirect_uri: String,
    },
    /// Enter `user_code` at `verification_uri` (on any device).
    #[serde(rename_all = "camelCase")]
    Device {
        user_code: String,
        verification_uri: String,
        verification_uri_complete: Option<String>,
        expires_in_secs: u64,
        /// The QR code for `verification_uri_complete`, else `verification_uri`: rows of
        /// `'1'` (dark) and `'0'` (light) modules, no quiet zone; empty if it cannot be made.
        qr: Vec<String>,
    },
}

/// The redirect URI a user registers for `config`: the loopback one (any port when none is
/// fixed, as RFC 8252 §7.3 lets providers allow) or the embedded window's.
fn redirect_to_register(config: &OAuth2Config) -> Option<String> {
    if !matches!(
        config.grant,
        OAuth2Grant::AuthorizationCode | OAuth2Grant::Implicit
    ) {
        return None;
    }
    Some(match &config.redirect {
        OAuth2Redirect::Loopback {
            port: Some(p),
            path,
        } => format!("http://127.0.0.1:{p}{path}"),
        OAuth2Redirect::Loopback { port: None, path } => format!("http://127.0.0.1{path}"),
        OAuth2Redirect::EmbeddedWindow { redirect_uri } => redirect_uri.clone(),
    })
}

fn jwt_view(token: &str) -> Option<JwtView> {
    let jwt = sextant_auth::jwt::decode_unverified(token).ok()?;
    let pretty = |m| serde_json::to_string_pretty(&m).unwrap_or_default();
    Some(JwtView {
        header: pretty(jwt.header),
        claims: pretty(jwt.claims),
    })
}

fn token_view(tokens: &TokenSet) -> TokenView {
    TokenView {
        token_type: tokens.token_type.clone(),
        has_refresh_token: tokens.refresh_token.is_some(),
        has_id_token: tokens.id_token.is_some(),
        scopes_granted: tokens.scopes_granted.clone(),
        expires_at_ms: tokens.expires_at_ms,
        obtained_at_ms: tokens.obtained_at_ms,
        access_token_jwt: jwt_view(&tokens.access_token),
        id_token_jwt: tokens.id_token.as_deref().and_then(jwt_view),
        raw_response: serde_json::to_string_pretty(&tokens.raw_masked()).unwrap_or_default(),
    }
}

pub(crate) fn status(use_: &OAuthUse, tokens: Option<&TokenSet>) -> TokenStatus {
    TokenStatus {
        label: use_.key.label(),
        environment: use_.key.environment.clone(),
        authority: use_.key.authority.clone(),
        client_id: use_.key.client_id.clone(),
        scopes: use_.key.scopes.clone(),
        grant: use_.config.grant,
        redirect_uri: redirect_to_register(&use_.config),
        token: tokens.map(token_view),
    }
}

/// Puts the access token where `placement` says, unless the user wrote that row themselves, and
/// names it a credential (dropped on a redirect to another origin).
pub(crate) fn place_token(request: &mut HttpRequest, config: &OAuth2Config, tokens: &TokenSet) {
    let (rows, name, value) = match &config.placement {
        TokenPlacement::Header { prefix } => {
            let value = match prefix.trim() {
                "" => tokens.access_token.clone(),
                p => format!("{p} {}", tokens.access_token),
            };
            (&mut request.headers, "Authorization".to_string(), value)
        }
        TokenPlacement::Query { name } => {
            let name = match name.trim() {
                "" => "access_token",
                n => n,
            };
            (
                &mut request.query,
                name.to_string(),
                tokens.access_token.clone(),
            )
        }
    };
    let written = rows
        .iter()
        .any(|r| r.enabled && r.name.trim().eq_ignore_ascii_case(&name));
    if !written {
        rows.push(KeyValue::new(name.clone(), value));
        request.credentials.push(name);
    }
}

/// Replaces the token `place_token` added with `fresh`.
pub(crate) fn replace_token(request: &mut HttpRequest, old: &TokenSet, fresh: &TokenSet) {
    for row in request.headers.iter_mut().chain(request.query.iter_mut()) {
        if row.value.contains(&old.access_token) {
            row.value = row.value.replace(&old.access_token, &fresh.access_token);
        }
    }
}

fn login_required(config: &OAuth2Config) -> ApiError {
    let how = match config.grant {
        OAuth2Grant::DeviceCode => "on another device (device code)",
        _ => "in the browser",
    };
    ApiError::new(
        ErrorCode::InvalidRequest,
        format!(
            "This request signs in with OAuth 2.0 {how} and no valid token is kept for it: \
             press Get new token in the Auth tab (or run `sextant auth login`), then send again"
        ),
    )
}

impl App {
    pub(crate) fn token_store(&self) -> Result<SecretTokens, ApiError> {
        Ok(SecretTokens(self.workspace_handle()?))
    }

    pub(crate) fn token_http(&self, cancel: &CancellationToken) -> TokenHttp<'_> {
        let http = TokenHttp::new(&self.engine).with_cancel(cancel.clone());
        match self.token_exchange_recorder() {
            Some(recorder) => http.with_observer(recorder),
            None => http,
        }
    }

    /// Fills the endpoints an issuer's metadata gives, reading it once per issuer.
    async fn discovered(
        &self,
        mut config: OAuth2Config,
        cancel: &CancellationToken,
    ) -> Result<OAuth2Config, ApiError> {
        let issuer = config.issuer.trim().trim_end_matches('/').to_string();
        let needs = config.token_url.trim().is_empty()
            || (config.grant == OAuth2Grant::AuthorizationCode
                && config.authorization_url.trim().is_empty())
            || (config.grant == OAuth2Grant::DeviceCode
                && config.device_authorization_url.trim().is_empty());
        if issuer.is_empty() || !needs {
            return Ok(config);
        }
        let known = self
            .discovered
            .0
            .lock()
            .ok()
            .and_then(|m| m.get(&issuer).cloned());
        let metadata = match known {
            Some(m) => m,
            None => {
                let m = sextant_auth::discover(&self.token_http(cancel), &issuer).await?;
                if let Ok(mut map) = self.discovered.0.lock() {
                    map.insert(issuer, m.clone());
                }
                m
            }
        };
        metadata.fill(&mut config);
        Ok(config)
    }

    /// The OAuth 2.0 sign-in `saved` ends up with in `context` (its own auth or inherited),
    /// resolved; `None` when its auth is something else.
    pub(crate) async fn oauth_use(
        &self,
        config: Option<OAuth2Config>,
        context: &SendContext,
        cancel: &CancellationToken,
    ) -> Result<Option<OAuthUse>, ApiError> {
        let Some(config) = config else {
            return Ok(None);
        };
        let config = self.discovered(config, cancel).await?;
        let key = TokenKey::new(context.environment.as_deref().unwrap_or(""), &config);
        Ok(Some(OAuthUse { config, key }))
    }

    /// The token a send carries: kept, refreshed, or obtained without the user.
    pub(crate) async fn oauth_token(
        &self,
        use_: &OAuthUse,
        cancel: &CancellationToken,
    ) -> Result<TokenSet, ApiError> {
        let store = self.token_store()?;
        match sextant_auth::current_token(&self.token_http(cancel), &use_.config, &store, &use_.key)
            .await
        {
            Ok((tokens, _)) => Ok(tokens),
            Err(AuthError::LoginRequired) => Err(login_required(&use_.config)),
            Err(e) => Err(e.into()),
        }
    }

    /// After a 401 to a request that carried `used`: a fresh token to re-send with once, or
    /// `None` when nothing more can be done without the user.
    pub(crate) async fn oauth_recover(
        &self,
        use_: &OAuthUse,
        used: &TokenSet,
        cancel: &CancellationToken,
    ) -> Result<Option<TokenSet>, ApiError> {
        let store = self.token_store()?;
        match sextant_auth::recover_after_401(
            &self.token_http(cancel),
            &use_.config,
            &store,
            &use_.key,
            used,
            false,
        )
        .await
        {
            Ok(fresh) => Ok(fresh),
            Err(AuthError::LoginRequired) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The sign-in `saved` uses in `context`, or an error saying it uses none.
    pub(crate) async fn oauth_of(
        &self,
        saved: &SavedRequest,
        context: &SendContext,
        cancel: &CancellationToken,
    ) -> Result<OAuthUse, ApiError> {
        let config = self.oauth_config(saved, context).await?;
        self.oauth_use(config, context, cancel)
            .await?
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::InvalidRequest,
                    "this request's auth (its own or inherited) is not OAuth 2.0",
                )
            })
    }

    /// The request and context that stand for `path` (a request file, or a folder or collection
    /// whose auth a request inside would inherit) in `environment`: for the CLI's `auth`.
    pub async fn oauth_target(
        &self,
        path: &str,
        environment: Option<String>,
    ) -> Result<(SavedRequest, SendContext), ApiError> {
        let path = path.trim().trim_matches('/').to_string();
        if path.ends_with(".yaml") {
            let opened = self.request_open(path.clone()).await?;
            return Ok((opened.saved, SendContext::new(Some(path), environment)));
        }
        // Not a file: a request there would inherit the folder's auth; it need not exist.
        let inside = format!("{path}/{INHERITING_REQUEST}");
        let saved = SavedRequest::new("", HttpRequest::get(""));
        Ok((saved, SendContext::new(Some(inside), environment)))
    }

    /// A valid access token for `saved` in `context`: the kept one, refreshed when it is about
    /// to expire, or obtained when the grant needs no user.
    pub async fn oauth_access_token(
        &self,
        saved: SavedRequest,
        context: SendContext,
    ) -> Result<String, ApiError> {
        let cancel = CancellationToken::new();
        let use_ = self.oauth_of(&saved, &context, &cancel).await?;
        Ok(self.oauth_token(&use_, &cancel).await?.access_token)
    }

    /// Opens a sign-in address (the device grant's verification URI) with `launcher`. Only
    /// http and https addresses: the window never hands the system anything else to open.
    pub fn open_sign_in_address(&self, url: &str, launcher: &Launcher) -> Result<(), ApiError> {
        let parsed = url::Url::parse(url.trim()).map_err(|e| {
            ApiError::new(
                ErrorCode::InvalidUrl,
                format!("{url} is not an address: {e}"),
            )
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(ApiError::new(
                ErrorCode::InvalidUrl,
                format!(
                    "only http and https addresses are opened, not {}",
                    parsed.scheme()
                ),
            ));
        }
        launcher.open(parsed.as_str())?;
        Ok(())
    }

    /// What the token panel shows for `saved` in `context`.
    pub async fn oauth_status(
        &self,
        saved: SavedRequest,
        context: SendContext,
    ) -> Result<TokenStatus, ApiError> {
        let cancel = CancellationToken::new();
        let use_ = self.oauth_of(&saved, &context, &cancel).await?;
        let store = self.token_store()?;
        let tokens = sextant_auth::load(&store, &use_.key)?;
        Ok(status(&use_, tokens.as_ref()))
    }

    /// Forgets the token kept for `saved` in `context`.
    pub async fn oauth_forget(
        &self,
        saved: SavedRequest,
        context: SendContext,
    ) -> Result<TokenStatus, ApiError> {
        let cancel = CancellationToken::new();
        let use_ = self.oauth_of(&saved, &context, &cancel).await?;
        sextant_auth::forget(&self.token_store()?, &use_.key)?;
        Ok(status(&use_, None))
    }

    /// Refreshes the token kept for `saved` in `context` now.
    pub async fn oauth_refresh(
        &self,
        saved: SavedRequest,
        context: SendContext,
    ) -> Result<TokenStatus, ApiError> {
        let cancel = CancellationToken::new();
        let use_ = self.oauth_of(&saved, &context, &cancel).await?;
        let store = self.token_store()?;
        let Some(tokens) = sextant_auth::load(&store, &use_.key)? else {
            return Err(login_required(&use_.config));
        };
        let fresh =
            sextant_auth::grants::refresh(&self.token_http(&cancel), &use_.config, &tokens).await?;
        sextant_auth::save(&store, &use_.key, &fresh)?;
        Ok(status(&use_, Some(&fresh)))
    }

    /// Signs in with the grant `saved` uses in `context` and keeps the token: the browser
    /// (through `launcher`) and a loopback redirect for the authorization code, the user code
    /// for the device grant (both told to `on_event`), directly for the others. Cancellable
    /// through [`App::cancel_request`] with `request_id`.
    pub async fn oauth_sign_in(
        &self,
        request_id: &str,
        saved: SavedRequest,
        context: SendContext,
        launcher: &Launcher,
        on_event: &(dyn Fn(SignInEvent) + Send + Sync),
    ) -> Result<TokenStatus, ApiError> {
        let cancel = CancellationToken::new();
        let _guard = self.in_flight.register(request_id, cancel.clone())?;
        let use_ = self.oauth_of(&saved, &context, &cancel).await?;
        let http = self.token_http(&cancel);
        let config = &use_.config;
        let tokens = match config.grant {
            // The implicit grant (legacy) runs the same browser round trip; its token arrives in
            // the redirect's fragment, which the listener's relay page hands back.
            OAuth2Grant::AuthorizationCode | OAuth2Grant::Implicit => {
                let flow = AuthorizationFlow::start(config).await?;
                on_event(SignInEvent::Browser {
                    authorization_url: flow.authorization_url().to_string(),
                    redirect_uri: flow.redirect_uri().to_string(),
                });
                flow.finish(&http, config, launcher, SIGN_IN_TIMEOUT)
                    .await?
            }
            OAuth2Grant::DeviceCode => {
                let on_prompt = |p: &DevicePrompt| {
                    on_event(SignInEvent::Device {
                        user_code: p.user_code.clone(),
                        verification_uri: p.verification_uri.clone(),
                        verification_uri_complete: p.verification_uri_complete.clone(),
                        expires_in_secs: p.expires_in.as_secs(),
                        qr: qr::qr_rows(
                            p.verification_uri_complete
                                .as_deref()
                                .unwrap_or(&p.verification_uri),
                        ),
                    })
                };
                sextant_auth::device_flow(&http, config, on_prompt, &DeviceOptions::default())
                    .await?
            }
            OAuth2Grant::ClientCredentials => {
                sextant_auth::grants::client_credentials(&http, config).await?
            }
            OAuth2Grant::Password => sextant_auth::grants::password(&http, config).await?,
        };
        sextant_auth::save(&self.token_store()?, &use_.key, &tokens)?;
        Ok(status(&use_, Some(&tokens)))
    }
}
