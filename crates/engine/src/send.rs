//! One send: the hop loop (redirects followed and recorded here), the final response head, and
//! the body streamed through its decoder into the body store. Cancellation and the total timeout
//! are checked at every await, so a partial body is kept and marked instead of thrown away.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use reqwest::header::{self, HeaderMap};
use sextant_model::{
    HttpRequest, HttpResponse, PartValue, RedirectHop, RequestBody, RequestSettings, SendEvent,
    Signing, TimeoutPhase, Timings,
};
use time::OffsetDateTime;
use tokio_util::sync::CancellationToken;
use url::Url;

use crate::auth::digest::DigestAuth;
use crate::auth::sigv4::Credentials;
use crate::auth::sigv4_hop;
use crate::body_read::{read_body, BodyOutcome, Download};
use crate::body_sink::BodySink;
use crate::cookies::parse_set_cookies;
use crate::error::classify_send_error;
use crate::identity::{identity_for, ClientIdentity};
use crate::prepare::prepare;
use crate::redirect::{is_redirect, next_hop, strip_credentials};
use crate::request_body::PreparedBody;
use crate::timing::{ms, with_probe, Probe, ProbeMarks};
use crate::{Engine, EngineError, SendLimits};

const BODY_HEADERS: [header::HeaderName; 3] = [
    header::CONTENT_TYPE,
    header::CONTENT_LENGTH,
    header::CONTENT_ENCODING,
];

/// When the whole exchange must end, if the request set a total timeout.
#[derive(Clone, Copy)]
pub(crate) struct Deadline {
    at: Option<tokio::time::Instant>,
    limit_ms: u64,
}

impl Deadline {
    fn new(settings: &RequestSettings) -> Self {
        let limit_ms = settings.timeout_ms.map(u64::from);
        Self {
            at: limit_ms
                .map(|ms| tokio::time::Instant::now() + std::time::Duration::from_millis(ms)),
            limit_ms: limit_ms.unwrap_or(0),
        }
    }

    pub async fn expired(self) {
        match self.at {
            Some(at) => tokio::time::sleep_until(at).await,
            None => std::future::pending().await,
        }
    }

    pub fn error(self, phase: TimeoutPhase) -> EngineError {
        EngineError::Timeout {
            phase,
            limit_ms: self.limit_ms,
        }
    }
}

pub(crate) async fn send(
    engine: &Engine,
    req: &HttpRequest,
    identities: &[ClientIdentity],
    limits: &SendLimits,
    cancel: &CancellationToken,
    on_event: &(dyn Fn(SendEvent) + Send + Sync),
) -> Result<HttpResponse, EngineError> {
    let (response, ctx) = open(engine, req, identities, None, cancel, on_event).await?;
    let again = Again {
        engine,
        req,
        identities,
        cancel,
        on_event,
    };
    finish(engine, response, ctx, limits, &again).await
}

/// What a reconnection needs to send the request again.
pub(crate) struct Again<'a> {
    pub engine: &'a Engine,
    pub req: &'a HttpRequest,
    pub identities: &'a [ClientIdentity],
    pub cancel: &'a CancellationToken,
    pub on_event: &'a (dyn Fn(SendEvent) + Send + Sync),
}

/// Sends `req` and follows its redirects (and auth challenges) up to the final response's head.
/// `clock` is the exchange's start and deadline when this is a reconnection of it.
pub(crate) async fn open(
    engine: &Engine,
    req: &HttpRequest,
    identities: &[ClientIdentity],
    clock: Option<(Instant, Deadline)>,
    cancel: &CancellationToken,
    on_event: &(dyn Fn(SendEvent) + Send + Sync),
) -> Result<(reqwest::Response, FinishContext), EngineError> {
    let prepared = prepare(req)?;
    let body = PreparedBody::from_model(&req.body)?;
    let mut identity = identity_for(identities, &prepared.url);
    let mut client =
        engine
            .clients
            .client_for(&req.settings, prepared.url.scheme() == "https", identity)?;
    // The clock starts once the client exists: building one for https loads the system's root
    // certificates, which is set-up cost, not time spent on this exchange.
    let (started, deadline) =
        clock.unwrap_or_else(|| (Instant::now(), Deadline::new(&req.settings)));
    let settings = &req.settings;

    let mut url = prepared.url;
    let mut method = prepared.method;
    let mut user_headers = prepared.headers;
    let mut body_dropped = false;
    let mut hops: Vec<RedirectHop> = Vec::new();
    let mut cookies = Vec::new();
    let mut visited = vec![(method.to_string(), url.to_string())];
    let sigv4 = sigv4_credentials(req.signing.as_ref());
    let first_origin = url.origin();
    let mut digest = DigestAuth::new(req.signing.as_ref(), &url);
    let mut auth_hops = 0;

    loop {
        let hop_started = Instant::now();
        let probe: Probe = Arc::new(Mutex::new(ProbeMarks::default()));
        let mut builder = client.request(method.clone(), url.clone());
        let mut auth_headers = Vec::new();
        let mut user_set_content_type = false;
        let mut user_set_accept_encoding = false;
        for (name, value) in &user_headers {
            if body_dropped && BODY_HEADERS.contains(name) {
                continue;
            }
            user_set_content_type |= name == header::CONTENT_TYPE;
            user_set_accept_encoding |= name == header::ACCEPT_ENCODING;
            builder = builder.header(name, value);
        }
        if !user_set_accept_encoding {
            builder = builder.header(header::ACCEPT_ENCODING, "gzip, deflate, br, zstd");
        }
        if let Some(d) = &digest {
            let nonces = &engine.digest_nonces;
            if let Some(value) = d.authorization(nonces, method.as_str(), &url, &body)? {
                auth_headers.push(sextant_model::Header {
                    name: "Authorization".into(),
                    value: String::from_utf8_lossy(value.as_bytes()).into_owned(),
                });
                builder = builder.header(header::AUTHORIZATION, value);
            }
        }
        if !body_dropped {
            builder = body.attach(builder, user_set_content_type).await?;
        }

        let host = url.host_str().unwrap_or_default().to_string();
        let target = format!("{}:{}", host, url.port_or_known_default().unwrap_or(0));
        // Signed last, when headers and body are final; never for another origin.
        if let Some(creds) = sigv4.as_ref().filter(|_| url.origin() == first_origin) {
            let time = engine.signing_time.unwrap_or_else(OffsetDateTime::now_utc);
            let (signed, added) = sigv4_hop::sign(builder, creds, time, |e| {
                classify_send_error(
                    e,
                    &host,
                    &target,
                    settings.connect_timeout_ms.map(u64::from),
                )
            })?;
            builder = signed;
            auth_headers.extend(added);
        }
        let sent = tokio::select! {
            biased;
            _ = cancel.cancelled() => return Err(EngineError::Cancelled),
            _ = deadline.expired() => {
                let marks = *probe.lock().unwrap_or_else(|p| p.into_inner());
                let phase = if marks.connect_start.is_some() && marks.connect_end.is_none() {
                    TimeoutPhase::Connect
                } else {
                    TimeoutPhase::FirstByte
                };
                return Err(deadline.error(phase));
            }
            r = with_probe(Arc::clone(&probe), builder.send()) => r,
        };
        let response = sent.map_err(|e| {
            classify_send_error(
                &e,
                &host,
                &target,
                settings.connect_timeout_ms.map(u64::from),
            )
        })?;
        let head_at = Instant::now();
        let status = response.status().as_u16();
        cookies.extend(parse_set_cookies(
            response.headers().get_all(header::SET_COOKIE).iter(),
            &url,
        ));

        if let Some(d) = digest.as_mut().filter(|_| status == 401) {
            if d.on_unauthorized(&engine.digest_nonces, &url, response.headers()) {
                // The challenge is recorded as a hop so the answer and the retry both show.
                let hop = RedirectHop {
                    url: url.to_string(),
                    method: method.to_string(),
                    status,
                    location: String::new(),
                    next_method: method.to_string(),
                    body_dropped: false,
                    headers: header_list(response.headers()),
                    elapsed_ms: ms(hop_started, head_at),
                };
                on_event(SendEvent::Redirect { hop: hop.clone() });
                hops.push(hop);
                auth_hops += 1;
                continue;
            }
        }
        let location = response
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        if let (true, true, Some(location)) =
            (settings.follow_redirects, is_redirect(status), location)
        {
            let next = next_hop(&url, method.as_str(), status, &location)?;
            let hop = RedirectHop {
                url: url.to_string(),
                method: method.to_string(),
                status,
                location: location.clone(),
                next_method: next.method.clone(),
                body_dropped: next.drop_body && !body_dropped,
                headers: header_list(response.headers()),
                elapsed_ms: ms(hop_started, head_at),
            };
            on_event(SendEvent::Redirect { hop: hop.clone() });
            hops.push(hop);
            drop(response);

            if hops.len() - auth_hops > settings.max_redirects as usize {
                return Err(EngineError::TooManyRedirects(format!(
                    "stopped after {} redirects (the limit for this request is {})",
                    hops.len() - auth_hops,
                    settings.max_redirects
                )));
            }
            let mut next = next;
            if next.cross_origin {
                if !next.drop_body && !body_dropped && !settings.resend_files_cross_origin {
                    if let Some(path) = file_in_body(&req.body) {
                        return Err(file_not_resent(status, &url, &next.url, path));
                    }
                }
                strip_credentials(&mut user_headers, &mut next.url, &url, &req.credentials);
            }
            let key = (next.method.clone(), next.url.to_string());
            if visited.contains(&key) {
                return Err(EngineError::TooManyRedirects(format!(
                    "redirect loop: {} {} was already visited",
                    key.0, key.1
                )));
            }
            visited.push(key);
            body_dropped |= next.drop_body;
            method = reqwest::Method::from_bytes(next.method.as_bytes())
                .map_err(|e| EngineError::Internal(e.to_string()))?;
            let next_identity = identity_for(identities, &next.url);
            if next.url.scheme() != url.scheme()
                || next_identity.map(|i| i.digest()) != identity.map(|i| i.digest())
            {
                identity = next_identity;
                client =
                    engine
                        .clients
                        .client_for(settings, next.url.scheme() == "https", identity)?;
            }
            url = next.url;
            continue;
        }

        return Ok((
            response,
            FinishContext {
                started,
                hop_started,
                head_at,
                probe,
                url,
                method: method.to_string(),
                hops,
                cookies,
                deadline,
                auth_headers,
            },
        ));
    }
}

/// The SigV4 signer's view of the request's resolved AWS credentials, if it has any.
fn sigv4_credentials(signing: Option<&Signing>) -> Option<Credentials<'_>> {
    match signing? {
        Signing::AwsSigV4 {
            access_key,
            secret_key,
            session_token,
            region,
            service,
        } => Some(Credentials {
            access_key,
            secret_key,
            session_token: Some(session_token.as_str()).filter(|t| !t.is_empty()),
            region,
            service,
        }),
        _ => None,
    }
}

/// The path of a file the body reads, if it reads one.
fn file_in_body(body: &RequestBody) -> Option<&str> {
    match body {
        RequestBody::Binary { path, .. } => Some(path),
        RequestBody::Multipart { parts } => {
            parts
                .iter()
                .filter(|p| p.enabled)
                .find_map(|p| match &p.value {
                    PartValue::File { path, .. } => Some(path.as_str()),
                    PartValue::Text { .. } => None,
                })
        }
        _ => None,
    }
}

/// A 307/308 to another origin would re-send a file's contents to a server the user did not
/// address (curl does; Sextant stops and says so).
fn file_not_resent(status: u16, from: &Url, to: &Url, path: &str) -> EngineError {
    EngineError::FileNotAllowed(format!(
        "{} redirected ({status}) to another origin, {}, which would receive the file {path:?} \
         again; Sextant does not send a file's contents to a server you did not address (send \
         the request to {to} directly if you mean to)",
        from.origin().ascii_serialization(),
        to.origin().ascii_serialization(),
    ))
}

/// A body file no response points at yet: removed if the send fails or its future is dropped
/// before the response is handed out, so nothing is left behind in the body store.
struct Unclaimed(Option<std::path::PathBuf>);

impl Drop for Unclaimed {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

pub(crate) struct FinishContext {
    pub started: Instant,
    hop_started: Instant,
    head_at: Instant,
    probe: Probe,
    url: Url,
    method: String,
    hops: Vec<RedirectHop>,
    cookies: Vec<sextant_model::CookieInfo>,
    pub deadline: Deadline,
    /// What auth the engine added to this hop's request (Digest, SigV4), for the as-sent view.
    auth_headers: Vec<sextant_model::Header>,
}

async fn finish(
    engine: &Engine,
    response: reqwest::Response,
    ctx: FinishContext,
    limits: &SendLimits,
    again: &Again<'_>,
) -> Result<HttpResponse, EngineError> {
    let (cancel, on_event) = (again.cancel, again.on_event);
    let status = response.status();
    let headers = header_list(response.headers());
    let reason = response
        .extensions()
        .get::<hyper::ext::ReasonPhrase>()
        .map(|r| String::from_utf8_lossy(r.as_bytes()).into_owned())
        .or_else(|| status.canonical_reason().map(str::to_string))
        .unwrap_or_default();
    let http_version = version_name(response.version());
    let remote_addr = response.remote_addr().map(|a| a.to_string());
    let headers_bytes = head_size(&http_version, &reason, response.headers());
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);

    let id = uuid::Uuid::new_v4().simple().to_string();
    let mut unclaimed = Unclaimed(Some(engine.bodies.path(&id)?));
    let out = if limits.deferred_file {
        BodySink::deferred(engine.bodies.clone(), id.clone())
    } else {
        BodySink::new(engine.bodies.create(&id)?)
    };
    // The head goes out once its body file exists (a deferred body has no reader), so a reader
    // can follow the body from here.
    on_event(SendEvent::Head {
        head: sextant_model::ResponseHead {
            body_id: id.clone(),
            url: ctx.url.to_string(),
            status: status.as_u16(),
            reason: reason.clone(),
            http_version: http_version.clone(),
            headers: headers.clone(),
            content_type: content_type.clone(),
            expected: response.content_length(),
            elapsed_ms: ms(ctx.started, Instant::now()),
        },
    });
    let mut download = Download::new(out, content_type.as_deref(), ctx.started);
    let BodyOutcome {
        encoding,
        mut error,
    } = read_body(
        response,
        &mut download,
        limits,
        cancel,
        ctx.deadline,
        on_event,
    )
    .await?;
    if download.records().sse().is_some() {
        error = crate::reconnect::resume(again, &ctx, &mut download, limits, error).await?;
    }
    let finished = download.finish(on_event);
    let (wire_bytes, decoded_bytes) = (finished.wire, finished.decoded);
    unclaimed.0 = None;
    match (finished.kept, finished.deferred) {
        (Some(kept), true) => engine.bodies.keep_and_write(&id, kept)?,
        (Some(kept), false) => engine.bodies.keep(&id, kept),
        (None, _) => {}
    }
    let done = Instant::now();

    let marks = *ctx.probe.lock().unwrap_or_else(|p| p.into_inner());
    let timings = timings(&marks, &ctx, done);
    Ok(HttpResponse {
        id,
        url: ctx.url.to_string(),
        method: ctx.method,
        status: status.as_u16(),
        reason,
        http_version,
        headers,
        remote_addr,
        timings,
        sizes: sextant_model::ResponseSizes {
            headers_bytes,
            body_wire_bytes: wire_bytes,
            body_decoded_bytes: decoded_bytes,
        },
        body: sextant_model::BodyInfo {
            content_type,
            content_encoding: encoding,
            size: decoded_bytes,
            partial: error.is_some(),
        },
        redirects: ctx.hops,
        auth_headers: ctx.auth_headers,
        cookies: ctx.cookies,
        error: error.map(|e| e.to_api()),
        assertions: Vec::new(),
    })
}

fn timings(marks: &ProbeMarks, ctx: &FinishContext, done: Instant) -> Timings {
    let dns_ms = match (marks.dns_start, marks.dns_end) {
        (Some(a), Some(b)) => Some(ms(a, b)),
        _ => None,
    };
    let connect_span = match (marks.connect_start, marks.connect_end) {
        (Some(a), Some(b)) => Some(ms(a, b)),
        _ => None,
    };
    let reused = marks.connect_start.is_none();
    let ttfb_ms = ms(ctx.hop_started, ctx.head_at);
    Timings {
        dns_ms,
        connect_ms: connect_span.map(|c| (c - dns_ms.unwrap_or(0.0)).max(0.0)),
        tls_ms: None,
        tls_in_connect: !reused && ctx.url.scheme() == "https",
        wait_ms: (ttfb_ms - connect_span.unwrap_or(0.0)).max(0.0),
        ttfb_ms,
        download_ms: ms(ctx.head_at, done),
        total_ms: ms(ctx.started, done),
        reused_connection: reused,
    }
}

fn header_list(headers: &HeaderMap) -> Vec<sextant_model::Header> {
    headers
        .iter()
        .map(|(name, value)| sextant_model::Header {
            name: name.as_str().to_string(),
            value: String::from_utf8_lossy(value.as_bytes()).into_owned(),
        })
        .collect()
}

fn version_name(v: reqwest::Version) -> String {
    match v {
        reqwest::Version::HTTP_09 => "HTTP/0.9",
        reqwest::Version::HTTP_10 => "HTTP/1.0",
        reqwest::Version::HTTP_11 => "HTTP/1.1",
        reqwest::Version::HTTP_2 => "HTTP/2",
        reqwest::Version::HTTP_3 => "HTTP/3",
        _ => "HTTP/?",
    }
    .to_string()
}

/// The size of the status line and headers as HTTP/1.1 would put them on the wire (HTTP/2
/// compresses headers, so there this is an upper bound).
fn head_size(version: &str, reason: &str, headers: &HeaderMap) -> u64 {
    let status_line = version.len() + 1 + 3 + 1 + reason.len() + 2;
    let fields: usize = headers
        .iter()
        .map(|(n, v)| n.as_str().len() + 2 + v.len() + 2)
        .sum();
    (status_line + fields + 2) as u64
}
