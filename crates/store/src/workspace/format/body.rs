//! Request bodies in a file: each body kind's YAML shape, multipart parts with their checks.

use serde::{Deserialize, Serialize};
use sextant_model::{MultipartPart, PartValue, RequestBody};

use super::credentials::{rows_in, rows_out, value_in, value_out, FORM, MULTIPART};
use super::{is_true, yes, Row, SecretsIn, SecretsOut, ShapeError};

/// A request body as written; `contentType` only when set.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub(crate) enum FileBody {
    #[default]
    None,
    Text {
        #[serde(rename = "contentType")]
        content_type: String,
        text: String,
    },
    Json {
        text: String,
    },
    Form {
        fields: Vec<Row>,
    },
    Multipart {
        parts: Vec<FilePart>,
    },
    Binary {
        path: String,
        #[serde(
            rename = "contentType",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        content_type: Option<String>,
    },
}

impl FileBody {
    pub(super) fn is_none(&self) -> bool {
        *self == FileBody::None
    }
}

/// A multipart part: `{name, text}` or `{name, file, filename?, contentType?}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawPart", rename_all = "camelCase")]
pub(crate) struct FilePart {
    name: String,
    #[serde(skip_serializing_if = "is_true")]
    enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    filename: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_type: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct RawPart {
    name: String,
    #[serde(default = "yes")]
    enabled: bool,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    filename: Option<String>,
    #[serde(default)]
    content_type: Option<String>,
}

impl TryFrom<RawPart> for FilePart {
    type Error = ShapeError;

    fn try_from(raw: RawPart) -> Result<Self, ShapeError> {
        if raw.text.is_some() == raw.file.is_some() {
            return Err(ShapeError::PartSource(raw.name));
        }
        if raw.text.is_some() && (raw.filename.is_some() || raw.content_type.is_some()) {
            return Err(ShapeError::PartFileOptions(raw.name));
        }
        Ok(Self {
            name: raw.name,
            enabled: raw.enabled,
            text: raw.text,
            file: raw.file,
            filename: raw.filename,
            content_type: raw.content_type,
        })
    }
}

/// The body as written; credential-named form fields and multipart text parts keep their
/// literal values in `secrets`.
pub(super) fn body_out(body: &RequestBody, secrets: &mut SecretsOut) -> FileBody {
    match body {
        RequestBody::None => FileBody::None,
        RequestBody::Text { content_type, text } => FileBody::Text {
            content_type: content_type.clone(),
            text: text.clone(),
        },
        RequestBody::Json { text } => FileBody::Json { text: text.clone() },
        RequestBody::Form { fields } => FileBody::Form {
            fields: rows_out(FORM, fields, secrets),
        },
        RequestBody::Multipart { parts } => FileBody::Multipart {
            parts: parts
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let mut part = FilePart {
                        name: p.name.clone(),
                        enabled: p.enabled,
                        text: None,
                        file: None,
                        filename: None,
                        content_type: None,
                    };
                    match &p.value {
                        PartValue::Text { text } => {
                            part.text = Some(value_out(MULTIPART, i, &p.name, text, secrets));
                        }
                        PartValue::File {
                            path,
                            filename,
                            content_type,
                        } => {
                            part.file = Some(path.clone());
                            part.filename = filename.clone();
                            part.content_type = content_type.clone();
                        }
                    }
                    part
                })
                .collect(),
        },
        RequestBody::Binary { path, content_type } => FileBody::Binary {
            path: path.clone(),
            content_type: content_type.clone(),
        },
    }
}

pub(super) fn body_in(body: FileBody, secrets: &mut SecretsIn) -> RequestBody {
    match body {
        FileBody::None => RequestBody::None,
        FileBody::Text { content_type, text } => RequestBody::Text { content_type, text },
        FileBody::Json { text } => RequestBody::Json { text },
        FileBody::Form { fields } => RequestBody::Form {
            fields: rows_in(FORM, fields, secrets),
        },
        FileBody::Multipart { parts } => RequestBody::Multipart {
            parts: parts
                .into_iter()
                .enumerate()
                .map(|(i, p)| MultipartPart {
                    value: match p.file {
                        Some(path) => PartValue::File {
                            path,
                            filename: p.filename,
                            content_type: p.content_type,
                        },
                        None => PartValue::Text {
                            text: value_in(
                                MULTIPART,
                                i,
                                &p.name,
                                p.text.unwrap_or_default(),
                                secrets,
                            ),
                        },
                    },
                    name: p.name,
                    enabled: p.enabled,
                })
                .collect(),
        },
        FileBody::Binary { path, content_type } => RequestBody::Binary { path, content_type },
    }
}
