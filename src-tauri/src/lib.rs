//! The Sextant desktop shell. It owns the window, the plugins and the app state, and nothing
//! else: every command is a short adapter over `sextant_app::App` (see `commands`).

mod commands;
mod workspace_commands;

use std::path::PathBuf;

use sextant_app::{App, AppConfig};
use tauri::Manager;

/// Overrides the data directory (tests and side-by-side installs use it).
const DATA_DIR_ENV: &str = "SEXTANT_DATA_DIR";
/// Opens another folder of collections than `<data dir>/workspace` (a project's `collections/`).
const WORKSPACE_ENV: &str = "SEXTANT_WORKSPACE";

pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let data_dir = match std::env::var_os(DATA_DIR_ENV) {
                Some(dir) => PathBuf::from(dir),
                None => app.path().app_data_dir()?,
            };
            std::fs::create_dir_all(&data_dir)?;
            let mut config = AppConfig::new(data_dir);
            config.workspace_dir = std::env::var_os(WORKSPACE_ENV).map(PathBuf::from);
            let state = App::new(config).map_err(|e| Box::new(sextant_model::ApiError::from(e)))?;
            app.manage(state);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::send,
            commands::cancel_request,
            commands::read_body,
            commands::list_cookies,
            commands::clear_cookies,
            commands::open_spec,
            commands::spec_overview,
            commands::spec_operation,
            commands::spec_schema,
            commands::try_operation,
            commands::reload_spec,
            commands::history_list,
            workspace_commands::workspace_info,
            workspace_commands::workspace_watch,
            workspace_commands::request_open,
            workspace_commands::request_save,
            workspace_commands::request_create,
            workspace_commands::collection_create,
            workspace_commands::folder_create,
            workspace_commands::item_rename,
            workspace_commands::item_move,
            workspace_commands::item_duplicate,
            workspace_commands::item_delete,
            workspace_commands::item_restore,
            workspace_commands::environments_list,
            workspace_commands::environment_save,
            workspace_commands::environment_delete,
            workspace_commands::environment_rename,
            workspace_commands::settings_open,
            workspace_commands::settings_save,
            workspace_commands::variables_check,
            workspace_commands::captured_values,
            workspace_commands::captured_clear,
            workspace_commands::globals_get,
            workspace_commands::globals_save,
            workspace_commands::body_files_stopped,
            workspace_commands::allow_body_files,
            workspace_commands::drafts_list,
            workspace_commands::draft_put,
            workspace_commands::draft_remove,
            workspace_commands::import_into_workspace,
            workspace_commands::export_item,
            workspace_commands::curl_parse,
            commands::history_get,
            commands::history_prune,
        ])
        .run(tauri::generate_context!())
        .expect("error while running Sextant");
}
