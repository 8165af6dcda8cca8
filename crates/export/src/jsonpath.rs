//! JSONPath in generated code: a path that names one value by keys and indexes (`$.a.b[0]`,
//! `$['content-type']`) becomes plain Python subscripts or a jq filter; anything else (filters,
//! wildcards, slices, `..`) goes through the bundled RFC 9535 subset in `sextant_support.py`.

/// One step of a simple path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Key(String),
    Index(i64),
}

/// The steps of a path made only of names and indexes; `None` for anything else.
pub(crate) fn simple(path: &str) -> Option<Vec<Step>> {
    let mut rest = path.trim().strip_prefix('$')?;
    let mut steps = Vec::new();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(r.len());
            let name = &r[..end];
            if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            steps.push(Step::Key(name.to_owned()));
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let close = r.find(']')?;
            let inner = r[..close].trim();
            if let Some(q) = inner
                .strip_prefix('\'')
                .and_then(|s| s.strip_suffix('\''))
                .or_else(|| inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')))
            {
                if q.contains(['\\', '\'', '"']) {
                    return None;
                }
                steps.push(Step::Key(q.to_owned()));
            } else {
                steps.push(Step::Index(inner.parse().ok()?));
            }
            rest = &r[close + 1..];
        } else {
            return None;
        }
    }
    Some(steps)
}

/// `body["a"]["b"][0]`.
pub(crate) fn python(target: &str, steps: &[Step]) -> String {
    let mut out = target.to_owned();
    for s in steps {
        match s {
            Step::Key(k) => out.push_str(&format!("[{}]", crate::pylit::string(k))),
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// `.a.b[0]`, `.["content-type"]`: jq 1.6 syntax.
pub(crate) fn jq(steps: &[Step]) -> String {
    let mut out = String::new();
    for s in steps {
        let bracket = |inner: String, out: &mut String| {
            if out.is_empty() {
                out.push('.');
            }
            out.push_str(&format!("[{inner}]"));
        };
        match s {
            Step::Key(k)
                if !k.is_empty()
                    && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && !k.starts_with(|c: char| c.is_ascii_digit()) =>
            {
                out.push('.');
                out.push_str(k);
            }
            Step::Key(k) => bracket(serde_json::Value::from(k.as_str()).to_string(), &mut out),
            Step::Index(i) => bracket(i.to_string(), &mut out),
        }
    }
    if out.is_empty() {
        ".".into()
    } else {
        out
    }
}

/// Whether `path` can select more than one value (the same rule as Sextant's assertions: a
/// wildcard, `..`, a filter, a slice or a list of selectors outside quoted names); such a path
/// reads all it selects, as a list.
pub(crate) fn selects_many(path: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_paths_become_subscripts() {
        let steps = simple("$.items[0]['content-type'].id").unwrap();
        assert_eq!(
            python("body", &steps),
            r#"body["items"][0]["content-type"]["id"]"#
        );
        assert_eq!(jq(&steps), r#".items[0]["content-type"].id"#);
        assert_eq!(jq(&simple("$[0]").unwrap()), ".[0]");
        assert_eq!(python("body", &simple("$").unwrap()), "body");
        assert_eq!(simple("$[-1]").unwrap(), vec![Step::Index(-1)]);
    }

    #[test]
    fn other_paths_are_not_simple() {
        for p in [
            "$..id",
            "$.items[*]",
            "$.items[?(@.id == 1)]",
            "$[0:2]",
            "$.a[0,1]",
            "items",
            "$.0",
        ] {
            assert!(simple(p).is_none(), "{p}");
        }
        assert!(selects_many("$..id") && selects_many("$[*]") && !selects_many("$['a:b']"));
    }
}
