//! Assertions as Python `assert` lines, with the same reading of values as Sextant's own
//! checks: JSON values compare by value, headers, cookies and body text as text; a path that can
//! select several values reads them all, as a list. Each line's message is the assertion as
//! written in the request file, so a failure names it.

use serde_json::Value;
use sextant_model::{variables_in, AssertPredicate as P, AssertQuery as Q, Assertion};

use crate::jsonpath;
use crate::pylit;

/// What the generated test needs for its assertions and captures.
#[derive(Debug, Default)]
pub(crate) struct Needs {
    /// `body = json_body(response)`.
    pub body: bool,
    /// `import re`.
    pub re: bool,
    /// Names imported from `sextant_support`.
    pub helpers: std::collections::BTreeSet<&'static str>,
    /// `v`, the variables in scope.
    pub scope: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Json,
}

enum Expr {
    Cmp(String, &'static str, String),
    Call(String),
}

impl Expr {
    fn negated(self) -> Expr {
        match self {
            Expr::Cmp(a, op, b) => {
                let op = match op {
                    "==" => "!=",
                    "!=" => "==",
                    "<" => ">=",
                    "<=" => ">",
                    ">" => "<=",
                    ">=" => "<",
                    "in" => "not in",
                    "not in" => "in",
                    "is" => "is not",
                    "is not" => "is",
                    other => return Expr::Call(format!("not ({a} {other} {b})")),
                };
                Expr::Cmp(a, op, b)
            }
            Expr::Call(c) => Expr::Call(format!("not {c}")),
        }
    }

    fn text(self) -> String {
        match self {
            Expr::Cmp(a, op, b) => format!("{a} {op} {b}"),
            Expr::Call(c) => c,
        }
    }
}

/// The assertion as written in a request file: `not body $.id == 3`.
pub(crate) fn describe(a: &Assertion) -> String {
    let query = a.query.describe();
    let word = a.predicate.word();
    let mut out = if a.negate {
        "not ".to_owned()
    } else {
        String::new()
    };
    out.push_str(&query);
    out.push(' ');
    out.push_str(word);
    if let (true, Some(v)) = (a.predicate.takes_value(), &a.value) {
        out.push(' ');
        out.push_str(v.trim());
    }
    out
}

fn value_json(text: &str) -> Value {
    serde_json::from_str(text.trim()).unwrap_or_else(|_| Value::String(text.to_owned()))
}

fn value_text(text: &str) -> String {
    match serde_json::from_str::<Value>(text.trim()) {
        Ok(Value::String(s)) => s,
        _ => text.to_owned(),
    }
}

fn actual(query: &Q, needs: &mut Needs) -> (String, Kind) {
    match query {
        Q::Status => ("response.status_code".into(), Kind::Json),
        Q::Header { name } => (
            format!("response.headers.get({})", pylit::string(name.trim())),
            Kind::Text,
        ),
        Q::Cookie { name } => (
            format!("response.cookies.get({})", pylit::string(name.trim())),
            Kind::Text,
        ),
        Q::JsonPath { path } => (json_path(path, needs), Kind::Json),
        Q::BodyText => ("response.text".into(), Kind::Text),
        Q::ResponseTime => ("response.elapsed.total_seconds() * 1000".into(), Kind::Json),
        Q::Size => ("len(response.content)".into(), Kind::Json),
        Q::Redirects => ("len(response.history)".into(), Kind::Json),
    }
}

/// Python reading a JSONPath from `body`, as assertions read it.
pub(crate) fn json_path(path: &str, needs: &mut Needs) -> String {
    needs.body = true;
    match jsonpath::simple(path) {
        Some(steps) => jsonpath::python("body", &steps),
        None => {
            needs.helpers.insert("query");
            if jsonpath::selects_many(path) {
                format!("query(body, {}, many=True)", pylit::string(path.trim()))
            } else {
                format!("query(body, {})", pylit::string(path.trim()))
            }
        }
    }
}

/// The expected value: a literal when it uses no variables, else rendered at run time.
fn expected(text: &str, kind: Kind, needs: &mut Needs) -> (String, Option<Value>) {
    if variables_in(text).is_empty() {
        match kind {
            Kind::Json => {
                let v = value_json(text);
                (pylit::json(&v), Some(v))
            }
            Kind::Text => {
                let t = value_text(text);
                (pylit::string(&t), Some(Value::String(t)))
            }
        }
    } else {
        needs.scope = true;
        needs.helpers.insert("render");
        let helper = if kind == Kind::Json {
            "value"
        } else {
            "text_value"
        };
        needs.helpers.insert(helper);
        (
            format!("{helper}(render({}, v))", pylit::string(text.trim())),
            None,
        )
    }
}

/// The `assert` line for `a`, or why it cannot be written.
pub(crate) fn assertion(a: &Assertion, needs: &mut Needs) -> Result<String, String> {
    if a.predicate == P::MatchesSchema {
        return Err("a JSON Schema file assertion is not exported yet".into());
    }
    let message = pylit::string(&describe(a));
    let value = a.value.as_deref().unwrap_or("");
    let expr = if a.predicate == P::Exists {
        match &a.query {
            Q::Header { name } => {
                Expr::Cmp(pylit::string(name.trim()), "in", "response.headers".into())
            }
            Q::Cookie { name } => {
                Expr::Cmp(pylit::string(name.trim()), "in", "response.cookies".into())
            }
            Q::JsonPath { path } => {
                needs.body = true;
                needs.helpers.insert("query");
                needs.helpers.insert("NOTHING");
                Expr::Cmp(
                    format!("query(body, {})", pylit::string(path.trim())),
                    "is not",
                    "NOTHING".into(),
                )
            }
            other => {
                let (a, _) = actual(other, needs);
                Expr::Cmp(a, "is not", "None".into())
            }
        }
    } else {
        let (act, kind) = actual(&a.query, needs);
        match a.predicate {
            P::Equals | P::NotEquals => {
                let (e, literal) = expected(value, kind, needs);
                let identity = matches!(literal, Some(Value::Bool(_) | Value::Null));
                let op = match (a.predicate == P::Equals, identity) {
                    (true, true) => "is",
                    (true, false) => "==",
                    (false, true) => "is not",
                    (false, false) => "!=",
                };
                Expr::Cmp(act, op, e)
            }
            P::Less | P::LessOrEqual | P::Greater | P::GreaterOrEqual => {
                let (e, literal) = expected(value, Kind::Json, needs);
                let act = if kind == Kind::Text && matches!(literal, Some(Value::Number(_))) {
                    format!("float({act})")
                } else {
                    act
                };
                let op = match a.predicate {
                    P::Less => "<",
                    P::LessOrEqual => "<=",
                    P::Greater => ">",
                    _ => ">=",
                };
                Expr::Cmp(act, op, e)
            }
            P::Contains => {
                let (e, _) = expected(value, kind, needs);
                Expr::Cmp(e, "in", act)
            }
            P::StartsWith | P::EndsWith => {
                let (e, _) = expected(value, Kind::Text, needs);
                let method = if a.predicate == P::StartsWith {
                    "startswith"
                } else {
                    "endswith"
                };
                Expr::Call(format!("{act}.{method}({e})"))
            }
            P::MatchesSchema => unreachable!("refused above"),
            P::Matches => {
                needs.re = true;
                let (e, _) = expected(value, Kind::Text, needs);
                Expr::Call(format!("re.search({e}, {act})"))
            }
            P::IsEmpty => Expr::Cmp(format!("len({act})"), "==", "0".into()),
            P::Length => {
                let n: usize = value
                    .trim()
                    .parse()
                    .map_err(|_| format!("`{}` is not a length", value.trim()))?;
                Expr::Cmp(format!("len({act})"), "==", n.to_string())
            }
            P::IsString => Expr::Call(format!("isinstance({act}, str)")),
            P::IsNumber => {
                needs.helpers.insert("is_number");
                Expr::Call(format!("is_number({act})"))
            }
            P::IsInteger => {
                needs.helpers.insert("is_integer");
                Expr::Call(format!("is_integer({act})"))
            }
            P::IsBoolean => Expr::Call(format!("isinstance({act}, bool)")),
            P::IsArray => Expr::Call(format!("isinstance({act}, list)")),
            P::IsObject => Expr::Call(format!("isinstance({act}, dict)")),
            P::IsNull => Expr::Cmp(act, "is", "None".into()),
            P::In => {
                let items = if variables_in(value).is_empty() {
                    let items: Vec<String> = match serde_json::from_str::<Value>(value.trim()) {
                        Ok(Value::Array(items)) => items.iter().map(Value::to_string).collect(),
                        _ => value.split(',').map(|s| s.trim().to_owned()).collect(),
                    };
                    let lits: Vec<String> = items
                        .iter()
                        .map(|item| expected(item, kind, needs).0)
                        .collect();
                    format!("[{}]", lits.join(", "))
                } else {
                    expected(value, Kind::Json, needs).0
                };
                Expr::Cmp(act, "in", items)
            }
            P::Exists => unreachable!("handled above"),
        }
    };
    let expr = if a.negate { expr.negated() } else { expr };
    Ok(format!("assert {}, {message}", expr.text()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sextant_model::AssertQuery;

    fn line(query: Q, p: P, value: Option<&str>, negate: bool) -> String {
        let mut a = Assertion::new(query, p, value);
        a.negate = negate;
        assertion(&a, &mut Needs::default()).unwrap()
    }

    fn path(p: &str) -> Q {
        AssertQuery::JsonPath { path: p.into() }
    }

    #[test]
    fn each_predicate_becomes_an_assert_line() {
        assert_eq!(
            line(Q::Status, P::Equals, Some("201"), false),
            r#"assert response.status_code == 201, "status == 201""#
        );
        assert_eq!(
            line(path("$.name"), P::Equals, Some("\"Lamp\""), false),
            r#"assert body["name"] == "Lamp", "body $.name == \"Lamp\"""#
        );
        assert_eq!(
            line(path("$.ok"), P::Equals, Some("true"), false),
            r#"assert body["ok"] is True, "body $.ok == true""#
        );
        assert_eq!(
            line(path("$.x"), P::Equals, Some("null"), true),
            r#"assert body["x"] is not None, "not body $.x == null""#
        );
        assert_eq!(
            line(
                Q::Header {
                    name: "content-type".into()
                },
                P::Contains,
                Some("json"),
                false
            ),
            r#"assert "json" in response.headers.get("content-type"), "header content-type contains json""#
        );
        assert_eq!(
            line(path("$.items[*].id"), P::Contains, Some("2"), true),
            r#"assert 2 not in query(body, "$.items[*].id", many=True), "not body $.items[*].id contains 2""#
        );
        assert_eq!(
            line(
                Q::Header {
                    name: "x-count".into()
                },
                P::Greater,
                Some("3"),
                false
            ),
            r#"assert float(response.headers.get("x-count")) > 3, "header x-count > 3""#
        );
        assert_eq!(
            line(Q::Status, P::In, Some("200, 201"), false),
            r#"assert response.status_code in [200, 201], "status in 200, 201""#
        );
        assert_eq!(
            line(
                Q::Header { name: "a".into() },
                P::In,
                Some(r#"["x", "y"]"#),
                false
            ),
            r#"assert response.headers.get("a") in ["x", "y"], "header a in [\"x\", \"y\"]""#
        );
        assert_eq!(
            line(path("$.items"), P::Length, Some("3"), false),
            r#"assert len(body["items"]) == 3, "body $.items length 3""#
        );
        assert_eq!(
            line(path("$.id"), P::IsInteger, None, false),
            r#"assert is_integer(body["id"]), "body $.id isInteger""#
        );
        assert_eq!(
            line(path("$.error"), P::Exists, None, true),
            r#"assert query(body, "$.error") is NOTHING, "not body $.error exists""#
        );
        assert_eq!(
            line(Q::BodyText, P::Matches, Some("^a+"), false),
            r#"assert re.search("^a+", response.text), "body matches ^a+""#
        );
        assert_eq!(
            line(Q::ResponseTime, P::Less, Some("500"), false),
            r#"assert response.elapsed.total_seconds() * 1000 < 500, "duration < 500""#
        );
        assert_eq!(
            line(path("$.id"), P::Equals, Some("{{itemId}}"), false),
            r#"assert body["id"] == value(render("{{itemId}}", v)), "body $.id == {{itemId}}""#
        );
    }

    #[test]
    fn a_length_that_is_not_a_number_is_refused() {
        let a = Assertion::new(path("$"), P::Length, Some("many"));
        assert!(assertion(&a, &mut Needs::default()).is_err());
    }
}
