//! One Insomnia request as a saved request: its rows, body, scripts and settings.

use serde_json::Value;
use sextant_model::{HttpRequest, KeyValue, MultipartPart, PartValue, RequestBody, SavedRequest};

use crate::json::{array, flag, string, string_or_empty};
use crate::postman::script::{read_script, unread_warning};
use crate::text::{is_plain_json, take_content_type};
use crate::warning::Warnings;

use super::auth::auth;
use super::tree::description_of;
use super::variables::template;

pub(super) fn request(r: &Value, name: String, path: &str, w: &mut Warnings) -> SavedRequest {
    let method = string(r, "method").unwrap_or_else(|| "GET".to_owned());
    let url = template(&string_or_empty(r, "url"), path, w);
    let query = rows(array(r, "parameters"), path, w);
    let mut headers = rows(array(r, "headers"), path, w);
    let body = body(r.get("body"), &mut headers, path, w);
    let mut request = HttpRequest::new(method, url);
    request.query = query;
    request.headers = headers;
    request.body = body;
    if string(r, "settingFollowRedirects").as_deref() == Some("off") {
        request.settings.follow_redirects = false;
    }
    SavedRequest {
        assertions: scripts(r, path, w),
        tags: Vec::new(),
        contract: None,
        websocket: None,
        name,
        request,
        auth: auth(r.get("authentication"), path, w),
        variables: Vec::new(),
        captures: Vec::new(),
        docs: description_of(r),
    }
}

/// The request's scripts (Insomnia 9+): the `insomnia.test`/`insomnia.expect` checks of its
/// after-response script become assertions, read as Postman's are; the rest of it and any
/// pre-request script are warnings.
fn scripts(r: &Value, path: &str, w: &mut Warnings) -> Vec<sextant_model::Assertion> {
    if !string_or_empty(r, "preRequestScript").trim().is_empty() {
        w.push(
            path,
            "the pre-request script is not run by Sextant and was not imported",
        );
    }
    let after = string_or_empty(r, "afterResponseScript");
    if after.trim().is_empty() {
        return Vec::new();
    }
    let read = read_script(&after, "insomnia");
    unread_warning(&read.unread, "the after-response script", path, w);
    read.assertions
}

/// Header and parameter rows: `{name, value, disabled}`.
pub(super) fn rows(list: &[Value], path: &str, w: &mut Warnings) -> Vec<KeyValue> {
    list.iter()
        .map(|row| KeyValue {
            name: template(&string_or_empty(row, "name"), path, w),
            value: template(&string_or_empty(row, "value"), path, w),
            enabled: !flag(row, "disabled"),
        })
        .collect()
}

fn body(
    body: Option<&Value>,
    headers: &mut Vec<KeyValue>,
    path: &str,
    w: &mut Warnings,
) -> RequestBody {
    let Some(body) = body.filter(|b| b.is_object()) else {
        return RequestBody::None;
    };
    let mime = string_or_empty(body, "mimeType");
    let text = string(body, "text").map(|t| template(&t, path, w));
    let result = match mime.as_str() {
        "application/x-www-form-urlencoded" => RequestBody::Form {
            fields: rows(array(body, "params"), path, w),
        },
        "multipart/form-data" => RequestBody::Multipart {
            parts: array(body, "params")
                .iter()
                .map(|p| MultipartPart {
                    name: template(&string_or_empty(p, "name"), path, w),
                    enabled: !flag(p, "disabled"),
                    value: if string(p, "type").as_deref() == Some("file") {
                        PartValue::File {
                            path: string_or_empty(p, "fileName"),
                            filename: None,
                            content_type: None,
                        }
                    } else {
                        PartValue::Text {
                            text: template(&string_or_empty(p, "value"), path, w),
                        }
                    },
                })
                .collect(),
        },
        "application/octet-stream" => match string(body, "fileName").filter(|f| !f.is_empty()) {
            Some(file) => RequestBody::Binary {
                path: file,
                content_type: None,
            },
            None => {
                w.push(path, "the file body names no file; imported without a body");
                RequestBody::None
            }
        },
        "application/graphql" => {
            w.push(
                path,
                "the GraphQL body is imported as JSON {\"query\", \"variables\"}",
            );
            RequestBody::Json {
                text: text.unwrap_or_default(),
            }
        }
        _ => match text {
            None => RequestBody::None,
            Some(text) => {
                let declared = if mime.is_empty() {
                    "text/plain".to_owned()
                } else {
                    mime.clone()
                };
                let header = headers
                    .iter()
                    .rev()
                    .find(|h| h.enabled && h.name.eq_ignore_ascii_case("content-type"))
                    .map(|h| h.value.clone());
                let content_type = header.unwrap_or(declared);
                if is_plain_json(&content_type) {
                    RequestBody::Json { text }
                } else {
                    RequestBody::Text { content_type, text }
                }
            }
        },
    };
    if result != RequestBody::None {
        take_content_type(headers);
    }
    result
}
