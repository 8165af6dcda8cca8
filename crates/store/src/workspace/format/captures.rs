//! Captures in a request file: which variable a response value goes to, and where it comes
//! from (a body JSONPath, a header, or an event stream's record). The file shape is checked
//! as a whole (exactly one source) so a wrong entry is reported with its line and column.

use serde::{Deserialize, Serialize};
use sextant_model::{Capture, CaptureSource};

use super::ShapeError;

/// A capture: `{variable, body: <JSONPath>}`, `{variable, header: <name>}` or
/// `{variable, record: <JSONPath>, nth?: <n from 1>, event?: <SSE type>}` (an event stream's
/// n-th or last event/record).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawCapture")]
pub(crate) struct FileCapture {
    variable: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    header: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nth: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    event: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCapture {
    variable: String,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    header: Option<String>,
    #[serde(default)]
    record: Option<String>,
    #[serde(default)]
    nth: Option<u64>,
    #[serde(default)]
    event: Option<String>,
}

impl TryFrom<RawCapture> for FileCapture {
    type Error = ShapeError;

    fn try_from(raw: RawCapture) -> Result<Self, ShapeError> {
        let sources = [
            raw.body.is_some(),
            raw.header.is_some(),
            raw.record.is_some(),
        ];
        if sources.iter().filter(|&&set| set).count() != 1 {
            return Err(ShapeError::CaptureSource(raw.variable));
        }
        if raw.record.is_none() && (raw.nth.is_some() || raw.event.is_some()) {
            return Err(ShapeError::CaptureRecordOptions(raw.variable));
        }
        Ok(Self {
            variable: raw.variable,
            body: raw.body,
            header: raw.header,
            record: raw.record,
            nth: raw.nth,
            event: raw.event,
        })
    }
}

pub(super) fn captures_out(captures: &[Capture]) -> Vec<FileCapture> {
    captures
        .iter()
        .map(|c| {
            let mut out = FileCapture {
                variable: c.variable.clone(),
                body: None,
                header: None,
                record: None,
                nth: None,
                event: None,
            };
            match &c.source {
                CaptureSource::Body { path } => out.body = Some(path.clone()),
                CaptureSource::Header { name } => out.header = Some(name.clone()),
                CaptureSource::Record { path, nth, event } => {
                    out.record = Some(path.clone());
                    out.nth = *nth;
                    out.event = event.clone();
                }
            }
            out
        })
        .collect()
}

pub(super) fn captures_in(captures: Vec<FileCapture>) -> Vec<Capture> {
    captures
        .into_iter()
        .map(|c| Capture {
            variable: c.variable,
            source: match (c.body, c.header, c.record) {
                (Some(path), _, _) => CaptureSource::Body { path },
                (None, _, Some(path)) => CaptureSource::Record {
                    path,
                    nth: c.nth,
                    event: c.event,
                },
                (None, name, None) => CaptureSource::Header {
                    name: name.unwrap_or_default(),
                },
            },
        })
        .collect()
}
