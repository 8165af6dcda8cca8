//! Turns one finished send into the history entry that records it: the request as it went out
//! (query rows in the URL, the body as text), the response or the failure, and secrets masked
//! before anything reaches the database. Masking is `sextant_template`'s, and only that: the
//! values the template substituted from secret variables (`redact`), and whatever sits where a
//! credential sits (`mask_url`, `mask_header`, `mask_response_header`, `is_secret_param`).
//! Beside that copy it keeps the request as the user wrote it ([`as_written`]), for a re-send to
//! resolve again: `keep_as_written` keeps its `{{references}}` and masks literal credentials.

use std::path::PathBuf;

use sextant_model::{ApiError, HttpRequest, HttpResponse, PartValue, RequestBody};
use sextant_store::{NewEntry, Source};
use sextant_template::{
    is_secret_param, keep_as_written, mask_header, mask_response_header, mask_url, redact,
};

use crate::history_ipc::WrittenRequest;

/// What replaces a secret in the history.
pub use sextant_template::MASK;

/// The most response body text kept in the database for search.
pub const MAX_BODY_TEXT: u64 = 256 * 1024;

/// Everything known about one send once it is over.
pub(crate) struct Finished<'a> {
    pub at_ms: i64,
    pub source: Source,
    pub collection: Option<String>,
    pub secrets: &'a [String],
    pub request: &'a HttpRequest,
    pub duration_ms: f64,
    pub outcome: Result<&'a HttpResponse, &'a ApiError>,
    /// The leading bytes of the stored body (at most [`MAX_BODY_TEXT`]).
    pub body_head: Option<Vec<u8>>,
    pub body_path: Option<PathBuf>,
}

pub(crate) fn entry(f: Finished<'_>) -> NewEntry {
    let mask = |text: &str| redact(text, f.secrets);
    let credentials = &f.request.credentials;
    let mut request_headers: Vec<(String, String)> = f
        .request
        .headers
        .iter()
        .filter(|h| h.enabled && !h.name.trim().is_empty())
        .map(|h| {
            let value = mask_header(&h.name, &h.value, credentials);
            (h.name.clone(), mask(&value))
        })
        .collect();
    if let Some(content_type) = implied_content_type(&f.request.body) {
        if !request_headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        {
            request_headers.push(("Content-Type".into(), content_type));
        }
    }
    // What the engine added for auth on the last hop (a Digest answer, an AWS signature) was
    // sent too: the view of the request as sent shows it, masked like any credential.
    if let Ok(response) = f.outcome {
        for h in &response.auth_headers {
            let value = mask_header(&h.name, &h.value, credentials);
            request_headers.push((h.name.clone(), mask(&value)));
        }
    }
    let mut entry = NewEntry {
        at_ms: f.at_ms,
        source: f.source,
        collection: f.collection,
        method: normalised_method(&f.request.method),
        url: mask(&mask_url(&sent_url(f.request), credentials)),
        request_headers,
        request_body: body_text(&f.request.body).map(|b| mask(&b)),
        request_as_written: None,
        request_body_bytes: body_bytes(&f.request.body),
        status: None,
        response_headers: Vec::new(),
        response_body_text: None,
        response_body_path: None,
        body_size: 0,
        duration_ms: f.duration_ms,
        timings_json: None,
        error_code: None,
        error_message: None,
    };
    match f.outcome {
        Ok(response) => {
            entry.status = Some(response.status);
            entry.response_headers = response
                .headers
                .iter()
                .map(|h| {
                    (
                        h.name.clone(),
                        mask(&mask_response_header(&h.name, &h.value)),
                    )
                })
                .collect();
            entry.body_size = response.body.size;
            entry.duration_ms = response.timings.total_ms;
            entry.timings_json = serde_json::to_string(&response.timings).ok();
            entry.response_body_text = f
                .body_head
                .as_deref()
                .and_then(|b| text_of(b, response.body.content_type.as_deref()))
                .map(|t| mask(&t));
            entry.response_body_path = f.body_path.map(|p| p.to_string_lossy().into_owned());
            if let Some(error) = &response.error {
                entry.error_code = Some(code_name(error));
                entry.error_message = Some(mask(&error.message));
            }
        }
        Err(error) => {
            entry.error_code = Some(code_name(error));
            entry.error_message = Some(mask(&error.message));
        }
    }
    entry
}

/// The request as the user wrote it, as the history keeps it (JSON): literal credentials
/// replaced by the mask and `secrets` (the resolved secret values) redacted, by
/// `sextant_template::keep_as_written`.
pub(crate) fn as_written(written: &WrittenRequest, secrets: &[String]) -> Option<String> {
    let kept = WrittenRequest {
        saved: keep_as_written(&written.saved, secrets),
        path: written.path.clone(),
        environment: written.environment.clone(),
    };
    serde_json::to_string(&kept).ok()
}

fn code_name(error: &ApiError) -> String {
    format!("{:?}", error.code)
}

fn normalised_method(raw: &str) -> String {
    let m = raw.trim();
    if m.is_empty() { "GET" } else { m }.to_string()
}

/// The URL as the engine sends it: `http://` added when no scheme was typed, enabled query
/// rows appended in order. A URL that does not parse is kept as typed.
pub(crate) fn sent_url(request: &HttpRequest) -> String {
    let trimmed = request.url.trim();
    let with_scheme = if trimmed.contains("://") {
        trimmed.to_string()
    } else {
        format!("http://{trimmed}")
    };
    let Ok(mut url) = url::Url::parse(&with_scheme) else {
        return request.url.clone();
    };
    let rows: Vec<_> = request
        .query
        .iter()
        .filter(|q| q.enabled && !q.name.is_empty())
        .collect();
    if !rows.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for q in rows {
            pairs.append_pair(&q.name, &q.value);
        }
    }
    url.into()
}

fn implied_content_type(body: &RequestBody) -> Option<String> {
    match body {
        RequestBody::Text { content_type, .. } if !content_type.is_empty() => {
            Some(content_type.clone())
        }
        RequestBody::Json { .. } => Some("application/json".into()),
        RequestBody::Form { .. } => Some("application/x-www-form-urlencoded".into()),
        _ => None,
    }
}

/// The request body as text: text and JSON as typed, a form urlencoded (the values of fields
/// named like credentials masked), multipart and file bodies as a one-line summary (their bytes
/// are not kept).
/// The request body's size in bytes when it is known before sending (not for multipart).
fn body_bytes(body: &RequestBody) -> Option<u64> {
    match body {
        RequestBody::None => Some(0),
        RequestBody::Text { text, .. } | RequestBody::Json { text } => Some(text.len() as u64),
        RequestBody::Form { fields } => {
            let mut ser = url::form_urlencoded::Serializer::new(String::new());
            for f in fields.iter().filter(|f| f.enabled) {
                ser.append_pair(&f.name, &f.value);
            }
            Some(ser.finish().len() as u64)
        }
        RequestBody::Binary { path, .. } => std::fs::metadata(path).ok().map(|m| m.len()),
        RequestBody::Multipart { .. } => None,
    }
}

pub(crate) fn body_text(body: &RequestBody) -> Option<String> {
    match body {
        RequestBody::None => None,
        RequestBody::Text { text, .. } | RequestBody::Json { text } => Some(text.clone()),
        RequestBody::Form { fields } => {
            let mut ser = url::form_urlencoded::Serializer::new(String::new());
            for f in fields.iter().filter(|f| f.enabled) {
                let value = if is_secret_param(&f.name) && !f.value.is_empty() {
                    MASK
                } else {
                    &f.value
                };
                ser.append_pair(&f.name, value);
            }
            let encoded_mask: String =
                url::form_urlencoded::byte_serialize(MASK.as_bytes()).collect();
            Some(ser.finish().replace(&encoded_mask, MASK))
        }
        RequestBody::Multipart { parts } => {
            let described: Vec<String> = parts
                .iter()
                .filter(|p| p.enabled)
                .map(|p| match &p.value {
                    PartValue::Text { text } => format!("{}={text}", p.name),
                    PartValue::File { path, .. } => format!("{}=@{path}", p.name),
                })
                .collect();
            Some(format!("[multipart] {}", described.join("; ")))
        }
        RequestBody::Binary { path, .. } => Some(format!("[file] {path}")),
    }
}

fn is_text_type(content_type: Option<&str>) -> bool {
    let Some(ct) = content_type else { return false };
    let media = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    media.starts_with("text/")
        || media.ends_with("+json")
        || media.ends_with("+xml")
        || matches!(
            media.as_str(),
            "application/json"
                | "application/xml"
                | "application/javascript"
                | "application/x-www-form-urlencoded"
                | "application/graphql"
                | "application/yaml"
        )
}

/// The body's leading bytes as text when they are UTF-8 (a character cut at the end of the
/// slice is dropped) or the content type says text; `None` for binary bodies.
pub(crate) fn text_of(head: &[u8], content_type: Option<&str>) -> Option<String> {
    if head.is_empty() {
        return None;
    }
    match std::str::from_utf8(head) {
        Ok(text) => Some(text.to_string()),
        Err(e) if e.error_len().is_none() => {
            Some(String::from_utf8_lossy(&head[..e.valid_up_to()]).into_owned())
        }
        Err(_) if is_text_type(content_type) => Some(String::from_utf8_lossy(head).into_owned()),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sextant_model::{KeyValue, MultipartPart};

    #[test]
    fn the_url_gets_a_scheme_and_the_enabled_query_rows() {
        let mut req = HttpRequest::get("127.0.0.1:9/x?a=1");
        req.query.push(KeyValue::new("b", "two words"));
        let mut off = KeyValue::new("c", "3");
        off.enabled = false;
        req.query.push(off);
        assert_eq!(sent_url(&req), "http://127.0.0.1:9/x?a=1&b=two+words");
    }

    #[test]
    fn bodies_become_text_or_a_summary() {
        let form = RequestBody::Form {
            fields: vec![
                KeyValue::new("q", "a b"),
                KeyValue::new("x", "&"),
                KeyValue::new("password", "hunter2"),
            ],
        };
        assert_eq!(body_text(&form).unwrap(), "q=a+b&x=%26&password=•••");
        let multi = RequestBody::Multipart {
            parts: vec![MultipartPart {
                name: "f".into(),
                enabled: true,
                value: PartValue::File {
                    path: "/tmp/p.png".into(),
                    filename: None,
                    content_type: None,
                },
            }],
        };
        assert_eq!(body_text(&multi).unwrap(), "[multipart] f=@/tmp/p.png");
        assert_eq!(body_text(&RequestBody::None), None);
    }

    #[test]
    fn body_text_is_kept_for_utf8_and_text_types_only() {
        assert_eq!(text_of(b"hello", None).unwrap(), "hello");
        // "é" cut in half at the end of the slice.
        assert_eq!(text_of(&[b'a', 0xC3], None).unwrap(), "a");
        assert_eq!(text_of(&[0xff, 0x00, 0x10], Some("image/png")), None);
        assert!(text_of(&[0xff, b'a'], Some("text/plain; charset=latin1")).is_some());
        assert_eq!(text_of(b"", Some("text/plain")), None);
    }

    #[test]
    fn a_failure_is_recorded_with_its_code_and_the_request_masked() {
        let mut req = HttpRequest::new("post", "http://h/x?key=s3cret");
        req.headers
            .push(KeyValue::new("Authorization", "Bearer s3cret"));
        req.body = RequestBody::Json {
            text: r#"{"pw":"s3cret"}"#.into(),
        };
        let error = ApiError::new(sextant_model::ErrorCode::Connect, "refused (s3cret)");
        let e = entry(Finished {
            at_ms: 1,
            source: Source::Cli,
            collection: Some("c".into()),
            secrets: &["s3cret".into()],
            request: &req,
            duration_ms: 2.5,
            outcome: Err(&error),
            body_head: None,
            body_path: None,
        });
        assert_eq!(e.status, None);
        assert_eq!(e.error_code.as_deref(), Some("Connect"));
        assert_eq!(e.error_message.as_deref(), Some("refused (•••)"));
        assert_eq!(e.url, "http://h/x?key=•••");
        assert_eq!(e.request_body.as_deref(), Some(r#"{"pw":"•••"}"#));
        assert_eq!(
            e.request_headers,
            vec![
                ("Authorization".into(), "Bearer •••".into()),
                ("Content-Type".into(), "application/json".into())
            ]
        );
        assert_eq!(e.method, "post");
    }
}
