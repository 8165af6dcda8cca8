//! The request body for "Try it": the preferred media type (JSON, form, multipart, text, else
//! the first), filled from its example or a minimal valid instance of its schema. Credentials
//! the document gives no value for are left empty for the user (`credentials`).

#[allow(clippy::wildcard_imports)]
use super::*;

pub(super) const FORM: &str = "application/x-www-form-urlencoded";
pub(super) const MULTIPART: &str = "multipart/form-data";

/// `Text/Plain; charset=utf-8` → `text/plain`.
pub(super) fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

pub(super) fn is_json(essence: &str) -> bool {
    essence == "application/json" || essence.ends_with("+json")
}

pub(super) fn pick_media_type(content: &[MediaType]) -> Option<&MediaType> {
    // `min_by_key` keeps the first of equals, so document order breaks ties.
    content.iter().min_by_key(|media| {
        let essence = essence(&media.media_type);
        match essence.as_str() {
            e if is_json(e) => 0,
            FORM => 1,
            MULTIPART => 2,
            e if e.starts_with("text/") => 3,
            _ => 4,
        }
    })
}

pub(super) fn add_body(
    spec: &RequestBodySpec,
    out: &mut TryItRequest,
    examples: &mut ExampleBudget,
    fill_in: &mut Vec<String>,
) {
    let Some(media) = pick_media_type(&spec.content) else {
        return;
    };
    let essence = essence(&media.media_type);
    let example = |examples: &mut ExampleBudget| {
        media
            .example
            .clone()
            .filter(|v| !v.is_null())
            .unwrap_or_else(|| example_within(&media.schema, examples))
    };
    out.request.body = match essence.as_str() {
        e if is_json(e) => {
            if e != "application/json" {
                out.request
                    .headers
                    .push(KeyValue::new("Content-Type", &media.media_type));
            }
            let mut example = example(examples);
            if media.example.as_ref().is_none_or(Value::is_null) {
                empty_json_credentials(media, &mut example, fill_in);
            }
            let text =
                serde_json::to_string_pretty(&example).unwrap_or_else(|_| example.to_string());
            RequestBody::Json { text }
        }
        FORM => RequestBody::Form {
            fields: form_fields(media, examples, fill_in),
        },
        MULTIPART => RequestBody::Multipart {
            parts: multipart_parts(media, out, examples, fill_in),
        },
        e if e.starts_with("text/") => RequestBody::Text {
            content_type: if e.contains('*') {
                "text/plain".to_owned()
            } else {
                media.media_type.clone()
            },
            text: plain_text(&example(examples)),
        },
        e if is_file_schema(&media.schema) || is_binary_media_type(e) => {
            out.missing_files.push("body".to_owned());
            out.notes.push(format!(
                "The body is a file ({}): choose one to send.",
                media.media_type
            ));
            RequestBody::Binary {
                path: String::new(),
                content_type: Some(media.media_type.clone()).filter(|t| !t.contains('*')),
            }
        }
        _ => {
            let text = match &media.example {
                Some(Value::String(text)) => text.clone(),
                _ => {
                    out.notes.push(format!(
                        "The document gives no {} example for the body; write it yourself.",
                        media.media_type
                    ));
                    String::new()
                }
            };
            RequestBody::Text {
                content_type: media.media_type.clone(),
                text,
            }
        }
    };
}

/// Top-level properties of a generated JSON body that are credentials without a value in the
/// document become `""`, their names added to `fill_in`.
fn empty_json_credentials(media: &MediaType, example: &mut Value, fill_in: &mut Vec<String>) {
    let Value::Object(object) = example else {
        return;
    };
    for field in object_fields(media) {
        let Some(slot) = object.get_mut(&field.name) else {
            continue;
        };
        if field.value.is_none()
            && slot.is_string()
            && is_credential(&field.name, field.schema)
            && !field.schema.is_some_and(has_document_value)
        {
            *slot = Value::String(String::new());
            fill_in.push(field.name);
        }
    }
}

pub(super) fn is_binary_media_type(essence: &str) -> bool {
    let major = essence.split('/').next().unwrap_or_default();
    matches!(major, "image" | "audio" | "video" | "font")
        || matches!(
            essence,
            "application/octet-stream" | "application/pdf" | "application/zip" | "application/gzip"
        )
}

/// A file in a form: `format: binary` (Swagger 2.0's `type: file` is read as that), or 3.1's
/// `contentMediaType` without a `contentEncoding` (with one, the file travels as text).
pub(super) fn is_file_schema(schema: &Schema) -> bool {
    schema.format.as_deref() == Some("binary")
        || (schema.content_media_type.is_some() && schema.content_encoding.is_none())
}

/// One property of a form body and what to prefill it with.
pub(super) struct Field<'a> {
    name: String,
    schema: Option<&'a Schema>,
    required: bool,
    /// Filled in and switched on.
    value: Option<Value>,
}

impl Field<'_> {
    /// The value and whether the field is sent: an example, else (required) a generated value
    /// (a credential without a value in the document stays empty, its name added to
    /// `fill_in`), else the default or nothing, switched off.
    fn prefill(&self, examples: &mut ExampleBudget, fill_in: &mut Vec<String>) -> (Value, bool) {
        if let Some(value) = &self.value {
            return (value.clone(), true);
        }
        if self.required
            && is_credential(&self.name, self.schema)
            && !self.schema.is_some_and(has_document_value)
        {
            fill_in.push(self.name.clone());
            return (Value::String(String::new()), true);
        }
        if self.required {
            let value = self.schema.map_or(Value::String(String::new()), |schema| {
                example_within(schema, examples)
            });
            return (value, true);
        }
        let default = self
            .schema
            .and_then(|s| s.default.clone())
            .filter(|d| !d.is_null());
        (default.unwrap_or(Value::String(String::new())), false)
    }
}

/// The writable properties of a form's object schema (its own and its `allOf` branches'), in
/// document order, then any further keys of the example.
pub(super) fn object_fields(media: &MediaType) -> Vec<Field<'_>> {
    let mut fields: Vec<Field<'_>> = Vec::new();
    let mut required: Vec<&str> = Vec::new();
    let mut seen = Vec::new();
    gather_properties(&media.schema, 0, &mut seen, &mut fields, &mut required);
    for field in &mut fields {
        field.required = required.contains(&field.name.as_str());
    }
    let example = media
        .example
        .as_ref()
        .or(media.schema.examples.first())
        .and_then(Value::as_object);
    for field in &mut fields {
        field.value = example
            .and_then(|e| e.get(&field.name))
            .or_else(|| field.schema.and_then(|s| s.examples.first()))
            .filter(|v| !v.is_null())
            .cloned();
    }
    for (name, value) in example.into_iter().flatten() {
        if !fields.iter().any(|f| &f.name == name) && !value.is_null() {
            fields.push(Field {
                name: name.clone(),
                schema: None,
                required: false,
                value: Some(value.clone()),
            });
        }
    }
    fields
}

/// `seen` holds the schemas already gathered: a branch shared by several others (`allOf` of
/// `allOf`s) is read once, so fan-out cannot make this exponential.
pub(super) fn gather_properties<'a>(
    schema: &'a Schema,
    depth: usize,
    seen: &mut Vec<*const Schema>,
    fields: &mut Vec<Field<'a>>,
    required: &mut Vec<&'a str>,
) {
    if depth > MAX_ALL_OF_DEPTH || seen.contains(&std::ptr::from_ref(schema)) {
        return;
    }
    seen.push(schema);
    for property in &schema.properties {
        if property.schema.read_only || fields.iter().any(|f| f.name == property.name) {
            continue;
        }
        fields.push(Field {
            name: property.name.clone(),
            schema: Some(&property.schema),
            required: false,
            value: None,
        });
    }
    required.extend(schema.required.iter().map(String::as_str));
    for branch in &schema.all_of {
        gather_properties(branch, depth + 1, seen, fields, required);
    }
}

pub(super) fn form_fields(
    media: &MediaType,
    examples: &mut ExampleBudget,
    fill_in: &mut Vec<String>,
) -> Vec<KeyValue> {
    let mut rows = Vec::new();
    for field in object_fields(media) {
        let (value, enabled) = field.prefill(examples, fill_in);
        for text in form_texts(&value) {
            rows.push(KeyValue {
                name: field.name.clone(),
                value: text,
                enabled,
            });
        }
    }
    rows
}

/// A form value as field texts: an array repeats the field, an object is sent as JSON.
pub(super) fn form_texts(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) if !items.is_empty() => items.iter().map(plain_text).collect(),
        Value::Array(_) => vec![String::new()],
        other => vec![plain_text(other)],
    }
}

pub(super) fn multipart_parts(
    media: &MediaType,
    out: &mut TryItRequest,
    examples: &mut ExampleBudget,
    fill_in: &mut Vec<String>,
) -> Vec<MultipartPart> {
    let mut parts = Vec::new();
    for field in object_fields(media) {
        let file_schema = field.schema.and_then(|schema| {
            if is_file_schema(schema) {
                Some(schema)
            } else {
                schema
                    .items
                    .as_deref()
                    .filter(|items| is_file_schema(items))
            }
        });
        if let Some(schema) = file_schema {
            if field.required {
                out.missing_files.push(field.name.clone());
                out.notes.push(format!(
                    "Choose a file for the part \"{}\": it is required, and disabled until a \
                     file is chosen.",
                    field.name
                ));
            }
            let content_type = schema
                .content_media_type
                .clone()
                .filter(|t| t != "application/octet-stream");
            parts.push(MultipartPart {
                name: field.name.clone(),
                enabled: false,
                value: PartValue::File {
                    path: String::new(),
                    filename: None,
                    content_type,
                },
            });
            continue;
        }
        let (value, enabled) = field.prefill(examples, fill_in);
        for text in form_texts(&value) {
            parts.push(MultipartPart {
                name: field.name.clone(),
                enabled,
                value: PartValue::Text { text },
            });
        }
    }
    parts
}
