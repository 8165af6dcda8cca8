fn main() {
    let manifest = tauri_build::AppManifest::new().commands(&[
        "send_request",
        "cancel_request",
        "read_body",
        "list_cookies",
        "clear_cookies",
        "open_spec",
        "spec_operation",
        "spec_schema",
        "try_operation",
        "reload_spec",
        "history_list",
        "history_get",
        "history_prune",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed");
}
