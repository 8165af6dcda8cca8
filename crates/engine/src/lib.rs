//! Sextant's HTTP engine.
//!
//! [`Engine::send`] executes one [`HttpRequest`]: it follows redirects itself (recording each
//! hop), keeps a cookie jar across requests, decodes gzip/deflate/br/zstd while counting wire and
//! decoded bytes, measures every phase it can observe, and streams the body to a file in the
//! [`BodyStore`] so memory stays bounded whatever the body's size. Errors carry a stable code
//! ([`EngineError::code`]) and one plain sentence.
//!
//! ```no_run
//! # async fn demo() -> Result<(), sextant_engine::EngineError> {
//! use sextant_engine::{Engine, EngineConfig};
//! let engine = Engine::new(EngineConfig::new("/tmp/sextant-bodies"))?;
//! let request = sextant_model::HttpRequest::get("http://127.0.0.1:8000/items");
//! let response = engine
//!     .send(&request, &Default::default(), &|_event| {})
//!     .await?;
//! let first_window = engine.bodies().read_window(&response.id, 0, 1 << 20).await?;
//! # Ok(()) }
//! ```

pub mod auth;
mod body_read;
mod body_settle;
mod body_sink;
mod body_store;
mod client;
mod cookies;
mod error;
mod identity;
mod prepare;
mod reconnect;
mod redirect;
mod request_body;
mod send;
pub mod stream;
mod timing;
mod ws;

use std::path::PathBuf;
use std::sync::Arc;

pub use body_store::{BodyStore, MAX_WINDOW};
pub use cookies::CookieJar;
pub use error::EngineError;
pub use identity::{ClientIdentity, HostPattern};
pub use tokio_util::sync::CancellationToken;
pub use ws::{
    valid_close_code, WsError, WsLogRate, WsSession, BATCH_FRAMES, BATCH_INTERVAL,
    MAX_CLOSE_REASON, MAX_FRAMES_PER_SEC, MAX_PING_PAYLOAD, PREVIEW_BYTES,
};

use sextant_model::{HttpRequest, HttpResponse, SendEvent};

#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Where response bodies are stored.
    pub body_dir: PathBuf,
    /// Extra trusted CA certificates (PEM), on top of the system's and Mozilla's roots.
    pub extra_root_pems: Vec<String>,
    /// The time AWS SigV4 signatures carry instead of the clock's, so a test can compare them
    /// with a reference signer's. `None` (the default): now.
    pub signing_time: Option<time::OffsetDateTime>,
}

impl EngineConfig {
    pub fn new(body_dir: impl Into<PathBuf>) -> Self {
        Self {
            body_dir: body_dir.into(),
            extra_root_pems: Vec::new(),
            signing_time: None,
        }
    }
}

/// Budgets a caller can put on one send, on top of the request's own settings.
#[derive(Debug, Clone, Default)]
pub struct SendLimits {
    /// The most decoded body bytes to read; past it the body stops with
    /// [`EngineError::TooLarge`] (so a gzip bomb ends at the cap, not when the disk fills).
    pub max_body_bytes: Option<u64>,
    /// What the body is for, named in the `TooLarge` message ("a spec").
    pub purpose: String,
    /// Nobody follows this body while it arrives (a collection run): a body that stays within
    /// [`KEEP_BYTES`] is not given its file at once but written to it afterwards by the store's
    /// writer thread ([`BodyStore::settle`] waits for it). Creating a file costs 35–300 µs on a
    /// busy disk, more than a loopback request.
    pub deferred_file: bool,
}

/// The engine of one workspace: its clients, cookie jar and body store.
pub struct Engine {
    clients: client::ClientPool,
    jar: Arc<CookieJar>,
    bodies: BodyStore,
    signing_time: Option<time::OffsetDateTime>,
    /// The last Digest challenge per origin, so the next request answers it at once.
    digest_nonces: auth::digest::Nonces,
    /// rustls configurations for `wss://` sessions.
    ws_tls: Arc<ws::TlsConfigs>,
}

impl Engine {
    pub fn new(config: EngineConfig) -> Result<Self, EngineError> {
        let jar = Arc::new(CookieJar::default());
        Ok(Self {
            clients: client::ClientPool::new(Arc::clone(&jar), &config.extra_root_pems)?,
            jar,
            bodies: BodyStore::new(config.body_dir),
            signing_time: config.signing_time,
            digest_nonces: auth::digest::Nonces::default(),
            ws_tls: Arc::new(ws::TlsConfigs::new(&config.extra_root_pems)?),
        })
    }

    /// Sends `request`. Errors before the response head are returned as `Err`; a body cut short
    /// (reset, cancel, timeout) still gives `Ok` with `body.partial` and `error` set.
    pub async fn send(
        &self,
        request: &HttpRequest,
        cancel: &CancellationToken,
        on_event: &(dyn Fn(SendEvent) + Send + Sync),
    ) -> Result<HttpResponse, EngineError> {
        send::send(self, request, &[], &SendLimits::default(), cancel, on_event).await
    }

    /// [`Engine::send`] within `limits`.
    pub async fn send_limited(
        &self,
        request: &HttpRequest,
        limits: &SendLimits,
        cancel: &CancellationToken,
        on_event: &(dyn Fn(SendEvent) + Send + Sync),
    ) -> Result<HttpResponse, EngineError> {
        send::send(self, request, &[], limits, cancel, on_event).await
    }

    /// [`Engine::send_limited`], presenting a client certificate (mTLS) on every hop whose https
    /// URL matches one of `identities`' host patterns (the first match wins).
    pub async fn send_with_identities(
        &self,
        request: &HttpRequest,
        identities: &[ClientIdentity],
        limits: &SendLimits,
        cancel: &CancellationToken,
        on_event: &(dyn Fn(SendEvent) + Send + Sync),
    ) -> Result<HttpResponse, EngineError> {
        send::send(self, request, identities, limits, cancel, on_event).await
    }

    pub fn cookies(&self) -> &CookieJar {
        &self.jar
    }

    pub fn bodies(&self) -> &BodyStore {
        &self.bodies
    }
}
