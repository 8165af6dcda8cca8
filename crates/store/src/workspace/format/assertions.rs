//! Assertions in a request file: one line each, Hurl-like, so a diff shows one changed line per
//! changed check and a reader needs no schema:
//!
//! ```yaml
//! assertions:
//!   - status == 200
//!   - header content-type contains json
//!   - body $.items[?(@.id == 1)].name == "one"
//!   - not body contains error
//!   - disabled duration < 500
//! ```
//!
//! `[disabled] [not] QUERY PREDICATE [VALUE]`. Queries: `status`, `header NAME`, `cookie NAME`,
//! `body $PATH` (an RFC 9535 JSONPath, read up to the first blank outside brackets and quotes),
//! `body` (the text), `duration` (ms), `size` (bytes), `redirects`. Predicates: `==`, `!=`, `<`,
//! `<=`, `>`, `>=`, `contains`, `startsWith`, `endsWith`, `matches`, `exists`, `isEmpty`,
//! `length`, `isString`, `isNumber`, `isInteger`, `isBoolean`, `isArray`, `isObject`, `isNull`,
//! `in`, `matchesSchema` (a JSON Schema file relative to the collection folder). The value is the rest of the line, kept as typed (`{{variables}}` included).

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use sextant_model::{AssertPredicate, AssertQuery, Assertion};

/// One assertion as its line in the file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FileAssertion(pub(crate) Assertion);

impl Serialize for FileAssertion {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&to_line(&self.0))
    }
}

impl<'de> Deserialize<'de> for FileAssertion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let line = String::deserialize(d)?;
        parse_line(&line)
            .map(FileAssertion)
            .map_err(de::Error::custom)
    }
}

pub(crate) fn assertions_out(assertions: &[Assertion]) -> Vec<FileAssertion> {
    assertions.iter().cloned().map(FileAssertion).collect()
}

pub(crate) fn assertions_in(assertions: Vec<FileAssertion>) -> Vec<Assertion> {
    assertions.into_iter().map(|a| a.0).collect()
}

/// The line for `a`; a predicate that takes no value drops it.
pub(crate) fn to_line(a: &Assertion) -> String {
    let mut line = String::new();
    if !a.enabled {
        line.push_str("disabled ");
    }
    if a.negate {
        line.push_str("not ");
    }
    match &a.query {
        AssertQuery::Status => line.push_str("status"),
        AssertQuery::Header { name } => line.push_str(&format!("header {}", name.trim())),
        AssertQuery::Cookie { name } => line.push_str(&format!("cookie {}", name.trim())),
        AssertQuery::JsonPath { path } => line.push_str(&format!("body {}", path_out(path))),
        AssertQuery::BodyText => line.push_str("body"),
        AssertQuery::ResponseTime => line.push_str("duration"),
        AssertQuery::Size => line.push_str("size"),
        AssertQuery::Redirects => line.push_str("redirects"),
    }
    line.push(' ');
    line.push_str(a.predicate.word());
    if a.predicate.takes_value() {
        if let Some(value) = a.value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            line.push(' ');
            line.push_str(value);
        }
    }
    line
}

/// A JSONPath in a line always starts with `$` (a path typed without it gets one).
fn path_out(path: &str) -> String {
    let path = path.trim();
    if path.starts_with('$') {
        path.to_owned()
    } else if path.starts_with(['.', '[']) {
        format!("${path}")
    } else {
        format!("$.{path}")
    }
}

/// Splits off the first word (up to a blank) of `s`, after leading blanks.
fn word(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    let end = s.find(char::is_whitespace).unwrap_or(s.len());
    (&s[..end], &s[end..])
}

/// Splits off a JSONPath: up to the first blank outside brackets, parentheses and quotes.
fn path_word(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
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
            '[' | '(' => depth += 1,
            ']' | ')' => depth -= 1,
            c if c.is_whitespace() && depth <= 0 => return (&s[..i], &s[i..]),
            _ => {}
        }
    }
    (s, "")
}

/// Reads one line; the error names what is wrong with it.
pub(crate) fn parse_line(line: &str) -> Result<Assertion, String> {
    let bad = |why: &str| format!("assertion `{line}`: {why}");
    let (mut first, mut rest) = word(line);
    let mut enabled = true;
    let mut negate = false;
    if first == "disabled" {
        enabled = false;
        (first, rest) = word(rest);
    }
    if first == "not" {
        negate = true;
        (first, rest) = word(rest);
    }
    let query = match first {
        "status" => AssertQuery::Status,
        "header" | "cookie" => {
            let (name, after) = word(rest);
            if name.is_empty() {
                return Err(bad(&format!("`{first}` needs a name")));
            }
            rest = after;
            if first == "header" {
                AssertQuery::Header { name: name.into() }
            } else {
                AssertQuery::Cookie { name: name.into() }
            }
        }
        "body" if rest.trim_start().starts_with('$') => {
            let (path, after) = path_word(rest);
            rest = after;
            AssertQuery::JsonPath { path: path.into() }
        }
        "body" => AssertQuery::BodyText,
        "duration" => AssertQuery::ResponseTime,
        "size" => AssertQuery::Size,
        "redirects" => AssertQuery::Redirects,
        "" => return Err(bad("it is empty")),
        other => {
            return Err(bad(&format!(
                "unknown query `{other}` (status, header, cookie, body, duration, size, redirects)"
            )))
        }
    };
    let (word_, after) = word(rest);
    // The words are the model's own (`AssertPredicate::word`), so exports, imports and
    // results name a predicate as the file does.
    let predicate = AssertPredicate::ALL
        .into_iter()
        .find(|p| p.word() == word_)
        .ok_or_else(|| {
            if word_.is_empty() {
                bad("a predicate is missing (==, contains, exists, ...)")
            } else {
                bad(&format!("unknown predicate `{word_}`"))
            }
        })?;
    let value = after.trim();
    let value = if predicate.takes_value() {
        Some(value.to_owned())
    } else if !value.is_empty() {
        return Err(bad(&format!("`{word_}` takes no value")));
    } else {
        None
    };
    Ok(Assertion {
        query,
        predicate,
        value,
        negate,
        enabled,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_read_back_into_the_same_assertion() {
        for line in [
            "status == 200",
            "header content-type contains json",
            "cookie session exists",
            "body $.items[?(@.name == 'a b')].id == 1",
            "body $['odd key'] isString",
            "not body contains error",
            "disabled duration < 500",
            "disabled not size >= {{min}}",
            "redirects == 0",
            "body $.tags length 2",
            "body $.role in [\"admin\", \"dev\"]",
            "body $.items[0] matchesSchema schemas/item.json",
            "body matches ^\\{.*\\}$",
        ] {
            let a = parse_line(line).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(to_line(&a), line);
        }
        let a = parse_line("body $.a[0] == hello world").unwrap();
        assert_eq!(
            a.query,
            AssertQuery::JsonPath {
                path: "$.a[0]".into()
            }
        );
        assert_eq!(a.value.as_deref(), Some("hello world"));
    }

    #[test]
    fn every_predicate_reads_back_from_its_word() {
        for predicate in AssertPredicate::ALL {
            let value = if predicate.takes_value() { " 1" } else { "" };
            let line = format!("status {}{value}", predicate.word());
            let a = parse_line(&line).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(a.predicate, predicate, "{line}");
            assert_eq!(to_line(&a), line);
        }
    }

    #[test]
    fn bad_lines_say_why() {
        for (line, why) in [
            ("", "empty"),
            ("speed == 1", "unknown query `speed`"),
            ("status", "predicate is missing"),
            ("status is 200", "unknown predicate `is`"),
            ("header == 1", "unknown predicate `1`"),
            ("cookie", "needs a name"),
            ("body $.a exists 1", "takes no value"),
        ] {
            let err = parse_line(line).unwrap_err();
            assert!(err.contains(why), "{line}: {err}");
        }
    }
}
