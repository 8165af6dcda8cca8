//! Property tests of the document reader: any value reads back the same from its JSON, its
//! block YAML and its flow YAML renderings, and no input, however broken, makes it panic.

use proptest::prelude::*;
use serde_json::{json, Value};
use sextant_openapi::parse_str;

fn key() -> impl Strategy<Value = String> {
    // `<<` is YAML's merge key: it means something else there on purpose.
    "\\PC{0,10}".prop_filter("not a merge key", |k| k != "<<")
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e300f64..1e300).prop_map(|f| json!(f)),
        "\\PC{0,16}".prop_map(Value::String),
    ];
    leaf.prop_recursive(8, 96, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// A document carrying `v` as a schema's `const`.
fn document(v: &Value) -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"S": {"const": v}}}
    })
}

fn read_back(text: &str) -> Result<Option<Value>, String> {
    let spec = parse_str(text).map_err(|e| e.to_string())?;
    Ok(spec.schemas[0].schema.const_value.clone())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn json_and_yaml_renderings_read_to_the_same_value(v in value()) {
        let doc = document(&v);
        let json_text = serde_json::to_string(&doc).unwrap();
        let block_yaml = serde_norway::to_string(&doc).unwrap();
        // JSON text is flow YAML too; the comment keeps it from being taken for JSON.
        let flow_yaml = format!("# flow\n{json_text}");
        // A raw U+2028/U+2029 is text in JSON but a line break to the YAML parser, inside a
        // quoted scalar too: the flow rendering only holds without them.
        let flow_is_yaml = !json_text.contains(['\u{2028}', '\u{2029}']);
        for text in [&json_text, &block_yaml, &flow_yaml] {
            if text == &flow_yaml && !flow_is_yaml {
                continue;
            }
            prop_assert_eq!(read_back(text), Ok(Some(v.clone())), "{}", text);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = parse_str(&String::from_utf8_lossy(&bytes));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spec.yaml");
        std::fs::write(&path, &bytes).unwrap();
        let _ = sextant_openapi::parse_file(&path);
    }

    #[test]
    fn yaml_made_of_indicators_never_panics(
        body in "[\\[\\]{}:,?#&*!|>'\"\\\\ \n\ta0-]{0,300}",
        depth in 0usize..300,
    ) {
        let text = format!("openapi: 3.1.0\nx: {}{body}\n", "[".repeat(depth));
        let _ = parse_str(&text);
        let text = format!("openapi: 3.1.0\nx: &a {body}\ny: *a\n");
        let _ = parse_str(&text);
    }
}
