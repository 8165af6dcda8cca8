//! The device authorization grant (RFC 8628): ask for a user code, hand it to the caller to
//! show, then poll the token endpoint at the server's interval (`slow_down` adds 5 s) until the
//! user approves, denies (`access_denied`) or the code expires (`expired_token`), or the caller
//! cancels. The sleep between polls is injectable so tests need not wait out real intervals.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use oauth2::{DeviceAuthorizationUrl, StandardDeviceAuthorizationResponse};
use sextant_model::OAuth2Config;

use crate::grants::{client, extra_params, finish, required, scopes, token_error};
use crate::{AuthError, TokenHttp, TokenSet};

type SleepFn = Arc<dyn Fn(Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// What the user needs to finish on another device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevicePrompt {
    pub user_code: String,
    pub verification_uri: String,
    /// The URI with the code in it, when the provider offers one (open it, or show it as a QR).
    pub verification_uri_complete: Option<String>,
    pub expires_in: Duration,
    pub interval: Duration,
}

/// How the polling waits.
#[derive(Clone)]
pub struct DeviceOptions {
    /// Called with each interval to wait before the next poll.
    pub sleep: SleepFn,
    /// Give up after this long; `None`: when the code expires (`expires_in`).
    pub timeout: Option<Duration>,
}

impl Default for DeviceOptions {
    fn default() -> Self {
        Self {
            sleep: Arc::new(|d| Box::pin(tokio::time::sleep(d))),
            timeout: None,
        }
    }
}

/// Runs the device flow; `on_prompt` gets the user code and URIs as soon as they are known.
pub async fn device_flow(
    http: &TokenHttp<'_>,
    config: &OAuth2Config,
    on_prompt: impl FnOnce(&DevicePrompt),
    options: &DeviceOptions,
) -> Result<TokenSet, AuthError> {
    let device_url = required(
        &config.device_authorization_url,
        "the device authorization URL",
    )?;
    let device_url = DeviceAuthorizationUrl::new(device_url.to_string()).map_err(|e| {
        AuthError::Config(format!("the device authorization URL is not a URL: {e}"))
    })?;
    let client = client(config)?.set_device_authorization_url(device_url);
    let mut request = client.exchange_device_code().add_scopes(scopes(config));
    for (name, value) in extra_params(config) {
        request = request.add_extra_param(name, value);
    }
    let details: StandardDeviceAuthorizationResponse =
        request.request_async(http).await.map_err(token_error)?;
    on_prompt(&DevicePrompt {
        user_code: details.user_code().secret().clone(),
        verification_uri: details.verification_uri().to_string(),
        verification_uri_complete: details
            .verification_uri_complete()
            .map(|u| u.secret().clone()),
        expires_in: details.expires_in(),
        interval: details.interval(),
    });
    let sleep = options.sleep.clone();
    let mut poll = client.exchange_device_access_token(&details);
    for (name, value) in extra_params(config) {
        poll = poll.add_extra_param(name, value);
    }
    let polling = poll.request_async(http, move |d| sleep(d), options.timeout);
    tokio::select! {
        _ = http.cancel_token().cancelled() => Err(AuthError::Cancelled),
        result = polling => finish(result, config),
    }
}
