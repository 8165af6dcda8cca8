//! Property tests: whatever bytes or JSON an importer is given, it returns a value or an error,
//! never a panic; and a generated valid Postman collection comes through with every request.

use proptest::prelude::*;
use serde_json::{json, Value};
use sextant_interchange::{
    import_curl, import_har, import_insomnia, import_postman, import_postman_environment,
    parse_curl,
};
use sextant_model::CollectionItem;

/// Any JSON value, a few levels deep, with the keys the importers look for among the random
/// ones so the walks get past their first checks.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("item".to_owned()),
        Just("info".to_owned()),
        Just("request".to_owned()),
        Just("body".to_owned()),
        Just("mode".to_owned()),
        Just("url".to_owned()),
        Just("_id".to_owned()),
        Just("parentId".to_owned()),
        Just("_type".to_owned()),
        Just("log".to_owned()),
        Just("entries".to_owned()),
        Just("postData".to_owned()),
        "[a-z_]{1,6}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<f64>().prop_map(|f| json!(f)),
        any::<i64>().prop_map(|i| json!(i)),
        prop_oneof![
            Just("workspace".to_owned()),
            Just("request_group".to_owned()),
            Just("request".to_owned()),
            Just("file".to_owned()),
            Just("formdata".to_owned()),
            ".{0,12}",
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// The value under the envelope each format expects, so it is not refused at the door.
fn wrapped(v: Value) -> [String; 4] {
    [
        json!({ "info": { "name": "p", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json" }, "item": v }).to_string(),
        json!({ "_type": "export", "__export_format": 4, "resources": v }).to_string(),
        json!({ "log": { "version": "1.2", "entries": v } }).to_string(),
        v.to_string(),
    ]
}

fn import_all(text: &str) {
    let _ = import_postman(text);
    let _ = import_postman_environment(text);
    let _ = import_insomnia(text);
    let _ = import_har(text);
    let _ = parse_curl(text);
    let _ = import_curl(text);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        import_all(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn arbitrary_curl_like_text_never_panics(
        words in prop::collection::vec(
            prop_oneof![
                Just("curl".to_owned()), Just("-d".to_owned()), Just("-F".to_owned()),
                Just("-H".to_owned()), Just("-X".to_owned()), Just("--json".to_owned()),
                Just("-T".to_owned()), Just("'".to_owned()), Just("\"".to_owned()),
                Just("\\\n".to_owned()), Just("$'\\x".to_owned()), Just("@".to_owned()),
                "[ -~]{0,10}",
            ],
            0..16,
        )
    ) {
        import_all(&words.join(" "));
    }

    #[test]
    fn arbitrary_json_never_panics(v in json_value()) {
        for text in wrapped(v) {
            import_all(&text);
        }
    }

    #[test]
    fn a_generated_postman_collection_survives_import(
        folders in prop::collection::vec(
            ("[A-Za-z0-9 ]{1,12}", prop::collection::vec(
                ("[A-Za-z0-9 ]{1,12}", prop_oneof![Just("GET"), Just("POST"), Just("DELETE")], "[a-z]{1,8}"),
                0..5,
            )),
            0..5,
        )
    ) {
        let item: Vec<Value> = folders.iter().map(|(name, requests)| json!({
            "name": name,
            "item": requests.iter().map(|(rname, method, path)| json!({
                "name": rname,
                "request": { "method": method, "url": { "raw": format!("http://127.0.0.1/{path}") } }
            })).collect::<Vec<_>>(),
        })).collect();
        let text = json!({
            "info": { "name": "Generated", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json" },
            "item": item,
        }).to_string();
        let imported = import_postman(&text).unwrap();
        prop_assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
        prop_assert_eq!(imported.value.items.len(), folders.len());
        for (got, (name, requests)) in imported.value.items.iter().zip(&folders) {
            let CollectionItem::Folder(f) = got else { panic!("{got:?}") };
            prop_assert_eq!(&f.name, name);
            prop_assert_eq!(f.items.len(), requests.len());
            for (r, (rname, method, path)) in f.items.iter().zip(requests) {
                let CollectionItem::Request(r) = r else { panic!("{r:?}") };
                prop_assert_eq!(&r.name, rname);
                prop_assert_eq!(&r.request.method, method);
                prop_assert_eq!(&r.request.url, &format!("http://127.0.0.1/{path}"));
            }
        }
    }
}
