//! Refreshing a token set (RFC 6749 §6). A response without a new refresh token keeps the old
//! one; `invalid_grant` is [`AuthError::InvalidGrant`], which the caller answers with a new
//! sign-in.

use oauth2::RefreshToken;
use sextant_model::OAuth2Config;

use super::{client, extra_params, finish};
use crate::{AuthError, TokenHttp, TokenSet};

pub async fn refresh(
    http: &TokenHttp<'_>,
    config: &OAuth2Config,
    current: &TokenSet,
) -> Result<TokenSet, AuthError> {
    let Some(refresh_token) = &current.refresh_token else {
        return Err(AuthError::InvalidGrant {
            description: Some("there is no refresh token; sign in again".into()),
        });
    };
    let client = client(config)?;
    let token = RefreshToken::new(refresh_token.clone());
    let mut request = client.exchange_refresh_token(&token);
    for (name, value) in extra_params(config) {
        request = request.add_extra_param(name, value);
    }
    let fresh = finish(request.request_async(http).await, config)?;
    Ok(current.refreshed(fresh))
}
