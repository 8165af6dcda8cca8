//! The `oauth2` crate's HTTP client, implemented over Sextant's engine: token and discovery
//! requests get the engine's TLS, proxy and timeout settings and timings, never follow a
//! redirect (a 3xx is [`AuthError::Redirected`]), and read at most a budget of bytes. The body
//! file the engine writes (it holds tokens) is removed as soon as it is read.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use oauth2::{AsyncHttpClient, HttpRequest as OAuthRequest, HttpResponse as OAuthResponse};
use sextant_engine::{CancellationToken, Engine, SendLimits, MAX_WINDOW};
use sextant_model::{HttpRequest, HttpResponse, KeyValue, RequestBody, RequestSettings};

use crate::AuthError;

/// The default budget for a token or metadata answer: 256 KiB is far above any real one.
pub const DEFAULT_MAX_BODY: u64 = 256 * 1024;

/// The time limit on one token or metadata exchange when the settings set none: a stalled
/// provider ends in a timeout, not a sign-in that never finishes.
pub const DEFAULT_EXCHANGE_TIMEOUT_MS: u32 = 30_000;

/// Called with each exchange (request as sent, response head, the body bytes read: empty when
/// none could be) so the host can show or record it; mask the secrets in it before keeping it
/// anywhere.
pub type Observer = Arc<dyn Fn(&HttpRequest, &HttpResponse, &[u8]) + Send + Sync>;

/// One sign-in's HTTP client over the engine.
#[derive(Clone)]
pub struct TokenHttp<'e> {
    engine: &'e Engine,
    settings: RequestSettings,
    max_body: u64,
    cancel: CancellationToken,
    observer: Option<Observer>,
}

impl<'e> TokenHttp<'e> {
    pub fn new(engine: &'e Engine) -> Self {
        Self {
            engine,
            settings: RequestSettings::default(),
            max_body: DEFAULT_MAX_BODY,
            cancel: CancellationToken::new(),
            observer: None,
        }
    }

    /// The request settings (timeouts, TLS, proxy) to send with; redirects stay off whatever
    /// `settings` says, and no total timeout means [`DEFAULT_EXCHANGE_TIMEOUT_MS`].
    pub fn with_settings(mut self, settings: RequestSettings) -> Self {
        self.settings = settings;
        self
    }

    /// The most body bytes an answer may have (capped at the engine's 1 MiB read window).
    pub fn with_max_body(mut self, bytes: u64) -> Self {
        self.max_body = bytes.min(MAX_WINDOW);
        self
    }

    pub fn with_cancel(mut self, cancel: CancellationToken) -> Self {
        self.cancel = cancel;
        self
    }

    pub fn with_observer(mut self, observer: Observer) -> Self {
        self.observer = Some(observer);
        self
    }

    pub fn cancel_token(&self) -> &CancellationToken {
        &self.cancel
    }

    /// Sends `request` and returns its status, headers and body (at most the budget).
    pub async fn exchange(
        &self,
        mut request: HttpRequest,
        what: &str,
    ) -> Result<(HttpResponse, Vec<u8>), AuthError> {
        request.settings = self.settings.clone();
        request.settings.follow_redirects = false;
        request
            .settings
            .timeout_ms
            .get_or_insert(DEFAULT_EXCHANGE_TIMEOUT_MS);
        let limits = SendLimits {
            max_body_bytes: Some(self.max_body),
            purpose: what.to_string(),
            ..SendLimits::default()
        };
        let response = self
            .engine
            .send_limited(&request, &limits, &self.cancel, &|_| {})
            .await
            .map_err(|e| match e {
                sextant_engine::EngineError::Cancelled => AuthError::Cancelled,
                other => AuthError::Engine(other),
            })?;
        let body = self
            .engine
            .bodies()
            .read_window(&response.id, 0, self.max_body)
            .await;
        // The body may hold tokens: it must not stay on disk.
        let _ = self.engine.bodies().remove(&response.id).await;
        if let Some(observer) = &self.observer {
            observer(&request, &response, body.as_deref().unwrap_or_default());
        }
        if (300..400).contains(&response.status) {
            return Err(AuthError::Redirected {
                url: request.url,
                status: response.status,
                location: response.header("location").unwrap_or("").to_string(),
            });
        }
        if let Some(error) = &response.error {
            return Err(match error.code {
                sextant_model::ErrorCode::TooLarge => AuthError::TooLarge {
                    what: what.to_string(),
                    limit: self.max_body,
                },
                sextant_model::ErrorCode::Cancelled => AuthError::Cancelled,
                _ => AuthError::Incomplete {
                    what: what.to_string(),
                    error: error.clone(),
                },
            });
        }
        Ok((response, body?))
    }
}

fn to_engine_request(request: OAuthRequest) -> HttpRequest {
    let mut out = HttpRequest::new(request.method().as_str(), request.uri().to_string());
    for (name, value) in request.headers() {
        out.headers.push(KeyValue::new(
            name.as_str(),
            String::from_utf8_lossy(value.as_bytes()),
        ));
    }
    if request
        .headers()
        .contains_key(oauth2::http::header::AUTHORIZATION)
    {
        out.credentials.push("Authorization".into());
    }
    let body = request.into_body();
    if !body.is_empty() {
        out.body = RequestBody::Text {
            content_type: String::new(),
            text: String::from_utf8_lossy(&body).into_owned(),
        };
    }
    out
}

fn to_oauth_response(response: &HttpResponse, body: Vec<u8>) -> Result<OAuthResponse, AuthError> {
    let mut builder = oauth2::http::Response::builder().status(response.status);
    for header in &response.headers {
        builder = builder.header(header.name.as_str(), header.value.as_str());
    }
    builder.body(body).map_err(|e| AuthError::NotJson {
        what: "the token response".into(),
        detail: e.to_string(),
    })
}

impl<'c> AsyncHttpClient<'c> for TokenHttp<'_> {
    type Error = AuthError;
    type Future = Pin<Box<dyn Future<Output = Result<OAuthResponse, AuthError>> + Send + 'c>>;

    fn call(&'c self, request: OAuthRequest) -> Self::Future {
        Box::pin(async move {
            let (response, body) = self
                .exchange(to_engine_request(request), "the token response")
                .await?;
            to_oauth_response(&response, body)
        })
    }
}
