//! The small JSONPath subset captures use: `$`, `.key`, `['key']` / `["key"]`, `[n]` (negative
//! counts from the end) and the wildcards `.*` / `[*]`. A path may match several values; the
//! first one in document order is the result. Filters, slices and `..` are not supported.

use serde_json::Value;

/// Why a capture's JSONPath is not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    #[error("recursive descent (`..`) is not supported")]
    RecursiveDescent,
    #[error("a `.` must be followed by a key")]
    EmptyKey,
    #[error("unexpected `{0}`")]
    Unexpected(char),
    #[error("unclosed quote")]
    UnclosedQuote,
    #[error("`[{0}]` is not an index or a quoted key")]
    NotIndex(String),
    #[error("missing `]`")]
    MissingBracket,
}

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(i64),
    Wild,
}

fn parse(path: &str) -> Result<Vec<Step>, PathError> {
    let path = path.trim();
    let rest = match path.strip_prefix('$') {
        Some(rest) => rest.to_owned(),
        None if path.starts_with(['.', '[']) => path.to_owned(),
        None => format!(".{path}"),
    };
    let chars: Vec<char> = rest.chars().collect();
    let mut steps = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '.' => {
                i += 1;
                match chars.get(i) {
                    Some('.') => return Err(PathError::RecursiveDescent),
                    Some('*') => {
                        steps.push(Step::Wild);
                        i += 1;
                    }
                    _ => {
                        let start = i;
                        while i < chars.len() && !matches!(chars[i], '.' | '[') {
                            i += 1;
                        }
                        let key: String = chars[start..i].iter().collect();
                        if key.is_empty() {
                            return Err(PathError::EmptyKey);
                        }
                        steps.push(Step::Key(key));
                    }
                }
            }
            '[' => {
                let (step, next) = bracket(&chars, i + 1)?;
                steps.push(step);
                i = next;
            }
            c => return Err(PathError::Unexpected(c)),
        }
    }
    Ok(steps)
}

/// Parses what follows a `[` at `i`; returns the step and the position after the `]`.
fn bracket(chars: &[char], mut i: usize) -> Result<(Step, usize), PathError> {
    let skip_spaces = |mut i: usize| {
        while chars.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        i
    };
    i = skip_spaces(i);
    let step = match chars.get(i) {
        Some(&quote @ ('\'' | '"')) => {
            i += 1;
            let mut key = String::new();
            loop {
                match chars.get(i) {
                    None => return Err(PathError::UnclosedQuote),
                    Some('\\') if i + 1 < chars.len() => {
                        key.push(chars[i + 1]);
                        i += 2;
                    }
                    Some(&c) if c == quote => {
                        i += 1;
                        break;
                    }
                    Some(&c) => {
                        key.push(c);
                        i += 1;
                    }
                }
            }
            Step::Key(key)
        }
        Some('*') => {
            i += 1;
            Step::Wild
        }
        _ => {
            let start = i;
            while chars.get(i).is_some_and(|c| *c != ']') {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            let n = text
                .trim()
                .parse::<i64>()
                .map_err(|_| PathError::NotIndex(text.clone()))?;
            Step::Index(n)
        }
    };
    i = skip_spaces(i);
    if chars.get(i) != Some(&']') {
        return Err(PathError::MissingBracket);
    }
    Ok((step, i + 1))
}

fn children<'v>(value: &'v Value, step: &Step) -> Vec<&'v Value> {
    match (step, value) {
        (Step::Key(key), Value::Object(map)) => map.get(key).into_iter().collect(),
        (Step::Index(n), Value::Array(items)) => {
            let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
            let at = if *n < 0 { len + n } else { *n };
            usize::try_from(at)
                .ok()
                .and_then(|at| items.get(at))
                .into_iter()
                .collect()
        }
        (Step::Wild, Value::Array(items)) => items.iter().collect(),
        (Step::Wild, Value::Object(map)) => map.values().collect(),
        _ => Vec::new(),
    }
}

/// The first value `path` matches in `root`: `Ok(None)` when it matches nothing, `Err` when the
/// path itself is not understood.
pub(crate) fn select<'v>(root: &'v Value, path: &str) -> Result<Option<&'v Value>, PathError> {
    let steps = parse(path)?;
    let mut matches = vec![root];
    for step in &steps {
        matches = matches
            .into_iter()
            .flat_map(|v| children(v, step))
            .collect();
    }
    Ok(matches.into_iter().next())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_each_step_kind() {
        assert_eq!(
            parse(r#"$.a['b c']["d\"e"][-2][*].*"#).unwrap(),
            vec![
                Step::Key("a".into()),
                Step::Key("b c".into()),
                Step::Key("d\"e".into()),
                Step::Index(-2),
                Step::Wild,
                Step::Wild,
            ]
        );
        assert_eq!(parse("$").unwrap(), vec![]);
        assert_eq!(parse("a.b").unwrap(), parse("$.a.b").unwrap());
        assert_eq!(parse("[0]").unwrap(), vec![Step::Index(0)]);
    }

    #[test]
    fn rejects_what_it_does_not_support() {
        for bad in ["$..a", "$.", "$[x]", "$['a'", "$[1", "$a", "$[?(@.x)]"] {
            assert!(parse(bad).is_err(), "{bad} should not parse");
        }
    }

    #[test]
    fn wildcards_take_the_first_match_in_order() {
        let doc = json!({"items": [{"x": 1}, {"id": 7}, {"id": 8}]});
        assert_eq!(select(&doc, "$.items[*].id").unwrap(), Some(&json!(7)));
        assert_eq!(select(&doc, "$.items[5]").unwrap(), None);
        assert_eq!(select(&doc, "$.items[-4]").unwrap(), None);
    }
}
