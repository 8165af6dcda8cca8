//! Assertions as Postman (and Insomnia) test scripts, both ways.
//!
//! Export writes each assertion as one `pm.test(...)` line in chai's style (`pm.expect(X).to...`,
//! `pm.response.to.have.status(N)`); a JSONPath that JavaScript cannot follow with plain property
//! access (wildcards, filters, slices, `..`) becomes a comment and a warning. Import reads the
//! same lines back, and the forms people write by hand (`pm.expect(pm.response.code).to.eql(N)`,
//! `var jsonData = pm.response.json(); pm.expect(jsonData.a.b).to.eql(V)`, ...). Insomnia's
//! after-response scripts use the same chai style under `insomnia.` and are read by the same code.
//! Anything a script does beyond such checks is reported as a warning naming the script: a script
//! is never half-read in silence.

use serde_json::Value;
use sextant_model::{AssertPredicate as P, AssertQuery as Q, Assertion};

mod read;

pub(crate) use read::read_script;

use crate::warning::Warnings;

/// One assertion as a line of a Postman test script, or why it cannot be one.
pub(crate) fn to_script_line(a: &Assertion) -> Result<String, String> {
    let name = js_string(&describe(a));
    if let Some(v) = &a.value {
        if v.contains("{{") {
            return Err(format!(
                "the assertion {:?} uses {{{{variables}}}} in its value, which a Postman test \
                 does not template",
                describe(a)
            ));
        }
    }
    let check = check(a)?;
    Ok(format!("pm.test({name}, () => {check});"))
}

/// The chai expression of `a`.
fn check(a: &Assertion) -> Result<String, String> {
    let not = if a.negate { "not." } else { "" };
    let value = a.value.as_deref().unwrap_or("");
    if a.query == Q::Status && a.predicate == P::Equals {
        if let Ok(n) = value.trim().parse::<u16>() {
            return Ok(format!("pm.response.to.{not}have.status({n})"));
        }
    }
    if let (Q::Header { name }, P::Exists) = (&a.query, a.predicate) {
        return Ok(format!(
            "pm.response.to.{not}have.header({})",
            js_string(name)
        ));
    }
    let subject = subject(&a.query)?;
    let literal = |v: &str| literal(&a.query, v);
    let truth = if a.negate { "false" } else { "true" };
    Ok(match a.predicate {
        P::Equals => format!("pm.expect({subject}).to.{not}eql({})", literal(value)?),
        P::NotEquals => {
            let not = if a.negate { "" } else { "not." };
            format!("pm.expect({subject}).to.{not}eql({})", literal(value)?)
        }
        P::Less => format!("pm.expect({subject}).to.{not}be.below({})", literal(value)?),
        P::LessOrEqual => format!(
            "pm.expect({subject}).to.{not}be.at.most({})",
            literal(value)?
        ),
        P::Greater => format!("pm.expect({subject}).to.{not}be.above({})", literal(value)?),
        P::GreaterOrEqual => {
            format!(
                "pm.expect({subject}).to.{not}be.at.least({})",
                literal(value)?
            )
        }
        P::Contains => format!("pm.expect({subject}).to.{not}include({})", literal(value)?),
        P::StartsWith => format!(
            "pm.expect(String({subject}).startsWith({})).to.be.{truth}",
            js_string(value)
        ),
        P::EndsWith => format!(
            "pm.expect(String({subject}).endsWith({})).to.be.{truth}",
            js_string(value)
        ),
        P::Matches => format!(
            "pm.expect({subject}).to.{not}match({})",
            regex_literal(value)
        ),
        P::Exists => format!(
            "pm.expect({subject}).to.{}be.undefined",
            if a.negate { "" } else { "not." }
        ),
        P::IsEmpty => format!("pm.expect({subject}).to.{not}be.empty"),
        P::Length => format!(
            "pm.expect({subject}).to.{not}have.lengthOf({})",
            number(value)?
        ),
        P::IsString => format!("pm.expect({subject}).to.{not}be.a(\"string\")"),
        P::IsNumber => format!("pm.expect({subject}).to.{not}be.a(\"number\")"),
        P::IsBoolean => format!("pm.expect({subject}).to.{not}be.a(\"boolean\")"),
        P::IsArray => format!("pm.expect({subject}).to.{not}be.an(\"array\")"),
        P::IsObject => format!("pm.expect({subject}).to.{not}be.an(\"object\")"),
        P::IsNull => format!("pm.expect({subject}).to.{not}be.null"),
        P::IsInteger => format!("pm.expect(Number.isInteger({subject})).to.be.{truth}"),
        P::In => format!(
            "pm.expect({subject}).to.{not}be.oneOf({})",
            list(&a.query, value)?
        ),
        P::MatchesSchema => {
            return Err(format!(
                "the assertion {:?} reads a schema file, which a Postman test cannot",
                describe(a)
            ))
        }
    })
}

/// What `pm.expect` is given for `query`.
fn subject(query: &Q) -> Result<String, String> {
    Ok(match query {
        Q::Status => "pm.response.code".into(),
        Q::Header { name } => format!("pm.response.headers.get({})", js_string(name)),
        Q::Cookie { name } => format!("pm.cookies.get({})", js_string(name)),
        Q::JsonPath { path } => match js_access(path) {
            Some(access) => format!("pm.response.json(){access}"),
            None => {
                return Err(format!(
                    "the JSONPath {path} has no plain JavaScript equivalent (wildcards, filters, \
                     slices and `..` need code)"
                ))
            }
        },
        Q::BodyText => "pm.response.text()".into(),
        Q::ResponseTime => "pm.response.responseTime".into(),
        Q::Size => "pm.response.responseSize".into(),
        Q::Redirects => return Err("Postman's scripts cannot see the redirect count".into()),
    })
}

/// Whether values of `query` compare as text (not as JSON).
fn is_text(query: &Q) -> bool {
    matches!(query, Q::Header { .. } | Q::Cookie { .. } | Q::BodyText)
}

/// The value as a JavaScript literal: text for header, cookie and body text, else JSON when it
/// reads as JSON (as the assertion itself reads it), else a string.
fn literal(query: &Q, value: &str) -> Result<String, String> {
    if is_text(query) {
        return Ok(js_string(value));
    }
    let numeric = matches!(query, Q::Status | Q::ResponseTime | Q::Size);
    match serde_json::from_str::<Value>(value.trim()) {
        Ok(v) if !numeric || v.is_number() => Ok(v.to_string()),
        _ if numeric => Err(format!("{value:?} is not a number")),
        _ => Ok(js_string(value)),
    }
}

fn number(value: &str) -> Result<String, String> {
    value
        .trim()
        .parse::<u64>()
        .map(|n| n.to_string())
        .map_err(|_| format!("{value:?} is not a length"))
}

/// `in`'s value (a JSON list, or items separated by commas) as a JavaScript array.
fn list(query: &Q, value: &str) -> Result<String, String> {
    if let Ok(Value::Array(items)) = serde_json::from_str::<Value>(value.trim()) {
        let items: Result<Vec<String>, String> = items
            .iter()
            .map(|v| match v {
                Value::String(s) if is_text(query) => Ok(js_string(s)),
                other => Ok(other.to_string()),
            })
            .collect();
        return Ok(format!("[{}]", items?.join(", ")));
    }
    let items: Result<Vec<String>, String> = value
        .split(',')
        .map(|item| literal(query, item.trim()))
        .collect();
    Ok(format!("[{}]", items?.join(", ")))
}

fn js_string(s: &str) -> String {
    Value::String(s.to_owned()).to_string()
}

/// A regular expression literal; `(?i)` at the start becomes the `i` flag.
fn regex_literal(pattern: &str) -> String {
    let (pattern, flags) = match pattern.strip_prefix("(?i)") {
        Some(rest) => (rest, "i"),
        None => (pattern, ""),
    };
    let mut out = String::from("/");
    let mut escaped = false;
    for c in pattern.chars() {
        if c == '/' && !escaped {
            out.push('\\');
        }
        escaped = c == '\\' && !escaped;
        out.push(c);
    }
    out.push('/');
    out.push_str(flags);
    out
}

/// A JSONPath of names, indexes and quoted names (`$.a[0]['b c']`) as JavaScript property
/// access (`.a[0]["b c"]`); `None` for anything else.
pub(crate) fn js_access(path: &str) -> Option<String> {
    let mut rest = path.trim().strip_prefix('$')?;
    let mut out = String::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
                .unwrap_or(after.len());
            let name = &after[..end];
            if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            out.push('.');
            out.push_str(name);
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let close = after.find(']')?;
            let inner = after[..close].trim();
            if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()) {
                out.push_str(&format!("[{}]", inner.parse::<u64>().ok()?));
            } else {
                let quote = inner.chars().next()?;
                if !(quote == '\'' || quote == '"') || inner.len() < 2 || !inner.ends_with(quote) {
                    return None;
                }
                let name = &inner[1..inner.len() - 1];
                if name.contains(['\\', '\'', '"', ']']) {
                    return None;
                }
                out.push_str(&format!("[{}]", js_string(name)));
            }
            rest = &after[close + 1..];
        } else {
            return None;
        }
    }
    Some(out)
}

/// The assertion as its one-line form in a request file, for a test's name.
pub(crate) fn describe(a: &Assertion) -> String {
    let query = a.query.describe();
    let predicate = a.predicate.word();
    let mut line = String::new();
    if a.negate {
        line.push_str("not ");
    }
    line.push_str(&query);
    line.push(' ');
    line.push_str(predicate);
    if let Some(v) = &a.value {
        if a.predicate.takes_value() {
            line.push(' ');
            line.push_str(v);
        }
    }
    line
}

/// The warning for the statements of a test script that are not checks we read.
pub(crate) fn unread_warning(unread: &[String], script: &str, path: &str, w: &mut Warnings) {
    if unread.is_empty() {
        return;
    }
    let shown: Vec<String> = unread.iter().take(3).map(|s| format!("`{s}`")).collect();
    let more = unread.len().saturating_sub(shown.len());
    w.push(
        path,
        format!(
            "{script}: {} statement(s) are not assertions Sextant can read and were not imported \
             (its checks were): {}{}",
            unread.len(),
            shown.join("; "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_paths_become_property_access() {
        assert_eq!(js_access("$").as_deref(), Some(""));
        assert_eq!(js_access("$.a.b").as_deref(), Some(".a.b"));
        assert_eq!(js_access("$.items[0].id").as_deref(), Some(".items[0].id"));
        assert_eq!(js_access("$['a b'][2]").as_deref(), Some("[\"a b\"][2]"));
        for hard in [
            "$..id",
            "$.items[*]",
            "$.items[?(@.id == 1)]",
            "$.a[1:2]",
            "$.a[-1]",
        ] {
            assert_eq!(js_access(hard), None, "{hard}");
        }
    }

    #[test]
    fn regexes_escape_slashes_and_carry_case_insensitivity() {
        assert_eq!(regex_literal("^a/b$"), "/^a\\/b$/");
        assert_eq!(regex_literal("(?i)json"), "/json/i");
        assert_eq!(regex_literal("a\\/b"), "/a\\/b/");
    }
}
