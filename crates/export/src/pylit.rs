//! Python source for values: string literals, JSON as Python literals, templates as `render`
//! calls.

use std::fmt::Write as _;

use serde_json::Value;
use sextant_model::variables_in;

use crate::names::{non_empty, snake};
use crate::plan::{Group, VarDef};

/// A Python string literal for `text` (JSON's escapes are Python's; non-ASCII is escaped too so
/// the file is ASCII whatever the collection holds).
pub(crate) fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_ascii() => out.push(c),
            c if (c as u32) <= 0xffff => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// A Python literal for a JSON value.
pub(crate) fn json(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s),
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(json).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Object(map) => {
            let inner: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", string(k), json(v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
    }
}

/// Python for a text that may hold `{{variables}}`: a plain literal, or `render(literal, v)`.
pub(crate) fn template(text: &str) -> String {
    if variables_in(text).is_empty() {
        string(text)
    } else {
        format!("render({}, v)", string(text))
    }
}

/// `text` inside a `"""docstring"""`.
pub(crate) fn docstring_text(text: &str) -> String {
    text.replace('\\', "\\\\").replace("\"\"\"", "\\\"\\\"\\\"")
}

/// One `name: from_env(prefix, name[, default]),` line per variable of a dict literal; a secret
/// (no default) is marked.
pub(crate) fn var_entries(out: &mut String, vars: &[VarDef], prefix_expr: &str, indent: &str) {
    for v in vars {
        match &v.default {
            Some(d) => {
                let _ = writeln!(
                    out,
                    "{indent}{}: from_env({prefix_expr}, {}, {}),",
                    string(&v.name),
                    string(&v.name),
                    string(d)
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "{indent}{}: from_env({prefix_expr}, {}),  # secret",
                    string(&v.name),
                    string(&v.name)
                );
            }
        }
    }
}

/// A folder's own variables as a module constant (`ITEMS_VARIABLES = {...}`) appended to
/// `constants`; its name, or `None` when the folder has none.
pub(crate) fn folder_variables(constants: &mut String, group: &Group) -> Option<String> {
    if group.variables.is_empty() {
        return None;
    }
    let name = format!(
        "{}_VARIABLES",
        non_empty(snake(&group.path.join(" ")), "folder").to_ascii_uppercase()
    );
    let _ = writeln!(constants, "\n{name} = {{");
    var_entries(constants, &group.variables, "PREFIX", "    ");
    constants.push_str("}\n");
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_ascii() {
        assert_eq!(string("a\"b\\c\nd"), r#""a\"b\\c\nd""#);
        assert_eq!(string("é😀"), r#""\u00e9\U0001f600""#);
        assert_eq!(string("\u{1}"), r#""\x01""#);
    }

    #[test]
    fn json_becomes_python() {
        let v: Value = serde_json::from_str(r#"{"a": [1, 2.5, true, null, "x"]}"#).unwrap();
        assert_eq!(json(&v), r#"{"a": [1, 2.5, True, None, "x"]}"#);
    }

    #[test]
    fn templates_render_only_when_they_use_variables() {
        assert_eq!(template("/items"), r#""/items""#);
        assert_eq!(template("/items/{{id}}"), r#"render("/items/{{id}}", v)"#);
    }
}
