//! OpenID Connect discovery and RFC 8414 metadata: an issuer URL fills the endpoints (device
//! included), the scopes and the client authentication and PKCE methods the provider supports.

use serde::{Deserialize, Serialize};
use sextant_model::{HttpRequest, KeyValue, OAuth2Config};

use crate::{AuthError, TokenHttp};

/// What a provider's metadata says (the fields Sextant uses).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderMetadata {
    pub issuer: String,
    #[serde(default)]
    pub authorization_endpoint: Option<String>,
    #[serde(default)]
    pub token_endpoint: Option<String>,
    #[serde(default)]
    pub device_authorization_endpoint: Option<String>,
    #[serde(default)]
    pub userinfo_endpoint: Option<String>,
    #[serde(default)]
    pub jwks_uri: Option<String>,
    #[serde(default)]
    pub scopes_supported: Vec<String>,
    #[serde(default)]
    pub grant_types_supported: Vec<String>,
    #[serde(default)]
    pub token_endpoint_auth_methods_supported: Vec<String>,
    #[serde(default)]
    pub code_challenge_methods_supported: Vec<String>,
}

impl ProviderMetadata {
    /// Fills the endpoints `config` leaves empty; what the user typed wins.
    pub fn fill(&self, config: &mut OAuth2Config) {
        let fill = |field: &mut String, value: &Option<String>| {
            if field.trim().is_empty() {
                if let Some(v) = value {
                    *field = v.clone();
                }
            }
        };
        fill(&mut config.authorization_url, &self.authorization_endpoint);
        fill(&mut config.token_url, &self.token_endpoint);
        fill(
            &mut config.device_authorization_url,
            &self.device_authorization_endpoint,
        );
    }
}

/// Reads `{issuer}/.well-known/openid-configuration`, else RFC 8414's
/// `/.well-known/oauth-authorization-server{path}`. The metadata must name `issuer` itself.
pub async fn discover(http: &TokenHttp<'_>, issuer: &str) -> Result<ProviderMetadata, AuthError> {
    let issuer = issuer.trim().trim_end_matches('/');
    let url = url::Url::parse(issuer)
        .map_err(|e| AuthError::Config(format!("the issuer is not a URL: {e}")))?;
    let oidc = format!("{issuer}/.well-known/openid-configuration");
    let rfc8414 = format!(
        "{}/.well-known/oauth-authorization-server{}",
        url.origin().ascii_serialization(),
        url.path().trim_end_matches('/')
    );
    let mut last = None;
    for candidate in [oidc, rfc8414] {
        let mut request = HttpRequest::get(&candidate);
        request
            .headers
            .push(KeyValue::new("Accept", "application/json"));
        let (response, body) = http.exchange(request, "the provider metadata").await?;
        if response.status != 200 {
            last = Some(AuthError::NoMetadata {
                url: candidate,
                status: response.status,
            });
            continue;
        }
        let metadata: ProviderMetadata =
            serde_json::from_slice(&body).map_err(|e| AuthError::NotJson {
                what: format!("the metadata at {candidate}"),
                detail: e.to_string(),
            })?;
        if metadata.issuer.trim_end_matches('/') != issuer {
            return Err(AuthError::IssuerMismatch {
                expected: issuer.to_string(),
                found: metadata.issuer,
            });
        }
        return Ok(metadata);
    }
    Err(last.expect("two candidates were tried"))
}
