//! HAR 1.2 (HTTP Archive): importing the requests of a browser's or proxy's capture as a flat
//! collection, and exporting Sextant's history as an archive other tools open.
//!
//! Import keeps requests only; responses are not part of a collection. HTTP/2 pseudo-headers
//! (`:authority`, ...) and `Content-Length` are left out without a warning because the engine
//! derives them again; the Content-Type header moves into the body. A body recorded as text
//! keeps its exact bytes (a JSON body only when the type is exactly `application/json`).
//!
//! Sextant's own archives add `_path` (a HAR extension field) to file bodies and file parts so
//! that a round trip finds the files again; other tools ignore it.

use serde_json::{json, Value};
use sextant_model::{
    Collection, CollectionItem, FolderSettings, Header, HttpRequest, HttpVersionPref, KeyValue,
    MultipartPart, PartValue, RequestBody, SavedRequest,
};

use crate::files::warn_file_references;
use crate::json::{array, parse, string, string_or_empty};
use crate::limits::{too_many_items, MAX_ITEMS};
use crate::text::{
    basename, essence, is_plain_json, request_name, short, split_query, url_with_query,
};
use crate::warning::Warnings;
use crate::{Imported, InterchangeError};

/// One request from history and, when it got one, its response.
#[derive(Debug, Clone, PartialEq)]
pub struct HarExchange {
    pub request: HttpRequest,
    pub response: Option<HarResponse>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HarResponse {
    pub status: u16,
    pub status_text: String,
    /// As HAR writes it: `HTTP/1.1`, `HTTP/2`.
    pub http_version: String,
    pub headers: Vec<Header>,
    /// The decoded body when it is text; `None` leaves the content out of the archive.
    pub body_text: Option<String>,
    pub mime_type: String,
    /// Bytes received for the body; `None` when unknown.
    pub body_size: Option<u64>,
    /// When the request started, in milliseconds since the Unix epoch.
    pub started_ms: u64,
    pub total_ms: f64,
    pub timings: HarTimings,
}

/// Phase durations in milliseconds; `None` is "not measured" (HAR's `-1`, or `0` for the three
/// phases HAR requires).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct HarTimings {
    pub dns_ms: Option<f64>,
    pub connect_ms: Option<f64>,
    pub ssl_ms: Option<f64>,
    pub send_ms: Option<f64>,
    pub wait_ms: Option<f64>,
    pub receive_ms: Option<f64>,
}

/// Reads a HAR 1.1 or 1.2 archive; each entry becomes a request named `METHOD /path`.
pub fn import_har(text: &str) -> Result<Imported<Collection>, InterchangeError> {
    let root = parse(text)?;
    let log =
        root.get("log")
            .filter(|l| l.is_object())
            .ok_or_else(|| InterchangeError::WrongFormat {
                expected: "HAR",
                reason: "there is no top-level `log` object".into(),
            })?;
    if let Some(version) = string(log, "version") {
        if version != "1.2" && version != "1.1" {
            return Err(InterchangeError::UnsupportedVersion {
                format: "HAR",
                version: short(&version),
                supported: "HAR 1.1 and 1.2",
            });
        }
    }
    let entries = log
        .get("entries")
        .and_then(Value::as_array)
        .ok_or_else(|| InterchangeError::WrongFormat {
            expected: "HAR",
            reason: "`log.entries` is not a list".into(),
        })?;
    if entries.len() > MAX_ITEMS {
        return Err(too_many_items());
    }
    let mut warnings = Warnings::default();
    let mut items = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let Some(request) = entry.get("request").filter(|r| r.is_object()) else {
            warnings.push(&format!("entry {}", i + 1), "no request; skipped");
            continue;
        };
        items.push(CollectionItem::Request(import_request(
            request,
            i,
            &mut warnings,
        )));
    }
    let name = array(log, "pages")
        .first()
        .and_then(|p| string(p, "title"))
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "HAR import".to_owned());
    Ok(Imported {
        value: Collection {
            name,
            settings: FolderSettings::default(),
            items,
            environments: Vec::new(),
        },
        warnings: warnings.0,
    })
}

fn import_request(req: &Value, index: usize, warnings: &mut Warnings) -> SavedRequest {
    let method = string(req, "method").unwrap_or_else(|| "GET".to_owned());
    let url = string_or_empty(req, "url");
    let name = request_name(&method, &url);
    let location = format!("{name} (entry {})", index + 1);
    let mut headers: Vec<KeyValue> = array(req, "headers")
        .iter()
        .map(|h| KeyValue::new(string_or_empty(h, "name"), string_or_empty(h, "value")))
        .filter(|h| !h.name.starts_with(':') && !h.name.eq_ignore_ascii_case("content-length"))
        .collect();
    let cookies = array(req, "cookies").len();
    if cookies > 0 {
        warnings.push(
            &location,
            format!("{cookies} cookies listed apart from the headers are not imported (a Cookie header is kept)"),
        );
    }
    let body = req
        .get("postData")
        .filter(|p| p.is_object())
        .map(|p| import_body(p, &location, warnings))
        .unwrap_or_default();
    if body != RequestBody::None {
        headers.retain(|h| !h.name.eq_ignore_ascii_case("content-type"));
    }
    let mut request = HttpRequest::new(method, url);
    request.headers = headers;
    request.body = body;
    let saved = SavedRequest::new(name, request);
    warn_file_references(&saved, &location, warnings);
    saved
}

fn import_body(post: &Value, location: &str, warnings: &mut Warnings) -> RequestBody {
    let mime = string_or_empty(post, "mimeType");
    if let Some(path) = string(post, "_path") {
        return RequestBody::Binary {
            path,
            content_type: (!mime.is_empty()).then_some(mime),
        };
    }
    let params = array(post, "params");
    let text = string(post, "text");
    if !params.is_empty() && text.as_deref().is_none_or(str::is_empty) {
        if essence(&mime) == "multipart/form-data" {
            let parts = params
                .iter()
                .map(|p| import_part(p, location, warnings))
                .collect();
            return RequestBody::Multipart { parts };
        }
        let fields = params
            .iter()
            .map(|p| KeyValue::new(string_or_empty(p, "name"), string_or_empty(p, "value")))
            .collect();
        return RequestBody::Form { fields };
    }
    match text {
        Some(text) if is_plain_json(&mime) => RequestBody::Json { text },
        Some(text) => RequestBody::Text {
            content_type: mime,
            text,
        },
        None if mime.is_empty() => RequestBody::None,
        None => {
            warnings.push(
                location,
                format!("the {mime} body is not in the archive; left empty"),
            );
            RequestBody::Text {
                content_type: mime,
                text: String::new(),
            }
        }
    }
}

fn import_part(param: &Value, location: &str, warnings: &mut Warnings) -> MultipartPart {
    let name = string_or_empty(param, "name");
    let value = match string(param, "fileName") {
        Some(file_name) => {
            let path = match string(param, "_path") {
                Some(path) => path,
                None => {
                    warnings.push(
                        location,
                        format!("part {name:?}: the file's contents are not in the archive; choose the file again"),
                    );
                    file_name.clone()
                }
            };
            PartValue::File {
                filename: (file_name != basename(&path)).then_some(file_name),
                path,
                content_type: string(param, "contentType").filter(|c| !c.is_empty()),
            }
        }
        None => PartValue::Text {
            text: string_or_empty(param, "value"),
        },
    };
    MultipartPart {
        name,
        enabled: true,
        value,
    }
}

/// Writes the exchanges as a HAR 1.2 archive, pretty-printed. Disabled rows are left out.
pub fn export_har(entries: &[HarExchange]) -> String {
    let entries: Vec<Value> = entries.iter().map(export_entry).collect();
    let doc = json!({
        "log": {
            "version": "1.2",
            "creator": { "name": "Sextant", "version": env!("CARGO_PKG_VERSION") },
            "pages": [],
            "entries": entries,
        }
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

fn export_entry(exchange: &HarExchange) -> Value {
    let req = &exchange.request;
    let url = url_with_query(&req.url, &req.query);
    let query_string: Vec<Value> = url
        .split_once('?')
        .map(|(_, q)| split_query(q.split('#').next().unwrap_or("")))
        .unwrap_or_default()
        .into_iter()
        .map(|(name, value)| json!({ "name": name, "value": value }))
        .collect();
    let (post_data, body_type) = export_body(&req.body);
    let mut headers: Vec<Value> = req
        .headers
        .iter()
        .filter(|h| h.enabled)
        .map(|h| json!({ "name": h.name, "value": h.value }))
        .collect();
    let has_type = req
        .headers
        .iter()
        .any(|h| h.enabled && h.name.eq_ignore_ascii_case("content-type"));
    if let (Some(ct), false) = (body_type, has_type) {
        headers.push(json!({ "name": "Content-Type", "value": ct }));
    }
    let http_version = match (&exchange.response, req.settings.http_version) {
        (Some(r), _) if !r.http_version.is_empty() => r.http_version.clone(),
        (_, HttpVersionPref::Http2PriorKnowledge) => "HTTP/2".to_owned(),
        _ => "HTTP/1.1".to_owned(),
    };
    let body_size = post_data
        .as_ref()
        .and_then(|p| p.get("text"))
        .and_then(Value::as_str)
        .map_or(0, |t| t.len() as i64);
    let mut request = json!({
        "method": req.method,
        "url": url,
        "httpVersion": http_version,
        "cookies": [],
        "headers": headers,
        "queryString": query_string,
        "headersSize": -1,
        "bodySize": body_size,
    });
    if let Some(post) = post_data {
        request["postData"] = post;
    }
    let (response, started, time, timings) = match &exchange.response {
        Some(r) => (
            export_response(r),
            r.started_ms,
            r.total_ms,
            export_timings(&r.timings),
        ),
        None => (
            json!({
                "status": 0, "statusText": "", "httpVersion": "", "cookies": [], "headers": [],
                "content": { "size": 0, "mimeType": "" }, "redirectURL": "",
                "headersSize": -1, "bodySize": -1,
            }),
            0,
            0.0,
            export_timings(&HarTimings::default()),
        ),
    };
    json!({
        "startedDateTime": iso8601(started),
        "time": time,
        "request": request,
        "response": response,
        "cache": {},
        "timings": timings,
    })
}

/// The body as `postData`, and the Content-Type header it implies.
fn export_body(body: &RequestBody) -> (Option<Value>, Option<String>) {
    match body {
        RequestBody::None => (None, None),
        RequestBody::Text { content_type, text } => (
            Some(json!({ "mimeType": content_type, "text": text })),
            Some(content_type.clone()),
        ),
        RequestBody::Json { text } => (
            Some(json!({ "mimeType": "application/json", "text": text })),
            Some("application/json".into()),
        ),
        RequestBody::Form { fields } => {
            let ct = "application/x-www-form-urlencoded";
            let params: Vec<Value> = fields
                .iter()
                .filter(|f| f.enabled)
                .map(|f| json!({ "name": f.name, "value": f.value }))
                .collect();
            (
                Some(json!({ "mimeType": ct, "params": params })),
                Some(ct.into()),
            )
        }
        RequestBody::Multipart { parts } => {
            let params: Vec<Value> = parts
                .iter()
                .filter(|p| p.enabled)
                .map(|p| match &p.value {
                    PartValue::Text { text } => json!({ "name": p.name, "value": text }),
                    PartValue::File {
                        path,
                        filename,
                        content_type,
                    } => {
                        let mut param = json!({
                            "name": p.name,
                            "fileName": filename.as_deref().unwrap_or_else(|| basename(path)),
                            "_path": path,
                        });
                        if let Some(ct) = content_type {
                            param["contentType"] = json!(ct);
                        }
                        param
                    }
                })
                .collect();
            let ct = "multipart/form-data";
            (
                Some(json!({ "mimeType": ct, "params": params })),
                Some(ct.into()),
            )
        }
        RequestBody::Binary { path, content_type } => (
            Some(json!({
                "mimeType": content_type.as_deref().unwrap_or(""),
                "text": "",
                "_path": path,
            })),
            content_type.clone(),
        ),
    }
}

fn export_response(r: &HarResponse) -> Value {
    let headers: Vec<Value> = r
        .headers
        .iter()
        .map(|h| json!({ "name": h.name, "value": h.value }))
        .collect();
    let redirect = r
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("location"))
        .map_or("", |h| h.value.as_str());
    let size = r.body_size.map_or(-1, |s| s as i64);
    let mut content = json!({ "size": size.max(0), "mimeType": r.mime_type });
    if let Some(text) = &r.body_text {
        content["text"] = json!(text);
        content["size"] = json!(text.len());
    }
    json!({
        "status": r.status,
        "statusText": r.status_text,
        "httpVersion": r.http_version,
        "cookies": [],
        "headers": headers,
        "content": content,
        "redirectURL": redirect,
        "headersSize": -1,
        "bodySize": size,
    })
}

fn export_timings(t: &HarTimings) -> Value {
    let optional = |v: Option<f64>| v.unwrap_or(-1.0);
    let required = |v: Option<f64>| v.unwrap_or(0.0);
    json!({
        "blocked": -1.0,
        "dns": optional(t.dns_ms),
        "connect": optional(t.connect_ms),
        "ssl": optional(t.ssl_ms),
        "send": required(t.send_ms),
        "wait": required(t.wait_ms),
        "receive": required(t.receive_ms),
    })
}

/// Milliseconds since the Unix epoch as `2024-05-01T12:34:56.789Z`.
fn iso8601(epoch_ms: u64) -> String {
    let days = (epoch_ms / 86_400_000) as i64;
    let ms_of_day = epoch_ms % 86_400_000;
    let (year, month, day) = civil_from_days(days);
    let (h, m, s, ms) = (
        ms_of_day / 3_600_000,
        ms_of_day / 60_000 % 60,
        ms_of_day / 1000 % 60,
        ms_of_day % 1000,
    );
    format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{ms:03}Z")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (the era-based calendar arithmetic).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::iso8601;

    #[test]
    fn dates() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(1_709_251_199_123), "2024-02-29T23:59:59.123Z");
        assert_eq!(iso8601(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }
}
