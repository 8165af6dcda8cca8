//! A Postman request body (raw, urlencoded, form-data, file, GraphQL) as the model's body.

use serde_json::Value;
use sextant_model::{KeyValue, MultipartPart, PartValue, RequestBody};

use crate::json::{array, flag, scalar, string, string_or_empty};
use crate::postman::shared::content_type_of;
use crate::text::{is_plain_json, take_content_type};
use crate::warning::Warnings;

pub(super) fn body(
    body: Option<&Value>,
    headers: &mut Vec<KeyValue>,
    path: &str,
    w: &mut Warnings,
) -> RequestBody {
    let Some(body) = body.filter(|b| b.is_object()) else {
        return RequestBody::None;
    };
    let mode = string_or_empty(body, "mode");
    let result = match mode.as_str() {
        "raw" => {
            let text = string_or_empty(body, "raw");
            let language = body
                .pointer("/options/raw/language")
                .and_then(Value::as_str)
                .unwrap_or("text");
            let content_type = take_content_type(headers)
                .or_else(|| content_type_of(language).map(str::to_owned))
                .unwrap_or_else(|| "text/plain".to_owned());
            if is_plain_json(&content_type) {
                RequestBody::Json { text }
            } else {
                RequestBody::Text { content_type, text }
            }
        }
        "urlencoded" => RequestBody::Form {
            fields: array(body, "urlencoded")
                .iter()
                .map(|f| KeyValue {
                    name: string_or_empty(f, "key"),
                    value: string_or_empty(f, "value"),
                    enabled: !flag(f, "disabled"),
                })
                .collect(),
        },
        "formdata" => RequestBody::Multipart {
            parts: array(body, "formdata")
                .iter()
                .map(|p| part(p, path, w))
                .collect(),
        },
        "file" => match body.pointer("/file/src").and_then(scalar) {
            Some(src) => RequestBody::Binary {
                path: src,
                content_type: take_content_type(headers),
            },
            None => {
                w.push(path, "the file body names no file; imported without a body");
                RequestBody::None
            }
        },
        "graphql" => {
            w.push(
                path,
                "the GraphQL body is imported as JSON {\"query\", \"variables\"}",
            );
            let query = body
                .pointer("/graphql/query")
                .and_then(scalar)
                .unwrap_or_default();
            let variables = body
                .pointer("/graphql/variables")
                .and_then(Value::as_str)
                .filter(|v| !v.trim().is_empty())
                .and_then(|v| serde_json::from_str::<Value>(v).ok())
                .unwrap_or_else(|| Value::Object(Default::default()));
            let doc = serde_json::json!({ "query": query, "variables": variables });
            RequestBody::Json {
                text: serde_json::to_string_pretty(&doc).unwrap_or_default(),
            }
        }
        "" | "none" => RequestBody::None,
        other => {
            w.push(
                path,
                format!("body mode {other:?} is not supported; imported without a body"),
            );
            RequestBody::None
        }
    };
    if result != RequestBody::None {
        take_content_type(headers);
    }
    result
}

fn part(p: &Value, path: &str, w: &mut Warnings) -> MultipartPart {
    let name = string_or_empty(p, "key");
    let content_type = string(p, "contentType").filter(|c| !c.is_empty());
    let value = if string(p, "type").as_deref() == Some("file") {
        let src = match p.get("src") {
            Some(Value::Array(files)) => {
                if files.len() > 1 {
                    w.push(
                        path,
                        format!(
                            "part {name:?} lists {} files; only the first is imported",
                            files.len()
                        ),
                    );
                }
                files.first().and_then(scalar)
            }
            Some(v) => scalar(v),
            None => None,
        };
        let src = src.unwrap_or_else(|| {
            w.push(path, format!("part {name:?} has no file chosen"));
            String::new()
        });
        PartValue::File {
            path: src,
            filename: None,
            content_type,
        }
    } else {
        if let Some(ct) = content_type {
            w.push(
                path,
                format!("part {name:?}: the content type {ct:?} of a text part is not imported"),
            );
        }
        PartValue::Text {
            text: string_or_empty(p, "value"),
        }
    };
    MultipartPart {
        name,
        enabled: !flag(p, "disabled"),
        value,
    }
}
