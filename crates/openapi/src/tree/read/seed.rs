//! The serde visitors that build a [`Node`] while counting every node, byte and level against
//! the [`Guard`]: values through [`NodeSeed`], mapping keys (always text) through [`KeySeed`].

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::guard::{Abort, Guard};
use super::keep::Keep;
use crate::error::MAX_NESTING;
use crate::tree::{Map, Node};

pub(super) struct NodeSeed<'g, 'de> {
    pub(super) guard: &'g Guard<'de>,
    pub(super) depth: usize,
    pub(super) keep: Keep,
}

impl<'de> DeserializeSeed<'de> for NodeSeed<'_, 'de> {
    type Value = Node<'de>;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Node<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'g, 'de> NodeSeed<'g, 'de> {
    /// The seed for this value's children, or an error when they would nest too deep.
    fn child<E: de::Error>(&self) -> Result<NodeSeed<'g, 'de>, E> {
        if self.depth >= MAX_NESTING {
            self.guard.abort.set(Some(Abort::Depth));
            return Err(E::custom(format!(
                "nesting deeper than {MAX_NESTING} levels"
            )));
        }
        Ok(NodeSeed {
            guard: self.guard,
            depth: self.depth + 1,
            keep: self.keep,
        })
    }
}

impl<'de> Visitor<'de> for NodeSeed<'_, 'de> {
    type Value = Node<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON or YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node<'de>, E> {
        self.guard.count()?;
        Ok(Node::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node<'de>, E> {
        self.guard.count()?;
        Ok(Node::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node<'de>, E> {
        self.guard.count()?;
        Ok(Node::Number(v.into()))
    }

    // Integers past 64 bits (YAML hands them over as such) become floats, as serde_json reads
    // them from JSON.
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Node<'de>, E> {
        self.visit_f64(v as f64)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Node<'de>, E> {
        self.visit_f64(v as f64)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node<'de>, E> {
        self.guard.count()?;
        // YAML's .inf and .nan have no JSON form; keep their text.
        Ok(serde_json::Number::from_f64(v)
            .map_or_else(|| Node::String(Cow::Owned(v.to_string())), Node::Number))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Node<'de>, E> {
        self.guard.count_str(v.len())?;
        Ok(Node::String(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node<'de>, E> {
        self.guard.count_str(v.len())?;
        if self.keep == Keep::Nothing {
            return Ok(Node::Null);
        }
        Ok(Node::String(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Node<'de>, E> {
        self.guard.count_str(v.len())?;
        Ok(Node::String(Cow::Owned(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node<'de>, E> {
        self.guard.count()?;
        Ok(Node::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Node<'de>, E> {
        self.visit_unit()
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Node<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node<'de>, A::Error> {
        self.guard.count()?;
        let child = self.child()?;
        let start = self.guard.items.borrow().len();
        let keep = self.keep.item();
        let mut index = 0;
        loop {
            let seed = NodeSeed {
                guard: child.guard,
                depth: child.depth,
                keep,
            };
            match seq.next_element_seed(seed) {
                Ok(Some(_)) if self.keep == Keep::Nothing => {}
                Ok(Some(item)) => self.guard.items.borrow_mut().push(item),
                Ok(None) => break,
                Err(err) => return Err(self.guard.note(|| index.to_string(), err)),
            }
            index += 1;
        }
        if self.keep == Keep::Nothing {
            return Ok(Node::Null);
        }
        let items: Vec<Node<'de>> = self.guard.items.borrow_mut().drain(start..).collect();
        Ok(Node::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Node<'de>, A::Error> {
        self.guard.count()?;
        let child = self.child()?;
        let start = self.guard.entries.borrow().len();
        while let Some(key) = access.next_key_seed(KeySeed(self.guard))? {
            let seed = NodeSeed {
                guard: child.guard,
                depth: child.depth,
                keep: self.keep.value_of(&key),
            };
            match access.next_value_seed(seed) {
                Ok(_) if self.keep == Keep::Nothing => {}
                Ok(value) => self.guard.entries.borrow_mut().push((key, value)),
                Err(err) => return Err(self.guard.note(|| key.into_owned(), err)),
            }
        }
        if self.keep == Keep::Nothing {
            return Ok(Node::Null);
        }
        let entries: Vec<_> = self.guard.entries.borrow_mut().drain(start..).collect();
        Ok(Node::Object(Map::from_entries(entries, self.guard.yaml)))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Node<'de>, A::Error> {
        // A YAML value with a custom tag (`!foo bar`): the tag means nothing to OpenAPI.
        use de::VariantAccess;
        let (_tag, variant) = data.variant_seed(KeySeed(self.guard))?;
        variant.newtype_variant_seed(self)
    }
}

/// Reads a mapping key as text: YAML's `200:` is a number to a YAML parser but a status code
/// to us, so keys are taken as written. Their bytes count against the byte budget too (an
/// alias may stand for a key).
struct KeySeed<'g, 'de>(&'g Guard<'de>);

impl<'de> DeserializeSeed<'de> for KeySeed<'_, 'de> {
    type Value = Cow<'de, str>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_, 'de> {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        self.0.count_bytes(v.len())?;
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.0.count_bytes(v.len())?;
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        self.0.count_bytes(v.len())?;
        Ok(Cow::Owned(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed("null"))
    }
}
