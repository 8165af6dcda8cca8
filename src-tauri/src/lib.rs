//! The Sextant desktop shell. It owns the window, the plugins and the app state, and nothing
//! else: every command is a short adapter over `sextant_app::App` (see `commands`).

mod commands;

use std::path::PathBuf;

use sextant_app::{App, AppConfig};
use tauri::Manager;

/// Overrides the data directory (tests and side-by-side installs use it).
const DATA_DIR_ENV: &str = "SEXTANT_DATA_DIR";

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
            let state = App::new(AppConfig::new(data_dir))
                .map_err(|e| Box::new(sextant_model::ApiError::from(e)))?;
            app.manage(state);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::send_request,
            commands::cancel_request,
            commands::read_body,
            commands::list_cookies,
            commands::clear_cookies,
            commands::open_spec,
            commands::spec_operation,
            commands::spec_schema,
            commands::try_operation,
            commands::reload_spec,
            commands::history_list,
            commands::history_get,
            commands::history_prune,
        ])
        .run(tauri::generate_context!())
        .expect("error while running Sextant");
}
