//! Insomnia's authentication settings as Sextant's auth, for requests and folders alike.

use serde_json::Value;
use sextant_model::{
    ApiKeyLocation, Auth, DigestAlgorithm, OAuth2ClientAuth, OAuth2Config, OAuth2Grant, PkceMethod,
};

use crate::json::{flag, string_or_empty};
use crate::warning::Warnings;

use super::variables::template;

/// Insomnia's OAuth 2.0 settings; its `refresh_token` grant has no counterpart (Sextant
/// refreshes on its own) and becomes the authorization code grant.
fn oauth2(auth: &Value, path: &str, w: &mut Warnings) -> OAuth2Config {
    let field = |key: &str, w: &mut Warnings| template(&string_or_empty(auth, key), path, w);
    let grant = match string_or_empty(auth, "grantType").as_str() {
        "client_credentials" => OAuth2Grant::ClientCredentials,
        "password" => OAuth2Grant::Password,
        "implicit" => OAuth2Grant::Implicit,
        _ => OAuth2Grant::AuthorizationCode,
    };
    let pkce = if grant == OAuth2Grant::AuthorizationCode && !flag(auth, "usePkce") {
        PkceMethod::Off
    } else {
        PkceMethod::S256
    };
    OAuth2Config {
        grant,
        authorization_url: field("authorizationUrl", w),
        token_url: field("accessTokenUrl", w),
        client_id: field("clientId", w),
        client_secret: field("clientSecret", w),
        client_auth: if flag(auth, "credentialsInBody") {
            OAuth2ClientAuth::Post
        } else {
            OAuth2ClientAuth::Basic
        },
        username: field("username", w),
        password: field("password", w),
        scopes: field("scope", w)
            .split_whitespace()
            .map(str::to_string)
            .collect(),
        audience: field("audience", w),
        resource: field("resource", w),
        pkce,
        ..OAuth2Config::default()
    }
}

pub(super) fn auth(auth: Option<&Value>, path: &str, w: &mut Warnings) -> Auth {
    let Some(auth) = auth.filter(|a| a.as_object().is_some_and(|o| !o.is_empty())) else {
        return Auth::Inherit;
    };
    if flag(auth, "disabled") {
        return Auth::None;
    }
    let field = |key: &str, w: &mut Warnings| template(&string_or_empty(auth, key), path, w);
    match string_or_empty(auth, "type").as_str() {
        "none" => Auth::None,
        "basic" => Auth::Basic {
            username: field("username", w),
            password: field("password", w),
        },
        "bearer" => {
            let prefix = string_or_empty(auth, "prefix");
            if !prefix.is_empty() && !prefix.eq_ignore_ascii_case("bearer") {
                w.push(
                    path,
                    format!(
                        "the token prefix {prefix:?} is not imported; Sextant sends \"Bearer\""
                    ),
                );
            }
            Auth::Bearer {
                token: field("token", w),
            }
        }
        "apikey" => {
            let location = match string_or_empty(auth, "addTo").as_str() {
                "queryParams" => ApiKeyLocation::Query,
                "cookie" => ApiKeyLocation::Cookie,
                "header" | "" => ApiKeyLocation::Header,
                other => {
                    w.push(
                        path,
                        format!("an API key sent as {other} is imported as a header"),
                    );
                    ApiKeyLocation::Header
                }
            };
            Auth::ApiKey {
                name: field("key", w),
                value: field("value", w),
                location,
            }
        }
        "digest" => Auth::Digest {
            username: field("username", w),
            password: field("password", w),
            algorithm: DigestAlgorithm::Auto,
        },
        "iam" => Auth::AwsSigV4 {
            access_key: field("accessKeyId", w),
            secret_key: field("secretAccessKey", w),
            session_token: field("sessionToken", w),
            region: field("region", w),
            service: field("service", w),
        },
        "oauth2" => Auth::OAuth2(Box::new(oauth2(auth, path, w))),
        other => {
            w.push(
                path,
                format!("{other} auth is not supported; imported without auth"),
            );
            Auth::None
        }
    }
}
