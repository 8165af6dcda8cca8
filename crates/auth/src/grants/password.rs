//! The resource-owner password grant (RFC 6749 §4.3): FastAPI's `OAuth2PasswordBearer` login.

use oauth2::{ResourceOwnerPassword, ResourceOwnerUsername};
use sextant_model::OAuth2Config;

use super::{client, extra_params, finish, required, scopes};
use crate::{AuthError, TokenHttp, TokenSet};

pub async fn password(http: &TokenHttp<'_>, config: &OAuth2Config) -> Result<TokenSet, AuthError> {
    let client = client(config)?;
    let username = ResourceOwnerUsername::new(required(&config.username, "the username")?.into());
    let password = ResourceOwnerPassword::new(config.password.clone());
    let mut request = client
        .exchange_password(&username, &password)
        .add_scopes(scopes(config));
    for (name, value) in extra_params(config) {
        request = request.add_extra_param(name, value);
    }
    finish(request.request_async(http).await, config)
}
