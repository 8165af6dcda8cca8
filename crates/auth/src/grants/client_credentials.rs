//! The client credentials grant (RFC 6749 §4.4), with `client_secret_basic` or
//! `client_secret_post`. No user is involved, so it can also re-authenticate after a 401.

use sextant_model::OAuth2Config;

use super::{client, extra_params, finish, scopes};
use crate::{AuthError, TokenHttp, TokenSet};

pub async fn client_credentials(
    http: &TokenHttp<'_>,
    config: &OAuth2Config,
) -> Result<TokenSet, AuthError> {
    let client = client(config)?;
    let mut request = client
        .exchange_client_credentials()
        .add_scopes(scopes(config));
    for (name, value) in extra_params(config) {
        request = request.add_extra_param(name, value);
    }
    finish(request.request_async(http).await, config)
}
