//! Example values made from schemas, to prefill request bodies and parameters.
//!
//! Every example is made within an [`ExampleBudget`] (see `example/budget.rs`): a hostile or
//! careless schema gets a smaller example and a note, never an abort or a runaway allocation.

use serde_json::{Map, Number, Value};

use crate::model::{AdditionalProperties, Schema};

mod budget;

pub use budget::{ExampleBudget, EXAMPLE_BYTES, EXAMPLE_NODES, MAX_STRING_CHARS};

use budget::{indent, Cost};

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

/// A variant of `value` that differs from it and from the other variants (by `i`).
fn distinct(value: &Value, i: u64) -> Value {
    match value {
        Value::String(s) => Value::String(format!("{s}{i}")),
        Value::Number(n) => match n.as_i64().and_then(|whole| whole.checked_add(i as i64)) {
            Some(whole) => Value::from(whole),
            None => number_value(n.as_f64().unwrap_or(0.0) + i as f64),
        },
        Value::Object(fields) => {
            let mut fields = fields.clone();
            fields.insert("_".to_owned(), Value::from(i));
            Value::Object(fields)
        }
        Value::Array(items) => {
            let mut items = items.clone();
            items.push(Value::from(i));
            Value::Array(items)
        }
        Value::Bool(b) if i == 1 => Value::Bool(!b),
        other => other.clone(),
    }
}

fn string(schema: &Schema, budget: &mut ExampleBudget) -> String {
    let formatted = match schema.format.as_deref() {
        Some("date-time") => "2024-01-01T00:00:00Z",
        Some("date") => "2024-01-01",
        Some("time") => "00:00:00Z",
        Some("duration") => "P1D",
        Some("email" | "idn-email") => "user@example.com",
        Some("uuid") => "00000000-0000-4000-8000-000000000000",
        Some("uri" | "url" | "iri") => "https://example.com",
        Some("uri-reference" | "iri-reference" | "json-pointer") => "/",
        Some("uri-template") => "https://example.com/{id}",
        Some("hostname" | "idn-hostname") => "example.com",
        Some("ipv4") => "192.0.2.1",
        Some("ipv6") => "2001:db8::1",
        Some("byte") => "c3RyaW5n",
        Some("binary") => "",
        Some("password") => "password",
        Some("regex") => ".*",
        _ if schema.content_media_type.is_some() => "",
        _ => return padded(schema, budget),
    };
    formatted.to_owned()
}

/// `"string"` padded with `x` to `minLength` (at most [`MAX_STRING_CHARS`]), cut to `maxLength`.
fn padded(schema: &Schema, budget: &mut ExampleBudget) -> String {
    let min = usize::try_from(schema.min_length.unwrap_or(0)).unwrap_or(usize::MAX);
    let max = schema
        .max_length
        .map(|max| usize::try_from(max).unwrap_or(usize::MAX));
    let mut target = min;
    if let Some(max) = max {
        target = target.min(max);
    }
    if target > MAX_STRING_CHARS {
        budget.note(format!(
            "A string asks for at least {min} characters; the example has {MAX_STRING_CHARS}."
        ));
        target = MAX_STRING_CHARS;
    }
    let mut text = "string".to_owned();
    if text.len() < target {
        text.extend(std::iter::repeat_n('x', target - text.len()));
    }
    if let Some(max) = max {
        // ASCII only, so any byte index is a character boundary.
        text.truncate(max);
    }
    text
}

fn integer(schema: &Schema) -> Value {
    let lower = match (schema.minimum, schema.exclusive_minimum) {
        (Some(min), Some(ex)) => Some(min.ceil().max(ex.floor() + 1.0)),
        (Some(min), None) => Some(min.ceil()),
        (None, Some(ex)) => Some(ex.floor() + 1.0),
        (None, None) => None,
    };
    let upper = match (schema.maximum, schema.exclusive_maximum) {
        (Some(max), Some(ex)) => Some(max.floor().min(ex.ceil() - 1.0)),
        (Some(max), None) => Some(max.floor()),
        (None, Some(ex)) => Some(ex.ceil() - 1.0),
        (None, None) => None,
    };
    let mut value = 0.0_f64;
    if let Some(lower) = lower {
        value = value.max(lower);
    }
    if let Some(upper) = upper {
        value = value.min(upper);
    }
    if let Some(step) = schema.multiple_of.filter(|m| *m > 0.0) {
        value = (value / step).ceil() * step;
        if upper.is_some_and(|upper| value > upper) {
            value -= step;
        }
    }
    number_value(value)
}

fn number(schema: &Schema) -> Value {
    let lower = schema
        .minimum
        .map(|min| (min, false))
        .into_iter()
        .chain(schema.exclusive_minimum.map(|ex| (ex, true)))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let upper = schema
        .maximum
        .map(|max| (max, false))
        .into_iter()
        .chain(schema.exclusive_maximum.map(|ex| (ex, true)))
        .min_by(|a, b| a.0.total_cmp(&b.0));
    let fits = |value: f64| {
        lower.is_none_or(|(bound, open)| if open { value > bound } else { value >= bound })
            && upper.is_none_or(|(bound, open)| if open { value < bound } else { value <= bound })
    };
    let mut value = 0.0;
    if !fits(value) {
        value = match (lower, upper) {
            (Some((low, false)), _) if fits(low) => low,
            (Some((low, true)), _) if fits(low + 1.0) => low + 1.0,
            (_, Some((high, false))) if fits(high) => high,
            (_, Some((high, true))) if fits(high - 1.0) => high - 1.0,
            (Some((low, _)), Some((high, _))) => (low + high) / 2.0,
            _ => 0.0,
        };
    }
    if let Some(step) = schema.multiple_of.filter(|m| *m > 0.0) {
        let stepped = (value / step).ceil() * step;
        if fits(stepped) {
            value = stepped;
        }
    }
    number_value(value)
}

/// A JSON number, written as an integer when it is one (`1`, not `1.0`).
fn number_value(value: f64) -> Value {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        Value::from(value as i64)
    } else {
        Number::from_f64(value).map_or(Value::Null, Value::Number)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::json;

    use super::*;
    use crate::model::Property;

    fn typed(name: &str) -> Schema {
        Schema {
            types: vec![name.to_owned()],
            ..Schema::default()
        }
    }

    #[test]
    fn document_examples_win() {
        let schema = Schema {
            examples: vec![json!("a")],
            default: Some(json!("b")),
            ..typed("string")
        };
        assert_eq!(example_for(&schema), json!("a"));
        let schema = Schema {
            enum_values: vec![json!("x"), json!("y")],
            ..typed("string")
        };
        assert_eq!(example_for(&schema), json!("x"));
    }

    #[test]
    fn numbers_respect_bounds() {
        let positive = Schema {
            exclusive_minimum: Some(0.0),
            ..typed("number")
        };
        assert_eq!(example_for(&positive), json!(1));
        let unit = Schema {
            exclusive_minimum: Some(0.0),
            exclusive_maximum: Some(1.0),
            ..typed("number")
        };
        assert_eq!(example_for(&unit), json!(0.5));
        let below = Schema {
            maximum: Some(-5.0),
            ..typed("integer")
        };
        assert_eq!(example_for(&below), json!(-5));
        let stepped = Schema {
            minimum: Some(3.0),
            multiple_of: Some(5.0),
            ..typed("integer")
        };
        assert_eq!(example_for(&stepped), json!(5));
        let ex_int = Schema {
            exclusive_minimum: Some(10.0),
            ..typed("integer")
        };
        assert_eq!(example_for(&ex_int), json!(11));
    }

    #[test]
    fn strings_follow_format_and_length() {
        let email = Schema {
            format: Some("email".into()),
            ..typed("string")
        };
        assert_eq!(example_for(&email), json!("user@example.com"));
        let long = Schema {
            min_length: Some(10),
            ..typed("string")
        };
        assert_eq!(example_for(&long), json!("stringxxxx"));
        let short = Schema {
            max_length: Some(3),
            ..typed("string")
        };
        assert_eq!(example_for(&short), json!("str"));
    }

    #[test]
    fn objects_have_required_writable_properties() {
        let schema = Schema {
            properties: vec![
                Property {
                    name: "id".into(),
                    schema: Arc::new(Schema {
                        read_only: true,
                        ..typed("integer")
                    }),
                },
                Property {
                    name: "name".into(),
                    schema: Arc::new(typed("string")),
                },
                Property {
                    name: "note".into(),
                    schema: Arc::new(typed("string")),
                },
            ],
            required: vec!["id".into(), "name".into()],
            ..typed("object")
        };
        assert_eq!(example_for(&schema), json!({"name": "string"}));
    }

    #[test]
    fn unique_arrays_are_distinct() {
        let schema = Schema {
            items: Some(Arc::new(typed("string"))),
            min_items: Some(3),
            unique_items: true,
            ..typed("array")
        };
        assert_eq!(
            example_for(&schema),
            json!(["string", "string1", "string2"])
        );
    }

    #[test]
    fn nullable_any_of_takes_the_value_branch() {
        let schema = Schema {
            any_of: vec![Arc::new(typed("null")), Arc::new(typed("integer"))],
            nullable: true,
            ..Schema::default()
        };
        assert_eq!(example_for(&schema), json!(0));
    }

    #[test]
    fn recursion_stops() {
        let link = Schema {
            ref_name: Some("Node".into()),
            recursive: true,
            ..Schema::default()
        };
        assert_eq!(example_for(&link), Value::Null);
    }

    fn nested_arrays(levels: usize, min_items: u64) -> Schema {
        let mut schema = Schema {
            min_length: Some(64),
            ..typed("string")
        };
        for _ in 0..levels {
            schema = Schema {
                items: Some(Arc::new(schema)),
                min_items: Some(min_items),
                ..typed("array")
            };
        }
        schema
    }

    #[test]
    fn huge_min_length_is_padded_to_a_few_kib_with_a_note() {
        let schema = Schema {
            min_length: Some(100_000_000_000),
            ..typed("string")
        };
        let mut budget = ExampleBudget::default();
        let value = example_within(&schema, &mut budget);
        assert_eq!(value.as_str().map(str::len), Some(MAX_STRING_CHARS));
        assert!(
            budget.notes()[0].contains("100000000000 characters"),
            "{:?}",
            budget.notes()
        );
        let max = Schema {
            min_length: Some(u64::MAX),
            max_length: Some(3),
            ..typed("string")
        };
        assert_eq!(
            example_for(&max),
            json!("str"),
            "maxLength wins, nothing padded"
        );
    }

    #[test]
    fn nested_min_items_stay_within_the_budget() {
        let schema = nested_arrays(24, 32);
        let mut budget = ExampleBudget::default();
        let value = example_within(&schema, &mut budget);
        let text = serde_json::to_string_pretty(&value).unwrap();
        assert!(
            text.len() <= 2 * EXAMPLE_BYTES,
            "{} bytes of example",
            text.len()
        );
        assert!(text.contains("stringxx"), "still an example of the schema");
        assert!(
            budget.notes().iter().any(|n| n.contains("cut short")),
            "{:?}",
            budget.notes()
        );
    }

    #[test]
    fn wide_objects_stop_at_the_node_budget() {
        // Each level requires two properties of the next: 2^24 leaves if nothing stopped it.
        let mut schema = typed("integer");
        for _ in 0..24 {
            let child = Arc::new(schema);
            schema = Schema {
                properties: vec![
                    Property {
                        name: "l".into(),
                        schema: child.clone(),
                    },
                    Property {
                        name: "r".into(),
                        schema: child,
                    },
                ],
                required: vec!["l".into(), "r".into()],
                ..typed("object")
            };
        }
        let mut budget = ExampleBudget::default();
        let value = example_within(&schema, &mut budget);
        let text = value.to_string();
        assert!(text.len() < 2 * EXAMPLE_BYTES, "{} bytes", text.len());
        assert!(!budget.notes().is_empty());
    }

    #[test]
    fn a_document_example_too_big_for_the_budget_is_passed_over() {
        let schema = Schema {
            examples: vec![Value::Array(vec![json!("x"); 100])],
            ..typed("array")
        };
        let mut budget = ExampleBudget::new(512, 1000, "per test");
        assert_eq!(example_within(&schema, &mut budget), json!([]));
        assert!(!budget.notes().is_empty());
    }

    #[test]
    fn unique_items_near_the_integer_limit_do_not_overflow() {
        let schema = Schema {
            items: Some(Arc::new(Schema {
                examples: vec![json!(i64::MAX)],
                ..typed("integer")
            })),
            min_items: Some(2),
            unique_items: true,
            ..typed("array")
        };
        let value = example_for(&schema);
        assert_eq!(value.as_array().map(Vec::len), Some(2));
        assert_ne!(value[0], value[1]);
    }
}
