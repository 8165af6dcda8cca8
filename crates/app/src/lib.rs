//! Command handlers shared by every host of Sextant: the Tauri shell and the `sextant` CLI.
//!
//! Each public method of [`App`] is one command: it takes plain model values, returns
//! `Result<T, ApiError>` and knows nothing about Tauri or terminals. The shell's
//! `#[tauri::command]` functions are one-line adapters over these, so everything here is tested
//! without a window.

mod error;
mod inflight;
mod openapi;
mod specs;

use std::path::{Path, PathBuf};

use sextant_engine::{CancellationToken, Engine, EngineConfig};
use sextant_model::{ApiError, CookieInfo, HttpRequest, HttpResponse, SendEvent};

pub use error::AppError;
use inflight::InFlight;
use specs::Specs;

/// Where an [`App`] keeps its data.
#[derive(Debug, Clone)]
pub struct AppConfig {
    pub data_dir: PathBuf,
    /// Extra CA certificates (PEM) to trust.
    pub extra_root_pems: Vec<String>,
}

impl AppConfig {
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            extra_root_pems: Vec::new(),
        }
    }
}

/// The state behind every command of one running Sextant.
pub struct App {
    engine: Engine,
    in_flight: InFlight,
    data_dir: PathBuf,
    internal_ids: std::sync::atomic::AtomicU64,
    specs: Specs,
}

impl App {
    pub fn new(config: AppConfig) -> Result<Self, AppError> {
        let mut engine_config = EngineConfig::new(config.data_dir.join("bodies"));
        engine_config.extra_root_pems = config.extra_root_pems;
        Ok(Self {
            engine: Engine::new(engine_config)?,
            in_flight: InFlight::default(),
            data_dir: config.data_dir,
            internal_ids: std::sync::atomic::AtomicU64::new(0),
            specs: Specs::default(),
        })
    }

    /// A fresh id for requests the app makes on its own behalf.
    fn next_internal_id(&self) -> u64 {
        self.internal_ids
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Sends `request`, streaming progress to `on_event`. `request_id` is chosen by the caller so
    /// that [`App::cancel_request`] can reach the request before its response exists.
    pub async fn send_request(
        &self,
        request_id: &str,
        request: &HttpRequest,
        on_event: &(dyn Fn(SendEvent) + Send + Sync),
    ) -> Result<HttpResponse, ApiError> {
        let cancel = CancellationToken::new();
        let _guard = self.in_flight.register(request_id, cancel.clone())?;
        Ok(self.engine.send(request, &cancel, on_event).await?)
    }

    /// Cancels a request in flight. Returns false when no such request is running.
    pub fn cancel_request(&self, request_id: &str) -> bool {
        self.in_flight.cancel(request_id)
    }

    /// Reads a window of a stored response body (at most 1 MiB).
    pub async fn read_body(
        &self,
        response_id: &str,
        offset: u64,
        length: u64,
    ) -> Result<Vec<u8>, ApiError> {
        Ok(self
            .engine
            .bodies()
            .read_window(response_id, offset, length)
            .await?)
    }

    /// The file holding a stored response body, for hosts that stream it elsewhere.
    pub fn body_path(&self, response_id: &str) -> Result<PathBuf, ApiError> {
        Ok(self.engine.bodies().path(response_id)?)
    }

    pub fn list_cookies(&self) -> Vec<CookieInfo> {
        self.engine.cookies().list()
    }

    pub fn clear_cookies(&self) {
        self.engine.cookies().clear();
    }
}
