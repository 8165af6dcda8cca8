//! The window's session across restarts: which tabs were open, in which order, which was active,
//! and each tab's last response head (its body stays in the body store, named by the response
//! id). Unsaved content is not here: it is in the tab's draft (sealed, keyed by the tab key), so
//! this file holds no request a user typed (the masked request as sent beside each response is
//! the history's copy, credentials masked). It lives at `<data dir>/session.json` and is
//! rewritten whole, atomically, on every change the window reports.
//!
//! A session that cannot be read never stops the app: the window starts from the drafts, as
//! before sessions existed, and the reason goes to the log.

use serde::{Deserialize, Serialize};
use sextant_model::{ApiError, ErrorCode, HttpResponse};
use sextant_store::workspace::StateFile;
use ts_rs::TS;

use crate::sent::SentRequest;
use crate::App;

/// The session file's name inside the data directory.
pub const SESSION_FILE: &str = "session.json";

/// The session format written now; a file of another version is not read.
pub const SESSION_VERSION: u32 = 1;

/// The open tabs, in order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Session {
    #[serde(default)]
    pub version: u32,
    /// The workspace the tab paths are relative to; tabs of another workspace are not restored.
    #[serde(default)]
    pub workspace: String,
    pub tabs: Vec<SessionTab>,
    /// The key of the active tab.
    #[serde(default)]
    pub active: Option<String>,
}

/// One open tab: its key (also its draft's key), its file, and the last response it showed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SessionTab {
    pub key: String,
    /// The request file (workspace-relative), or `None` for an unsaved tab.
    #[serde(default)]
    pub path: Option<String>,
    /// The last response's head; its body is `readBody(response.id)` while the file exists.
    #[serde(default)]
    pub response: Option<HttpResponse>,
    /// The request as sent for that response (masked), added by the app when it writes the
    /// session, so the Request view works after a restart even without the history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sent: Option<SentRequest>,
}

fn join_error(e: tokio::task::JoinError) -> ApiError {
    ApiError::new(ErrorCode::Internal, format!("session task failed: {e}"))
}

impl App {
    fn session_file(&self) -> StateFile {
        StateFile::new(self.data_dir.join(SESSION_FILE))
    }

    /// The session the window left, or `None` (no file, another version, or a file that
    /// cannot be read: then a warning is logged and the window starts from its drafts). Tabs
    /// with a file of another workspace than the one open now are left out.
    pub async fn session_get(&self) -> Result<Option<Session>, ApiError> {
        let file = self.session_file();
        let loaded = tokio::task::spawn_blocking(move || file.load::<Session>())
            .await
            .map_err(join_error)?;
        let session = match loaded {
            Ok(Some(session)) if session.version == SESSION_VERSION => session,
            Ok(Some(session)) => {
                eprintln!(
                    "sextant: warning: session file version {} is not {SESSION_VERSION}; starting from drafts",
                    session.version
                );
                return Ok(None);
            }
            Ok(None) => return Ok(None),
            Err(e) => {
                eprintln!(
                    "sextant: warning: the session was not restored: {e}; starting from drafts"
                );
                return Ok(None);
            }
        };
        let here = self.workspace_root().to_string_lossy().into_owned();
        let mut session = session;
        if session.workspace != here {
            session.tabs.retain(|t| t.path.is_none());
        }
        for tab in &mut session.tabs {
            if let (Some(response), Some(sent)) = (&tab.response, tab.sent.take()) {
                self.sent.remember(&response.id, sent);
            }
        }
        Ok(Some(session))
    }

    /// Replaces the stored session (the window calls this, debounced, when its tabs change).
    pub async fn session_put(&self, mut session: Session) -> Result<(), ApiError> {
        session.version = SESSION_VERSION;
        session.workspace = self.workspace_root().to_string_lossy().into_owned();
        for tab in &mut session.tabs {
            tab.sent = tab.response.as_ref().and_then(|r| self.sent.get(&r.id));
        }
        let file = self.session_file();
        tokio::task::spawn_blocking(move || file.save(&session))
            .await
            .map_err(join_error)?
            .map_err(ApiError::from)
    }
}
