//! The authorization code's exchange at the token endpoint (RFC 6749 §4.1.3), with the PKCE
//! verifier. Getting the code is [`crate::authorize`]'s job.

use oauth2::{AuthorizationCode, PkceCodeVerifier, RedirectUrl};
use sextant_model::OAuth2Config;

use super::{client, extra_params, finish};
use crate::{AuthError, TokenHttp, TokenSet};

/// Exchanges `code`, received on `redirect_uri`, for tokens.
pub async fn exchange_code(
    http: &TokenHttp<'_>,
    config: &OAuth2Config,
    code: &str,
    redirect_uri: &str,
    pkce_verifier: Option<&str>,
) -> Result<TokenSet, AuthError> {
    let redirect = RedirectUrl::new(redirect_uri.to_string())
        .map_err(|e| AuthError::Config(format!("the redirect URI is not a URL: {e}")))?;
    let client = client(config)?.set_redirect_uri(redirect);
    let mut request = client.exchange_code(AuthorizationCode::new(code.to_string()));
    if let Some(verifier) = pkce_verifier {
        request = request.set_pkce_verifier(PkceCodeVerifier::new(verifier.to_string()));
    }
    for (name, value) in extra_params(config) {
        request = request.add_extra_param(name, value);
    }
    finish(request.request_async(http).await, config)
}
