//! `#[tauri::command]` adapters: each one unpacks its arguments, calls `sextant_app::App`, and
//! returns the result. Errors cross as `{code, message}` (`ApiError`).

use sextant_app::{
    App, HistoryEntry, HistoryFilter, HistoryPruned, HistoryRetention, HistoryRow, Launcher,
    PrettyWindow, SendContext, SentRequest, SignInEvent, TokenStatus,
};
use sextant_model::{ApiError, CookieInfo, HttpResponse, RequestSettings, SavedRequest, SendEvent};
use sextant_model::{WsEvent, WsHandshake, WsOutgoing, WsRecording, WsSessionSummary};
use sextant_openapi::{OperationPayload, SchemaPayload, SpecOverview, SpecReload, TryItRequest};
use std::sync::Arc;
use tauri::ipc::{Channel, Response};
use tauri::State;

/// The one send: `request` in its collection `context` (none: as composed), registered for
/// `cancel_request` under `request_id` before anything else.
#[tauri::command]
pub async fn send(
    app: State<'_, App>,
    request_id: String,
    request: SavedRequest,
    context: Option<SendContext>,
    on_event: Channel<SendEvent>,
) -> Result<HttpResponse, ApiError> {
    let forward = move |event: SendEvent| {
        let _ = on_event.send(event);
    };
    app.send(&request_id, &request, context, &forward).await
}

#[tauri::command]
pub fn cancel_request(app: State<'_, App>, request_id: String) -> bool {
    app.cancel_request(&request_id)
}

/// The token panel of `request`'s OAuth 2.0 sign-in (its own auth or inherited) in `context`.
#[tauri::command]
pub async fn oauth_status(
    app: State<'_, App>,
    request: SavedRequest,
    context: SendContext,
) -> Result<TokenStatus, ApiError> {
    app.oauth_status(request, context).await
}

/// Signs in with the configured grant (the system browser for the authorization code, via
/// `$BROWSER` when set), telling `on_event` what the user must do; cancel with `request_id`.
#[tauri::command]
pub async fn oauth_sign_in(
    app: State<'_, App>,
    request_id: String,
    request: SavedRequest,
    context: SendContext,
    on_event: Channel<SignInEvent>,
) -> Result<TokenStatus, ApiError> {
    let forward = move |event: SignInEvent| {
        let _ = on_event.send(event);
    };
    app.oauth_sign_in(&request_id, request, context, &Launcher::System, &forward)
        .await
}

/// Opens the device grant's verification address in the system browser (`$BROWSER` when set).
#[tauri::command]
pub async fn oauth_open_address(app: State<'_, App>, url: String) -> Result<(), ApiError> {
    app.open_sign_in_address(&url, &Launcher::System)
}

#[tauri::command]
pub async fn oauth_refresh(
    app: State<'_, App>,
    request: SavedRequest,
    context: SendContext,
) -> Result<TokenStatus, ApiError> {
    app.oauth_refresh(request, context).await
}

#[tauri::command]
pub async fn oauth_forget(
    app: State<'_, App>,
    request: SavedRequest,
    context: SendContext,
) -> Result<TokenStatus, ApiError> {
    app.oauth_forget(request, context).await
}

/// Raw bytes, not JSON: a 1 MiB window crosses as an ArrayBuffer.
#[tauri::command]
pub async fn read_body(
    app: State<'_, App>,
    response_id: String,
    offset: u64,
    length: u64,
) -> Result<Response, ApiError> {
    let bytes = app.read_body(&response_id, offset, length).await?;
    Ok(Response::new(bytes))
}

/// A window of a JSON body pretty-printed in Rust (cut at a line end) with the pretty length.
#[tauri::command]
pub async fn read_pretty_body(
    app: State<'_, App>,
    response_id: String,
    offset: u64,
    length: u64,
) -> Result<PrettyWindow, ApiError> {
    app.read_pretty_body(&response_id, offset, length).await
}

/// Records `offset..offset + limit` of a stored streamed body (SSE, NDJSON) read back as
/// `kind`, with how many it holds: the Events/Records list of a reopened or finished response.
#[tauri::command]
pub async fn read_stream_records(
    app: State<'_, App>,
    response_id: String,
    kind: sextant_model::StreamKind,
    offset: u64,
    limit: u64,
) -> Result<sextant_model::StreamPage, ApiError> {
    app.read_stream_records(&response_id, kind, offset, limit)
        .await
}

/// Copies the stored body to `destination` (temp file, fsync, rename); the bytes written.
#[tauri::command]
pub async fn save_body(
    app: State<'_, App>,
    response_id: String,
    destination: String,
) -> Result<u64, ApiError> {
    app.save_body(&response_id, std::path::Path::new(&destination))
        .await
}

/// The request behind a response as it went out, credentials masked.
#[tauri::command]
pub async fn sent_request(
    app: State<'_, App>,
    response_id: String,
) -> Result<SentRequest, ApiError> {
    app.sent_request(&response_id).await
}

#[tauri::command]
pub fn list_cookies(app: State<'_, App>) -> Vec<CookieInfo> {
    app.list_cookies()
}

#[tauri::command]
pub fn clear_cookies(app: State<'_, App>) {
    app.clear_cookies();
}

#[tauri::command]
pub async fn open_spec(
    app: State<'_, App>,
    source: String,
    settings: Option<RequestSettings>,
    fetch_id: Option<String>,
) -> Result<SpecOverview, ApiError> {
    app.open_spec_as(&source, settings.unwrap_or_default(), fetch_id.as_deref())
        .await
}

#[tauri::command]
pub async fn spec_overview(app: State<'_, App>, spec_id: String) -> Result<SpecOverview, ApiError> {
    app.spec_overview(&spec_id).await
}

#[tauri::command]
pub async fn spec_operation(
    app: State<'_, App>,
    spec_id: String,
    operation_id: String,
) -> Result<OperationPayload, ApiError> {
    app.spec_operation(&spec_id, &operation_id).await
}

#[tauri::command]
pub async fn spec_schema(
    app: State<'_, App>,
    spec_id: String,
    name: String,
) -> Result<SchemaPayload, ApiError> {
    app.spec_schema(&spec_id, &name).await
}

#[tauri::command]
pub async fn try_operation(
    app: State<'_, App>,
    spec_id: String,
    operation_id: String,
    server_url: Option<String>,
) -> Result<TryItRequest, ApiError> {
    app.try_operation(&spec_id, &operation_id, server_url).await
}

#[tauri::command]
pub async fn reload_spec(app: State<'_, App>, spec_id: String) -> Result<SpecReload, ApiError> {
    app.reload_spec(&spec_id).await
}

/// A page of the request history, newest first.
#[tauri::command]
pub async fn history_list(
    app: State<'_, App>,
    filter: HistoryFilter,
) -> Result<Vec<HistoryRow>, ApiError> {
    let rows = app.history_list(filter.into()).await?;
    Ok(rows.into_iter().map(HistoryRow::from).collect())
}

#[tauri::command]
pub async fn history_get(app: State<'_, App>, id: i64) -> Result<HistoryEntry, ApiError> {
    app.history_entry(id).await
}

#[tauri::command]
pub async fn history_prune(
    app: State<'_, App>,
    retention: HistoryRetention,
) -> Result<HistoryPruned, ApiError> {
    Ok(app.history_prune(retention.into()).await?.into())
}

/// Opens a WebSocket session `session_id` for `request` (its `websocket` settings) in its
/// collection `context`; returns after the handshake. Frames (batched) and the close arrive on
/// `on_event`.
#[tauri::command]
pub async fn ws_connect(
    app: State<'_, App>,
    session_id: String,
    request: SavedRequest,
    context: Option<SendContext>,
    on_event: Channel<WsEvent>,
) -> Result<WsHandshake, ApiError> {
    let forward = move |event: WsEvent| {
        let _ = on_event.send(event);
    };
    app.ws_connect(&session_id, &request, context, Arc::new(forward))
        .await
}

/// Sends a message on an open session.
#[tauri::command]
pub async fn ws_send(
    app: State<'_, App>,
    session_id: String,
    message: WsOutgoing,
) -> Result<(), ApiError> {
    app.ws_send(&session_id, message).await
}

/// Sends a ping with `payload` on an open session.
#[tauri::command]
pub async fn ws_ping(
    app: State<'_, App>,
    session_id: String,
    payload: String,
) -> Result<(), ApiError> {
    app.ws_ping(&session_id, payload).await
}

/// Sends an unsolicited pong with `payload` (a one-way heartbeat) on an open session.
#[tauri::command]
pub async fn ws_pong(
    app: State<'_, App>,
    session_id: String,
    payload: String,
) -> Result<(), ApiError> {
    app.ws_pong(&session_id, payload).await
}

/// Closes a session with `code` and `reason`; the close arrives on its events.
#[tauri::command]
pub async fn ws_close(
    app: State<'_, App>,
    session_id: String,
    code: u16,
    reason: String,
) -> Result<(), ApiError> {
    app.ws_close(&session_id, code, reason).await
}

/// A recorded WebSocket session (history entry `entry_id`), read-only: frames and the close.
#[tauri::command]
pub async fn ws_history_session(
    app: State<'_, App>,
    entry_id: i64,
) -> Result<WsRecording, ApiError> {
    app.ws_history_session(entry_id).await
}

/// How the recorded WebSocket sessions among `entry_ids` went, for the history list's rows.
#[tauri::command]
pub async fn ws_history_summaries(
    app: State<'_, App>,
    entry_ids: Vec<i64>,
) -> Result<Vec<WsSessionSummary>, ApiError> {
    app.ws_history_summaries(entry_ids).await
}

/// Writes a binary frame's bytes (the log's hex) to `destination`; returns the bytes written.
#[tauri::command]
pub async fn ws_save_frame(
    app: State<'_, App>,
    hex: String,
    destination: String,
) -> Result<u64, ApiError> {
    app.ws_save_frame(&hex, std::path::Path::new(&destination))
        .await
}

/// Runs the collection or folder at `path` (as the tree names it) with `options` as run
/// `run_id`; progress arrives on `on_event`, the summary is the answer. Stop it with
/// `cancel_run`.
#[tauri::command]
pub async fn run_collection(
    app: State<'_, App>,
    run_id: String,
    path: String,
    options: sextant_model::RunOptions,
    on_event: Channel<sextant_model::RunEvent>,
) -> Result<sextant_model::RunSummary, ApiError> {
    let forward = move |event: sextant_model::RunEvent| {
        let _ = on_event.send(event);
    };
    app.run(&run_id, &path, options, Arc::new(forward)).await
}

/// Stops run `run_id`; false when no such run is going.
#[tauri::command]
pub fn cancel_run(app: State<'_, App>, run_id: String) -> bool {
    app.cancel_run(&run_id)
}

/// The runs kept in the history, newest first, at most `limit`.
#[tauri::command]
pub async fn list_runs(
    app: State<'_, App>,
    limit: u32,
) -> Result<Vec<sextant_app::RunRecord>, ApiError> {
    app.list_runs(limit).await
}

/// The kept run `run_id`, as the run view shows a finished run, with its options.
#[tauri::command]
pub async fn open_run(
    app: State<'_, App>,
    run_id: String,
) -> Result<sextant_app::RecordedRun, ApiError> {
    app.open_run(&run_id).await
}

/// Every "Export as code" format, in the order the dialog offers them.
#[tauri::command]
pub fn code_formats(app: State<'_, App>) -> Vec<sextant_app::CodeFormat> {
    app.code_formats()
}

/// The files of `format` for the collection, folder or request at `path`, for the preview;
/// nothing is written.
#[tauri::command]
pub async fn export_code(
    app: State<'_, App>,
    path: String,
    format: sextant_app::CodeFormat,
    options: sextant_app::CodeOptions,
) -> Result<sextant_app::Generated, ApiError> {
    app.export_code(path, format, options).await
}

/// The composer's request (saved or not) as code in `language`, templated in its `context`;
/// secrets are read from environment variables in the code.
#[tauri::command]
pub async fn code_snippet(
    app: State<'_, App>,
    request: SavedRequest,
    context: Option<SendContext>,
    language: sextant_app::SnippetLanguage,
) -> Result<String, ApiError> {
    app.code_snippet(request, context, language).await
}

/// Which of `paths` already exist in the folder `dir` (asked before a write replaces them).
#[tauri::command]
pub async fn existing_code_files(
    app: State<'_, App>,
    dir: String,
    paths: Vec<String>,
) -> Result<Vec<String>, ApiError> {
    app.existing_code_files(dir.into(), paths).await
}

/// Writes the previewed `files` into the folder `dir` (created when missing); returns the
/// paths written.
#[tauri::command]
pub async fn write_code(
    app: State<'_, App>,
    dir: String,
    files: Vec<sextant_app::GeneratedFile>,
) -> Result<Vec<String>, ApiError> {
    let written = app.write_code(dir.into(), files).await?;
    Ok(written
        .into_iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect())
}
