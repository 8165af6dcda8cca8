//! The loopback redirect of RFC 8252 §7.3: a one-shot HTTP listener on 127.0.0.1 that takes
//! exactly one callback on the exact path, checks `state`, answers the browser with a plain
//! page, and closes.
//!
//! A callback whose `state` is not this flow's is answered with an error page and **ends the
//! flow** with [`AuthError::StateMismatch`] (RFC 6749 §10.12: reject it). Waiting on for the
//! "real" callback would let whoever forged one keep probing; the user starts again instead.
//! Requests for other paths (a favicon, a probe) get a 404 and the listener keeps waiting.
//!
//! The implicit grant (legacy, discouraged by RFC 9700) returns the token in the URL fragment,
//! which browsers never send to a server. In [`ResponseMode::Fragment`] a callback without
//! parameters is answered with a relay page whose inline script loads the same path again with
//! the fragment as its query; that second request is the callback.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use sextant_engine::CancellationToken;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::AuthError;

/// How long a sign-in waits for the browser to come back.
pub const DEFAULT_CALLBACK_TIMEOUT: Duration = Duration::from_secs(300);
/// The most bytes of a request head the listener reads.
const MAX_HEAD: usize = 16 * 1024;
/// How long one connection may take to send its request head.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// What the callback carried: the authorization code, or (for the implicit grant's relay) the
/// parameters as sent.
#[derive(Clone, PartialEq, Eq)]
pub struct Callback {
    pub code: String,
    pub params: HashMap<String, String>,
}

impl std::fmt::Debug for Callback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Callback { .. }")
    }
}

/// Where the provider puts the callback's parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResponseMode {
    /// `?code=...&state=...` (authorization code).
    #[default]
    Query,
    /// `#access_token=...&state=...` (implicit), relayed by a page of ours.
    Fragment,
}

/// A bound listener whose redirect URI is known before the browser opens.
pub struct Loopback {
    listener: TcpListener,
    path: String,
    redirect_uri: String,
}

impl Loopback {
    /// Listens on 127.0.0.1 (`port`, or an ephemeral one) for `path` (`/callback` when empty).
    pub async fn bind(port: Option<u16>, path: &str) -> Result<Loopback, AuthError> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port.unwrap_or(0)));
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| AuthError::Listen {
                addr: addr.to_string(),
                source,
            })?;
        let port = listener
            .local_addr()
            .map_err(|source| AuthError::Listen {
                addr: addr.to_string(),
                source,
            })?
            .port();
        let path = match path.trim() {
            "" => "/callback".to_string(),
            p if p.starts_with('/') => p.to_string(),
            p => format!("/{p}"),
        };
        Ok(Loopback {
            redirect_uri: format!("http://127.0.0.1:{port}{path}"),
            listener,
            path,
        })
    }

    /// The exact URI to register with the provider and send as `redirect_uri`.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// Waits for the one callback with `state`, answers the browser (naming `issuer` on
    /// success), then closes the listener.
    pub async fn wait(
        self,
        state: &str,
        issuer: &str,
        timeout: Duration,
        cancel: &CancellationToken,
    ) -> Result<Callback, AuthError> {
        self.wait_for(ResponseMode::Query, state, issuer, timeout, cancel)
            .await
    }

    /// [`Loopback::wait`] for a callback that carries its parameters as `mode` says.
    pub async fn wait_for(
        self,
        mode: ResponseMode,
        state: &str,
        issuer: &str,
        timeout: Duration,
        cancel: &CancellationToken,
    ) -> Result<Callback, AuthError> {
        let (tx, mut rx) = mpsc::channel::<(String, TcpStream)>(4);
        let mut connections = JoinSet::new();
        let deadline = tokio::time::sleep(timeout);
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                _ = cancel.cancelled() => return Err(AuthError::Cancelled),
                _ = &mut deadline => return Err(AuthError::TimedOut(timeout.as_secs())),
                accepted = self.listener.accept() => {
                    if let Ok((stream, _)) = accepted {
                        connections.spawn(read_head(stream, self.path.clone(), tx.clone()));
                    }
                }
                Some((query, mut stream)) = rx.recv() => {
                    let params: HashMap<String, String> =
                        url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
                    if mode == ResponseMode::Fragment && params.is_empty() {
                        let _ = stream.write_all(&relay_page()).await;
                        let _ = stream.shutdown().await;
                        continue;
                    }
                    let outcome = judge(&params, state, mode);
                    let page = match &outcome {
                        Ok(_) => page(200, &format!("Signed in to {issuer}."), "You can close this tab."),
                        Err(e) => page(400, "Sign-in failed.", &e.to_string()),
                    };
                    let _ = stream.write_all(&page).await;
                    let _ = stream.shutdown().await;
                    return outcome.map(|code| Callback { code, params });
                }
            }
        }
    }
}

/// What the callback's parameters mean for the flow.
fn judge(
    params: &HashMap<String, String>,
    state: &str,
    mode: ResponseMode,
) -> Result<String, AuthError> {
    if params.get("state").map(String::as_str) != Some(state) {
        return Err(AuthError::StateMismatch);
    }
    if let Some(error) = params.get("error") {
        return Err(AuthError::from_oauth(
            error,
            params.get("error_description").cloned(),
        ));
    }
    let wanted = match mode {
        ResponseMode::Query => "code",
        ResponseMode::Fragment => "access_token",
    };
    match params.get(wanted) {
        Some(value) if !value.is_empty() => Ok(value.clone()),
        _ => Err(AuthError::MissingCallbackParam(wanted)),
    }
}

/// Reads one request head; hands a request for `path` to the flow, answers anything else 404.
async fn read_head(mut stream: TcpStream, path: String, tx: mpsc::Sender<(String, TcpStream)>) {
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    let complete = tokio::time::timeout(HEAD_TIMEOUT, async {
        while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < MAX_HEAD {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return false,
                Ok(n) => head.extend_from_slice(&buf[..n]),
            }
        }
        true
    })
    .await
    .unwrap_or(false);
    if !complete {
        return;
    }
    let line = String::from_utf8_lossy(&head);
    let mut words = line.lines().next().unwrap_or("").split(' ');
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let (target_path, query) = target.split_once('?').unwrap_or((target, ""));
    if method == "GET" && target_path == path {
        let _ = tx.send((query.to_string(), stream)).await;
    } else {
        let _ = stream.write_all(&page(404, "Not found.", "")).await;
        let _ = stream.shutdown().await;
    }
}

/// The implicit grant's relay: reload this path with the fragment as the query.
fn relay_page() -> Vec<u8> {
    let body = "<!doctype html><meta charset=\"utf-8\"><title>Sextant</title>\
        <p id=\"relay\">Finishing sign-in...</p>\
        <script>var f = location.hash.slice(1);\
        if (f) { location.replace(location.pathname + '?' + f); }\
        else { document.getElementById('relay').textContent = 'No sign-in response arrived.'; }\
        </script>\n";
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\
         Content-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn page(status: u16, title: &str, detail: &str) -> Vec<u8> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        _ => "Not Found",
    };
    let body = format!(
        "<!doctype html><meta charset=\"utf-8\"><title>Sextant</title>\
         <p><strong>{}</strong></p><p>{}</p>\n",
        escape(title),
        escape(detail)
    );
    format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n\
         Content-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
