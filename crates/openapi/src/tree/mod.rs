//! The generic value tree a document is read into (its readers are in `read.rs`).
//!
//! We read into our own [`Node`] rather than `serde_json::Value` because Swagger UI shows paths,
//! operations and properties in document order, and `serde_json::Map` sorts its keys unless the
//! workspace-wide `preserve_order` feature is on (which would change every other crate's JSON).

mod prescan;
mod read;

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::Value;

pub(crate) use read::{parse, parse_outline};

/// One value of a JSON or YAML document. Strings borrow from the text when they can (no
/// escapes), which saves most of the allocations of reading a large document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node<'a> {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(Cow<'a, str>),
    Array(Vec<Node<'a>>),
    Object(Map<'a>),
}

/// An object that keeps its keys in document order.
///
/// Most objects are small and looked up by scanning; the few big ones (`paths`,
/// `components/schemas`) get a hash index so resolving thousands of `$ref`s stays linear.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Map<'a> {
    entries: Vec<(Cow<'a, str>, Node<'a>)>,
    // Boxed so every `Node` stays small; only the few big objects have an index.
    #[allow(clippy::box_collection)]
    index: Option<Box<HashMap<Box<str>, usize>>>,
}

const INDEX_FROM: usize = 12;

impl<'a> Map<'a> {
    /// Builds a map from entries in document order: a repeated key keeps its first position and
    /// its last value; with `yaml`, merge keys (`<<: *base`) are applied.
    fn from_entries(entries: Vec<(Cow<'a, str>, Node<'a>)>, yaml: bool) -> Map<'a> {
        let has_merge = yaml && entries.iter().any(|(k, _)| k == "<<");
        if !has_merge {
            if entries.len() < INDEX_FROM {
                let unique = entries
                    .iter()
                    .enumerate()
                    .all(|(i, (key, _))| entries[..i].iter().all(|(k, _)| k != key));
                if unique {
                    return Map {
                        entries,
                        index: None,
                    };
                }
            } else {
                let mut index = HashMap::with_capacity(entries.len());
                let unique = entries
                    .iter()
                    .enumerate()
                    .all(|(i, (key, _))| index.insert(Box::from(&**key), i).is_none());
                if unique {
                    return Map {
                        entries,
                        index: Some(Box::new(index)),
                    };
                }
            }
        }
        let mut map = Map::default();
        let mut merges = Vec::new();
        for (key, value) in entries {
            if has_merge && key == "<<" {
                merges.push(value);
            } else {
                map.insert(key, value);
            }
        }
        // Explicit keys win over merged ones, and earlier merges over later ones.
        for merge in merges {
            let sources = match merge {
                Node::Array(items) => items,
                other => vec![other],
            };
            for source in sources {
                if let Node::Object(source) = source {
                    for (key, value) in source.entries {
                        if map.get(&key).is_none() {
                            map.insert(key, value);
                        }
                    }
                }
            }
        }
        map
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Node<'a>> {
        match &self.index {
            Some(index) => index.get(key).map(|&i| &self.entries[i].1),
            None => self
                .entries
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, value)| value),
        }
    }

    pub(crate) fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key)?.as_str()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &Node<'a>)> {
        self.entries.iter().map(|(k, v)| (&**k, v))
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Inserts or replaces (a repeated key keeps its first position and its last value).
    fn insert(&mut self, key: Cow<'a, str>, value: Node<'a>) {
        if let Some(index) = &mut self.index {
            if let Some(&i) = index.get(&*key) {
                self.entries[i].1 = value;
            } else {
                index.insert(Box::from(&*key), self.entries.len());
                self.entries.push((key, value));
            }
            return;
        }
        if let Some(slot) = self.entries.iter_mut().find(|(k, _)| *k == key) {
            slot.1 = value;
            return;
        }
        self.entries.push((key, value));
        if self.entries.len() >= INDEX_FROM {
            let index = self
                .entries
                .iter()
                .enumerate()
                .map(|(i, (k, _))| (Box::from(&**k), i))
                .collect();
            self.index = Some(Box::new(index));
        }
    }

    fn into_owned(self) -> Map<'static> {
        Map {
            entries: self
                .entries
                .into_iter()
                .map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_owned()))
                .collect(),
            index: self.index,
        }
    }
}

impl<'a> Node<'a> {
    /// Detaches the tree from the text it was read from.
    pub(crate) fn into_owned(self) -> Node<'static> {
        match self {
            Node::Null => Node::Null,
            Node::Bool(b) => Node::Bool(b),
            Node::Number(n) => Node::Number(n),
            Node::String(s) => Node::String(Cow::Owned(s.into_owned())),
            Node::Array(items) => Node::Array(items.into_iter().map(Node::into_owned).collect()),
            Node::Object(map) => Node::Object(map.into_owned()),
        }
    }

    pub(crate) fn as_object(&self) -> Option<&Map<'a>> {
        match self {
            Node::Object(map) => Some(map),
            _ => None,
        }
    }

    pub(crate) fn as_array(&self) -> Option<&[Node<'a>]> {
        match self {
            Node::Array(items) => Some(items),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Node::String(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self {
            Node::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub(crate) fn as_f64(&self) -> Option<f64> {
        match self {
            Node::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    pub(crate) fn as_u64(&self) -> Option<u64> {
        match self {
            Node::Number(n) => n.as_u64().or_else(|| {
                n.as_f64()
                    .filter(|f| *f >= 0.0 && f.fract() == 0.0 && *f < u64::MAX as f64)
                    .map(|f| f as u64)
            }),
            _ => None,
        }
    }

    /// `self[key]` when `self` is an object.
    pub(crate) fn get(&self, key: &str) -> Option<&Node<'a>> {
        self.as_object()?.get(key)
    }

    pub(crate) fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key)?.as_str()
    }

    pub(crate) fn get_bool(&self, key: &str) -> Option<bool> {
        self.get(key)?.as_bool()
    }

    /// A scalar as text: how versions like `openapi: 3.0` (a YAML float) are read.
    pub(crate) fn scalar_text(&self) -> Option<String> {
        match self {
            Node::String(s) => Some(s.to_string()),
            Node::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// Converts to a `serde_json::Value` for the model's example/default/enum slots.
    pub(crate) fn to_json(&self) -> Value {
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(n) => Value::Number(n.clone()),
            Node::String(s) => Value::String(s.to_string()),
            Node::Array(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            Node::Object(map) => Value::Object(
                map.iter()
                    .map(|(key, value)| (key.to_owned(), value.to_json()))
                    .collect(),
            ),
        }
    }
}
