//! Reconnection of a server-sent events stream, when the request asks for it
//! (`RequestSettings::sse_reconnect`): after the stream ends, the request is sent again with
//! `Last-Event-ID` once the stream's `retry` time has passed, and the new connection's events are
//! appended to the same body file and Events list, after a marker line
//! ([`crate::stream::RECONNECT_MARK`]) that the parser turns into a marker row, live and when the
//! body is read back.
//!
//! Browsers reconnect on any end of a stream; Sextant reconnects on an abnormal end (the
//! connection dropped, the body was cut short, or a reconnection could not connect) and on a clean
//! end only with `SseReconnect::Always`. Cancel, the total timeout and a reconnection answered
//! with anything but a 200 event stream stop it; so does the cap on attempts. The cap counts
//! reconnections in a row that delivered no record: one that brings events starts the count
//! again, so a long-lived stream that drops now and then is followed for as long as it lives,
//! while a server that keeps failing is given up after the cap. Marker rows are numbered across
//! the whole send.

use std::time::Duration;

use sextant_model::{KeyValue, SendEvent, SseReconnect, StreamKind, TimeoutPhase};

use crate::body_read::{read_body, Download};
use crate::send::{open, Again, FinishContext};
use crate::{EngineError, SendLimits};

/// The reconnection time when the stream set none (as browsers' default, about 3 s).
pub const DEFAULT_RETRY_MS: u64 = 3_000;
/// The longest wait before a reconnection, whatever `retry` the server asked for.
pub const MAX_RETRY_MS: u64 = 30_000;

/// Reconnects the stream in `download` while the settings and its ends call for it; returns the
/// error the stream finally ended with (`None`: a clean end).
pub(crate) async fn resume(
    again: &Again<'_>,
    ctx: &FinishContext,
    download: &mut Download,
    limits: &SendLimits,
    mut error: Option<EngineError>,
) -> Result<Option<EngineError>, EngineError> {
    let settings = &again.req.settings;
    let on_event = again.on_event;
    // Reconnections in a row without a record (the cap's count), and in all (the markers').
    let mut attempt = 0;
    let mut total = 0;
    loop {
        let Some(reason) = why_reconnect(settings.sse_reconnect, error.as_ref()) else {
            return Ok(error);
        };
        if attempt >= settings.sse_reconnect_attempts {
            return Ok(error);
        }
        attempt += 1;
        total += 1;
        let sse = download.records().sse();
        let delay_ms = sse
            .and_then(|p| p.reconnection_ms())
            .unwrap_or(DEFAULT_RETRY_MS)
            .min(MAX_RETRY_MS);
        let last_id = sse.and_then(|p| p.last_event_id()).map(str::to_string);
        on_event(SendEvent::Reconnect {
            attempt,
            max_attempts: settings.sse_reconnect_attempts,
            delay_ms,
            last_event_id: last_id.clone(),
            reason,
        });
        tokio::select! {
            biased;
            _ = again.cancel.cancelled() => return Ok(Some(EngineError::Cancelled)),
            _ = ctx.deadline.expired() => return Ok(Some(ctx.deadline.error(TimeoutPhase::Body))),
            _ = tokio::time::sleep(Duration::from_millis(delay_ms)) => {}
        }
        let marker = download.records().marker(total);
        download.write_own(&marker, on_event).await?;
        let records_before = download.records().count();

        let req = with_last_event_id(again.req, last_id.as_deref());
        let opened = open(
            again.engine,
            &req,
            again.identities,
            Some((ctx.started, ctx.deadline)),
            again.cancel,
            // Redirects of a reconnection are not the response's: the window keeps its head.
            &|_| {},
        )
        .await;
        let response = match opened {
            Ok((response, _)) => response,
            Err(e @ (EngineError::Cancelled | EngineError::Timeout { .. })) => return Ok(Some(e)),
            Err(e) => {
                error = Some(e);
                continue;
            }
        };
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        if response.status() != reqwest::StatusCode::OK
            || content_type.and_then(StreamKind::from_content_type) != Some(StreamKind::Sse)
        {
            return Ok(Some(EngineError::Protocol(format!(
                "reconnection {attempt} was answered with {} ({}), not an event stream; the \
                 stream stops there",
                response.status(),
                content_type.unwrap_or("no Content-Type")
            ))));
        }
        error = read_body(
            response,
            download,
            limits,
            again.cancel,
            ctx.deadline,
            on_event,
        )
        .await?
        .error;
        if download.records().count() > records_before {
            attempt = 0;
        }
    }
}

/// Why the stream is reconnected after ending with `error`, or `None` when it is not.
fn why_reconnect(mode: SseReconnect, error: Option<&EngineError>) -> Option<String> {
    match (mode, error) {
        (SseReconnect::Off, _) => None,
        (SseReconnect::Always, None) => Some("the server ended the stream".into()),
        (SseReconnect::Dropped, None) => None,
        (_, Some(e @ EngineError::BodyRead { .. })) => Some(e.to_string()),
        (
            _,
            Some(
                e @ (EngineError::Connect { .. }
                | EngineError::Dns { .. }
                | EngineError::Tls { .. }
                | EngineError::Protocol(_)),
            ),
        ) => Some(format!("the last reconnection failed: {e}")),
        (_, Some(_)) => None,
    }
}

/// `req` with `Last-Event-ID: id` in place of any such header it had (none without an id).
fn with_last_event_id(
    req: &sextant_model::HttpRequest,
    id: Option<&str>,
) -> sextant_model::HttpRequest {
    let mut req = req.clone();
    req.headers
        .retain(|h| !h.name.eq_ignore_ascii_case("last-event-id"));
    if let Some(id) = id {
        req.headers.push(KeyValue::new("Last-Event-ID", id));
    }
    req
}
