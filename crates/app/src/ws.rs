//! WebSocket sessions, one command each: connect a saved request (templated in its collection
//! as `send` does, with inherited auth and an OAuth token), send, ping, close.
//!
//! The sessions live in a table keyed by the caller's session id. Each entry owns the engine's
//! [`WsSession`], whose task reads and writes frames and reports them to the caller's
//! `on_event`; dropping the entry (or the [`App`]) closes the connection with 1001. A finished
//! session stays in the table only until it is looked up or replaced.

mod outgoing;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sextant_engine::{CancellationToken, WsSession};
use sextant_model::{ApiError, ErrorCode, SavedRequest, WsEvent, WsHandshake, WsOutgoing};
use sextant_template::mask_left_in_saved;

use crate::send::SendContext;
use crate::{oauth, App};

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
        let settings = saved.websocket.clone().unwrap_or_default();
        let environment = context.as_ref().and_then(|c| c.environment.clone());
        let mut prepared = self.prepare(saved, context.clone()).await?;
        if let Some(config) = prepared.oauth2.take() {
            let cancel = CancellationToken::new();
            let oauth_context = SendContext::new(None, environment);
            if let Some(sign_in) = self
                .oauth_use(Some(config), &oauth_context, &cancel)
                .await?
            {
                let tokens = self.oauth_token(&sign_in, &cancel).await?;
                oauth::place_token(&mut prepared.request, &sign_in.config, &tokens);
            }
        }
        let (session, handshake) = self
            .engine
            .ws_connect(&prepared.request, &settings, on_event)
            .await?;
        self.ws_sessions.insert(
            session_id,
            Entry {
                session,
                saved: saved.clone(),
                context,
            },
        );
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

    /// Starts the closing handshake with `code` and `reason`; the `Closed` event follows when
    /// the server answers.
    pub async fn ws_close(
        &self,
        session_id: &str,
        code: u16,
        reason: String,
    ) -> Result<(), ApiError> {
        let entry = self.ws_sessions.get(session_id)?;
        Ok(entry.session.close(code, reason).await?)
    }
}
