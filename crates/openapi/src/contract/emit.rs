//! The normalised [`Schema`] written back out as a JSON Schema 2020-12 document for the
//! validator. The importer already translated the dialects (3.0 `nullable` and boolean
//! exclusive bounds, Swagger 2.0's shapes); what is left here is to say it in 2020-12 words.
//!
//! Each named component a schema uses goes once into `$defs` (under a short key, `d0`, `d1`,
//! ...) and is referred to there, so a component used a thousand times is written once and a
//! recursive one (the importer's `recursive: true` link) closes into a `$ref` loop the
//! validator follows as deep as the instance goes. Nodes written are counted against a budget.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::ContractError;
use crate::model::{AdditionalProperties, ApiSpec, Schema};

/// The most schema nodes one generated document may hold.
pub const MAX_SCHEMA_NODES: usize = 200_000;

/// The deepest inline nesting written (named components restart the count: they are `$ref`s).
pub const MAX_SCHEMA_DEPTH: usize = 128;

/// A generated document and the component name behind each `$defs` key.
pub(crate) struct Emitted {
    pub document: Value,
    /// `d0` → `Item`.
    pub defs: Vec<String>,
}

struct Emitter<'a> {
    spec: &'a ApiSpec,
    /// Component name → its `$defs` key.
    keys: HashMap<String, String>,
    names: Vec<String>,
    pending: Vec<(String, Arc<Schema>)>,
    nodes: usize,
}

/// Writes `schema` (a response body's, from `spec`) as a 2020-12 document.
pub(crate) fn emit(spec: &ApiSpec, schema: &Arc<Schema>) -> Result<Emitted, ContractError> {
    let mut emitter = Emitter {
        spec,
        keys: HashMap::new(),
        names: Vec::new(),
        pending: Vec::new(),
        nodes: 0,
    };
    let root = emitter.node(schema, 0)?;
    let mut defs = Map::new();
    while let Some((key, named)) = emitter.pending.pop() {
        let body = emitter.body(&named, 0)?;
        defs.insert(key, body);
    }
    let mut document = match root {
        Value::Object(map) => map,
        other => {
            let mut map = Map::new();
            map.insert("allOf".into(), json!([other]));
            map
        }
    };
    document.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    if !defs.is_empty() {
        document.insert("$defs".into(), Value::Object(defs));
    }
    Ok(Emitted {
        document: Value::Object(document),
        defs: emitter.names,
    })
}

impl Emitter<'_> {
    /// The `$defs` key for the component `name`, queued for writing the first time.
    fn reference(&mut self, name: &str) -> Option<Value> {
        if let Some(key) = self.keys.get(name) {
            return Some(json!({ "$ref": format!("#/$defs/{key}") }));
        }
        let named = self.spec.schemas.iter().find(|s| s.name == name)?;
        let key = format!("d{}", self.names.len());
        self.names.push(name.to_owned());
        self.keys.insert(name.to_owned(), key.clone());
        self.pending.push((key.clone(), named.schema.clone()));
        Some(json!({ "$ref": format!("#/$defs/{key}") }))
    }

    /// A node: a `$ref` to its component when it is one (or a link back into one), else inline.
    fn node(&mut self, schema: &Arc<Schema>, depth: usize) -> Result<Value, ContractError> {
        if let Some(name) = &schema.ref_name {
            let is_component =
                self.spec.schemas.iter().any(|s| {
                    &s.name == name && (schema.recursive || Arc::ptr_eq(&s.schema, schema))
                });
            if is_component {
                if let Some(reference) = self.reference(name) {
                    self.count()?;
                    return Ok(reference);
                }
            }
            if schema.recursive {
                // A link to something that is not a component: nothing to check it against.
                return Ok(Value::Bool(true));
            }
        }
        self.body(schema, depth)
    }

    fn count(&mut self) -> Result<(), ContractError> {
        self.nodes += 1;
        if self.nodes > MAX_SCHEMA_NODES {
            return Err(ContractError::SchemaTooLarge {
                limit: MAX_SCHEMA_NODES,
            });
        }
        Ok(())
    }

    fn list(&mut self, list: &[Arc<Schema>], depth: usize) -> Result<Value, ContractError> {
        list.iter()
            .map(|s| self.node(s, depth + 1))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array)
    }

    /// The keywords of `schema` itself.
    fn body(&mut self, schema: &Schema, depth: usize) -> Result<Value, ContractError> {
        self.count()?;
        if depth > MAX_SCHEMA_DEPTH {
            return Err(ContractError::SchemaTooDeep {
                limit: MAX_SCHEMA_DEPTH,
            });
        }
        let mut out = Map::new();
        match schema.types.as_slice() {
            [] => {}
            [one] => {
                out.insert("type".into(), json!(one));
            }
            many => {
                out.insert("type".into(), json!(many));
            }
        }
        if let Some(format) = &schema.format {
            out.insert("format".into(), json!(format));
        }
        if !schema.enum_values.is_empty() {
            let mut values = schema.enum_values.clone();
            if schema.nullable && !values.contains(&Value::Null) {
                values.push(Value::Null);
            }
            out.insert("enum".into(), Value::Array(values));
        }
        if let Some(value) = &schema.const_value {
            out.insert("const".into(), value.clone());
        }
        let numbers = [
            ("minimum", schema.minimum),
            ("maximum", schema.maximum),
            ("exclusiveMinimum", schema.exclusive_minimum),
            ("exclusiveMaximum", schema.exclusive_maximum),
            ("multipleOf", schema.multiple_of),
        ];
        for (key, value) in numbers {
            if let Some(n) = value.and_then(serde_json::Number::from_f64) {
                out.insert(key.into(), Value::Number(whole(n)));
            }
        }
        let counts = [
            ("minLength", schema.min_length),
            ("maxLength", schema.max_length),
            ("minItems", schema.min_items),
            ("maxItems", schema.max_items),
            ("minProperties", schema.min_properties),
            ("maxProperties", schema.max_properties),
        ];
        for (key, value) in counts {
            if let Some(n) = value {
                out.insert(key.into(), json!(n));
            }
        }
        if let Some(pattern) = &schema.pattern {
            out.insert("pattern".into(), json!(pattern));
        }
        if schema.unique_items {
            out.insert("uniqueItems".into(), json!(true));
        }
        if let Some(items) = &schema.items {
            let items = self.node(items, depth + 1)?;
            out.insert("items".into(), items);
        }
        if !schema.properties.is_empty() {
            let mut properties = Map::new();
            for p in &schema.properties {
                let node = self.node(&p.schema, depth + 1)?;
                properties.insert(p.name.clone(), node);
            }
            out.insert("properties".into(), Value::Object(properties));
        }
        if !schema.required.is_empty() {
            out.insert("required".into(), json!(schema.required));
        }
        match &schema.additional_properties {
            Some(AdditionalProperties::Allowed(allowed)) => {
                out.insert("additionalProperties".into(), json!(allowed));
            }
            Some(AdditionalProperties::Schema(extra)) => {
                let node = self.node(extra, depth + 1)?;
                out.insert("additionalProperties".into(), node);
            }
            None => {}
        }
        for (key, list) in [
            ("allOf", &schema.all_of),
            ("anyOf", &schema.any_of),
            ("oneOf", &schema.one_of),
        ] {
            if !list.is_empty() {
                let list = self.list(list, depth)?;
                out.insert(key.into(), list);
            }
        }
        if let Some(not) = &schema.not {
            let not = self.node(not, depth + 1)?;
            out.insert("not".into(), not);
        }
        // 3.0 `nullable` beside a composition (`allOf: [$ref]`, no `type`): null is allowed too.
        let composed = !schema.all_of.is_empty()
            || !schema.one_of.is_empty()
            || (!schema.any_of.is_empty() && !schema.any_of.iter().any(|s| s.allows_null()));
        if schema.nullable && schema.types.is_empty() && composed {
            return Ok(json!({ "anyOf": [{ "type": "null" }, Value::Object(out)] }));
        }
        Ok(Value::Object(out))
    }
}

/// `3.0` as `3` when it is whole, so an integer bound reads as one in messages.
fn whole(n: serde_json::Number) -> serde_json::Number {
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 =>
        {
            #[allow(clippy::cast_possible_truncation)]
            serde_json::Number::from(f as i64)
        }
        _ => n,
    }
}
