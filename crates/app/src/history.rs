//! The request history as commands: every send is recorded (see `history_record` for what is
//! kept), and the history is listed, searched, opened and trimmed through [`App`].
//!
//! Recording never fails a send: a history that cannot be opened or written is reported on
//! stderr and the response is returned as usual.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use sextant_model::{ApiError, ErrorCode, HttpRequest, HttpResponse, SendEvent};
use sextant_store::{
    Entry, EntrySummary, History, HistoryQuery, PruneReport, Retention, Source, StoreError,
};

use crate::history_ipc::HistoryEntry;
use crate::history_record::{self, Finished, MAX_BODY_TEXT};
use crate::App;

/// What the caller knows about a send beyond the request itself.
#[derive(Debug, Clone, Default)]
pub struct SendMeta {
    /// The collection the request came from, recorded for the history's filter.
    pub collection: Option<String>,
    /// Values to mask wherever they occur in the recorded entry (resolved secret variables).
    pub secrets: Vec<String>,
}

/// The history as the app holds it: open, or the reason it could not be opened.
pub(crate) enum HistoryState {
    Off,
    Open {
        history: Arc<History>,
        source: Source,
        /// Whether recorded entries may point at body files (they outlive the process).
        keep_body_paths: bool,
    },
    Failed(ApiError),
}

impl HistoryState {
    pub(crate) fn open(path: &Path, source: Source, keep_body_paths: bool) -> HistoryState {
        // The folder holding the history is the data dir (the CLI's send opens it without
        // starting the app there): created, or tightened, owner-only like the app does.
        if let Some(parent) = path.parent() {
            if let Err(e) = sextant_store::private::ensure_private_dir(parent) {
                let error = ApiError::new(
                    ErrorCode::Io,
                    format!("cannot create {}: {e}", parent.display()),
                );
                eprintln!("sextant: history disabled: {}", error.message);
                return HistoryState::Failed(error);
            }
        }
        match History::open(path) {
            Ok(history) => HistoryState::Open {
                history: Arc::new(history),
                source,
                keep_body_paths,
            },
            Err(e) => {
                let error = store_error(e);
                eprintln!("sextant: history disabled: {}", error.message);
                HistoryState::Failed(error)
            }
        }
    }
}

/// A store failure as the error every command returns; the codes are `StoreError::code`'s.
pub(crate) fn store_error(e: StoreError) -> ApiError {
    e.into()
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

fn join_error(e: tokio::task::JoinError) -> ApiError {
    ApiError::new(ErrorCode::Internal, format!("history task failed: {e}"))
}

impl App {
    /// Sends `request` like [`App::send_request`] and records it with `meta` in the history.
    pub async fn send_request_with(
        &self,
        request_id: &str,
        request: &HttpRequest,
        meta: &SendMeta,
        on_event: &(dyn Fn(SendEvent) + Send + Sync),
    ) -> Result<HttpResponse, ApiError> {
        let at_ms = now_ms();
        let started = Instant::now();
        let cancel = sextant_engine::CancellationToken::new();
        let _guard = self.in_flight.register(request_id, cancel.clone())?;
        let result = self
            .engine
            .send(request, &cancel, on_event)
            .await
            .map_err(|e| e.to_api());
        let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
        self.record(at_ms, duration_ms, request, meta, result.as_ref())
            .await;
        result
    }

    async fn record(
        &self,
        at_ms: i64,
        duration_ms: f64,
        request: &HttpRequest,
        meta: &SendMeta,
        outcome: Result<&HttpResponse, &ApiError>,
    ) {
        let HistoryState::Open {
            history,
            source,
            keep_body_paths,
        } = &self.history
        else {
            return;
        };
        let (body_head, body_path) = match outcome {
            Ok(response) if response.body.size > 0 => {
                let head = self
                    .engine
                    .bodies()
                    .read_window(&response.id, 0, MAX_BODY_TEXT)
                    .await
                    .ok();
                let path = keep_body_paths
                    .then(|| self.engine.bodies().path(&response.id).ok())
                    .flatten();
                (head, path)
            }
            _ => (None, None),
        };
        let entry = history_record::entry(Finished {
            at_ms,
            source: *source,
            collection: meta.collection.clone(),
            secrets: &meta.secrets,
            request,
            duration_ms,
            outcome,
            body_head,
            body_path,
        });
        let history = Arc::clone(history);
        match tokio::task::spawn_blocking(move || history.record(&entry)).await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => eprintln!("sextant: could not record the request in the history: {e}"),
            Err(e) => eprintln!("sextant: could not record the request in the history: {e}"),
        }
    }

    fn history(&self) -> Result<Arc<History>, ApiError> {
        match &self.history {
            HistoryState::Open { history, .. } => Ok(Arc::clone(history)),
            HistoryState::Failed(e) => Err(e.clone()),
            HistoryState::Off => Err(ApiError::new(
                ErrorCode::InvalidRequest,
                "the history is turned off",
            )),
        }
    }

    /// A page of history entries matching `query`, newest first.
    pub async fn history_list(&self, query: HistoryQuery) -> Result<Vec<EntrySummary>, ApiError> {
        let history = self.history()?;
        tokio::task::spawn_blocking(move || history.list(&query))
            .await
            .map_err(join_error)?
            .map_err(store_error)
    }

    /// Everything recorded for entry `id`; `NotFound` when there is none.
    pub async fn history_get(&self, id: i64) -> Result<Entry, ApiError> {
        let history = self.history()?;
        tokio::task::spawn_blocking(move || history.get(id))
            .await
            .map_err(join_error)?
            .map_err(store_error)?
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::NotFound,
                    format!("history entry {id} does not exist"),
                )
            })
    }

    /// Entry `id` shaped for the window, with the id of its stored body when that file is
    /// still there (pass it to [`App::read_body`]).
    pub async fn history_entry(&self, id: i64) -> Result<HistoryEntry, ApiError> {
        let entry = self.history_get(id).await?;
        let response_id = entry
            .recorded
            .response_body_path
            .as_deref()
            .and_then(|p| self.live_body_id(Path::new(p)));
        Ok(HistoryEntry::from_entry(entry, response_id))
    }

    /// The body id behind a recorded path, when it names a file of this app's body store that
    /// still exists.
    fn live_body_id(&self, path: &Path) -> Option<String> {
        let id = path.file_name()?.to_str()?.strip_suffix(".body")?;
        let ours = self.engine.bodies().path(id).ok()?;
        (ours == path && ours.is_file()).then(|| id.to_string())
    }

    /// Deletes the oldest entries until every limit in `policy` holds, and their body files.
    pub async fn history_prune(&self, policy: Retention) -> Result<PruneReport, ApiError> {
        let history = self.history()?;
        let report = tokio::task::spawn_blocking(move || {
            let report = history.prune(&policy)?;
            for path in &report.body_paths {
                remove_body_file(Path::new(path));
            }
            Ok::<_, StoreError>(report)
        })
        .await
        .map_err(join_error)?
        .map_err(store_error)?;
        Ok(report)
    }

    /// The history database file, when the history is open.
    pub fn history_path(&self) -> Option<PathBuf> {
        match &self.history {
            HistoryState::Open { history, .. } => Some(history.path().to_path_buf()),
            _ => None,
        }
    }
}

fn remove_body_file(path: &Path) {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => eprintln!("sextant: cannot delete {}: {e}", path.display()),
    }
}
