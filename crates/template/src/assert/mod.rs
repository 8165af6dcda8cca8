//! Declarative assertions: what each [`Assertion`] reads from a response (`query`), how it is
//! judged (`predicate`), and the sentence and diff the window shows. Pure: the app hands in the
//! response's parts ([`AssertInput`]) and gets one [`AssertionResult`] per enabled assertion.
//!
//! Values: `{{variables}}` are resolved first ([`prepare`], same scope and precedence as the
//! request). A value that parses as JSON is JSON (`1`, `"1"`, `[1, 2]`), anything else is text.
//! Queries that read text (header, cookie, body text) compare text with text; JSONPath values
//! compare by JSON value, numbers numerically (`1 == 1.0`). A JSONPath that can select several
//! values (wildcard, `..`, filter, slice, list) reads all of them as an array; one that selects
//! nothing fails every predicate but `exists`.

mod diff;
mod predicate;
mod query;

use serde_json::Value;
use sextant_model::{AssertQuery, Assertion, AssertionResult, Variable};

use crate::scope::{Field, Renderer, Scope};
use crate::{redact, Context};

pub use predicate::MAX_REGEX_BYTES;
use query::Actual;

/// Validates a JSON value against the schema file an assertion names (the app reads the file):
/// `Ok(None)` when it matches, `Ok(Some(why))` when not, `Err` when the file cannot be used.
pub type SchemaCheck<'a> = &'a (dyn Fn(&Value, &str) -> Result<Option<String>, String> + Sync);

/// The parts of a response assertions read.
#[derive(Clone, Default)]
pub struct AssertInput<'a> {
    pub status: u16,
    pub headers: &'a [(String, String)],
    /// Cookies the response set, name and value.
    pub cookies: &'a [(String, String)],
    /// The decoded body; `None` when it was too large to read (`body_size` says how large).
    pub body: Option<&'a [u8]>,
    pub body_size: u64,
    pub duration_ms: f64,
    pub redirects: usize,
    /// How `matchesSchema` assertions are judged; without it they fail saying so.
    pub schema_check: Option<SchemaCheck<'a>>,
}

impl std::fmt::Debug for AssertInput<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AssertInput")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body_size", &self.body_size)
            .finish_non_exhaustive()
    }
}

/// An assertion ready to run: its value resolved, or why it could not be.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedAssertion {
    pub index: u32,
    pub assertion: Assertion,
    /// An undefined variable or a template budget: the assertion fails with this.
    pub problem: Option<String>,
}

/// Resolves the values of the enabled `assertions` in `ctx` (with the request's own variables on
/// top), and lists the secret values used so results can mask them.
pub fn prepare(
    assertions: &[Assertion],
    ctx: &Context<'_>,
    request_variables: &[Variable],
) -> (Vec<PreparedAssertion>, Vec<String>) {
    let scope = Scope::build(ctx, request_variables);
    let mut secrets = Vec::new();
    let mut out = Vec::new();
    for (i, a) in assertions.iter().enumerate() {
        if !a.enabled {
            continue;
        }
        let mut r = Renderer::new(&scope, true);
        let mut assertion = a.clone();
        assertion.value = a.value.as_deref().map(|v| r.render(v, Field::Url));
        if let AssertQuery::JsonPath { path } = &a.query {
            assertion.query = AssertQuery::JsonPath {
                path: r.render(path, Field::Url),
            };
        }
        let problem = if let Some(err) = r.error.take() {
            Some(err.to_string())
        } else if !r.undefined.is_empty() {
            let names: Vec<String> = r.undefined.iter().map(|(n, _)| n.clone()).collect();
            Some(format!("undefined variable: {}", names.join(", ")))
        } else {
            None
        };
        secrets.append(&mut r.secret_values);
        out.push(PreparedAssertion {
            index: u32::try_from(i).unwrap_or(u32::MAX),
            assertion,
            problem,
        });
    }
    (out, secrets)
}

/// Runs each prepared assertion against `input`; `secrets` are masked in what the results show.
pub fn evaluate(
    prepared: &[PreparedAssertion],
    input: &AssertInput<'_>,
    secrets: &[String],
) -> Vec<AssertionResult> {
    let mut body = query::Body::new(input);
    prepared
        .iter()
        .map(|p| {
            let mut result = evaluate_one(p, input, &mut body);
            result.expected = redact(&result.expected, secrets);
            result.actual = redact(&result.actual, secrets);
            result.message = redact(&result.message, secrets);
            result.diff = result.diff.map(|d| redact(&d, secrets));
            result
        })
        .collect()
}

/// The longest `actual` text shown, in characters.
const MAX_SHOWN_CHARS: usize = 1000;

fn shorten(text: String) -> String {
    if text.chars().count() <= MAX_SHOWN_CHARS {
        return text;
    }
    let cut: String = text.chars().take(MAX_SHOWN_CHARS).collect();
    format!("{cut}…")
}

fn evaluate_one(
    p: &PreparedAssertion,
    input: &AssertInput<'_>,
    body: &mut query::Body<'_>,
) -> AssertionResult {
    let a = &p.assertion;
    let label = query::label(&a.query);
    let expected = predicate::describe(a);
    let fail = |actual: String, message: String| AssertionResult {
        index: p.index,
        passed: false,
        expected: expected.clone(),
        actual,
        message,
        diff: None,
        kind: sextant_model::AssertionKind::Assertion,
        pointer: None,
        schema_pointer: None,
        suggestion: None,
    };
    if let Some(problem) = &p.problem {
        return fail(String::new(), format!("{label}: {problem}"));
    }
    let actual = match query::read(&a.query, input, body) {
        Ok(actual) => actual,
        Err(why) => return fail(String::new(), format!("{label}: {why}")),
    };
    let shown = shorten(actual.show());
    if a.predicate == sextant_model::AssertPredicate::MatchesSchema {
        return match schema_verdict(input, &actual, a.value.as_deref().unwrap_or("")) {
            Err(why) => fail(shown, format!("{label}: {why}")),
            Ok(mismatch) => {
                let passed = mismatch.is_none() != a.negate;
                let message = match (passed, mismatch) {
                    (true, _) => format!("{label} {expected}"),
                    (false, Some(why)) => format!("{label} does not match the schema: {why}"),
                    (false, None) => format!("{label} matches the schema"),
                };
                AssertionResult {
                    passed,
                    message,
                    ..fail(shown, String::new())
                }
            }
        };
    }
    let verdict = match predicate::judge(a, &actual) {
        Ok(verdict) => verdict,
        Err(why) => return fail(shown, format!("{label}: {why}")),
    };
    let passed = verdict != a.negate;
    let diff = match (&actual, passed) {
        (Actual::Json(actual), false) => predicate::expected_json(a).and_then(|expected| {
            matches!(expected, Value::Array(_) | Value::Object(_))
                .then(|| diff::json_diff(&expected, actual))
                .flatten()
        }),
        _ => None,
    };
    let message = if passed {
        format!("{label} {expected}")
    } else if matches!(a.query, AssertQuery::JsonPath { .. })
        && a.predicate == sextant_model::AssertPredicate::Equals
        && !a.negate
    {
        format!(
            "{label}: expected {}, got {shown}",
            a.value.as_deref().unwrap_or("")
        )
    } else {
        format!("expected {label} {expected}, got {shown}")
    };
    AssertionResult {
        index: p.index,
        passed,
        expected,
        actual: shown,
        message,
        diff,
        kind: sextant_model::AssertionKind::Assertion,
        pointer: None,
        schema_pointer: None,
        suggestion: None,
    }
}

/// A `matchesSchema` verdict on what the query read: JSON as it is, text (the body) parsed.
fn schema_verdict(
    input: &AssertInput<'_>,
    actual: &Actual,
    file: &str,
) -> Result<Option<String>, String> {
    let check = input
        .schema_check
        .ok_or("a schema file can be checked only in a collection")?;
    match actual {
        Actual::Nothing => Err("matches nothing".into()),
        Actual::Json(value) => check(value, file),
        Actual::Text(text) => {
            let value: Value =
                serde_json::from_str(text).map_err(|e| format!("the body is not JSON: {e}"))?;
            check(&value, file)
        }
    }
}

#[cfg(test)]
mod tests;
