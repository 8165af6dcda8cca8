//! JSONPath per RFC 9535 (filters `?(@.id == 1)`, slices `[1:3]`, descendants `..`), through
//! `serde_json_path`, for captures and assertions alike. Paths written before RFC 9535 support
//! keep working: a path without the leading `$` (`a.b`, `[0]`) gets one.
//!
//! Budgets: a path longer than [`MAX_PATH_CHARS`] is refused before parsing, and a query that
//! selects more than [`MAX_NODES`] values is an error rather than a list that fills the window.

use serde_json::Value;
use serde_json_path::JsonPath;

/// The longest path accepted, in characters.
pub const MAX_PATH_CHARS: usize = 4096;

/// The most values one query may select.
pub const MAX_NODES: usize = 10_000;

/// Why a JSONPath cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    #[error("{0}")]
    Syntax(String),
    #[error("the path is {chars} characters; paths are limited to {MAX_PATH_CHARS}")]
    TooLong { chars: usize },
    #[error("the path selects {count} values; a query may select up to {MAX_NODES}")]
    TooManyNodes { count: usize },
}

/// Parses `path` (RFC 9535; a missing leading `$` is added).
pub fn parse(path: &str) -> Result<JsonPath, PathError> {
    let path = path.trim();
    let chars = path.chars().count();
    if chars > MAX_PATH_CHARS {
        return Err(PathError::TooLong { chars });
    }
    let full = if path.starts_with('$') {
        path.to_owned()
    } else if path.starts_with(['.', '[']) {
        format!("${path}")
    } else {
        format!("$.{path}")
    };
    JsonPath::parse(&full).or_else(|e| {
        // Paths saved for the old subset may name keys RFC 9535's shorthand does not allow
        // (`$.content-type`, `$.0`): read those as `['content-type']`, `['0']`.
        legacy(&full)
            .and_then(|p| JsonPath::parse(&p).ok())
            .ok_or_else(|| PathError::Syntax(e.to_string()))
    })
}

/// `path` with each `.key` that is not an RFC 9535 shorthand name written as `['key']`; `None`
/// when there is none, or the path has anything the old subset did not read.
fn legacy(path: &str) -> Option<String> {
    let shorthand = |k: &str| {
        k.chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && k.chars().all(|c| c.is_alphanumeric() || c == '_')
    };
    let rest = path.strip_prefix('$')?;
    let mut out = String::from("$");
    let mut changed = false;
    let mut i = 0;
    let chars: Vec<char> = rest.chars().collect();
    while i < chars.len() {
        match chars[i] {
            '.' if chars
                .get(i + 1)
                .is_some_and(|c| !matches!(c, '.' | '*' | '[')) =>
            {
                let start = i + 1;
                let mut end = start;
                while end < chars.len() && !matches!(chars[end], '.' | '[') {
                    end += 1;
                }
                let key: String = chars[start..end].iter().collect();
                if shorthand(&key) {
                    out.push('.');
                    out.push_str(&key);
                } else {
                    changed = true;
                    out.push_str(&format!(
                        "['{}']",
                        key.replace('\\', "\\\\").replace('\'', "\\'")
                    ));
                }
                i = end;
            }
            '[' => {
                let end = chars[i..].iter().position(|c| *c == ']')? + i;
                out.extend(&chars[i..=end]);
                i = end + 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    changed.then_some(out)
}

/// Every value `path` selects in `root`, in document order.
pub fn select_all<'v>(root: &'v Value, path: &str) -> Result<Vec<&'v Value>, PathError> {
    let nodes = parse(path)?.query(root).all();
    if nodes.len() > MAX_NODES {
        return Err(PathError::TooManyNodes { count: nodes.len() });
    }
    Ok(nodes)
}

/// The first value `path` selects in `root` (document order): `Ok(None)` when it selects
/// nothing, `Err` when the path itself is not understood.
pub(crate) fn select<'v>(root: &'v Value, path: &str) -> Result<Option<&'v Value>, PathError> {
    Ok(parse(path)?.query(root).all().into_iter().next())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "a": {"b c": {"d\"e": [10, 20, 30]}},
            "items": [
                {"id": 1, "name": "one", "tags": ["x"]},
                {"id": 2, "name": "two", "tags": []},
                {"id": 3, "name": "three", "child": {"id": 4}}
            ]
        })
    }

    #[test]
    fn the_old_subset_still_selects_the_same_values() {
        let d = doc();
        assert_eq!(
            select(&d, r#"$.a['b c']["d\"e"][-2]"#).unwrap(),
            Some(&json!(20))
        );
        assert_eq!(select(&d, "items[0].id").unwrap(), Some(&json!(1)));
        assert_eq!(
            select(&d, "[\"items\"][1].name").unwrap(),
            Some(&json!("two"))
        );
        assert_eq!(select(&d, "$").unwrap(), Some(&d));
        assert_eq!(select(&d, "$.items[*].id").unwrap(), Some(&json!(1)));
        assert_eq!(select(&d, "$.items.*.name").unwrap(), Some(&json!("one")));
        assert_eq!(select(&d, "$.items[5]").unwrap(), None);
        assert_eq!(select(&d, "$.items[-4]").unwrap(), None);
    }

    #[test]
    fn keys_the_old_subset_read_after_a_dot_still_read() {
        let d = json!({"content-type": "json", "0": {"x-y": [5]}, "a": {"b": 1}});
        assert_eq!(select(&d, "$.content-type").unwrap(), Some(&json!("json")));
        assert_eq!(select(&d, "$.0.x-y[0]").unwrap(), Some(&json!(5)));
        assert_eq!(select(&d, "0['x-y'][-1]").unwrap(), Some(&json!(5)));
        assert!(matches!(parse("$.a[?(@ =)]"), Err(PathError::Syntax(_))));
    }

    #[test]
    fn filters_select_by_value() {
        let d = doc();
        assert_eq!(
            select(&d, "$.items[?(@.id == 2)].name").unwrap(),
            Some(&json!("two"))
        );
        assert_eq!(
            select_all(&d, "$.items[?@.id > 1].id").unwrap(),
            vec![&json!(2), &json!(3)]
        );
        assert_eq!(
            select_all(&d, "$.items[?length(@.tags) == 1].name").unwrap(),
            vec![&json!("one")]
        );
        assert!(select_all(&d, "$.items[?(@.id == 9)]").unwrap().is_empty());
    }

    #[test]
    fn slices_take_ranges_and_steps() {
        let d = json!([0, 1, 2, 3, 4, 5]);
        assert_eq!(
            select_all(&d, "$[1:3]").unwrap(),
            vec![&json!(1), &json!(2)]
        );
        assert_eq!(
            select_all(&d, "$[::2]").unwrap(),
            vec![&json!(0), &json!(2), &json!(4)]
        );
        assert_eq!(
            select_all(&d, "$[-2:]").unwrap(),
            vec![&json!(4), &json!(5)]
        );
    }

    #[test]
    fn descendants_search_every_level_in_document_order() {
        let d = doc();
        assert_eq!(
            select_all(&d, "$..id").unwrap(),
            vec![&json!(1), &json!(2), &json!(3), &json!(4)]
        );
        assert_eq!(select(&d, "$..child.id").unwrap(), Some(&json!(4)));
    }

    #[test]
    fn bad_paths_and_budgets_are_typed_errors() {
        for bad in ["$.", "$[x]", "$['a'", "$[1", "$a", "$[?(@.x =)]"] {
            assert!(
                matches!(parse(bad), Err(PathError::Syntax(_))),
                "{bad} should not parse"
            );
        }
        let long = format!("$.{}", "a".repeat(MAX_PATH_CHARS));
        assert!(matches!(parse(&long), Err(PathError::TooLong { .. })));
        let many = Value::Array((0..MAX_NODES + 1).map(Value::from).collect());
        assert_eq!(
            select_all(&many, "$[*]").unwrap_err(),
            PathError::TooManyNodes {
                count: MAX_NODES + 1
            }
        );
        assert_eq!(select(&many, "$[*]").unwrap(), Some(&json!(0)));
    }
}
