//! WebSocket sessions, one command each: connect a saved request (templated in its collection
//! as `send` does, with inherited auth and an OAuth token), send, ping, pong, close.
//!
//! The sessions live in a table keyed by the caller's session id. Each entry owns the engine's
//! [`WsSession`], whose task reads and writes frames and reports them to the caller's
//! `on_event`; dropping the entry (or the [`App`]) closes the connection with 1001. A finished
//! session stays in the table only until it is looked up or replaced. While its handshake runs a
//! session is in the `connecting` table instead, where `ws_close` reaches it to cancel it.

mod outgoing;
mod record;
mod save;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sextant_engine::{CancellationToken, WsSession};
use sextant_model::{
    ApiError, ErrorCode, SavedRequest, WsEvent, WsHandshake, WsOutgoing, WsRecording,
    WsSessionSummary,
};
use sextant_template::mask_left_in_saved;

use crate::history::HistoryState;
use crate::inflight::InFlight;
use crate::send::SendContext;
use crate::{history_record, oauth, App};

pub use record::{MAX_RECORDED_FRAMES, MAX_RECORDED_PREVIEW, WS_METHOD};
pub use sextant_engine::WsLogRate;

/// One open session and what its messages are templated with.
struct Entry {
    session: WsSession,
    saved: SavedRequest,
    context: Option<SendContext>,
}

/// The live sessions of one [`App`].
#[derive(Default)]
pub(crate) struct Sessions {
    table: Mutex<HashMap<String, Arc<Entry>>>,
    /// Sessions whose handshake (or sign-in) is under way, so a close can cancel them.
    connecting: InFlight,
}

impl Sessions {
    fn get(&self, id: &str) -> Result<Arc<Entry>, ApiError> {
        let mut table = self.table.lock().unwrap_or_else(|p| p.into_inner());
        match table.get(id) {
            Some(entry) if !entry.session.is_finished() => Ok(Arc::clone(entry)),
            Some(_) => {
                table.remove(id);
                Err(not_found(id))
            }
            None => Err(not_found(id)),
        }
    }

    fn is_live(&self, id: &str) -> bool {
        let table = self.table.lock().unwrap_or_else(|p| p.into_inner());
        table.get(id).is_some_and(|e| !e.session.is_finished())
    }

    fn insert(&self, id: &str, entry: Entry) {
        let mut table = self.table.lock().unwrap_or_else(|p| p.into_inner());
        table.retain(|_, e| !e.session.is_finished());
        table.insert(id.to_owned(), Arc::new(entry));
    }
}

fn cancelled() -> ApiError {
    ApiError::new(
        ErrorCode::Cancelled,
        "the connection attempt was cancelled before the handshake finished",
    )
}

fn not_found(id: &str) -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        format!("no open WebSocket session {id} (it was closed, or never opened)"),
    )
}

impl App {
    /// Opens a WebSocket session for `saved` (templated in its collection as `send` does:
    /// variables, inherited auth incl. OAuth token, TLS/connect timeout), registered under
    /// `session_id`; returns once the handshake is done (Err if it fails: refused, TLS, a
    /// non-101 answer such as 401/403 with the status and body excerpt, timeout). Events
    /// (frames batched, the close) go to `on_event` until the session ends.
    pub async fn ws_connect(
        &self,
        session_id: &str,
        saved: &SavedRequest,
        context: Option<SendContext>,
        on_event: Arc<dyn Fn(WsEvent) + Send + Sync>,
    ) -> Result<WsHandshake, ApiError> {
        self.ws_connect_with(session_id, saved, context, WsLogRate::Capped, on_event)
            .await
    }

    /// [`ws_connect`](Self::ws_connect) with the live log's `rate`: the window keeps the cap;
    /// the CLI, which prints frames as they come, asks for [`WsLogRate::Everything`].
    pub async fn ws_connect_with(
        &self,
        session_id: &str,
        saved: &SavedRequest,
        context: Option<SendContext>,
        rate: WsLogRate,
        on_event: Arc<dyn Fn(WsEvent) + Send + Sync>,
    ) -> Result<WsHandshake, ApiError> {
        if mask_left_in_saved(saved).is_some() {
            return Err(ApiError::new(
                ErrorCode::InvalidRequest,
                "the request holds a secret the history did not keep: enter it, then connect",
            ));
        }
        if self.ws_sessions.is_live(session_id) {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("the WebSocket session {session_id} is already open"),
            ));
        }
        let cancel = CancellationToken::new();
        let _connecting = self
            .ws_sessions
            .connecting
            .register(session_id, cancel.clone())
            .map_err(|_| {
                ApiError::new(
                    ErrorCode::Conflict,
                    format!("the WebSocket session {session_id} is already connecting"),
                )
            })?;
        let settings = saved.websocket.clone().unwrap_or_default();
        let environment = context.as_ref().and_then(|c| c.environment.clone());
        let mut prepared = tokio::select! {
            biased;
            () = cancel.cancelled() => return Err(cancelled()),
            prepared = self.prepare(saved, context.clone()) => prepared?,
        };
        if let Some(config) = prepared.oauth2.take() {
            let oauth_context = SendContext::new(None, environment);
            if let Some(sign_in) = self
                .oauth_use(Some(config), &oauth_context, &cancel)
                .await?
            {
                let tokens = self.oauth_token(&sign_in, &cancel).await?;
                oauth::place_token(&mut prepared.request, &sign_in.config, &tokens);
                prepared.meta.secrets.push(tokens.access_token.clone());
            }
        }
        let recorder = match &self.history {
            HistoryState::Open {
                history, source, ..
            } => Some(Arc::new(record::SessionRecord::new(
                Arc::clone(history),
                *source,
                prepared.meta.collection.clone(),
                prepared.meta.secrets.clone(),
                prepared.request.clone(),
                prepared
                    .meta
                    .written
                    .as_ref()
                    .and_then(|w| history_record::as_written(w, &prepared.meta.secrets)),
            ))),
            _ => None,
        };
        let listener: Arc<dyn Fn(WsEvent) + Send + Sync> = match &recorder {
            None => on_event,
            Some(recorder) => {
                let recorder = Arc::clone(recorder);
                Arc::new(move |event: WsEvent| {
                    recorder.observe(&event);
                    on_event(event);
                })
            }
        };
        let at_ms = record::now_ms();
        let connected = tokio::select! {
            biased;
            () = cancel.cancelled() => Err(cancelled()),
            connected = self.engine.ws_connect_with_identities(
                &prepared.request,
                &settings,
                &prepared.identities,
                rate,
                listener,
            ) => {
                connected.map_err(|e| e.to_api())
            }
        };
        let (session, handshake) = match connected {
            Ok(done) => done,
            Err(error) => {
                if let Some(recorder) = recorder {
                    recorder.write(recorder.entry(at_ms, Err(&error)), None);
                }
                return Err(error);
            }
        };
        self.ws_sessions.insert(
            session_id,
            Entry {
                session,
                saved: saved.clone(),
                context,
            },
        );
        // A close that came between the handshake and the insert found neither: honour it now.
        if cancel.is_cancelled() {
            if let Ok(entry) = self.ws_sessions.get(session_id) {
                let _ = entry.session.close(1000, String::new()).await;
            }
        }
        Ok(handshake)
    }

    /// Sends `message` on the session: templated with the session's variables; `Json` checked
    /// to be JSON (`InvalidRequest` otherwise), `BinaryHex` parsed, `BinaryFile` read through
    /// the same file rules as body files. Returns once it is written.
    pub async fn ws_send(&self, session_id: &str, message: WsOutgoing) -> Result<(), ApiError> {
        let entry = self.ws_sessions.get(session_id)?;
        match self
            .ws_outgoing(&entry.saved, entry.context.clone(), message)
            .await?
        {
            outgoing::Payload::Text(text) => entry.session.send_text(text).await?,
            outgoing::Payload::Binary(bytes) => entry.session.send_binary(bytes).await?,
        }
        Ok(())
    }

    /// Sends a ping carrying `payload` (at most 125 bytes).
    pub async fn ws_ping(&self, session_id: &str, payload: String) -> Result<(), ApiError> {
        let entry = self.ws_sessions.get(session_id)?;
        Ok(entry.session.ping(payload.into_bytes()).await?)
    }

    /// Sends an unsolicited pong carrying `payload` (at most 125 bytes): a one-way heartbeat
    /// (RFC 6455 §5.5.3), or a ping answered by hand when auto-pong is off. Logged like a ping.
    pub async fn ws_pong(&self, session_id: &str, payload: String) -> Result<(), ApiError> {
        let entry = self.ws_sessions.get(session_id)?;
        Ok(entry.session.pong(payload.into_bytes()).await?)
    }

    /// The WebSocket connection recorded as history entry `entry_id`, read-only: its frames
    /// (up to the cap) and how it ended. `NotFound` when the entry is not one.
    pub async fn ws_history_session(&self, entry_id: i64) -> Result<WsRecording, ApiError> {
        let HistoryState::Open { history, .. } = &self.history else {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                "the history is not open",
            ));
        };
        let history = Arc::clone(history);
        tokio::task::spawn_blocking(move || history.ws_session(entry_id))
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))??
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::NotFound,
                    format!("history entry {entry_id} is not a recorded WebSocket session"),
                )
            })
    }

    /// How the recorded WebSocket sessions among `entry_ids` went (frame count, close), for
    /// the history list's rows; entries that are not sessions are left out.
    pub async fn ws_history_summaries(
        &self,
        entry_ids: Vec<i64>,
    ) -> Result<Vec<WsSessionSummary>, ApiError> {
        let HistoryState::Open { history, .. } = &self.history else {
            return Ok(Vec::new());
        };
        let history = Arc::clone(history);
        Ok(
            tokio::task::spawn_blocking(move || history.ws_summaries(&entry_ids))
                .await
                .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))??,
        )
    }

    /// Starts the closing handshake with `code` and `reason`; the `Closed` event follows when
    /// the server answers. A session still connecting is cancelled instead: its `ws_connect`
    /// ends with `Cancelled` (and is recorded so), whatever the handshake was waiting for.
    pub async fn ws_close(
        &self,
        session_id: &str,
        code: u16,
        reason: String,
    ) -> Result<(), ApiError> {
        match self.ws_sessions.get(session_id) {
            Ok(entry) => Ok(entry.session.close(code, reason).await?),
            Err(_) if self.ws_sessions.connecting.cancel(session_id) => Ok(()),
            Err(e) => Err(e),
        }
    }
}
