//! Example values made from schemas, to prefill request bodies and parameters.
//!
//! Every example is made within an [`ExampleBudget`] (see `example/budget.rs`): a hostile or
//! careless schema gets a smaller example and a note, never an abort or a runaway allocation.

use serde_json::{Map, Value};

use crate::model::{AdditionalProperties, Schema};

mod budget;
mod scalar;
#[cfg(test)]
mod tests;

pub use budget::{ExampleBudget, EXAMPLE_BYTES, EXAMPLE_NODES, MAX_STRING_CHARS};

use budget::{indent, Cost};
use scalar::{distinct, integer, number, string};

/// Past this depth the generator gives `null` (schemas reached through links can be deep).
const MAX_DEPTH: usize = 24;

/// Arrays are filled up to `minItems`, but never with more than this.
const MAX_ITEMS: u64 = 32;

/// Makes an example value that a request may send for `schema`, within a budget of its own
/// ([`EXAMPLE_BYTES`], [`EXAMPLE_NODES`]); see [`example_within`].
pub fn example_for(schema: &Schema) -> Value {
    example_within(schema, &mut ExampleBudget::default())
}

/// Makes an example value that a request may send for `schema`, taking what it uses from
/// `budget` (which keeps a note of anything cut).
///
/// In order:
/// 1. A `recursive` link gives `null` (that is where a self-referencing schema stops).
/// 2. The document's own words win: `examples[0]`, then `default`, then `const`, then `enum[0]`
///    (one that does not fit what is left of the budget is passed over).
/// 3. `allOf`: the examples of all branches (and the node's own properties) merged into one
///    object. `oneOf`/`anyOf`: the first branch that is not just `null`, so the Pydantic form
///    `anyOf: [X, {type: null}]` gives an example of `X`.
/// 4. Otherwise the minimal valid value of the first non-null type (inferred from the keywords
///    when `type` is missing; a schema with no constraints at all gives `{}`):
///    * object: its **required** properties only (an object with none required is `{}`),
///      leaving out `readOnly` ones, which a client does not send;
///    * string: by `format` — date-time `2024-01-01T00:00:00Z`, date `2024-01-01`, time
///      `00:00:00Z`, email `user@example.com`, uuid `00000000-0000-4000-8000-000000000000`,
///      uri `https://example.com`, hostname `example.com`, ipv4 `192.0.2.1`, ipv6
///      `2001:db8::1`, byte `c3RyaW5n`, binary `""`, ... — else `"string"`, padded to
///      `minLength` (at most [`MAX_STRING_CHARS`]) and cut to `maxLength` (a `pattern` is not
///      honoured);
///    * integer/number: 0 moved inside `minimum`/`exclusiveMinimum`/`maximum`/
///      `exclusiveMaximum` (so "greater than 0" gives 1, "between 0 and 1 exclusive" 0.5), then
///      rounded up to `multipleOf`;
///    * array: `minItems` items (none by default, at most 32), made distinct when
///      `uniqueItems` is set;
///    * boolean: `true`; null: `null`.
///
/// When the budget runs out, arrays get fewer items and what is left is `null`.
pub fn example_within(schema: &Schema, budget: &mut ExampleBudget) -> Value {
    Generator { budget }.generate(schema, 0)
}

struct Generator<'b> {
    budget: &'b mut ExampleBudget,
}

impl Generator<'_> {
    fn generate(&mut self, schema: &Schema, depth: usize) -> Value {
        if schema.recursive || depth > MAX_DEPTH || !self.budget.visit(depth) {
            return Value::Null;
        }
        let document = schema
            .examples
            .first()
            .into_iter()
            .chain(&schema.default)
            .chain(&schema.const_value)
            .chain(schema.enum_values.first());
        for value in document {
            if let Some(copy) = self.copy(value, depth) {
                return copy;
            }
        }
        if !schema.all_of.is_empty() {
            return self.all_of(schema, depth);
        }
        if let Some(branch) = schema
            .one_of
            .iter()
            .chain(&schema.any_of)
            .find(|branch| !is_null_only(branch))
        {
            let value = self.generate(branch, depth + 1);
            return match value {
                Value::Object(mut fields) if !schema.properties.is_empty() => {
                    fields.extend(self.required_fields(schema, depth));
                    Value::Object(fields)
                }
                other => other,
            };
        }
        match primary_type(schema) {
            Some("object") => Value::Object(self.required_fields(schema, depth)),
            Some("array") => self.array(schema, depth),
            Some("string") => self.string(schema, depth),
            Some("integer") => integer(schema),
            Some("number") => number(schema),
            Some("boolean") => Value::Bool(true),
            Some("null") => Value::Null,
            _ => Value::Object(Map::new()),
        }
    }

    /// A copy of a value the document gives, if it fits what is left.
    fn copy(&mut self, value: &Value, depth: usize) -> Option<Value> {
        let cost = self.budget.price(value, depth);
        self.budget.charge(cost).then(|| value.clone())
    }

    fn all_of(&mut self, schema: &Schema, depth: usize) -> Value {
        let mut merged = self.required_fields(schema, depth);
        let mut scalar = None;
        for branch in &schema.all_of {
            if self.budget.spent() {
                break;
            }
            match self.generate(branch, depth + 1) {
                Value::Object(fields) => merged.extend(fields),
                Value::Null => {}
                other => {
                    scalar.get_or_insert(other);
                }
            }
        }
        match scalar {
            Some(value) if merged.is_empty() => value,
            _ => Value::Object(merged),
        }
    }

    /// The required, client-writable properties of an object schema.
    fn required_fields(&mut self, schema: &Schema, depth: usize) -> Map<String, Value> {
        let mut fields = Map::new();
        for name in &schema.required {
            if self.budget.spent() {
                break;
            }
            let value = match schema.property(name) {
                Some(property) if property.read_only => continue,
                Some(property) => self.generate(property, depth + 1),
                None => match &schema.additional_properties {
                    Some(AdditionalProperties::Schema(extra)) => self.generate(extra, depth + 1),
                    _ => Value::Object(Map::new()),
                },
            };
            if !self.budget.charge(Cost {
                nodes: 0,
                bytes: name.len() + 4,
            }) {
                break;
            }
            fields.insert(name.clone(), value);
        }
        fields
    }

    fn array(&mut self, schema: &Schema, depth: usize) -> Value {
        let asked = schema.min_items.unwrap_or(0);
        if asked > MAX_ITEMS {
            self.budget.note(format!(
                "An array asks for at least {asked} items; the example has at most {MAX_ITEMS}."
            ));
        }
        let count = asked.min(MAX_ITEMS);
        if count == 0 {
            return Value::Array(Vec::new());
        }
        let item = match &schema.items {
            Some(items) => self.generate(items, depth + 1),
            None => Value::String("string".to_owned()),
        };
        // The first item is paid for; each copy costs as much again (a variant a little more).
        let mut each = self.budget.price(&item, depth + 1);
        if schema.unique_items {
            each.bytes += 24;
        }
        let mut values = Vec::with_capacity(count as usize);
        values.push(item);
        for i in 1..count {
            if !self.budget.charge(each) {
                break;
            }
            let value = if schema.unique_items {
                distinct(&values[0], i)
            } else {
                values[0].clone()
            };
            values.push(value);
        }
        Value::Array(values)
    }

    fn string(&mut self, schema: &Schema, depth: usize) -> Value {
        let text = string(schema, self.budget);
        if self.budget.charge(Cost {
            nodes: 0,
            bytes: text.len() + indent(depth),
        }) {
            Value::String(text)
        } else {
            Value::Null
        }
    }
}

fn is_null_only(schema: &Schema) -> bool {
    schema.types.len() == 1 && schema.types[0] == "null"
}

/// The type to make a value of: the first declared non-null one, else one the keywords imply.
fn primary_type(schema: &Schema) -> Option<&str> {
    if let Some(first) = schema.types.iter().find(|t| *t != "null") {
        return Some(first);
    }
    if !schema.types.is_empty() {
        return Some("null");
    }
    if !schema.properties.is_empty()
        || !schema.required.is_empty()
        || schema.additional_properties.is_some()
    {
        return Some("object");
    }
    if schema.items.is_some() || schema.min_items.is_some() {
        return Some("array");
    }
    match schema.format.as_deref() {
        Some("int32" | "int64") => return Some("integer"),
        Some("float" | "double") => return Some("number"),
        Some(_) => return Some("string"),
        None => {}
    }
    if schema.min_length.is_some()
        || schema.max_length.is_some()
        || schema.pattern.is_some()
        || schema.content_media_type.is_some()
    {
        return Some("string");
    }
    if schema.minimum.is_some()
        || schema.maximum.is_some()
        || schema.exclusive_minimum.is_some()
        || schema.exclusive_maximum.is_some()
    {
        return Some("number");
    }
    None
}
