//! Auth as a file writes it (request, collection and folder files): the tagged `kind` shape,
//! with each literal secret (password, token, API key value, AWS secret key, OAuth 2 client
//! secret) swapped for [`super::SECRET_MARKER`] on the way out and filled back on the way in.

use serde::{Deserialize, Serialize};
use sextant_model::{ApiKeyLocation, Auth, DigestAlgorithm, OAuth2Config};

use super::{secret_in, secret_out, SecretsIn, SecretsOut};

/// Auth as written: literal secrets replaced by [`super::SECRET_MARKER`], API key location only when
/// it is not the header.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub(crate) enum FileAuth {
    #[default]
    Inherit,
    None,
    Basic {
        username: String,
        #[serde(default)]
        password: String,
    },
    Bearer {
        token: String,
    },
    ApiKey {
        name: String,
        value: String,
        #[serde(default, skip_serializing_if = "is_header")]
        location: ApiKeyLocation,
    },
    Digest {
        username: String,
        #[serde(default)]
        password: String,
        #[serde(default, skip_serializing_if = "is_auto")]
        algorithm: DigestAlgorithm,
    },
    #[serde(rename_all = "camelCase")]
    AwsSigV4 {
        access_key: String,
        #[serde(default)]
        secret_key: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        session_token: String,
        region: String,
        service: String,
    },
    /// The client secret and the password grant's password go to the secret store.
    #[serde(rename = "oauth2")]
    OAuth2(Box<OAuth2Config>),
}

fn is_auto(algorithm: &DigestAlgorithm) -> bool {
    *algorithm == DigestAlgorithm::Auto
}

fn is_header(location: &ApiKeyLocation) -> bool {
    *location == ApiKeyLocation::Header
}

impl FileAuth {
    pub(super) fn is_inherit(&self) -> bool {
        *self == FileAuth::Inherit
    }
}

pub(super) fn auth_out(auth: &Auth, secrets: &mut SecretsOut) -> FileAuth {
    match auth {
        Auth::Inherit => FileAuth::Inherit,
        Auth::None => FileAuth::None,
        Auth::Basic { username, password } => FileAuth::Basic {
            username: username.clone(),
            password: secret_out("auth/password", password, secrets),
        },
        Auth::Bearer { token } => FileAuth::Bearer {
            token: secret_out("auth/token", token, secrets),
        },
        Auth::ApiKey {
            name,
            value,
            location,
        } => FileAuth::ApiKey {
            name: name.clone(),
            value: secret_out("auth/value", value, secrets),
            location: *location,
        },
        Auth::Digest {
            username,
            password,
            algorithm,
        } => FileAuth::Digest {
            username: username.clone(),
            password: secret_out("auth/password", password, secrets),
            algorithm: *algorithm,
        },
        Auth::AwsSigV4 {
            access_key,
            secret_key,
            session_token,
            region,
            service,
        } => FileAuth::AwsSigV4 {
            access_key: access_key.clone(),
            secret_key: secret_out("auth/secretKey", secret_key, secrets),
            session_token: secret_out("auth/sessionToken", session_token, secrets),
            region: region.clone(),
            service: service.clone(),
        },
        Auth::OAuth2(config) => FileAuth::OAuth2(Box::new(OAuth2Config {
            client_secret: secret_out("auth/clientSecret", &config.client_secret, secrets),
            password: secret_out("auth/password", &config.password, secrets),
            ..(**config).clone()
        })),
    }
}

pub(super) fn auth_in(auth: FileAuth, secrets: &mut SecretsIn) -> Auth {
    match auth {
        FileAuth::Inherit => Auth::Inherit,
        FileAuth::None => Auth::None,
        FileAuth::Basic { username, password } => Auth::Basic {
            username,
            password: secret_in("auth/password", password, secrets),
        },
        FileAuth::Bearer { token } => Auth::Bearer {
            token: secret_in("auth/token", token, secrets),
        },
        FileAuth::ApiKey {
            name,
            value,
            location,
        } => Auth::ApiKey {
            name,
            value: secret_in("auth/value", value, secrets),
            location,
        },
        FileAuth::Digest {
            username,
            password,
            algorithm,
        } => Auth::Digest {
            username,
            password: secret_in("auth/password", password, secrets),
            algorithm,
        },
        FileAuth::AwsSigV4 {
            access_key,
            secret_key,
            session_token,
            region,
            service,
        } => Auth::AwsSigV4 {
            access_key,
            secret_key: secret_in("auth/secretKey", secret_key, secrets),
            session_token: secret_in("auth/sessionToken", session_token, secrets),
            region,
            service,
        },
        FileAuth::OAuth2(config) => Auth::OAuth2(Box::new(OAuth2Config {
            client_secret: secret_in("auth/clientSecret", config.client_secret.clone(), secrets),
            password: secret_in("auth/password", config.password.clone(), secrets),
            ..*config
        })),
    }
}
