//! `#[tauri::command]` adapters for what the window keeps across restarts: its session (open
//! tabs, the active one, last responses) and the list of imported specs. Each one calls
//! `sextant_app::App`.

use sextant_app::{App, RememberedSpec, Session};
use sextant_model::ApiError;
use tauri::State;

/// The session the window left (`null`: none, or one that could not be read).
#[tauri::command]
pub async fn session_get(app: State<'_, App>) -> Result<Option<Session>, ApiError> {
    app.session_get().await
}

#[tauri::command]
pub async fn session_put(app: State<'_, App>, session: Session) -> Result<(), ApiError> {
    app.session_put(session).await
}

/// The imported specs, most recent first, to reopen on demand.
#[tauri::command]
pub async fn specs_remembered(app: State<'_, App>) -> Result<Vec<RememberedSpec>, ApiError> {
    app.specs_remembered().await
}

#[tauri::command]
pub async fn spec_forget(app: State<'_, App>, source: String) -> Result<(), ApiError> {
    app.spec_forget(source).await
}
