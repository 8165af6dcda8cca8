//! Turns a composed [`RequestBody`] into bytes on the wire, once per hop: a 307/308 redirect
//! sends the body again, so files are reopened and multipart forms rebuilt for each hop.

use std::path::Path;

use bytes::Bytes;
use reqwest::multipart::{Form, Part};
use sextant_model::{PartValue, RequestBody};
use tokio_util::io::ReaderStream;

use crate::EngineError;

/// A body ready to be sent any number of times.
#[derive(Debug, Clone)]
pub(crate) enum PreparedBody {
    None,
    Bytes {
        bytes: Bytes,
        content_type: Option<String>,
    },
    File {
        path: String,
        content_type: Option<String>,
    },
    Multipart(Vec<(String, PartValue)>),
}

impl PreparedBody {
    pub fn from_model(body: &RequestBody) -> Result<Self, EngineError> {
        Ok(match body {
            RequestBody::None => PreparedBody::None,
            RequestBody::Text { content_type, text } => PreparedBody::Bytes {
                bytes: Bytes::from(text.clone()),
                content_type: Some(content_type.clone()).filter(|c| !c.is_empty()),
            },
            RequestBody::Json { text } => PreparedBody::Bytes {
                bytes: Bytes::from(text.clone()),
                content_type: Some("application/json".into()),
            },
            RequestBody::Form { fields } => {
                let mut ser = url::form_urlencoded::Serializer::new(String::new());
                for f in fields.iter().filter(|f| f.enabled) {
                    ser.append_pair(&f.name, &f.value);
                }
                PreparedBody::Bytes {
                    bytes: Bytes::from(ser.finish()),
                    content_type: Some("application/x-www-form-urlencoded".into()),
                }
            }
            RequestBody::Multipart { parts } => {
                for part in parts.iter().filter(|p| p.enabled) {
                    if let PartValue::File { path, .. } = &part.value {
                        check_readable(path)?;
                    }
                }
                PreparedBody::Multipart(
                    parts
                        .iter()
                        .filter(|p| p.enabled)
                        .map(|p| (p.name.clone(), p.value.clone()))
                        .collect(),
                )
            }
            RequestBody::Binary { path, content_type } => {
                check_readable(path)?;
                PreparedBody::File {
                    path: path.clone(),
                    content_type: content_type.clone().or_else(|| Some(guess_type(path))),
                }
            }
        })
    }

    /// Attaches the body (and its Content-Type unless the user set one) to a request builder.
    pub async fn attach(
        &self,
        mut builder: reqwest::RequestBuilder,
        user_set_content_type: bool,
    ) -> Result<reqwest::RequestBuilder, EngineError> {
        match self {
            PreparedBody::None => {}
            PreparedBody::Bytes {
                bytes,
                content_type,
            } => {
                if let (Some(ct), false) = (content_type, user_set_content_type) {
                    builder = builder.header(reqwest::header::CONTENT_TYPE, ct);
                }
                builder = builder.body(bytes.clone());
            }
            PreparedBody::File { path, content_type } => {
                let (file, len) = open(path).await?;
                if let (Some(ct), false) = (content_type, user_set_content_type) {
                    builder = builder.header(reqwest::header::CONTENT_TYPE, ct);
                }
                builder = builder
                    .header(reqwest::header::CONTENT_LENGTH, len)
                    .body(reqwest::Body::wrap_stream(ReaderStream::new(file)));
            }
            PreparedBody::Multipart(parts) => {
                let mut form = Form::new();
                for (name, value) in parts {
                    form = match value {
                        PartValue::Text { text } => form.text(name.clone(), text.clone()),
                        PartValue::File {
                            path,
                            filename,
                            content_type,
                        } => {
                            let (file, len) = open(path).await?;
                            let filename = filename.clone().unwrap_or_else(|| file_name(path));
                            let mime = content_type.clone().unwrap_or_else(|| guess_type(path));
                            let part = Part::stream_with_length(
                                reqwest::Body::wrap_stream(ReaderStream::new(file)),
                                len,
                            )
                            .file_name(filename)
                            .mime_str(&mime)
                            .map_err(|e| {
                                EngineError::InvalidRequest(format!(
                                    "invalid content type {mime:?} for part {name:?}: {e}"
                                ))
                            })?;
                            form.part(name.clone(), part)
                        }
                    };
                }
                builder = builder.multipart(form);
            }
        }
        Ok(builder)
    }
}

fn check_readable(path: &str) -> Result<(), EngineError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| EngineError::io(format!("cannot read body file {path}"), e))?;
    if !meta.is_file() {
        return Err(EngineError::InvalidRequest(format!(
            "body file {path} is not a regular file"
        )));
    }
    Ok(())
}

async fn open(path: &str) -> Result<(tokio::fs::File, u64), EngineError> {
    let file = tokio::fs::File::open(path)
        .await
        .map_err(|e| EngineError::io(format!("cannot open body file {path}"), e))?;
    let len = file
        .metadata()
        .await
        .map_err(|e| EngineError::io(format!("cannot stat body file {path}"), e))?
        .len();
    Ok((file, len))
}

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into())
}

fn guess_type(path: &str) -> String {
    mime_guess::from_path(path)
        .first_raw()
        .unwrap_or("application/octet-stream")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sextant_model::KeyValue;

    #[test]
    fn form_fields_are_urlencoded_and_disabled_rows_skipped() {
        let mut off = KeyValue::new("skip", "me");
        off.enabled = false;
        let body = RequestBody::Form {
            fields: vec![KeyValue::new("a b", "c&d"), off, KeyValue::new("e", "")],
        };
        match PreparedBody::from_model(&body).unwrap() {
            PreparedBody::Bytes { bytes, .. } => assert_eq!(&bytes[..], b"a+b=c%26d&e="),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn a_missing_binary_file_is_an_io_error() {
        let body = RequestBody::Binary {
            path: "/nonexistent/sextant-body".into(),
            content_type: None,
        };
        let err = PreparedBody::from_model(&body).unwrap_err();
        assert_eq!(err.code(), sextant_model::ErrorCode::Io);
    }
}
