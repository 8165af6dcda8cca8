//! The Sextant desktop shell. It owns the window, the plugins and the app state, and nothing
//! else: every command is a short adapter over `sextant_app::App` (see `commands`).

mod commands;
mod session_commands;
mod signin_window;
mod windows;
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
        // Copy buttons write through the plugin: WebKit refuses `navigator.clipboard` once an
        // IPC call has been awaited since the click.
        .plugin(tauri_plugin_clipboard_manager::init())
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
        // Every `#[tauri::command]` in `src/`, listed by build.rs.
        .invoke_handler(include!(concat!(env!("OUT_DIR"), "/handlers.rs")))
        .run(tauri::generate_context!())
        .expect("error while running Sextant");
}
