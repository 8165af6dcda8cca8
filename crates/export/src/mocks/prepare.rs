//! Recorded exchanges made ready to write: the URL split into what a route matches (scheme,
//! host, path) and its query parameters, the headers worth replaying, the body classified as
//! JSON, text or bytes, and repeats of one request reduced to the newest.

use serde_json::Value;
use sextant_model::{is_secret_name, is_secret_param, ConversionWarning};

use super::{RecordedExchange, MOCK_BODY_BUDGET};

/// What a mock answers with.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Body {
    Empty,
    Json(Value),
    Text(String),
    Bytes(Vec<u8>),
}

/// One request a mock module answers, and its answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Route {
    pub label: String,
    pub history_id: Option<i64>,
    pub at_ms: i64,
    pub method: String,
    /// `scheme://host[:port]/path`: no credentials, query or fragment.
    pub url: String,
    /// The query parameters, decoded, in order; those carrying credentials are left out.
    pub params: Vec<(String, String)>,
    /// Whether the query must be exactly `params` (false once a credential parameter was left
    /// out: the client sends it, with a value the recording did not keep).
    pub strict: bool,
    pub status: u16,
    /// Headers to replay, Content-Type apart.
    pub headers: Vec<(String, String)>,
    pub content_type: Option<String>,
    pub body: Body,
}

/// Headers that describe one transfer, not the answer: replaying them would lie (the mock's
/// body is neither compressed nor of the recorded length).
const TRANSFER_HEADERS: [&str; 11] = [
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "content-length",
    "content-encoding",
];

pub(crate) fn routes(
    exchanges: &[RecordedExchange],
    warnings: &mut Vec<ConversionWarning>,
) -> Vec<Route> {
    let mut out: Vec<Route> = Vec::new();
    for exchange in exchanges {
        let route = route(exchange, warnings);
        let same = out.iter_mut().find(|r| {
            r.method == route.method && r.url == route.url && same_query(&r.params, &route.params)
        });
        match same {
            Some(earlier) => {
                let (older, newer) = if route.at_ms >= earlier.at_ms {
                    (earlier.label.clone(), route.label.clone())
                } else {
                    (route.label.clone(), earlier.label.clone())
                };
                warnings.push(ConversionWarning {
                    location: older.clone(),
                    message: format!(
                        "{older} and {newer} are the same request ({} {}): only the newer answer, {newer}'s, is replayed",
                        route.method, route.url
                    ),
                });
                if route.at_ms >= earlier.at_ms {
                    *earlier = route;
                }
            }
            None => out.push(route),
        }
    }
    out
}

fn same_query(a: &[(String, String)], b: &[(String, String)]) -> bool {
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort();
    b.sort();
    a == b
}

fn route(exchange: &RecordedExchange, warnings: &mut Vec<ConversionWarning>) -> Route {
    let (url, query) = split_url(&exchange.url);
    let mut strict = true;
    let mut params = Vec::new();
    for (name, value) in query {
        if is_secret_param(&name) {
            strict = false;
        } else {
            params.push((name, value));
        }
    }
    let mut headers = Vec::new();
    let mut content_type = None;
    for (name, value) in &exchange.headers {
        let lower = name.trim().to_ascii_lowercase();
        if lower == "content-type" {
            content_type.get_or_insert_with(|| value.clone());
        } else if !lower.is_empty()
            && !TRANSFER_HEADERS.contains(&lower.as_str())
            && !is_secret_name(&lower)
        {
            headers.push((name.clone(), value.clone()));
        }
    }
    let body = body(exchange, content_type.as_deref(), warnings);
    Route {
        label: exchange.label.clone(),
        history_id: exchange.history_id,
        at_ms: exchange.at_ms,
        method: exchange.method.trim().to_ascii_uppercase(),
        url,
        params,
        strict,
        status: exchange.status,
        headers,
        content_type,
        body,
    }
}

fn body(
    exchange: &RecordedExchange,
    content_type: Option<&str>,
    warnings: &mut Vec<ConversionWarning>,
) -> Body {
    let size = exchange.body_size.max(exchange.body.len() as u64);
    if size > MOCK_BODY_BUDGET {
        warnings.push(ConversionWarning {
            location: exchange.label.clone(),
            message: format!(
                "its response body ({size} bytes) is over the {} MiB budget of a mock module: it is replayed empty",
                MOCK_BODY_BUDGET / (1024 * 1024)
            ),
        });
        return Body::Empty;
    }
    if (exchange.body.len() as u64) < exchange.body_size {
        warnings.push(ConversionWarning {
            location: exchange.label.clone(),
            message: format!(
                "only the first {} of its {} body bytes were kept (the body file is gone): it is replayed cut short",
                exchange.body.len(),
                exchange.body_size
            ),
        });
    }
    if exchange.body.is_empty() {
        return Body::Empty;
    }
    let media = content_type
        .and_then(|c| c.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if media.contains("json") {
        if let Ok(value) = serde_json::from_slice::<Value>(&exchange.body) {
            return Body::Json(value);
        }
    }
    let textual = media.is_empty()
        || media.starts_with("text/")
        || [
            "json",
            "xml",
            "javascript",
            "yaml",
            "csv",
            "x-www-form-urlencoded",
        ]
        .iter()
        .any(|t| media.contains(t));
    match std::str::from_utf8(&exchange.body) {
        Ok(text) if textual => Body::Text(text.to_owned()),
        _ => Body::Bytes(exchange.body.clone()),
    }
}

/// `scheme://host/path` (credentials and fragment dropped) and the decoded query parameters.
pub(crate) fn split_url(raw: &str) -> (String, Vec<(String, String)>) {
    let raw = raw.trim();
    let raw = raw.split_once('#').map_or(raw, |(before, _)| before);
    let (before, query) = raw.split_once('?').unwrap_or((raw, ""));
    let (scheme, rest) = before.split_once("://").unwrap_or(("http", before));
    let (authority, path) = rest
        .find('/')
        .map_or((rest, "/"), |i| (&rest[..i], &rest[i..]));
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let url = format!("{}://{host}{path}", scheme.to_ascii_lowercase());
    let params = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (name, value) = p.split_once('=').unwrap_or((p, ""));
            (decode(name), decode(value))
        })
        .collect();
    (url, params)
}

/// Form-style percent-decoding (`+` is a space); invalid escapes are kept as written.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push(high * 16 + low);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}
