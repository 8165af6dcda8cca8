//! The guarded readers that fill the tree from JSON or YAML text. Owning the visitor lets us
//! bound what hostile input can cost: nesting depth (with the JSON pointer of the culprit) and,
//! for YAML, the nodes and the bytes of text that aliases expand to; and it lets the outline's
//! reader skip what the outline does not need while checking it all the same.

mod guard;
mod keep;
mod seed;

use serde::de::DeserializeSeed;

use super::prescan;
use super::Node;
use crate::error::{ImportError, MAX_NESTING};
use guard::{Abort, Guard};
use keep::Keep;
use seed::NodeSeed;

/// Whether text is JSON (starts with `{` or `[`) rather than YAML; JSON errors read better from
/// the JSON parser even though YAML would accept most JSON too.
fn looks_like_json(text: &str) -> bool {
    matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'['))
}

/// Parses JSON or YAML (detected) into a tree, enforcing the nesting and expansion limits.
pub(crate) fn parse(text: &str) -> Result<Node<'_>, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if looks_like_json(text) {
        parse_json(text, Keep::All)
    } else {
        parse_yaml(text)
    }
}

/// Reads a JSON document keeping only what the explorer's outline needs (see [`Keep`]): paths,
/// methods, the few words of each operation, schema names, and the small top-level sections.
/// Everything else is checked as it is read, with the same limits as [`parse`], so this fails
/// exactly when reading the whole document would. `None` for YAML (skipping saves little there:
/// its parser is the costly part).
pub(crate) fn parse_outline(text: &str) -> Option<Result<Node<'_>, ImportError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    looks_like_json(text).then(|| parse_json(text, Keep::OutlineRoot))
}

fn parse_json(text: &str, keep: Keep) -> Result<Node<'_>, ImportError> {
    let guard = Guard::new(usize::MAX, usize::MAX, false);
    let mut de = serde_json::Deserializer::from_str(text);
    let result = NodeSeed {
        guard: &guard,
        depth: 0,
        keep,
    }
    .deserialize(&mut de)
    .and_then(|node| de.end().map(|()| node));
    result.map_err(|err| {
        let (line, column) = (err.line(), err.column());
        let message = strip_location(&err.to_string(), line, column);
        // serde_json says column 0 for "before the first character" (after a newline).
        guard.into_error(line.max(1), column.max(1), message)
    })
}

/// How many nodes a YAML text may expand to: generous for anchors used for reuse (block YAML
/// spends several bytes per node), hopeless for exponential alias expansion.
fn yaml_node_budget(text: &str) -> usize {
    text.len().saturating_mul(2).saturating_add(10_000)
}

/// How many bytes of keys and strings a YAML text may expand to. Without aliases a document's
/// strings are shorter than its text (escapes such as `\L` grow at most 3 bytes from 2), so
/// only aliases can exceed this: it stops one big string repeated by thousands of aliases,
/// which counts as few nodes.
fn yaml_byte_budget(text: &str) -> usize {
    text.len().saturating_mul(2).saturating_add(8 << 20)
}

fn parse_yaml(text: &str) -> Result<Node<'_>, ImportError> {
    if text.trim().is_empty() {
        return Err(ImportError::NotOpenApi {
            pointer: String::new(),
            reason: "the document is empty".into(),
        });
    }
    if let Some(deep) = prescan::flow_too_deep(text, MAX_NESTING) {
        return Err(too_deep_flow(text, deep));
    }
    parse_yaml_checked(text)
}

/// The error for flow nesting the pre-scan found too deep, without parsing the rest: the text
/// up to there with its brackets closed nests past the cap just the same, so our reader reports
/// it with the pointer, line and column it would give for the whole text, at a small cost.
fn too_deep_flow(text: &str, deep: prescan::TooDeep) -> ImportError {
    let closed = format!("{}{}\n", &text[..deep.end], deep.closers);
    let before = &text[..deep.end];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |at| at + 1)..]
        .chars()
        .count();
    match parse_yaml_checked(&closed) {
        Err(err @ ImportError::TooDeep { .. }) => err,
        // A syntax error before the cut is in the whole text too (the parser reads in order).
        Err(err @ ImportError::Syntax { .. }) if matches!(err, ImportError::Syntax { line: l, column: c, .. } if (l, c) < (line, column)) => {
            err
        }
        // The cut text is not valid YAML there (or the scan misjudged it): say where it nests.
        _ => ImportError::TooDeep {
            pointer: String::new(),
            line,
            column,
        },
    }
}

fn parse_yaml_checked(text: &str) -> Result<Node<'_>, ImportError> {
    let guard = Guard::new(yaml_node_budget(text), yaml_byte_budget(text), true);
    let de = serde_norway::Deserializer::from_str(text);
    let result = NodeSeed {
        guard: &guard,
        depth: 0,
        keep: Keep::All,
    }
    .deserialize(de);
    result.map_err(|err| {
        let message = err.to_string();
        let (line, column) = match err.location() {
            Some(at) => (at.line(), at.column()),
            None if message.contains("more than one document") => (second_document_line(text), 1),
            None => (1, 1),
        };
        if guard.abort.get().is_none() {
            // serde_norway's own limits, in case ours did not fire first.
            if message.contains("repetition limit exceeded") {
                guard.abort.set(Some(Abort::Nodes));
            } else if message.contains("recursion limit exceeded") {
                guard.abort.set(Some(Abort::Depth));
            }
        }
        guard.into_error(line, column, strip_location(&message, line, column))
    })
}

/// The line of the `---` that starts a second YAML document (the first may start with one).
fn second_document_line(text: &str) -> usize {
    let mut seen_content = false;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed.starts_with("--- ") {
            if seen_content {
                return i + 1;
            }
        } else if !trimmed.is_empty() && !trimmed.starts_with('#') && !trimmed.starts_with('%') {
            seen_content = true;
        }
    }
    1
}

/// Drops the " at line L column C" a parser appends, since the error carries them as fields.
fn strip_location(message: &str, line: usize, column: usize) -> String {
    let suffix = format!(" at line {line} column {column}");
    match message.find(&suffix) {
        Some(at) => format!("{}{}", &message[..at], &message[at + suffix.len()..]),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys<'n>(node: &'n Node<'_>) -> Vec<&'n str> {
        node.as_object().unwrap().iter().map(|(k, _)| k).collect()
    }

    #[test]
    fn keeps_document_order() {
        let json = parse(r#"{"z": 1, "a": 2, "m": {"y": 1, "b": 2}}"#).unwrap();
        assert_eq!(keys(&json), ["z", "a", "m"]);
        let yaml = parse("z: 1\na: 2\nm:\n  y: 1\n  b: 2\n").unwrap();
        assert_eq!(keys(&yaml), ["z", "a", "m"]);
        assert_eq!(keys(yaml.get("m").unwrap()), ["y", "b"]);
    }

    #[test]
    fn yaml_keys_are_text() {
        let yaml = parse("200:\n  a: 1\n404: x\ntrue: y\n").unwrap();
        assert_eq!(keys(&yaml), ["200", "404", "true"]);
    }

    #[test]
    fn duplicate_keys_keep_last_value() {
        let json = parse(r#"{"a": 1, "b": 2, "a": 3}"#).unwrap();
        assert_eq!(keys(&json), ["a", "b"]);
        assert_eq!(json.get("a").unwrap().as_u64(), Some(3));
        let mut text = String::from("{");
        for i in 0..40 {
            text.push_str(&format!("\"k{}\": {i},", i % 20));
        }
        text.push_str("\"last\": 0}");
        let big = parse(&text).unwrap();
        assert_eq!(big.as_object().unwrap().len(), 21);
        assert_eq!(big.get("k3").unwrap().as_u64(), Some(23));
    }

    #[test]
    fn yaml_merge_keys() {
        let yaml = parse("base: &b {x: 1, y: 2}\nchild:\n  <<: *b\n  y: 3\n").unwrap();
        let child = yaml.get("child").unwrap();
        assert_eq!(keys(child), ["y", "x"]);
        assert_eq!(child.get("y").unwrap().as_u64(), Some(3));
    }

    #[test]
    fn yaml_scalars() {
        let yaml = parse("a: 3.0\nb: ~\nc: .inf\nd: !custom tagged\n").unwrap();
        assert_eq!(yaml.get("a").unwrap().scalar_text().as_deref(), Some("3.0"));
        assert_eq!(yaml.get("b"), Some(&Node::Null));
        assert!(matches!(yaml.get("c"), Some(Node::String(_))));
        assert_eq!(yaml.get_str("d"), Some("tagged"));
    }

    #[test]
    fn strips_reported_location() {
        assert_eq!(
            strip_location("EOF while parsing an object at line 3 column 1", 3, 1),
            "EOF while parsing an object"
        );
        assert_eq!(strip_location("odd", 1, 1), "odd");
    }

    #[test]
    fn the_outline_reader_keeps_what_the_outline_reads() {
        let text = r#"{"openapi": "3.1.0", "info": {"title": "T"}, "servers": [{"url": "/v1"}],
            "paths": {"/a": {"parameters": [{"name": "p"}], "get": {"operationId": "x",
              "tags": ["t"], "responses": {"200": {"description": "ok"}}}}},
            "components": {"schemas": {"S": {"type": "object"}}, "responses": {"R": {}}}}"#;
        let node = parse_outline(text).unwrap().unwrap();
        let whole = parse(text).unwrap();
        for key in ["openapi", "info", "servers"] {
            assert_eq!(node.get(key), whole.get(key), "{key}");
        }
        let item = node.get("paths").and_then(|p| p.get("/a")).unwrap();
        assert_eq!(item.get("parameters"), Some(&Node::Null));
        let get = item.get("get").unwrap();
        assert_eq!(get.get_str("operationId"), Some("x"));
        assert_eq!(
            get.get("tags"),
            whole
                .get("paths")
                .unwrap()
                .get("/a")
                .unwrap()
                .get("get")
                .unwrap()
                .get("tags")
        );
        assert_eq!(get.get("responses"), Some(&Node::Null));
        let components = node.get("components").unwrap();
        assert_eq!(keys(components.get("schemas").unwrap()), ["S"]);
        assert_eq!(
            components.get("schemas").unwrap().get("S"),
            Some(&Node::Null)
        );
        assert_eq!(components.get("responses"), Some(&Node::Null));
        assert!(
            parse_outline("openapi: 3.1.0").is_none(),
            "YAML is read whole"
        );
    }

    #[test]
    fn the_outline_reader_fails_where_the_whole_reader_does() {
        let deep = format!(
            r#"{{"openapi": "3.1.0", "components": {{"schemas": {{"A": {}{}}}}}}}"#,
            "[".repeat(MAX_NESTING + 5),
            "]".repeat(MAX_NESTING + 5)
        );
        let truncated = r#"{"openapi": "3.1.0", "paths": {"/a": {"get": {"#;
        let bad_escape = r#"{"openapi": "3.1.0", "x": {"y": "\q"}}"#;
        for text in [deep.as_str(), truncated, bad_escape] {
            let whole = parse(text).unwrap_err().to_string();
            let outline = parse_outline(text).unwrap().unwrap_err().to_string();
            assert_eq!(outline, whole);
        }
    }
}
