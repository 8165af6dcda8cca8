//! Token requests for each grant, sent with the `oauth2` crate over [`crate::TokenHttp`]. Each returns
//! a [`TokenSet`] or a typed [`AuthError`]; nothing is stored here.

mod client_credentials;
mod code;
mod password;
mod refresh;

pub use client_credentials::client_credentials;
pub use code::exchange_code;
pub use password::password;
pub use refresh::refresh;

use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
};
use oauth2::{
    AuthType, Client, ClientId, ClientSecret, EndpointNotSet, EndpointSet, RequestTokenError,
    StandardErrorResponse, StandardRevocableToken, TokenUrl,
};
use sextant_model::{OAuth2ClientAuth, OAuth2Config};

use crate::token::{now_ms, TokenResponse};
use crate::{AuthError, TokenSet};

/// An `oauth2` client with a token endpoint (and a device endpoint when `D` is set).
pub(crate) type OAuthClient<D = EndpointNotSet> = Client<
    BasicErrorResponse,
    TokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointNotSet,
    D,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

pub(crate) fn required<'a>(value: &'a str, what: &str) -> Result<&'a str, AuthError> {
    match value.trim() {
        "" => Err(AuthError::Config(format!("{what} is empty"))),
        v => Ok(v),
    }
}

/// The client for `config`'s token endpoint and client authentication.
pub(crate) fn client(config: &OAuth2Config) -> Result<OAuthClient, AuthError> {
    let token_url = required(&config.token_url, "the token URL")?;
    let client_id = required(&config.client_id, "the client id")?;
    let token_url = TokenUrl::new(token_url.to_string())
        .map_err(|e| AuthError::Config(format!("the token URL is not a URL: {e}")))?;
    let mut client = Client::new(ClientId::new(client_id.to_string()))
        .set_token_uri(token_url)
        .set_auth_type(match config.client_auth {
            OAuth2ClientAuth::Basic => AuthType::BasicAuth,
            OAuth2ClientAuth::Post => AuthType::RequestBody,
        });
    if !config.client_secret.is_empty() {
        client = client.set_client_secret(ClientSecret::new(config.client_secret.clone()));
    }
    Ok(client)
}

/// The extra token-request parameters: audience, resource, then the user's own.
pub(crate) fn extra_params(config: &OAuth2Config) -> Vec<(String, String)> {
    let mut params = Vec::new();
    if !config.audience.is_empty() {
        params.push(("audience".to_string(), config.audience.clone()));
    }
    if !config.resource.is_empty() {
        params.push(("resource".to_string(), config.resource.clone()));
    }
    params.extend(
        config
            .token_params
            .iter()
            .filter(|p| p.enabled && !p.name.is_empty())
            .map(|p| (p.name.clone(), p.value.clone())),
    );
    params
}

pub(crate) fn scopes(config: &OAuth2Config) -> Vec<oauth2::Scope> {
    config
        .scopes
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| oauth2::Scope::new(s.trim().to_string()))
        .collect()
}

/// A token request's outcome as a [`TokenSet`] or a typed error.
pub(crate) fn finish<T: AsRef<str> + oauth2::ErrorResponseType>(
    result: Result<TokenResponse, RequestTokenError<AuthError, StandardErrorResponse<T>>>,
    config: &OAuth2Config,
) -> Result<TokenSet, AuthError>
where
    StandardErrorResponse<T>: oauth2::ErrorResponse,
{
    match result {
        Ok(response) => Ok(TokenSet::from_response(&response, now_ms(), &config.scopes)),
        Err(e) => Err(token_error(e)),
    }
}

pub(crate) fn token_error<T: AsRef<str> + oauth2::ErrorResponseType>(
    error: RequestTokenError<AuthError, StandardErrorResponse<T>>,
) -> AuthError
where
    StandardErrorResponse<T>: oauth2::ErrorResponse,
{
    match error {
        RequestTokenError::ServerResponse(e) => {
            AuthError::from_oauth(e.error().as_ref(), e.error_description().cloned())
        }
        RequestTokenError::Request(e) => e,
        RequestTokenError::Parse(e, body) => AuthError::NotJson {
            what: "the token response".into(),
            detail: format!("{e} (body starts {:?})", preview(&body)),
        },
        RequestTokenError::Other(detail) => AuthError::NotJson {
            what: "the token response".into(),
            detail,
        },
    }
}

/// The first bytes of a body that failed to parse, for the message. Token responses that do
/// parse are never shown.
fn preview(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(60)]).into_owned()
}
