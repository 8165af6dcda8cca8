//! A usable token for a request, from the store when it is still good, else refreshed, else (for
//! grants that need no user) obtained again; and the one recovery after a 401. Whatever fails
//! leaves no new token in the store; a refresh token the provider refused is forgotten.

use sextant_model::{OAuth2Config, OAuth2Grant};

use crate::key::{forget, load, save};
use crate::{
    after_unauthorized, grants, now_ms, AuthError, Recovery, TokenHttp, TokenKey, TokenSet,
    TokenStore,
};

/// Where the token handed out came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Stored,
    Refreshed,
    Obtained,
}

/// A token for `config` under `key`: the stored one while it is fresh (refresh skew
/// included), else a refreshed one, else a new one from a grant that needs no user. A grant
/// that needs the user (browser, device) answers [`AuthError::LoginRequired`].
pub async fn current_token(
    http: &TokenHttp<'_>,
    config: &OAuth2Config,
    store: &dyn TokenStore,
    key: &TokenKey,
) -> Result<(TokenSet, Source), AuthError> {
    if let Some(tokens) = load(store, key)? {
        if !tokens.needs_refresh(now_ms(), config.refresh_skew_secs) {
            return Ok((tokens, Source::Stored));
        }
        if tokens.refresh_token.is_some() {
            match refresh_and_save(http, config, store, key, &tokens).await {
                Ok(fresh) => return Ok((fresh, Source::Refreshed)),
                Err(e) if e.needs_new_login() => forget(store, key)?,
                Err(e) => return Err(e),
            }
        }
    }
    obtain_without_user(http, config, store, key)
        .await
        .map(|t| (t, Source::Obtained))
}

/// After a 401 to a request sent with `used`: a new token to retry with once, or the reason
/// there is none. `retried` is true when the 401 answered the retry itself (no second retry).
pub async fn recover_after_401(
    http: &TokenHttp<'_>,
    config: &OAuth2Config,
    store: &dyn TokenStore,
    key: &TokenKey,
    used: &TokenSet,
    retried: bool,
) -> Result<Option<TokenSet>, AuthError> {
    match after_unauthorized(401, config.grant, used.refresh_token.is_some(), retried) {
        Recovery::None => Ok(None),
        Recovery::Refresh => match refresh_and_save(http, config, store, key, used).await {
            Ok(fresh) => Ok(Some(fresh)),
            Err(e) if e.needs_new_login() => {
                forget(store, key)?;
                obtain_without_user(http, config, store, key)
                    .await
                    .map(Some)
            }
            Err(e) => Err(e),
        },
        Recovery::Reauthenticate => obtain_without_user(http, config, store, key)
            .await
            .map(Some),
        Recovery::NeedsUser => {
            forget(store, key)?;
            Err(AuthError::LoginRequired)
        }
    }
}

async fn refresh_and_save(
    http: &TokenHttp<'_>,
    config: &OAuth2Config,
    store: &dyn TokenStore,
    key: &TokenKey,
    tokens: &TokenSet,
) -> Result<TokenSet, AuthError> {
    let fresh = grants::refresh(http, config, tokens).await?;
    save(store, key, &fresh)?;
    Ok(fresh)
}

async fn obtain_without_user(
    http: &TokenHttp<'_>,
    config: &OAuth2Config,
    store: &dyn TokenStore,
    key: &TokenKey,
) -> Result<TokenSet, AuthError> {
    let tokens = match config.grant {
        OAuth2Grant::ClientCredentials => grants::client_credentials(http, config).await?,
        OAuth2Grant::Password => grants::password(http, config).await?,
        OAuth2Grant::AuthorizationCode | OAuth2Grant::DeviceCode | OAuth2Grant::Implicit => {
            return Err(AuthError::LoginRequired)
        }
    };
    save(store, key, &tokens)?;
    Ok(tokens)
}
