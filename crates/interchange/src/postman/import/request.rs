//! One Postman item's request as a saved request: method, URL and query rows, headers and
//! settings.

use serde_json::Value;
use sextant_model::{HttpRequest, KeyValue, RequestSettings, SavedRequest};

use super::auth::auth;
use super::body::body;
use super::scripts::request_scripts;
use super::{description, variables};
use crate::json::{array, flag, scalar, string, string_or_empty};
use crate::text::form_decode;
use crate::warning::Warnings;

pub(super) fn request(item: &Value, name: String, path: &str, w: &mut Warnings) -> SavedRequest {
    let assertions = request_scripts(item, path, w);
    let examples = array(item, "response").len();
    if examples > 0 {
        w.push(
            path,
            format!("{examples} saved example responses are not imported"),
        );
    }
    let req = item.get("request").cloned().unwrap_or(Value::Null);
    if let Value::String(url) = &req {
        return SavedRequest::new(name, HttpRequest::get(url.clone()));
    }
    let method = string(&req, "method").unwrap_or_else(|| "GET".to_owned());
    let (url, query) = url(req.get("url"), path, w);
    let mut headers = headers(req.get("header"));
    let body = body(req.get("body"), &mut headers, path, w);
    let docs = match description(&req) {
        d if d.is_empty() => description(item),
        d => d,
    };
    SavedRequest {
        assertions,
        tags: Vec::new(),
        contract: None,
        websocket: None,
        name,
        request: HttpRequest {
            method,
            url,
            query,
            headers,
            body,
            settings: settings(item.get("protocolProfileBehavior"), path, w),
            credentials: Vec::new(),
            signing: None,
        },
        auth: auth(req.get("auth"), path, w),
        variables: variables(array(item, "variable")),
        captures: Vec::new(),
        docs,
    }
}

/// The URL without the query string when `query` rows are listed (the rows carry it, decoded),
/// else `raw` as it is.
fn url(url: Option<&Value>, path: &str, w: &mut Warnings) -> (String, Vec<KeyValue>) {
    let Some(url) = url else {
        return (String::new(), Vec::new());
    };
    if let Value::String(raw) = url {
        return (raw.clone(), Vec::new());
    }
    let raw = string(url, "raw").unwrap_or_else(|| url_from_parts(url));
    let path_vars: Vec<String> = array(url, "variable")
        .iter()
        .filter_map(|v| string(v, "key"))
        .collect();
    if !path_vars.is_empty() {
        w.push(
            path,
            format!(
                "path variables ({}) stay as `:name` in the URL; Sextant does not fill them",
                path_vars.join(", ")
            ),
        );
    }
    let rows = array(url, "query");
    if rows.is_empty() {
        return (raw, Vec::new());
    }
    let base = raw.split('?').next().unwrap_or("").to_owned();
    let query = rows
        .iter()
        .map(|q| KeyValue {
            name: form_decode(&string_or_empty(q, "key")),
            value: form_decode(&string_or_empty(q, "value")),
            enabled: !flag(q, "disabled"),
        })
        .collect();
    (base, query)
}

fn url_from_parts(url: &Value) -> String {
    let joined = |key: &str, sep: &str| match url.get(key) {
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(scalar)
            .collect::<Vec<_>>()
            .join(sep),
        Some(v) => scalar(v).unwrap_or_default(),
        None => String::new(),
    };
    let mut out = String::new();
    if let Some(protocol) = string(url, "protocol") {
        out.push_str(&protocol);
        out.push_str("://");
    }
    out.push_str(&joined("host", "."));
    if let Some(port) = string(url, "port") {
        out.push(':');
        out.push_str(&port);
    }
    let path = joined("path", "/");
    if !path.is_empty() {
        out.push('/');
        out.push_str(&path);
    }
    out
}

fn headers(header: Option<&Value>) -> Vec<KeyValue> {
    match header {
        Some(Value::Array(rows)) => rows
            .iter()
            .map(|h| KeyValue {
                name: string_or_empty(h, "key"),
                value: string_or_empty(h, "value"),
                enabled: !flag(h, "disabled"),
            })
            .collect(),
        Some(Value::String(block)) => block
            .lines()
            .filter_map(|line| line.split_once(':'))
            .map(|(n, v)| KeyValue::new(n.trim(), v.trim()))
            .collect(),
        _ => Vec::new(),
    }
}

fn settings(behavior: Option<&Value>, path: &str, w: &mut Warnings) -> RequestSettings {
    let mut settings = RequestSettings::default();
    let Some(Value::Object(map)) = behavior else {
        return settings;
    };
    for (key, value) in map {
        match (key.as_str(), value) {
            ("followRedirects", Value::Bool(b)) => settings.follow_redirects = *b,
            ("strictSSL", Value::Bool(b)) => settings.verify_tls = *b,
            ("maxRedirects", Value::Number(n)) => {
                if let Some(n) = n.as_u64().and_then(|n| u32::try_from(n).ok()) {
                    settings.max_redirects = n;
                }
            }
            _ => w.push(path, format!("the setting {key:?} is not imported")),
        }
    }
    settings
}
