//! Examples made from schemas: values the document gives, shapes, bounds, formats and budgets.

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
