//! Reads JSON Schema nodes of any of the three dialects into one [`Schema`] shape.
//!
//! The reader is deliberately lenient about which dialect a keyword belongs to (real documents
//! mix them: 3.1 files with `nullable`, 3.0 files with `examples`), so one code path serves
//! Swagger 2.0, OpenAPI 3.0 and 3.1. `$ref`s are expanded once per target and shared through
//! `Arc`; a reference back into a schema still being expanded becomes a link, and a depth guard
//! bounds chains of references.

use std::sync::Arc;

use crate::build::Ctx;
use crate::model::{AdditionalProperties, Discriminator, Property, Schema};
use crate::pointer::{schema_component_name, Loc};
use crate::store::{DocId, RefError, Store, MAIN};
use crate::tree::{Map, Node};

/// How deep schemas may nest, counting both inline nesting and expanded references. Inline
/// nesting alone is bounded by the reader's limit; this is a backstop.
const MAX_SCHEMA_DEPTH: usize = 128;

/// Past this depth a `$ref` is left as a link instead of being expanded, which bounds long
/// chains of references (A → B → C → ...) without cutting off anything silently.
const MAX_REF_DEPTH: usize = 64;

impl<'s> Ctx<'s> {
    /// Reads the schema at `node` (an object, `true`/`false`, or a `$ref`).
    pub(crate) fn schema(&mut self, doc: DocId, node: &'s Node<'s>, loc: &Loc) -> Arc<Schema> {
        if self.depth >= MAX_SCHEMA_DEPTH {
            if !self.depth_warned {
                self.depth_warned = true;
                self.warn(
                    loc,
                    format!("schemas nest deeper than {MAX_SCHEMA_DEPTH} levels here; the rest is cut off"),
                );
            }
            return Arc::new(Schema::default());
        }
        self.depth += 1;
        let schema = self.schema_at_depth(doc, node, loc);
        self.depth -= 1;
        schema
    }

    /// Reads a schema given as an object that cannot be a `$ref` (a 2.0 parameter or header).
    pub(crate) fn schema_from_map(
        &mut self,
        doc: DocId,
        map: &'s Map<'s>,
        loc: &Loc,
    ) -> Arc<Schema> {
        self.depth += 1;
        let schema = self.schema_object(doc, map, loc);
        self.depth -= 1;
        Arc::new(schema)
    }

    fn schema_at_depth(&mut self, doc: DocId, node: &'s Node<'s>, loc: &Loc) -> Arc<Schema> {
        let map = match node {
            Node::Object(map) => map,
            Node::Bool(true) => return Arc::new(Schema::default()),
            Node::Bool(false) => {
                return Arc::new(Schema {
                    not: Some(Arc::new(Schema::default())),
                    ..Schema::default()
                })
            }
            _ => {
                self.warn(loc, "expected a schema object; read as an empty schema");
                return Arc::new(Schema::default());
            }
        };
        let Some(reference) = map.get("$ref").and_then(Node::as_str) else {
            return Arc::new(self.schema_object(doc, map, loc));
        };
        let target = self.schema_ref(doc, reference, loc);
        if map.len() == 1 {
            return target;
        }
        // Keywords beside `$ref` (3.1 allows them; 3.0 documents use them anyway) refine it.
        let siblings = self.schema_object(doc, map, loc);
        Arc::new(overlay((*target).clone(), siblings))
    }

    /// Expands a `$ref` to a schema, once per target.
    pub(crate) fn schema_ref(&mut self, doc: DocId, reference: &str, loc: &Loc) -> Arc<Schema> {
        let store: &'s Store<'s> = self.store;
        let (target_doc, fragment) = match store.locate(doc, reference) {
            Ok(found) => found,
            Err(RefError::File(reason)) => {
                return self.unresolved(doc, reference, loc, &reason.to_string())
            }
            Err(RefError::Missing) => return self.unresolved(doc, reference, loc, "no such node"),
        };
        let name = ref_name(reference, &fragment);
        if self
            .in_progress
            .iter()
            .any(|(d, f)| *d == target_doc && *f == fragment)
        {
            return Arc::new(Schema {
                ref_name: Some(name),
                recursive: true,
                ..Schema::default()
            });
        }
        if let Some(hit) = self.schema_cache[target_doc].get(&*fragment) {
            return hit.clone();
        }
        let Some(node) = crate::pointer::follow(&store.docs[target_doc].root, &fragment) else {
            let placeholder = Arc::new(Schema {
                ref_name: Some(name),
                ..Schema::default()
            });
            self.schema_cache[target_doc].insert(fragment.into_owned(), placeholder.clone());
            let at = loc.key("$ref");
            self.warn(&at, format!("$ref {reference:?}: no such schema"));
            return placeholder;
        };
        if self.depth >= MAX_REF_DEPTH {
            if !self.depth_warned {
                self.depth_warned = true;
                self.warn(
                    loc,
                    format!("references nest deeper than {MAX_REF_DEPTH} levels here; deeper ones are left as links"),
                );
            }
            return Arc::new(Schema {
                ref_name: Some(name),
                recursive: true,
                ..Schema::default()
            });
        }
        if target_doc != MAIN && schema_component_name(&fragment).is_some() {
            self.other_file_schemas
                .push((target_doc, fragment.clone().into_owned(), name.clone()));
        }
        self.in_progress
            .push((target_doc, fragment.clone().into_owned()));
        let root = Loc::Root(&store.docs[target_doc].label);
        let target_loc = Loc::Raw(&root, &fragment);
        let built = self.schema(target_doc, node, &target_loc);
        self.in_progress.pop();
        let mut schema = Arc::unwrap_or_clone(built);
        schema.ref_name = Some(name.clone());
        let schema = Arc::new(schema);
        self.schema_cache[target_doc].insert(fragment.into_owned(), schema.clone());
        schema
    }

    fn unresolved(&mut self, doc: DocId, reference: &str, loc: &Loc, reason: &str) -> Arc<Schema> {
        if self.unresolved_warned.insert((doc, reference.to_owned())) {
            let at = loc.key("$ref");
            self.warn(&at, format!("$ref {reference:?} not followed: {reason}"));
        }
        let fragment = reference.split_once('#').map_or("", |(_, f)| f);
        Arc::new(Schema {
            ref_name: Some(ref_name(reference, fragment)),
            ..Schema::default()
        })
    }

    /// Reads the keywords of a schema object (everything but `$ref`).
    fn schema_object(&mut self, doc: DocId, map: &'s Map<'s>, loc: &Loc) -> Schema {
        let mut schema = Schema::default();
        let mut types = None;
        let mut example = None;
        let mut exclusive_minimum = None;
        let mut exclusive_maximum = None;
        let mut nullable = false;
        let text = |node: &Node| node.as_str().map(str::to_owned);
        // One pass over the keywords present: schemas are many and mostly small.
        for (key, node) in map.iter() {
            match key {
                "type" => types = Some(node),
                "format" => schema.format = text(node),
                "title" => schema.title = text(node),
                "description" => schema.description = text(node),
                "default" => schema.default = Some(node.to_json()),
                "enum" => {
                    if let Some(values) = node.as_array() {
                        schema.enum_values = values.iter().map(Node::to_json).collect();
                    }
                }
                "const" => schema.const_value = Some(node.to_json()),
                "examples" => {
                    if let Some(values) = node.as_array() {
                        schema.examples = values.iter().map(Node::to_json).collect();
                    }
                }
                "example" => example = Some(node),
                "minimum" => schema.minimum = node.as_f64(),
                "maximum" => schema.maximum = node.as_f64(),
                "exclusiveMinimum" => exclusive_minimum = Some(node),
                "exclusiveMaximum" => exclusive_maximum = Some(node),
                "multipleOf" => schema.multiple_of = node.as_f64(),
                "minLength" => schema.min_length = node.as_u64(),
                "maxLength" => schema.max_length = node.as_u64(),
                "pattern" => schema.pattern = text(node),
                "contentMediaType" => schema.content_media_type = text(node),
                "contentEncoding" => schema.content_encoding = text(node),
                "items" => {
                    let at = loc.key("items");
                    schema.items = match node {
                        // Draft-4 tuple form: describe the first position.
                        Node::Array(tuple) => tuple.first().map(|first| {
                            let first_at = at.index(0);
                            self.schema(doc, first, &first_at)
                        }),
                        one => Some(self.schema(doc, one, &at)),
                    };
                }
                "minItems" => schema.min_items = node.as_u64(),
                "maxItems" => schema.max_items = node.as_u64(),
                "uniqueItems" => schema.unique_items = node.as_bool().unwrap_or(false),
                "properties" => {
                    if let Some(properties) = node.as_object() {
                        let at = loc.key("properties");
                        schema.properties = properties
                            .iter()
                            .map(|(name, node)| {
                                let here = at.key(name);
                                Property {
                                    name: name.to_owned(),
                                    schema: self.schema(doc, node, &here),
                                }
                            })
                            .collect();
                    }
                }
                "required" => {
                    if let Some(required) = node.as_array() {
                        schema.required = required.iter().filter_map(text).collect();
                    }
                }
                "additionalProperties" => {
                    schema.additional_properties = match node {
                        Node::Bool(allowed) => Some(AdditionalProperties::Allowed(*allowed)),
                        Node::Object(_) => {
                            let at = loc.key("additionalProperties");
                            Some(AdditionalProperties::Schema(self.schema(doc, node, &at)))
                        }
                        _ => None,
                    }
                }
                "minProperties" => schema.min_properties = node.as_u64(),
                "maxProperties" => schema.max_properties = node.as_u64(),
                "oneOf" => schema.one_of = self.schema_list(doc, node, key, loc),
                "anyOf" => schema.any_of = self.schema_list(doc, node, key, loc),
                "allOf" => schema.all_of = self.schema_list(doc, node, key, loc),
                "not" => {
                    let at = loc.key("not");
                    schema.not = Some(self.schema(doc, node, &at));
                }
                "discriminator" => schema.discriminator = discriminator(node),
                "readOnly" => schema.read_only = node.as_bool().unwrap_or(false),
                "writeOnly" => schema.write_only = node.as_bool().unwrap_or(false),
                "deprecated" => schema.deprecated = node.as_bool().unwrap_or(false),
                "nullable" | "x-nullable" => nullable |= node.as_bool().unwrap_or(false),
                _ => {}
            }
        }

        match types {
            Some(Node::String(name)) => self.push_type(&mut schema, name, loc),
            Some(Node::Array(names)) => {
                for name in names.iter().filter_map(Node::as_str) {
                    self.push_type(&mut schema, name, loc);
                }
            }
            _ => {}
        }
        if let Some(example) = example {
            schema.examples.push(example.to_json());
        }
        // 3.0 flags the bound itself as exclusive; 3.1 gives the exclusive bound.
        match exclusive_minimum {
            Some(Node::Bool(true)) => schema.exclusive_minimum = schema.minimum.take(),
            Some(bound) => schema.exclusive_minimum = bound.as_f64(),
            None => {}
        }
        match exclusive_maximum {
            Some(Node::Bool(true)) => schema.exclusive_maximum = schema.maximum.take(),
            Some(bound) => schema.exclusive_maximum = bound.as_f64(),
            None => {}
        }
        if nullable {
            mark_nullable(&mut schema);
        }
        if schema.types.iter().any(|t| t == "null")
            || schema.any_of.iter().any(|s| is_null_only(s))
            || schema.one_of.iter().any(|s| is_null_only(s))
        {
            schema.nullable = true;
        }
        schema
    }

    fn schema_list(
        &mut self,
        doc: DocId,
        node: &'s Node<'s>,
        key: &str,
        loc: &Loc,
    ) -> Vec<Arc<Schema>> {
        let Some(items) = node.as_array() else {
            return Vec::new();
        };
        let at = loc.key(key);
        items
            .iter()
            .enumerate()
            .map(|(i, node)| {
                let here = at.index(i);
                self.schema(doc, node, &here)
            })
            .collect()
    }

    /// Adds a type name, repairing the misspellings generators are known for.
    fn push_type(&mut self, schema: &mut Schema, name: &str, loc: &Loc) {
        let normal = match name {
            "string" | "number" | "integer" | "boolean" | "array" | "object" | "null" => name,
            // Swagger 2.0 files are strings in a schema; the model says so with a format.
            "file" => {
                schema.format.get_or_insert_with(|| "binary".to_owned());
                "string"
            }
            "int" | "long" => "integer",
            "bool" => "boolean",
            "str" => "string",
            "float" | "double" => "number",
            "dict" | "map" => "object",
            "list" => "array",
            other => {
                let at = loc.key("type");
                self.warn(&at, format!("unknown type {other:?}; ignored"));
                return;
            }
        };
        if normal != name && name != "file" {
            let at = loc.key("type");
            self.warn(
                &at,
                format!("type {name:?} is not a JSON Schema type; read as {normal:?}"),
            );
        }
        if !schema.types.iter().any(|t| t == normal) {
            schema.types.push(normal.to_owned());
        }
    }
}

fn discriminator(node: &Node) -> Option<Discriminator> {
    let property_name = node.get_str("propertyName")?;
    let mapping = node
        .get("mapping")
        .and_then(Node::as_object)
        .map(|mapping| {
            mapping
                .iter()
                .filter_map(|(k, v)| Some((k.to_owned(), v.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    Some(Discriminator {
        property_name: property_name.to_owned(),
        mapping,
    })
}

/// Adds "null" to a schema that allows it (to `types` only when they restrict anything).
fn mark_nullable(schema: &mut Schema) {
    schema.nullable = true;
    if !schema.types.is_empty() && !schema.types.iter().any(|t| t == "null") {
        schema.types.push("null".to_owned());
    }
}

fn is_null_only(schema: &Schema) -> bool {
    schema.types.len() == 1 && schema.types[0] == "null"
}

/// The `ref_name` for a reference: the component name, or the reference as written.
fn ref_name(reference: &str, fragment: &str) -> String {
    match schema_component_name(fragment) {
        Some(name) => name.into_owned(),
        None => reference.to_owned(),
    }
}

/// `base` refined by the keywords `top` sets.
fn overlay(mut base: Schema, top: Schema) -> Schema {
    macro_rules! take_some {
        ($($field:ident),*) => {$( if top.$field.is_some() { base.$field = top.$field; } )*};
    }
    macro_rules! take_nonempty {
        ($($field:ident),*) => {$( if !top.$field.is_empty() { base.$field = top.$field; } )*};
    }
    macro_rules! take_true {
        ($($field:ident),*) => {$( base.$field |= top.$field; )*};
    }
    take_some!(
        format,
        title,
        description,
        default,
        const_value,
        minimum,
        maximum,
        exclusive_minimum,
        exclusive_maximum,
        multiple_of,
        min_length,
        max_length,
        pattern,
        content_media_type,
        content_encoding,
        items,
        min_items,
        max_items,
        additional_properties,
        min_properties,
        max_properties,
        not,
        discriminator
    );
    take_nonempty!(
        enum_values,
        examples,
        properties,
        required,
        one_of,
        any_of,
        all_of
    );
    take_true!(unique_items, read_only, write_only, deprecated);
    if !top.types.is_empty() {
        base.types = top.types;
    }
    if top.nullable {
        mark_nullable(&mut base);
    }
    base
}
