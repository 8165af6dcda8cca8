//! Command handlers shared by every host of Sextant: the Tauri shell and the `sextant` CLI.
//!
//! Each public method of [`App`] is one command: it takes plain model values, returns
//! `Result<T, ApiError>` and knows nothing about Tauri or terminals. The shell's
//! `#[tauri::command]` functions are one-line adapters over these, so everything here is tested
//! without a window.

mod assertions;
mod body_export;
mod captured;
mod client_certs;
mod code_export;
mod code_snippet;
mod contract;
mod contract_by_origin;
mod contract_by_path;
mod error;
mod export_contracts;
mod export_secrets;
mod file_access;
mod history;
mod history_ipc;
mod history_record;
mod inflight;
mod interchange;
mod oauth;
mod oauth_embedded;
mod oauth_history;
mod openapi;
mod pretty;
mod resolve;
mod run;
mod send;
mod sent;
mod session;
mod spec_list;
mod specs;
pub mod stream_records;
mod workspace;
mod ws;

use std::path::{Path, PathBuf};

use sextant_engine::{Engine, EngineConfig};
use sextant_model::{ApiError, CookieInfo};

pub use error::AppError;
use history::HistoryState;
pub use history_ipc::{
    HistoryEntry, HistoryFilter, HistoryPruned, HistoryRetention, HistoryRow, WrittenRequest,
};
pub use history_record::MASK;
use inflight::InFlight;
pub use oauth::{JwtView, SignInEvent, TokenStatus, TokenView};
pub use oauth_embedded::EmbeddedSignIn;
pub use oauth_history::TOKEN_EXCHANGES;
pub use pretty::{PrettyError, PrettyWindow};
pub use run::RunLink;
pub use run::{RecordedRun, RunRecord};
pub use send::{SendContext, SendMeta};
pub use sent::SentRequest;
pub use session::{Session, SessionTab, SESSION_FILE};
pub use sextant_auth::Launcher;
pub use sextant_export::{CodeFormat, CodeOptions, Generated, GeneratedFile};
pub use sextant_export::{SnippetLanguage, SNIPPET_ENV_PREFIX};
pub use sextant_store::{
    Entry, EntrySummary, HistoryQuery, NewEntry, PruneReport, Retention, Source,
};
pub use spec_list::{RememberedSpec, MAX_REMEMBERED_SPECS, SPEC_LIST_FILE};
use specs::Specs;
pub use ws::{WsLogRate, MAX_RECORDED_FRAMES, MAX_RECORDED_PREVIEW, WS_METHOD};

/// The history database's file name inside the data directory.
pub const HISTORY_FILE: &str = "history.sqlite";

/// Where an [`App`] keeps its data.
#[derive(Debug, Clone)]
pub struct AppConfig {
    pub data_dir: PathBuf,
    /// Extra CA certificates (PEM) to trust.
    pub extra_root_pems: Vec<String>,
    /// Record every send in the history (on by default).
    pub history: bool,
    /// Which program the recorded entries are marked as coming from.
    pub history_source: Source,
    /// The history database; `None` means `<data_dir>/history.sqlite`. A database kept
    /// elsewhere means `data_dir` is scratch space, so entries keep the body text but never
    /// point at body files (which would be gone by the time anyone looks).
    pub history_db: Option<PathBuf>,
    /// The folder of collections; `None` means `<data_dir>/workspace`, which is created with
    /// the sample collections the first time it is used.
    pub workspace_dir: Option<PathBuf>,
}

impl AppConfig {
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            extra_root_pems: Vec::new(),
            history: true,
            history_source: Source::App,
            history_db: None,
            workspace_dir: None,
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
    contracts: contract::ContractSpecs,
    history: HistoryState,
    workspace: workspace::WorkspaceState,
    runtime: captured::RuntimeVariables,
    file_consent: file_access::Consent,
    sent: sent::SentLog,
    discovered: oauth::Discovered,
    embedded_sign_ins: oauth_embedded::Pending,
    /// Open WebSocket sessions by the caller's id.
    ws_sessions: ws::Sessions,
}

impl App {
    pub fn new(config: AppConfig) -> Result<Self, AppError> {
        // The data dir holds the history, response bodies, keys and drafts: owner-only, and an
        // existing one with looser modes is tightened. A failure shows up in whatever then
        // cannot write there.
        for dir in [config.data_dir.clone(), config.data_dir.join("bodies")] {
            let _ = sextant_store::private::ensure_private_dir(&dir);
        }
        let mut engine_config = EngineConfig::new(config.data_dir.join("bodies"));
        engine_config.extra_root_pems = config.extra_root_pems;
        let history = match (&config.history, &config.history_db) {
            (false, _) => HistoryState::Off,
            (true, Some(db)) => HistoryState::open(db, config.history_source, false),
            (true, None) => HistoryState::open(
                &config.data_dir.join(HISTORY_FILE),
                config.history_source,
                true,
            ),
        };
        let workspace = match config.workspace_dir {
            Some(dir) => workspace::WorkspaceState::new(dir, false, &config.data_dir),
            None => workspace::WorkspaceState::new(
                config.data_dir.join("workspace"),
                true,
                &config.data_dir,
            ),
        };
        Ok(Self {
            engine: Engine::new(engine_config)?,
            in_flight: InFlight::default(),
            file_consent: file_access::Consent::new(&config.data_dir),
            data_dir: config.data_dir,
            internal_ids: std::sync::atomic::AtomicU64::new(0),
            specs: Specs::default(),
            contracts: contract::ContractSpecs::default(),
            history,
            workspace,
            runtime: captured::RuntimeVariables::default(),
            sent: sent::SentLog::default(),
            discovered: oauth::Discovered::default(),
            embedded_sign_ins: oauth_embedded::Pending::default(),
            ws_sessions: ws::Sessions::default(),
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

    /// A window of a stored JSON body pretty-printed (made once per body, beside it), cut at a
    /// line end, with the pretty text's whole length. Not valid JSON: `InvalidFile`.
    pub async fn read_pretty_body(
        &self,
        response_id: &str,
        offset: u64,
        length: u64,
    ) -> Result<PrettyWindow, ApiError> {
        let body = self.engine.bodies().path(response_id)?;
        if !body.is_file() {
            return Err(sextant_engine::EngineError::NotFound(response_id.to_string()).into());
        }
        let window = tokio::task::spawn_blocking(move || {
            let pretty = pretty::ensure_pretty(&body, pretty::MAX_PRETTY_BYTES)?;
            pretty::read_window(&pretty, offset, length)
        })
        .await
        .map_err(|e| ApiError::new(sextant_model::ErrorCode::Io, e.to_string()))??;
        Ok(window)
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
