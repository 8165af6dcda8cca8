//! The one send path: every request a host sends goes through here, is registered for Cancel
//! before anything else happens, and is recorded in the history when it ends.
//!
//! [`App::send`] is the window's path: a request with its collection context (templated with
//! what it inherits, its body files vetted, its captures and assertions run) or without one
//! (sent as composed; its assertions still run, their values templated with its own variables).
//! [`App::send_request`] is the CLI's: a plain request whose paths the user typed. Both end in
//! [`App::exchange`], which sends through the engine and records. The request id is put in the
//! in-flight table first, so a cancel that arrives while the workspace is still being read ends
//! the send as `Cancelled` without anything reaching the network.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sextant_engine::{CancellationToken, EngineError};
use sextant_model::{
    ApiError, ErrorCode, HttpRequest, HttpResponse, RedirectHop, SavedRequest, SendEvent,
};
use sextant_template::{mask_left_in, mask_left_in_saved, MASK};
use ts_rs::TS;

use crate::history::HistoryState;
use crate::history_ipc::WrittenRequest;
use crate::history_record::{self, Finished, MAX_BODY_TEXT};
use crate::oauth;
use crate::App;

/// Where a request the window sends comes from: the file it was opened from (none for a tab not
/// saved yet) and the environment chosen for its collection. Sending with a context templates
/// the request with the workspace's scopes; sending without one (no workspace could be read)
/// sends it as composed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct SendContext {
    pub path: Option<String>,
    pub environment: Option<String>,
}

impl SendContext {
    pub fn new(path: Option<String>, environment: Option<String>) -> Self {
        Self { path, environment }
    }
}

/// What the caller knows about a send beyond the request itself.
#[derive(Debug, Clone, Default)]
pub struct SendMeta {
    /// The collection the request came from, recorded for the history's filter.
    pub collection: Option<String>,
    /// Values to mask wherever they occur in the recorded entry (resolved secret variables).
    pub secrets: Vec<String>,
    /// The request as the user wrote it, kept beside the as-sent copy; `None`: the request sent
    /// is what was written (the CLI's).
    pub written: Option<WrittenRequest>,
    /// The collection run this send belongs to: its entry is tagged with the run's id.
    pub run: Option<crate::run::RunLink>,
}

/// The refusal of a request that still holds a mask where a secret was not kept (a request
/// reopened from the history): sending it would send the mask.
fn secret_not_kept(field: &str) -> ApiError {
    let mut message = format!(
        "{field} holds a secret the history did not keep ({MASK}): enter it, then send again"
    );
    if let Some(first) = message.get(..1) {
        message.replace_range(..1, &first.to_uppercase());
    }
    ApiError::new(ErrorCode::InvalidRequest, message)
}

/// Puts the 401 that a re-send with a fresh token answered in front of the re-send's hops, so
/// the response shows both exchanges (as the engine shows an answered Digest challenge).
fn show_rejection(response: &mut HttpResponse, rejected: HttpResponse) {
    let mut hops = rejected.redirects;
    hops.push(RedirectHop {
        url: rejected.url,
        method: rejected.method.clone(),
        status: rejected.status,
        location: String::new(),
        next_method: rejected.method,
        body_dropped: false,
        headers: rejected.headers,
        elapsed_ms: rejected.timings.total_ms,
    });
    hops.append(&mut response.redirects);
    response.redirects = hops;
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl App {
    /// Sends `saved` as the window does. With a `context` it is templated in its collection
    /// (inherited settings, the chosen environment, captured values), its body files go through
    /// `file_access` (relative ones resolve against the collection folder; one outside the
    /// workspace or under a hidden folder needs the user's say-so), it is recorded with secret
    /// values masked and its captures run. Without one it is sent as composed, its body files
    /// judged from nowhere (a relative path is refused). `request_id` is registered for
    /// [`App::cancel_request`] before anything else, so a cancel is honoured at any moment.
    pub async fn send(
        &self,
        request_id: &str,
        saved: &SavedRequest,
        context: Option<SendContext>,
        on_event: &(dyn Fn(SendEvent) + Send + Sync),
    ) -> Result<HttpResponse, ApiError> {
        self.send_in_run(request_id, saved, context, None, on_event)
            .await
    }

    /// [`App::send`] as one request of a collection run: its history entry is tagged `run`.
    pub(crate) async fn send_in_run(
        &self,
        request_id: &str,
        saved: &SavedRequest,
        context: Option<SendContext>,
        run: Option<crate::run::RunLink>,
        on_event: &(dyn Fn(SendEvent) + Send + Sync),
    ) -> Result<HttpResponse, ApiError> {
        if let Some(field) = mask_left_in_saved(saved) {
            return Err(secret_not_kept(&field));
        }
        let cancel = CancellationToken::new();
        let _guard = self.in_flight.register(request_id, cancel.clone())?;
        let environment = context.as_ref().and_then(|c| c.environment.clone());
        let mut prepared = tokio::select! {
            biased;
            () = cancel.cancelled() => return Err(EngineError::Cancelled.to_api()),
            prepared = self.prepare_with(saved, context, run.as_ref().and_then(|r| r.around.as_deref().cloned())) => prepared?,
        };
        prepared.meta.run = run;
        let signed_in = match prepared.oauth2.take() {
            None => None,
            Some(config) => {
                let context = SendContext::new(None, environment);
                let sign_in = self.oauth_use(Some(config), &context, &cancel).await?;
                match sign_in {
                    None => None,
                    Some(sign_in) => {
                        let tokens = self.oauth_token(&sign_in, &cancel).await?;
                        oauth::place_token(&mut prepared.request, &sign_in.config, &tokens);
                        prepared.meta.secrets.push(tokens.access_token.clone());
                        Some((sign_in, tokens))
                    }
                }
            }
        };
        let mut response = self
            .exchange(
                &cancel,
                &prepared.request,
                &prepared.identities,
                &prepared.meta,
                on_event,
            )
            .await?;
        if let Some((sign_in, used)) = &signed_in {
            if response.status == 401 {
                if let Some(fresh) = self.oauth_recover(sign_in, used, &cancel).await? {
                    oauth::replace_token(&mut prepared.request, used, &fresh);
                    prepared.meta.secrets.push(fresh.access_token.clone());
                    let rejected = response;
                    response = self
                        .exchange(
                            &cancel,
                            &prepared.request,
                            &prepared.identities,
                            &prepared.meta,
                            on_event,
                        )
                        .await?;
                    show_rejection(&mut response, rejected);
                }
            }
        }
        if let Some(collection) = prepared.captures_for {
            if !saved.captures.is_empty() && response.error.is_none() {
                let (values, failures) = self.capture(saved, &response).await;
                self.runtime.record(&collection, values, failures);
            }
        }
        if !prepared.checks.is_empty() {
            response.assertions = self.run_assertions(&prepared.checks, &response).await;
        }
        Ok(response)
    }

    /// Sends `request`, streaming progress to `on_event`, and records it in the history. Its
    /// body file paths are trusted (the CLI's user typed them). `request_id` is chosen by the
    /// caller so that [`App::cancel_request`] can reach the request before its response exists.
    pub async fn send_request(
        &self,
        request_id: &str,
        request: &HttpRequest,
        on_event: &(dyn Fn(SendEvent) + Send + Sync),
    ) -> Result<HttpResponse, ApiError> {
        self.send_request_with(request_id, request, &SendMeta::default(), on_event)
            .await
    }

    /// Sends `request` like [`App::send_request`] and records it with `meta` in the history.
    pub async fn send_request_with(
        &self,
        request_id: &str,
        request: &HttpRequest,
        meta: &SendMeta,
        on_event: &(dyn Fn(SendEvent) + Send + Sync),
    ) -> Result<HttpResponse, ApiError> {
        let cancel = CancellationToken::new();
        let _guard = self.in_flight.register(request_id, cancel.clone())?;
        self.exchange(&cancel, request, &[], meta, on_event).await
    }

    /// Sends a request the app makes on its own behalf (fetching a spec), within `limits`: not
    /// recorded.
    pub(crate) async fn send_internal(
        &self,
        request_id: &str,
        request: &HttpRequest,
        limits: &sextant_engine::SendLimits,
    ) -> Result<HttpResponse, ApiError> {
        let cancel = CancellationToken::new();
        let _guard = self.in_flight.register(request_id, cancel.clone())?;
        Ok(self
            .engine
            .send_limited(request, limits, &cancel, &|_| {})
            .await?)
    }

    /// Cancels a request in flight. Returns false when no such request is running.
    pub fn cancel_request(&self, request_id: &str) -> bool {
        self.in_flight.cancel(request_id)
    }

    /// The send itself, for a request already registered under `cancel`, and its record.
    async fn exchange(
        &self,
        cancel: &CancellationToken,
        request: &HttpRequest,
        identities: &[sextant_engine::ClientIdentity],
        meta: &SendMeta,
        on_event: &(dyn Fn(SendEvent) + Send + Sync),
    ) -> Result<HttpResponse, ApiError> {
        if let Some(field) = mask_left_in(request) {
            return Err(secret_not_kept(&field));
        }
        let at_ms = now_ms();
        let started = Instant::now();
        // A run's bodies are read when it is over, not while they arrive: their files are
        // written behind it (settled before the run returns).
        let limits = sextant_engine::SendLimits {
            deferred_file: meta.run.is_some(),
            ..sextant_engine::SendLimits::default()
        };
        let result = self
            .engine
            .send_with_identities(request, identities, &limits, cancel, on_event)
            .await
            .map_err(|e| e.to_api());
        let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
        if let Ok(response) = &result {
            let view = crate::sent::view(request, &meta.secrets, response);
            self.sent.remember(&response.id, view);
        }
        self.record(at_ms, duration_ms, request, meta, result.as_ref())
            .await;
        result
    }

    /// Writes the history entry of one send. Recording never fails a send: a history that
    /// cannot be written is reported on stderr.
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
        let written = meta.written.clone().unwrap_or_else(|| WrittenRequest {
            saved: SavedRequest::new("", request.clone()),
            path: None,
            environment: None,
        });
        let mut entry = history_record::entry(Finished {
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
        entry.request_as_written = history_record::as_written(&written, &meta.secrets);
        let run = meta.run.clone();
        if let Some(run) = &run {
            if let Some(batch) = &run.batch {
                // The run goes on while the writer thread writes the entry; the id follows.
                let (id, pending) = tokio::sync::oneshot::channel();
                run.set_pending(&entry.url, pending);
                let tag = sextant_store::RunTag {
                    run_id: &run.run_id,
                    seq: run.seq,
                };
                let done =
                    Box::new(
                        move |written: Result<i64, sextant_store::StoreError>| match written {
                            Ok(written) => {
                                let _ = id.send(written);
                            }
                            Err(e) => {
                                eprintln!(
                                    "sextant: could not record the request in the history: {e}"
                                );
                            }
                        },
                    );
                batch.submit(entry, Some(tag), done);
                return;
            }
        }
        let history = std::sync::Arc::clone(history);
        let recorded = tokio::task::spawn_blocking(move || {
            let Some(run) = &run else {
                return history.record(&entry);
            };
            let id = history.record(&entry)?;
            history.tag_run(id, &run.run_id, run.seq)?;
            run.set_entry(id, &entry.url);
            Ok::<_, sextant_store::StoreError>(id)
        });
        match recorded.await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => eprintln!("sextant: could not record the request in the history: {e}"),
            Err(e) => eprintln!("sextant: could not record the request in the history: {e}"),
        }
    }
}
