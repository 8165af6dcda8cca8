//! Detached windows: a saved request in a window of its own (`request-<n>`, the same UI with
//! `#/request?path=...` telling it which file to open and to leave the session alone), and an
//! imported spec's documentation in one (`spec-<n>`, `#/spec?id=...`: the explorer's pages of a
//! spec the app holds already, by its id). Windows are a shell concern, so this lives here and
//! not in `sextant_app`; what each kind of window may call is its own capability
//! (`capabilities/request-windows.json`, `capabilities/spec-windows.json`).

use sextant_app::App;
use sextant_model::{ApiError, ErrorCode};
use tauri::{AppHandle, Manager, State, WebviewUrl, WebviewWindowBuilder};

/// Every request window's label starts with it (the capability's `windows` glob says the same).
const LABEL_PREFIX: &str = "request-";
/// Every spec documentation window's label starts with it (`capabilities/spec-windows.json`).
const SPEC_LABEL_PREFIX: &str = "spec-";

/// Opens the saved request `path` (workspace-relative) in a new window; the window's label.
#[tauri::command]
pub async fn window_open_request(
    handle: AppHandle,
    app: State<'_, App>,
    path: String,
) -> Result<String, ApiError> {
    // Read first: a path that is not a request fails here, not in an empty window.
    let opened = app.request_open(path).await?;
    let url = format!("index.html#/request?path={}", encode(&opened.path));
    open_window(&handle, LABEL_PREFIX, url, &opened.saved.name)
}

/// Opens the documentation of the imported spec `spec_id` (the explorer's API, operation and
/// schema pages) in a new window; the window's label. The spec is the one the app holds: the
/// window reads it by id, nothing is imported again.
#[tauri::command]
pub async fn window_open_spec(
    handle: AppHandle,
    app: State<'_, App>,
    spec_id: String,
) -> Result<String, ApiError> {
    // An id the app does not hold fails here, not in an empty window.
    let overview = app.spec_overview(&spec_id).await?;
    let url = format!("index.html#/spec?id={}", encode(&spec_id));
    open_window(&handle, SPEC_LABEL_PREFIX, url, &overview.title)
}

/// A new window on `url`, labelled `<prefix><lowest free n>` (so the window-state plugin gives
/// it back the place and size the last window of that label had), titled after `name`.
fn open_window(
    handle: &AppHandle,
    prefix: &str,
    url: String,
    name: &str,
) -> Result<String, ApiError> {
    let open = handle.webview_windows();
    let label = (1..)
        .map(|n| format!("{prefix}{n}"))
        .find(|l| !open.contains_key(l))
        .expect("some number is free");
    let title = match name {
        "" => "Sextant".to_string(),
        name => format!("{name} — Sextant"),
    };
    WebviewWindowBuilder::new(handle, &label, WebviewUrl::App(url.into()))
        .title(title)
        .inner_size(960.0, 720.0)
        .min_inner_size(560.0, 400.0)
        .build()
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("could not open a window: {e}")))?;
    Ok(label)
}

/// Percent-encodes everything but unreserved characters, for a query value in the URL's hash.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::encode;

    #[test]
    fn a_path_crosses_as_one_query_value() {
        assert_eq!(
            encode("Sample API/List items & more.yaml"),
            "Sample%20API%2FList%20items%20%26%20more.yaml"
        );
        assert_eq!(encode("ü#?"), "%C3%BC%23%3F");
    }
}
