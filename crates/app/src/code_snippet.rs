//! "Code" in the composer: the request being edited (saved or not) as a snippet in one of
//! `sextant-export`'s languages. It is templated the way a send templates it (what it inherits,
//! the chosen environment, captured values), except that secret variables, and names no scope
//! defines, stay `{{name}}` and become environment variable reads in the code.
//!
//! Snippets are HTTP calls: a WebSocket request (one with WebSocket settings, or whose URL is
//! `ws://`/`wss://` once templated) is refused with a sentence saying so, never written as an
//! HTTP GET that would only get an upgrade refusal.

use sextant_export::{SnippetLanguage, SnippetRequest};
use sextant_model::{ApiError, Auth, ErrorCode, KeyValue, SavedRequest, Variable};
use sextant_template::{Context, ResolveOptions, TemplateError};

use crate::send::SendContext;
use crate::App;

/// Header rows that carry the auth's fields through templating; no real header has this name.
const AUTH_FIELD: &str = "\u{1}sextant-auth-field";

/// Why a WebSocket request has no snippet.
fn websocket_refusal() -> ApiError {
    ApiError::new(
        ErrorCode::InvalidRequest,
        "Code snippets cover HTTP requests; this is a WebSocket request (ws:// or wss://): \
         connect it in its tab, or script it with `sextant ws`",
    )
}

/// Whether `url` (templated) opens a WebSocket rather than an HTTP exchange.
fn is_websocket_url(url: &str) -> bool {
    let url = url.trim_start();
    ["ws://", "wss://"].iter().any(|scheme| {
        url.get(..scheme.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(scheme))
    })
}

impl App {
    /// The code for `saved` in `language`. With a `context` it is templated in its collection
    /// and environment; without one (no workspace could be read) only its own variables count.
    /// A WebSocket request is `InvalidRequest`: snippets are HTTP calls.
    pub async fn code_snippet(
        &self,
        saved: SavedRequest,
        context: Option<SendContext>,
        language: SnippetLanguage,
    ) -> Result<String, ApiError> {
        if saved.websocket.is_some() {
            return Err(websocket_refusal());
        }
        let request = match context {
            None => snippet_request(&saved, &Context::default())?,
            Some(c) => {
                let around = self.surroundings(c.path, c.environment).await?;
                let runtime = self.runtime.values(&around.collection);
                let ctx = Context {
                    globals: &around.globals,
                    chain: &around.chain,
                    environment: around.environment.as_ref(),
                    runtime: &runtime,
                };
                snippet_request(&saved, &ctx)?
            }
        };
        if is_websocket_url(&request.request.url) {
            return Err(websocket_refusal());
        }
        Ok(sextant_export::snippet(&request, language))
    }
}

/// The auth `saved` ends up with: its own, else the innermost folder's that is not `Inherit`.
fn effective_auth(saved: &SavedRequest, ctx: &Context<'_>) -> Auth {
    std::iter::once(&saved.auth)
        .chain(ctx.chain.iter().rev().map(|s| &s.auth))
        .find(|a| !matches!(a, Auth::Inherit))
        .cloned()
        .unwrap_or(Auth::None)
}

/// The texts of `auth` that are templated.
fn auth_fields(auth: &Auth) -> Vec<String> {
    match auth {
        Auth::Basic { username, password }
        | Auth::Digest {
            username, password, ..
        } => {
            vec![username.clone(), password.clone()]
        }
        Auth::Bearer { token } => vec![token.clone()],
        Auth::ApiKey { name, value, .. } => vec![name.clone(), value.clone()],
        _ => Vec::new(),
    }
}

fn with_fields(auth: Auth, mut fields: impl Iterator<Item = String>) -> Auth {
    let mut next = || fields.next().unwrap_or_default();
    match auth {
        Auth::Basic { .. } => Auth::Basic {
            username: next(),
            password: next(),
        },
        Auth::Digest { algorithm, .. } => Auth::Digest {
            username: next(),
            password: next(),
            algorithm,
        },
        Auth::Bearer { .. } => Auth::Bearer { token: next() },
        Auth::ApiKey { location, .. } => Auth::ApiKey {
            name: next(),
            value: next(),
            location,
        },
        other => other,
    }
}

/// `saved` templated in `ctx` with secrets (and undefined names) kept as `{{name}}`, its auth
/// not applied but templated alongside (its fields ride as extra header rows).
fn snippet_request(saved: &SavedRequest, ctx: &Context<'_>) -> Result<SnippetRequest, ApiError> {
    let auth = effective_auth(saved, ctx);
    let mut bare = saved.clone();
    bare.auth = Auth::None;
    bare.request.headers.extend(
        auth_fields(&auth)
            .into_iter()
            .map(|f| KeyValue::new(AUTH_FIELD, f)),
    );
    let opts = ResolveOptions {
        reveal_secrets: false,
    };
    let resolved = match sextant_template::resolve(&bare, ctx, &opts) {
        Err(TemplateError::Undefined { names }) => {
            for name in names {
                bare.variables.push(Variable::secret(&name, ""));
            }
            sextant_template::resolve(&bare, ctx, &opts)?
        }
        other => other?,
    };
    let mut request = resolved.request;
    let (fields, headers): (Vec<KeyValue>, Vec<KeyValue>) = request
        .headers
        .into_iter()
        .partition(|h| h.name == AUTH_FIELD);
    request.headers = headers;
    Ok(SnippetRequest {
        request,
        auth: with_fields(auth, fields.into_iter().map(|f| f.value)),
    })
}
