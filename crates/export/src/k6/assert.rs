//! Assertions as JavaScript expressions for k6 `check`s, reading values as Sextant does: JSON
//! values compare by value, headers, cookies and body text as text, a path with a wildcard
//! reads a list. JSONPath is kept to names, indexes and wildcards (the script carries no
//! JSONPath engine); anything else is left out with a warning.

use serde_json::Value;
use sextant_model::{variables_in, AssertPredicate as P, AssertQuery as Q, Assertion};

use super::js_string;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Json,
}

/// A path of names, indexes and wildcards as the runtime's `at` reads it: `["items", null, "id"]`.
pub(crate) fn path(path: &str) -> Option<String> {
    let mut rest = path.trim().strip_prefix('$')?;
    let mut segs: Vec<String> = Vec::new();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix(".*") {
            segs.push("null".into());
            rest = r;
        } else if let Some(r) = rest.strip_prefix('.') {
            let end = r
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(r.len());
            let name = &r[..end];
            if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            segs.push(js_string(name));
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let close = r.find(']')?;
            let inner = r[..close].trim();
            if inner == "*" {
                segs.push("null".into());
            } else if let Some(q) = inner
                .strip_prefix('\'')
                .and_then(|s| s.strip_suffix('\''))
                .or_else(|| inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')))
            {
                if q.contains(['\\', '\'', '"']) {
                    return None;
                }
                segs.push(js_string(q));
            } else {
                segs.push(inner.parse::<i64>().ok()?.to_string());
            }
            rest = &r[close + 1..];
        } else {
            return None;
        }
    }
    Some(format!("[{}]", segs.join(", ")))
}

fn actual(query: &Q) -> Result<(String, Kind, bool), String> {
    Ok(match query {
        Q::Status => ("res.status".into(), Kind::Json, false),
        Q::Header { name } => (
            format!("header(res, {})", js_string(name.trim())),
            Kind::Text,
            false,
        ),
        Q::Cookie { name } => (
            format!("cookie(res, {})", js_string(name.trim())),
            Kind::Text,
            false,
        ),
        Q::JsonPath { path: p } => {
            let segs = path(p).ok_or_else(|| {
                format!(
                    "the k6 script reads JSONPath names, indexes and wildcards only, not {}",
                    p.trim()
                )
            })?;
            (format!("at(body, {segs})"), Kind::Json, true)
        }
        Q::BodyText => ("res.body".into(), Kind::Text, false),
        Q::ResponseTime => ("res.timings.duration".into(), Kind::Json, false),
        Q::Size => ("(res.body ? res.body.length : 0)".into(), Kind::Json, false),
        Q::Redirects => return Err("k6 does not count redirects".into()),
    })
}

fn expected(text: &str, kind: Kind) -> String {
    if variables_in(text).is_empty() {
        match kind {
            Kind::Json => match serde_json::from_str::<Value>(text.trim()) {
                Ok(v) => v.to_string(),
                Err(_) => js_string(text),
            },
            Kind::Text => match serde_json::from_str::<Value>(text.trim()) {
                Ok(Value::String(s)) => js_string(&s),
                _ => js_string(text),
            },
        }
    } else {
        let helper = if kind == Kind::Json {
            "value"
        } else {
            "textValue"
        };
        format!("{helper}(render({}, v))", js_string(text.trim()))
    }
}

/// The expression of `a` (over `res`, `body` and `v`) and whether it reads `body`.
pub(crate) fn expression(a: &Assertion) -> Result<(String, bool), String> {
    if a.predicate == P::MatchesSchema {
        return Err("a JSON Schema file assertion is not exported to k6".into());
    }
    let (act, kind, body) = actual(&a.query)?;
    let value = a.value.as_deref().unwrap_or("");
    let expr = match a.predicate {
        P::Exists => format!("{act} !== undefined"),
        P::Equals => format!("equal({act}, {})", expected(value, kind)),
        P::NotEquals => format!("!equal({act}, {})", expected(value, kind)),
        P::Less | P::LessOrEqual | P::Greater | P::GreaterOrEqual => {
            let op = match a.predicate {
                P::Less => "<",
                P::LessOrEqual => "<=",
                P::Greater => ">",
                _ => ">=",
            };
            format!("Number({act}) {op} {}", expected(value, Kind::Json))
        }
        P::Contains => format!("contains({act}, {})", expected(value, kind)),
        P::StartsWith => format!("String({act}).startsWith({})", expected(value, Kind::Text)),
        P::EndsWith => format!("String({act}).endsWith({})", expected(value, Kind::Text)),
        P::Matches => format!(
            "new RegExp({}).test(String({act}))",
            expected(value, Kind::Text)
        ),
        P::IsEmpty => format!("size({act}) === 0"),
        P::Length => {
            let n: usize = value
                .trim()
                .parse()
                .map_err(|_| format!("`{}` is not a length", value.trim()))?;
            format!("size({act}) === {n}")
        }
        P::IsString => format!("typeof {act} === 'string'"),
        P::IsNumber => format!("typeof {act} === 'number'"),
        P::IsInteger => format!("Number.isInteger({act})"),
        P::IsBoolean => format!("typeof {act} === 'boolean'"),
        P::IsArray => format!("Array.isArray({act})"),
        P::IsObject => {
            format!("({act} !== null && typeof {act} === 'object' && !Array.isArray({act}))")
        }
        P::IsNull => format!("{act} === null"),
        P::In => {
            let items = if variables_in(value).is_empty() {
                let items: Vec<String> = match serde_json::from_str::<Value>(value.trim()) {
                    Ok(Value::Array(items)) => items.iter().map(Value::to_string).collect(),
                    _ => value.split(',').map(|s| s.trim().to_owned()).collect(),
                };
                let lits: Vec<String> = items.iter().map(|i| expected(i, kind)).collect();
                format!("[{}]", lits.join(", "))
            } else {
                expected(value, Kind::Json)
            };
            format!("{items}.some((x) => equal({act}, x))")
        }
        P::MatchesSchema => unreachable!("refused above"),
    };
    let expr = if a.negate { format!("!({expr})") } else { expr };
    Ok((expr, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn js(query: Q, p: P, value: Option<&str>, negate: bool) -> String {
        let mut a = Assertion::new(query, p, value);
        a.negate = negate;
        expression(&a).unwrap().0
    }

    fn body(p: &str) -> Q {
        Q::JsonPath { path: p.into() }
    }

    #[test]
    fn assertions_become_check_expressions() {
        assert_eq!(
            js(Q::Status, P::Equals, Some("201"), false),
            "equal(res.status, 201)"
        );
        assert_eq!(
            js(body("$.name"), P::Equals, Some("\"Lamp\""), false),
            r#"equal(at(body, ["name"]), "Lamp")"#
        );
        assert_eq!(
            js(body("$.tags[*]"), P::Contains, Some("\"light\""), true),
            r#"!(contains(at(body, ["tags", null]), "light"))"#
        );
        assert_eq!(
            js(Q::Status, P::In, Some("200, 201"), false),
            "[200, 201].some((x) => equal(res.status, x))"
        );
        assert_eq!(
            js(body("$.id"), P::Equals, Some("{{itemId}}"), false),
            r#"equal(at(body, ["id"]), value(render("{{itemId}}", v)))"#
        );
        assert_eq!(
            js(
                Q::Header {
                    name: "content-type".into()
                },
                P::Contains,
                Some("json"),
                false
            ),
            r#"contains(header(res, "content-type"), "json")"#
        );
    }

    #[test]
    fn paths_beyond_names_indexes_and_wildcards_are_refused() {
        assert_eq!(path("$[0]['a-b'].*").unwrap(), r#"[0, "a-b", null]"#);
        let a = Assertion::new(body("$[?(@.name == 'Lamp')]"), P::IsArray, None);
        assert!(expression(&a).is_err());
        assert!(path("$..id").is_none());
    }
}
