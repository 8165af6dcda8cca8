//! The OAuth 2.0 sign-in in a window of the app's own, for providers that refuse loopback
//! redirects: a `signin-<n>` window on the provider's authorization URL whose navigation is
//! watched from Rust. The first navigation to the registered redirect URI (any scheme,
//! `https://` included) is blocked before it leaves the window, handed to
//! `sextant_app::App::oauth_embedded_finish`, and the window closes; closing the window first
//! cancels the sign-in.
//!
//! The window shows someone else's pages, so its capability (`capabilities/signin-windows.json`,
//! written by build.rs) grants nothing: no app command, no plugin.

use sextant_app::{App, SendContext, TokenStatus};
use sextant_model::{ApiError, ErrorCode, SavedRequest};
use tauri::{AppHandle, Manager, State, Url, WebviewUrl, WebviewWindowBuilder, WindowEvent};

/// Every sign-in window's label starts with it (the capability's `windows` glob says the same).
const LABEL_PREFIX: &str = "signin-";

/// How a sign-in window ended.
enum Outcome {
    /// The provider sent the window to this redirect URL.
    Caught(String),
    Closed,
}

/// Signs in to `request`'s OAuth 2.0 provider (its own auth or inherited, in `context`) in a
/// window of the app's own: for an authorization code grant whose redirect is the embedded
/// window. Answers when the provider redirects (the token is kept) or the window is closed.
#[tauri::command]
pub async fn oauth_sign_in_window(
    handle: AppHandle,
    app: State<'_, App>,
    request: SavedRequest,
    context: SendContext,
) -> Result<TokenStatus, ApiError> {
    let started = app.oauth_embedded_start(request, context).await?;
    let opened = Url::parse(&started.authorization_url)
        .map_err(|e| {
            ApiError::new(
                ErrorCode::InvalidUrl,
                format!("the authorization URL is not a URL: {e}"),
            )
        })
        .and_then(|url| {
            let (tx, rx) = tauri::async_runtime::channel::<Outcome>(2);
            let open = handle.webview_windows();
            let label = (1..)
                .map(|n| format!("{LABEL_PREFIX}{n}"))
                .find(|l| !open.contains_key(l))
                .expect("some number is free");
            let watch = started.clone();
            let caught = tx.clone();
            let window = WebviewWindowBuilder::new(&handle, &label, WebviewUrl::External(url))
                .title("Sign in — Sextant")
                .inner_size(520.0, 720.0)
                .on_navigation(move |to| {
                    if !watch.catches(to.as_str()) {
                        return true;
                    }
                    let _ = caught.try_send(Outcome::Caught(to.to_string()));
                    false
                })
                .build()
                .map_err(|e| {
                    ApiError::new(
                        ErrorCode::Internal,
                        format!("could not open the sign-in window: {e}"),
                    )
                })?;
            window.on_window_event(move |event| {
                if matches!(event, WindowEvent::Destroyed) {
                    let _ = tx.try_send(Outcome::Closed);
                }
            });
            Ok((window, rx))
        });
    let (window, mut rx) = match opened {
        Ok(opened) => opened,
        Err(e) => {
            app.oauth_embedded_cancel(&started.id);
            return Err(e);
        }
    };
    match rx.recv().await.unwrap_or(Outcome::Closed) {
        Outcome::Caught(url) => {
            let _ = window.destroy();
            app.oauth_embedded_finish(&started.id, &url).await
        }
        Outcome::Closed => {
            app.oauth_embedded_cancel(&started.id);
            Err(ApiError::new(
                ErrorCode::Cancelled,
                "sign-in was cancelled: its window was closed",
            ))
        }
    }
}
