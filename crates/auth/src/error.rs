//! Every way a sign-in can fail, as one typed error. A caller branches on the variant (a
//! rejected refresh means "log in again"); at the IPC boundary it becomes an `ApiError`.

use sextant_engine::EngineError;
use sextant_model::{ApiError, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The config lacks something the chosen grant needs (a token URL, a client id, ...).
    #[error("the OAuth 2.0 settings are incomplete: {0}")]
    Config(String),
    /// The token request could not be sent or its answer could not be read.
    #[error("{0}")]
    Engine(#[from] EngineError),
    /// The token (or discovery) endpoint answered with a redirect; credentials are never
    /// re-sent to where a redirect points.
    #[error("{url} answered {status} redirecting to {location}; a token endpoint must answer directly (check the URL)")]
    Redirected {
        url: String,
        status: u16,
        location: String,
    },
    /// The answer was not the JSON the protocol requires.
    #[error("{what} is not valid OAuth JSON: {detail}")]
    NotJson { what: String, detail: String },
    /// The answer's body was cut short (reset, timeout).
    #[error("{what} was cut short: {}", .error.message)]
    Incomplete {
        what: String,
        error: sextant_model::ApiError,
    },
    /// An answer went over its byte budget.
    #[error("{what} is larger than the {limit} byte budget")]
    TooLarge { what: String, limit: u64 },
    /// The client's credentials were refused (`invalid_client`): a wrong secret or client id.
    #[error("the provider refused the client credentials (invalid_client){}", describe(.description))]
    InvalidClient { description: Option<String> },
    /// The code, refresh token or password was refused (`invalid_grant`): used, expired or
    /// revoked. After a refresh this means: sign in again.
    #[error("the provider refused the grant (invalid_grant){}", describe(.description))]
    InvalidGrant { description: Option<String> },
    /// The user (or the provider's policy) said no (`access_denied`).
    #[error("access was denied (access_denied){}", describe(.description))]
    AccessDenied { description: Option<String> },
    /// The device code expired before the user finished (`expired_token`).
    #[error("the device code expired before sign-in finished (expired_token); start again")]
    DeviceCodeExpired,
    /// Any other OAuth error the provider sent.
    #[error("the provider answered {error}{}", describe(.description))]
    Provider {
        error: String,
        description: Option<String>,
    },
    /// The callback's `state` is not the one this flow sent: a forged or stale redirect.
    #[error("the sign-in callback carried a state this flow did not send; it was rejected (possible forged redirect)")]
    StateMismatch,
    /// The callback had neither a code nor an error.
    #[error("the sign-in callback carried no {0}")]
    MissingCallbackParam(&'static str),
    /// Discovery metadata names another issuer than the one asked for.
    #[error("the provider's metadata names issuer {found}, not {expected}")]
    IssuerMismatch { expected: String, found: String },
    /// The loopback listener could not be opened.
    #[error("cannot listen on {addr} for the sign-in redirect: {source}")]
    Listen {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    /// The browser could not be started.
    #[error("cannot open the browser ({program}): {source}")]
    Browser {
        program: String,
        #[source]
        source: std::io::Error,
    },
    /// No callback (or device approval) arrived in time.
    #[error("sign-in did not finish within {0} seconds")]
    TimedOut(u64),
    #[error("sign-in was cancelled")]
    Cancelled,
    /// No usable token and the grant needs the user (browser or device sign-in).
    #[error("sign in first: this OAuth 2.0 grant needs you in the browser or on a device")]
    LoginRequired,
    /// The token store failed.
    #[error("cannot keep the token: {0}")]
    Store(#[from] crate::key::TokenStoreError),
    /// Discovery found no metadata document.
    #[error("no OAuth metadata at {url} (HTTP {status})")]
    NoMetadata { url: String, status: u16 },
    /// The grant is not supported by this function (implicit through a token request, ...).
    #[error("{0}")]
    Unsupported(String),
}

fn describe(description: &Option<String>) -> String {
    description
        .as_deref()
        .map(|d| format!(": {d}"))
        .unwrap_or_default()
}

impl AuthError {
    /// The stable code the UI branches on.
    pub fn code(&self) -> ErrorCode {
        match self {
            AuthError::Config(_) | AuthError::Unsupported(_) => ErrorCode::InvalidRequest,
            AuthError::Engine(e) => e.code(),
            AuthError::Redirected { .. }
            | AuthError::NotJson { .. }
            | AuthError::StateMismatch
            | AuthError::MissingCallbackParam(_)
            | AuthError::IssuerMismatch { .. } => ErrorCode::Protocol,
            AuthError::TooLarge { .. } => ErrorCode::TooLarge,
            AuthError::Incomplete { error, .. } => error.code,
            AuthError::InvalidClient { .. }
            | AuthError::InvalidGrant { .. }
            | AuthError::AccessDenied { .. }
            | AuthError::DeviceCodeExpired
            | AuthError::Provider { .. } => ErrorCode::InvalidRequest,
            AuthError::Listen { .. } | AuthError::Browser { .. } | AuthError::Store(_) => {
                ErrorCode::Io
            }
            AuthError::NoMetadata { .. } => ErrorCode::NotFound,
            AuthError::TimedOut(_) => ErrorCode::Timeout,
            AuthError::LoginRequired => ErrorCode::InvalidRequest,
            AuthError::Cancelled => ErrorCode::Cancelled,
        }
    }

    /// True when only a new sign-in can help (the grant or refresh token is dead).
    pub fn needs_new_login(&self) -> bool {
        matches!(
            self,
            AuthError::InvalidGrant { .. }
                | AuthError::DeviceCodeExpired
                | AuthError::LoginRequired
        )
    }

    /// The provider's answer `error` (+ `error_description`) as a typed error.
    pub(crate) fn from_oauth(error: &str, description: Option<String>) -> Self {
        match error {
            "invalid_client" => AuthError::InvalidClient { description },
            "invalid_grant" => AuthError::InvalidGrant { description },
            "access_denied" => AuthError::AccessDenied { description },
            "expired_token" => AuthError::DeviceCodeExpired,
            other => AuthError::Provider {
                error: other.to_string(),
                description,
            },
        }
    }
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        ApiError::new(e.code(), e.to_string())
    }
}
