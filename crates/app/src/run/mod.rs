//! The collection runner: a collection, folder or request sent as a test suite, the way a CI job
//! or the window's run view asks for it. Each request goes through the one send path
//! ([`App::send`]'s), so it is templated in its collection with the chosen environment,
//! captures chain it to the next, assertions judge it and the history records it, tagged with
//! the run's id ([`App::run_history`] lists them again). On top: iterations or a data file (one
//! iteration per row, the row's columns as request variables), a delay, retries of failed
//! requests, N workers (a sequential folder keeps its order) and bail on the first failure.
//! A run is cancelled by its id ([`App::cancel_run`]); what finished stays in the summary.
//! A finished run is kept whole in the history ([`App::list_runs`], [`App::open_run`]).

mod around;
mod data;
mod plan;
mod record;

pub use record::{RecordedRun, RunRecord};

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};

use sextant_engine::CancellationToken;
use sextant_model::{
    ApiError, ErrorCode, HttpResponse, RunEvent, RunOptions, RunResult, RunSummary, Variable,
};
use sextant_store::{BatchLimits, BatchWriter, EntrySummary};

use crate::send::SendContext;
use crate::App;

/// Links a send to the run it belongs to: the history entry is tagged with `run_id` and `seq`,
/// and its masked URL and (once written) its id come back through the shared slot.
#[derive(Debug, Clone, Default)]
pub struct RunLink {
    pub(crate) run_id: String,
    pub(crate) seq: u32,
    recorded: Arc<Mutex<Option<Recorded>>>,
    /// The run's snapshot of what the request inherits; `None`: read it at the send.
    pub(crate) around: Option<Arc<crate::resolve::Surroundings>>,
    /// The run's history writer (entries committed in batches); `None`: one transaction each.
    pub(crate) batch: Option<Arc<BatchWriter>>,
}

/// A send's history entry as the run learns it: the masked URL at once, the id once written.
#[derive(Debug)]
pub(crate) struct Recorded {
    url: String,
    id: oneshot::Receiver<i64>,
}

impl RunLink {
    /// The entry of `url` is being written; its id comes through `id`.
    pub(crate) fn set_pending(&self, url: &str, id: oneshot::Receiver<i64>) {
        if let Ok(mut slot) = self.recorded.lock() {
            *slot = Some(Recorded {
                url: url.to_owned(),
                id,
            });
        }
    }

    pub(crate) fn set_entry(&self, id: i64, url: &str) {
        let (tx, rx) = oneshot::channel();
        let _ = tx.send(id);
        self.set_pending(url, rx);
    }

    fn take_entry(&self) -> Option<Recorded> {
        self.recorded.lock().ok().and_then(|mut s| s.take())
    }
}

/// A finished request on its way to the run's results: its entry id is awaited there, in
/// order, while the workers go on sending.
struct Done {
    seq: u32,
    result: RunResult,
    id: Option<oneshot::Receiver<i64>>,
}

/// Where a run's data file may come from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum DataFrom {
    /// Typed by the user (the CLI): trusted, relative to the working directory.
    Typed,
    /// Named by a request of the window: inside the workspace, or allowed by the user.
    Window,
}

/// Everything the workers share.
struct Shared<'a> {
    run_id: &'a str,
    options: &'a RunOptions,
    plan: &'a plan::Plan,
    arounds: &'a around::Arounds,
    batch: Option<&'a Arc<BatchWriter>>,
    cancel: CancellationToken,
    stop: AtomicBool,
    /// To the task that emits each result once its history id is known; `None` ends it.
    done: mpsc::UnboundedSender<Option<Done>>,
    on_event: &'a (dyn Fn(RunEvent) + Send + Sync),
}

fn refused_data(file: &Path) -> ApiError {
    ApiError::new(
        ErrorCode::FileNotAllowed,
        format!(
            "the data file {} is outside the workspace (or under a hidden folder): allow it \
             first, or run from the command line",
            file.display()
        ),
    )
}

impl App {
    /// Runs the collection, folder or request at `path` (as the tree names it) with `options`,
    /// streaming progress to `on_event`. A data file must be inside the workspace (a relative
    /// path is relative to the collection folder) or allowed by the user, as body files are.
    /// `Err` only when the run cannot start (no such path, a bad data file); a request that
    /// fails is a failed result.
    pub async fn run(
        &self,
        run_id: &str,
        path: &str,
        options: RunOptions,
        on_event: Arc<dyn Fn(RunEvent) + Send + Sync>,
    ) -> Result<RunSummary, ApiError> {
        self.run_from(run_id, path, options, DataFrom::Window, on_event)
            .await
    }

    /// [`App::run`] for the CLI: the data file path was typed by the user, so it is trusted and
    /// relative to the working directory.
    pub async fn run_typed(
        &self,
        run_id: &str,
        path: &str,
        options: RunOptions,
        on_event: Arc<dyn Fn(RunEvent) + Send + Sync>,
    ) -> Result<RunSummary, ApiError> {
        self.run_from(run_id, path, options, DataFrom::Typed, on_event)
            .await
    }

    /// Stops the run `run_id`: no request starts after this, those in flight are cancelled.
    /// Returns false when no such run is going.
    pub fn cancel_run(&self, run_id: &str) -> bool {
        self.in_flight.cancel(run_id)
    }

    /// The history entries run `run_id` recorded, in run order.
    pub async fn run_history(&self, run_id: &str) -> Result<Vec<EntrySummary>, ApiError> {
        let crate::history::HistoryState::Open { history, .. } = &self.history else {
            return Err(ApiError::new(
                ErrorCode::InvalidRequest,
                "the history is turned off or could not be opened",
            ));
        };
        let history = Arc::clone(history);
        let run_id = run_id.to_owned();
        tokio::task::spawn_blocking(move || history.run_entries(&run_id))
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, format!("run history task: {e}")))?
            .map_err(ApiError::from)
    }

    fn data_file(&self, path: &str, run_path: &str, from: DataFrom) -> Result<PathBuf, ApiError> {
        let given = Path::new(path);
        if from == DataFrom::Typed {
            return Ok(given.to_path_buf());
        }
        let collection = run_path.trim_matches('/').split('/').next().unwrap_or("");
        let joined = if given.is_absolute() {
            given.to_path_buf()
        } else {
            self.workspace_root().join(collection).join(given)
        };
        let file = std::fs::canonicalize(&joined).map_err(|e| {
            ApiError::new(
                ErrorCode::NotFound,
                format!("cannot read the data file {}: {e}", joined.display()),
            )
        })?;
        let inside = std::fs::canonicalize(self.workspace_root())
            .ok()
            .and_then(|root| file.strip_prefix(root).ok().map(Path::to_path_buf))
            .is_some_and(|rel| {
                !rel.components()
                    .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
            });
        if inside || self.file_consent.contains(&file)? {
            Ok(file)
        } else {
            Err(refused_data(&file))
        }
    }

    async fn run_from(
        &self,
        run_id: &str,
        path: &str,
        options: RunOptions,
        from: DataFrom,
        on_event: Arc<dyn Fn(RunEvent) + Send + Sync>,
    ) -> Result<RunSummary, ApiError> {
        let started = Instant::now();
        let at_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        let cancel = CancellationToken::new();
        let _guard = self.in_flight.register(run_id, cancel.clone())?;
        let (plan, arounds) = {
            let (path, options) = (path.to_owned(), options.clone());
            self.with_workspace(move |ws| {
                let plan = plan::plan(ws, &path, &options)?;
                let arounds = around::Arounds::read(ws, &plan, options.environment.as_deref());
                Ok((plan, arounds))
            })
            .await?
        };
        let rows = match &options.data {
            None => None,
            Some(data) => {
                let file = self.data_file(data, path, from)?;
                let rows = tokio::task::spawn_blocking(move || data::read_rows(&file))
                    .await
                    .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))??;
                Some(rows)
            }
        };
        let iterations = match &rows {
            Some(rows) => u32::try_from(rows.len()).unwrap_or(u32::MAX),
            None => options.iterations.max(1),
        };
        let per_iteration = u32::try_from(plan.requests.len()).unwrap_or(u32::MAX);
        let batch = self.batch_writer().await;
        on_event(RunEvent::Started {
            run_id: run_id.to_owned(),
            total: iterations.saturating_mul(per_iteration),
        });
        let (done, finished) = mpsc::unbounded_channel();
        let shared = Shared {
            run_id,
            options: &options,
            plan: &plan,
            arounds: &arounds,
            batch: batch.as_ref(),
            cancel,
            stop: AtomicBool::new(false),
            done,
            on_event: on_event.as_ref(),
        };
        let sending = async {
            for iteration in 1..=iterations {
                if shared.stop.load(Ordering::SeqCst) || shared.cancel.is_cancelled() {
                    break;
                }
                let row = rows
                    .as_ref()
                    .and_then(|r| r.get(iteration as usize - 1))
                    .map(Vec::as_slice)
                    .unwrap_or(&[]);
                let next = AtomicUsize::new(0);
                let workers = (0..options.parallel.max(1))
                    .map(|_| self.worker(&shared, iteration, row, &next));
                futures_util::future::join_all(workers).await;
            }
            let _ = shared.done.send(None);
        };
        let (mut results, ()) = tokio::join!(emit(finished, on_event.as_ref()), sending);
        let stopped = shared.stop.load(Ordering::SeqCst) || shared.cancel.is_cancelled();
        let bodies = self.engine.bodies().clone();
        if let Err(e) = tokio::task::spawn_blocking(move || bodies.settle()).await {
            eprintln!("sextant: could not finish writing the run's body files: {e}");
        }
        if let Some(batch) = batch {
            flush(batch).await;
        }
        results.sort_by_key(|(seq, _)| *seq);
        let results: Vec<RunResult> = results.into_iter().map(|(_, r)| r).collect();
        let passed = results.iter().filter(|r| r.passed).count();
        let errors = results
            .iter()
            .filter(|r| !r.passed && r.error.is_some())
            .count();
        let total = results.len();
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let summary = RunSummary {
            run_id: run_id.to_owned(),
            total: count(total),
            passed: count(passed),
            failed: count(total - passed),
            errors: count(errors),
            duration_ms: started.elapsed().as_secs_f64() * 1000.0,
            results,
            stopped: stopped && count(total) < iterations.saturating_mul(per_iteration),
        };
        self.keep_run(at_ms, path, &plan.name, &options, &summary)
            .await;
        on_event(RunEvent::Finished {
            summary: summary.clone(),
        });
        Ok(summary)
    }

    /// A writer that commits the run's history entries in batches; `None` when the history is
    /// off or a second connection cannot be opened (each entry is then its own transaction).
    async fn batch_writer(&self) -> Option<Arc<BatchWriter>> {
        let crate::history::HistoryState::Open { history, .. } = &self.history else {
            return None;
        };
        let history = Arc::clone(history);
        match tokio::task::spawn_blocking(move || history.batch_writer(BatchLimits::default()))
            .await
        {
            Ok(Ok(batch)) => Some(Arc::new(batch)),
            Ok(Err(e)) => {
                eprintln!("sextant: recording the run entry by entry: {e}");
                None
            }
            Err(_) => None,
        }
    }

    /// One worker: takes the iteration's units in order until none is left or the run stops.
    async fn worker(
        &self,
        shared: &Shared<'_>,
        iteration: u32,
        row: &[(String, String)],
        next: &AtomicUsize,
    ) {
        loop {
            let unit = next.fetch_add(1, Ordering::SeqCst);
            let Some(unit) = shared.plan.units.get(unit) else {
                return;
            };
            for &index in unit {
                if shared.stop.load(Ordering::SeqCst) || shared.cancel.is_cancelled() {
                    return;
                }
                let seq = (iteration - 1)
                    .saturating_mul(u32::try_from(shared.plan.requests.len()).unwrap_or(0))
                    .saturating_add(u32::try_from(index).unwrap_or(0));
                let (result, id) = self.run_one(shared, iteration, index, seq, row).await;
                if !result.passed && shared.options.bail {
                    shared.stop.store(true, Ordering::SeqCst);
                }
                let _ = shared.done.send(Some(Done { seq, result, id }));
                if shared.options.delay_ms > 0 {
                    pause(&shared.cancel, shared.options.delay_ms).await;
                }
            }
        }
    }

    /// Sends one request of the plan, again while it fails and retries are left; with the id
    /// of its last history entry, once written.
    async fn run_one(
        &self,
        shared: &Shared<'_>,
        iteration: u32,
        index: usize,
        seq: u32,
        row: &[(String, String)],
    ) -> (RunResult, Option<oneshot::Receiver<i64>>) {
        let planned = &shared.plan.requests[index];
        (shared.on_event)(RunEvent::RequestStarted {
            iteration,
            path: planned.path.clone(),
            name: planned.name.clone(),
        });
        let mut result = RunResult {
            iteration,
            path: planned.path.clone(),
            name: planned.name.clone(),
            method: String::new(),
            url: String::new(),
            status: None,
            duration_ms: 0.0,
            attempts: 0,
            assertions: Vec::new(),
            passed: false,
            error: None,
            history_id: None,
            skipped: None,
        };
        let saved = match &planned.saved {
            Err(e) => {
                result.error = Some(e.clone());
                return (result, None);
            }
            Ok(saved) => saved,
        };
        result.method = saved.request.method.clone();
        result.url = saved.request.url.clone();
        if saved.websocket.is_some() {
            result.method = crate::WS_METHOD.to_owned();
            result.passed = true;
            result.skipped =
                Some("a WebSocket request: runs do not open WebSocket sessions".into());
            return (result, None);
        }
        let mut saved = saved.clone();
        for (name, value) in row {
            if !saved.variables.iter().any(|v| &v.name == name) {
                saved
                    .variables
                    .push(Variable::new(name.clone(), value.clone()));
            }
        }
        let context = SendContext::new(
            Some(planned.path.clone()),
            shared.options.environment.clone(),
        );
        let started = Instant::now();
        let mut entry = None;
        for attempt in 0..=shared.options.retries {
            if attempt > 0 {
                pause(&shared.cancel, shared.options.retry_interval_ms).await;
            }
            if shared.cancel.is_cancelled() {
                result.error = Some(cancelled());
                break;
            }
            result.attempts = attempt + 1;
            let link = RunLink {
                run_id: shared.run_id.to_owned(),
                seq,
                recorded: Arc::default(),
                around: shared.arounds.of(&planned.path),
                batch: shared.batch.cloned(),
            };
            let request_id = format!("{}:{iteration}:{index}:{attempt}", shared.run_id);
            let outcome = tokio::select! {
                biased;
                () = shared.cancel.cancelled() => Err(cancelled()),
                r = self.send_in_run(&request_id, &saved, Some(context.clone()), Some(link.clone()), &|_| {}) => r,
            };
            if let Some(recorded) = link.take_entry() {
                result.url = recorded.url;
                entry = Some(recorded.id);
            }
            judge(&mut result, outcome);
            if result.passed || shared.cancel.is_cancelled() {
                break;
            }
        }
        result.duration_ms = started.elapsed().as_secs_f64() * 1000.0;
        (result, entry)
    }
}

/// Emits each finished request once its history entry has its id (in the order they
/// finished), and collects them, until the run says it is over.
async fn emit(
    mut finished: mpsc::UnboundedReceiver<Option<Done>>,
    on_event: &(dyn Fn(RunEvent) + Send + Sync),
) -> Vec<(u32, RunResult)> {
    let mut results = Vec::new();
    while let Some(Some(Done {
        seq,
        mut result,
        id,
    })) = finished.recv().await
    {
        if let Some(id) = id {
            result.history_id = id.await.ok();
        }
        on_event(RunEvent::RequestFinished {
            result: result.clone(),
        });
        results.push((seq, result));
    }
    results
}

/// Commits what the run recorded and closes its writer, before the summary is returned: a
/// finished run (cancelled or not) is all in the history.
async fn flush(batch: Arc<BatchWriter>) {
    let flushed = tokio::task::spawn_blocking(move || {
        let flushed = batch.flush();
        drop(batch);
        flushed
    })
    .await;
    match flushed {
        Ok(Ok(())) => {}
        Ok(Err(e)) => eprintln!("sextant: could not record the run in the history: {e}"),
        Err(e) => eprintln!("sextant: could not record the run in the history: {e}"),
    }
}

fn cancelled() -> ApiError {
    ApiError::new(ErrorCode::Cancelled, "the run was cancelled")
}

/// Fills `result` from one attempt's outcome.
fn judge(result: &mut RunResult, outcome: Result<HttpResponse, ApiError>) {
    match outcome {
        Ok(response) => {
            result.status = Some(response.status);
            result.method = response.method;
            result.passed =
                response.error.is_none() && response.assertions.iter().all(|a| a.passed);
            result.error = response.error;
            result.assertions = response.assertions;
        }
        Err(e) => {
            result.status = None;
            result.assertions = Vec::new();
            result.passed = false;
            result.error = Some(e);
        }
    }
}

/// Waits `ms`, or less when the run is cancelled.
async fn pause(cancel: &CancellationToken, ms: u32) {
    if ms == 0 {
        return;
    }
    tokio::select! {
        () = cancel.cancelled() => {}
        () = tokio::time::sleep(Duration::from_millis(u64::from(ms))) => {}
    }
}
