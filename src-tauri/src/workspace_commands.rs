//! `#[tauri::command]` adapters for the workspace: collections as files, environments, drafts,
//! body files waiting for consent, import and export. Each one calls `sextant_app::App`.

use sextant_app::{App, SendContext};
use sextant_model::{
    ApiError, CapturedValues, Draft, Environment, ExportResult, FolderSettings, ImportConflict,
    ImportResult, InterchangeFormat, OpenedRequest, SaveResult, SavedRequest, UndefinedVariable,
    Variable, WorkspaceChange, WorkspaceInfo,
};
use tauri::ipc::Channel;
use tauri::State;

#[tauri::command]
pub async fn workspace_info(app: State<'_, App>) -> Result<WorkspaceInfo, ApiError> {
    app.workspace_info().await
}

#[tauri::command]
pub fn workspace_watch(
    app: State<'_, App>,
    on_change: Channel<WorkspaceChange>,
) -> Result<(), ApiError> {
    app.workspace_watch(move |change| {
        let _ = on_change.send(change);
    })
}

#[tauri::command]
pub async fn request_open(app: State<'_, App>, path: String) -> Result<OpenedRequest, ApiError> {
    app.request_open(path).await
}

#[tauri::command]
pub async fn request_save(
    app: State<'_, App>,
    path: String,
    saved: SavedRequest,
    expected_revision: Option<String>,
) -> Result<SaveResult, ApiError> {
    app.request_save(path, saved, expected_revision).await
}

#[tauri::command]
pub async fn request_create(
    app: State<'_, App>,
    parent: String,
    saved: SavedRequest,
) -> Result<SaveResult, ApiError> {
    app.request_create(parent, saved).await
}

#[tauri::command]
pub async fn collection_create(app: State<'_, App>, name: String) -> Result<String, ApiError> {
    app.collection_create(name).await
}

#[tauri::command]
pub async fn folder_create(
    app: State<'_, App>,
    parent: String,
    name: String,
) -> Result<String, ApiError> {
    app.folder_create(parent, name).await
}

#[tauri::command]
pub async fn item_rename(
    app: State<'_, App>,
    path: String,
    name: String,
) -> Result<String, ApiError> {
    app.item_rename(path, name).await
}

#[tauri::command]
pub async fn item_move(
    app: State<'_, App>,
    path: String,
    new_parent: String,
) -> Result<String, ApiError> {
    app.item_move(path, new_parent).await
}

#[tauri::command]
pub async fn item_duplicate(app: State<'_, App>, path: String) -> Result<String, ApiError> {
    app.item_duplicate(path).await
}

#[tauri::command]
pub async fn item_delete(app: State<'_, App>, path: String) -> Result<String, ApiError> {
    app.item_delete(path).await
}

#[tauri::command]
pub async fn item_restore(app: State<'_, App>, trash_id: String) -> Result<String, ApiError> {
    app.item_restore(trash_id).await
}

#[tauri::command]
pub async fn environments_list(
    app: State<'_, App>,
    collection: String,
) -> Result<Vec<Environment>, ApiError> {
    app.environments_list(collection).await
}

#[tauri::command]
pub async fn environment_save(
    app: State<'_, App>,
    collection: String,
    environment: Environment,
) -> Result<(), ApiError> {
    app.environment_save(collection, environment).await
}

#[tauri::command]
pub async fn environment_delete(
    app: State<'_, App>,
    collection: String,
    name: String,
) -> Result<String, ApiError> {
    app.environment_delete(collection, name).await
}

#[tauri::command]
pub async fn environment_rename(
    app: State<'_, App>,
    collection: String,
    name: String,
    new_name: String,
) -> Result<(), ApiError> {
    app.environment_rename(collection, name, new_name).await
}

#[tauri::command]
pub async fn settings_open(app: State<'_, App>, path: String) -> Result<FolderSettings, ApiError> {
    app.settings_open(path).await
}

#[tauri::command]
pub async fn settings_save(
    app: State<'_, App>,
    path: String,
    settings: FolderSettings,
) -> Result<(), ApiError> {
    app.settings_save(path, settings).await
}

#[tauri::command]
pub async fn globals_get(app: State<'_, App>) -> Result<Vec<Variable>, ApiError> {
    app.globals_get().await
}

#[tauri::command]
pub async fn globals_save(app: State<'_, App>, variables: Vec<Variable>) -> Result<(), ApiError> {
    app.globals_save(variables).await
}

#[tauri::command]
pub async fn variables_check(
    app: State<'_, App>,
    path: Option<String>,
    saved: SavedRequest,
    environment: Option<String>,
) -> Result<Vec<UndefinedVariable>, ApiError> {
    app.variables_check(path, saved, environment).await
}

#[tauri::command]
pub fn captured_values(app: State<'_, App>, path: Option<String>) -> CapturedValues {
    app.captured_values(path.as_deref())
}

#[tauri::command]
pub fn captured_clear(app: State<'_, App>, path: Option<String>) {
    app.clear_captured(path.as_deref());
}

#[tauri::command]
pub async fn body_files_stopped(
    app: State<'_, App>,
    request: SavedRequest,
    context: Option<SendContext>,
) -> Result<Vec<String>, ApiError> {
    app.body_files_stopped(&request, context).await
}

#[tauri::command]
pub async fn allow_body_files(
    app: State<'_, App>,
    files: Vec<String>,
) -> Result<Vec<String>, ApiError> {
    app.allow_body_files(files).await
}

#[tauri::command]
pub async fn drafts_list(app: State<'_, App>) -> Result<Vec<Draft>, ApiError> {
    app.drafts_list().await
}

#[tauri::command]
pub async fn draft_put(app: State<'_, App>, draft: Draft) -> Result<(), ApiError> {
    app.draft_put(draft).await
}

#[tauri::command]
pub async fn draft_remove(app: State<'_, App>, key: String) -> Result<(), ApiError> {
    app.draft_remove(key).await
}

#[tauri::command]
pub async fn import_into_workspace(
    app: State<'_, App>,
    format: InterchangeFormat,
    source: String,
    parent: Option<String>,
    conflict: Option<ImportConflict>,
) -> Result<ImportResult, ApiError> {
    app.import_into_workspace_with(format, source, parent, conflict)
        .await
}

#[tauri::command]
pub async fn export_item(
    app: State<'_, App>,
    path: Option<String>,
    saved: Option<SavedRequest>,
    format: InterchangeFormat,
) -> Result<ExportResult, ApiError> {
    app.export_item(path, saved, format).await
}

#[tauri::command]
pub fn curl_parse(app: State<'_, App>, command: String) -> Result<SavedRequest, ApiError> {
    app.curl_parse(&command)
}
