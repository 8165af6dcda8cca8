//! Reading what an assertion's query names out of a response.

use serde_json::Value;
use sextant_model::AssertQuery;

use super::AssertInput;
use crate::jsonpath;

/// What a query read.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Actual {
    /// Nothing there: no such header or cookie, a path that selects nothing.
    Nothing,
    /// Text: a header, a cookie, the body as text.
    Text(String),
    /// A JSON value: a status, a number, what a JSONPath selected.
    Json(Value),
}

impl Actual {
    pub(super) fn show(&self) -> String {
        match self {
            Actual::Nothing => "(nothing)".into(),
            Actual::Text(t) => t.clone(),
            Actual::Json(v) => v.to_string(),
        }
    }
}

/// The body, parsed as JSON at most once for all assertions.
pub(super) struct Body<'a> {
    bytes: Option<&'a [u8]>,
    size: u64,
    parsed: Option<Result<Value, String>>,
}

impl<'a> Body<'a> {
    pub(super) fn new(input: &AssertInput<'a>) -> Self {
        Self {
            bytes: input.body,
            size: input.body_size,
            parsed: None,
        }
    }

    fn bytes(&self) -> Result<&'a [u8], String> {
        self.bytes.ok_or_else(|| {
            format!(
                "the body is {} MiB, too large for assertions to read",
                self.size >> 20
            )
        })
    }

    fn json(&mut self) -> Result<&Value, String> {
        let bytes = self.bytes;
        let size = self.size;
        let parsed = self.parsed.get_or_insert_with(|| {
            let bytes = bytes.ok_or_else(|| {
                format!(
                    "the body is {} MiB, too large for assertions to read",
                    size >> 20
                )
            })?;
            serde_json::from_slice(bytes).map_err(|e| format!("the body is not JSON: {e}"))
        });
        parsed.as_ref().map_err(Clone::clone)
    }
}

/// How the query is named in messages: `status`, `header content-type`, `$.items[0].id`.
pub(super) fn label(query: &AssertQuery) -> String {
    match query {
        AssertQuery::Status => "status".into(),
        AssertQuery::Header { name } => format!("header {name}"),
        AssertQuery::Cookie { name } => format!("cookie {name}"),
        AssertQuery::JsonPath { path } => path.clone(),
        AssertQuery::BodyText => "body".into(),
        AssertQuery::ResponseTime => "duration".into(),
        AssertQuery::Size => "size".into(),
        AssertQuery::Redirects => "redirects".into(),
    }
}

/// Whether `path` can select more than one value: a wildcard, `..`, a filter, a slice or a list
/// of selectors (outside quoted names).
pub(super) fn selects_many(path: &str) -> bool {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut prev = '\0';
    for c in path.chars() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '*' | '?' | ':' | ',' => return true,
            '.' if prev == '.' => return true,
            _ => {}
        }
        prev = c;
    }
    false
}

pub(super) fn read(
    query: &AssertQuery,
    input: &AssertInput<'_>,
    body: &mut Body<'_>,
) -> Result<Actual, String> {
    let find = |rows: &[(String, String)], name: &str| {
        rows.iter()
            .find(|(n, _)| n.trim().eq_ignore_ascii_case(name.trim()))
            .map_or(Actual::Nothing, |(_, v)| Actual::Text(v.clone()))
    };
    Ok(match query {
        AssertQuery::Status => Actual::Json(input.status.into()),
        AssertQuery::Header { name } => find(input.headers, name),
        AssertQuery::Cookie { name } => input
            .cookies
            .iter()
            .find(|(n, _)| n == name.trim())
            .map_or(Actual::Nothing, |(_, v)| Actual::Text(v.clone())),
        AssertQuery::BodyText => Actual::Text(String::from_utf8_lossy(body.bytes()?).into_owned()),
        AssertQuery::ResponseTime => Actual::Json(
            serde_json::Number::from_f64(input.duration_ms.round())
                .map_or(Value::Null, Value::Number),
        ),
        AssertQuery::Size => Actual::Json(input.body_size.into()),
        AssertQuery::Redirects => Actual::Json(input.redirects.into()),
        AssertQuery::JsonPath { path } => {
            let doc = body.json()?;
            let nodes =
                jsonpath::select_all(doc, path).map_err(|e| format!("invalid path: {e}"))?;
            match (nodes.as_slice(), selects_many(path)) {
                ([], _) => Actual::Nothing,
                ([one], false) => Actual::Json((*one).clone()),
                (many, _) => {
                    Actual::Json(Value::Array(many.iter().map(|v| (*v).clone()).collect()))
                }
            }
        }
    })
}
