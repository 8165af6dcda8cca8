//! JSON pointers (RFC 6901): escaping, following one into a tree, and a lazy "where am I".
//!
//! The importer needs a pointer only when it has something to report, so while walking it keeps
//! a chain of borrowed segments on the stack ([`Loc`]) and renders a string only on demand.

use std::borrow::Cow;

use crate::tree::Node;

/// Where a node sits: a chain of segments back to a document root, rendered only when needed.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Loc<'a> {
    /// A document root; the label is empty for the main document, `file#` for others.
    Root(&'a str),
    Key(&'a Loc<'a>, &'a str),
    Index(&'a Loc<'a>, usize),
    /// An already escaped pointer suffix, like the fragment of a `$ref`.
    Raw(&'a Loc<'a>, &'a str),
}

impl<'a> Loc<'a> {
    pub(crate) fn key(&'a self, key: &'a str) -> Loc<'a> {
        Loc::Key(self, key)
    }

    pub(crate) fn index(&'a self, index: usize) -> Loc<'a> {
        Loc::Index(self, index)
    }

    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match *self {
            Loc::Root(label) => out.push_str(label),
            Loc::Key(parent, key) => {
                parent.write(out);
                out.push('/');
                push_escaped(out, key);
            }
            Loc::Index(parent, index) => {
                parent.write(out);
                out.push('/');
                out.push_str(&index.to_string());
            }
            Loc::Raw(parent, raw) => {
                parent.write(out);
                out.push_str(raw);
            }
        }
    }
}

/// Appends `segment` escaped for a JSON pointer (`~` → `~0`, `/` → `~1`).
pub(crate) fn push_escaped(out: &mut String, segment: &str) {
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// Builds a pointer from unescaped segments.
pub(crate) fn pointer_of(segments: &[&str]) -> String {
    let mut out = String::new();
    for segment in segments {
        out.push('/');
        push_escaped(&mut out, segment);
    }
    out
}

/// Undoes `~1` and `~0` (in that order, as RFC 6901 requires).
pub(crate) fn unescape(segment: &str) -> Cow<'_, str> {
    if segment.contains('~') {
        Cow::Owned(segment.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(segment)
    }
}

/// Decodes `%XX` escapes of a URI fragment; fragments without `%` are returned as they are.
pub(crate) fn percent_decode(text: &str) -> Cow<'_, str> {
    if !text.contains('%') {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                out.push(high << 4 | low);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(decoded) => Cow::Owned(decoded),
        Err(_) => Cow::Borrowed(text),
    }
}

fn hex_value(byte: u8) -> Option<u8> {
    (byte as char).to_digit(16).map(|digit| digit as u8)
}

/// Follows a JSON pointer (already percent-decoded, `""` = the root) into `root`.
pub(crate) fn follow<'n, 'a>(root: &'n Node<'a>, pointer: &str) -> Option<&'n Node<'a>> {
    if pointer.is_empty() {
        return Some(root);
    }
    let rest = pointer.strip_prefix('/')?;
    let mut node = root;
    for raw in rest.split('/') {
        let segment = unescape(raw);
        node = match node {
            Node::Object(map) => map.get(&segment)?,
            Node::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// The component name when `pointer` is `/components/schemas/NAME` or `/definitions/NAME`.
pub(crate) fn schema_component_name(pointer: &str) -> Option<Cow<'_, str>> {
    let name = pointer
        .strip_prefix("/components/schemas/")
        .or_else(|| pointer.strip_prefix("/definitions/"))?;
    if name.is_empty() || name.contains('/') {
        return None;
    }
    Some(unescape(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_round_trip() {
        let pointer = pointer_of(&["paths", "/pets/{id}", "a~b"]);
        assert_eq!(pointer, "/paths/~1pets~1{id}/a~0b");
        assert_eq!(unescape("~01"), "~1");
        assert_eq!(unescape("~1pets"), "/pets");
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(
            percent_decode("/paths/~1pets~1%7Bid%7D"),
            "/paths/~1pets~1{id}"
        );
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }

    #[test]
    fn renders_chains() {
        let root = Loc::Root("");
        let paths = root.key("paths");
        let path = paths.key("/a/{b}");
        let item = path.index(2);
        assert_eq!(item.render(), "/paths/~1a~1{b}/2");
        let other = Loc::Root("common.yaml#");
        let raw = Loc::Raw(&other, "/components/schemas/X");
        assert_eq!(raw.key("y").render(), "common.yaml#/components/schemas/X/y");
    }

    #[test]
    fn component_names() {
        assert_eq!(
            schema_component_name("/components/schemas/Pet").as_deref(),
            Some("Pet")
        );
        assert_eq!(
            schema_component_name("/definitions/a~1b").as_deref(),
            Some("a/b")
        );
        assert_eq!(
            schema_component_name("/components/schemas/Pet/properties"),
            None
        );
        assert_eq!(schema_component_name("/paths/x"), None);
    }
}
