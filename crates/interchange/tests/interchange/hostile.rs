//! Imports of files crafted against the user: bodies that name local files (`~/.ssh/id_rsa`, a
//! relative path), Insomnia trees whose `parentId` links loop or repeat ids, trees too deep or
//! too big, and files that are not the format at all (a key given as a curl command).

use serde_json::{json, Value};
use sextant_interchange::{
    import_curl, import_har, import_insomnia, import_postman, parse_curl, InterchangeError,
    Warning, MAX_DEPTH, MAX_ITEMS,
};
use sextant_model::{ApiError, CollectionItem, ErrorCode, PartValue, RequestBody};

const KEY: &str = "-----BEGIN OPENSSH PRIVATE KEY-----\n\
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n\
QyNTUxOQAAACDsecretsecretsecretsecretsecretsecretsecretsecAAAA\n\
-----END OPENSSH PRIVATE KEY-----\n";

/// The warning at `location` that mentions `path`.
fn file_warning<'a>(warnings: &'a [Warning], location: &str, path: &str) -> &'a Warning {
    warnings
        .iter()
        .find(|w| w.location == location && w.message.contains(path))
        .unwrap_or_else(|| panic!("no warning at {location:?} naming {path:?}: {warnings:#?}"))
}

fn assert_outside(w: &Warning) {
    assert!(
        w.message.contains("outside the collection's folder")
            && w.message.contains("will ask before sending it"),
        "{w:?}"
    );
}

fn assert_relative(w: &Warning) {
    assert!(
        w.message.contains("relative to the collection's folder"),
        "{w:?}"
    );
}

fn postman(items: Value) -> String {
    json!({
        "info": {
            "name": "Hostile",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
        },
        "item": items
    })
    .to_string()
}

fn insomnia(resources: Vec<Value>) -> String {
    json!({ "_type": "export", "__export_format": 4, "resources": resources }).to_string()
}

fn workspace(id: &str) -> Value {
    json!({ "_id": id, "_type": "workspace", "name": "W" })
}

fn group(id: &str, parent: &str) -> Value {
    json!({ "_id": id, "_type": "request_group", "parentId": parent, "name": id })
}

fn request(id: &str, parent: &str) -> Value {
    json!({ "_id": id, "_type": "request", "parentId": parent, "name": id,
            "method": "GET", "url": "http://127.0.0.1/" })
}

fn count_requests(items: &[CollectionItem]) -> usize {
    items
        .iter()
        .map(|i| match i {
            CollectionItem::Request(_) => 1,
            CollectionItem::Folder(f) => count_requests(&f.items),
        })
        .sum()
}

fn too_large(err: InterchangeError) {
    assert!(matches!(err, InterchangeError::TooLarge { .. }), "{err:?}");
    assert_eq!(ApiError::from(err).code, ErrorCode::TooLarge);
}

#[test]
fn postman_file_bodies_are_kept_as_references_and_warned_about() {
    let text = postman(json!([
        { "name": "Upload key", "request": { "method": "POST", "url": "http://127.0.0.1/",
            "body": { "mode": "file", "file": { "src": "~/.ssh/id_rsa" } } } },
        { "name": "Form", "request": { "method": "POST", "url": "http://127.0.0.1/",
            "body": { "mode": "formdata", "formdata": [
                { "key": "a", "type": "file", "src": "data/photo.png" },
                { "key": "b", "type": "file", "src": ["../../x/.kube/config"] }
            ] } } }
    ]));
    let imported = import_postman(&text).unwrap();
    let CollectionItem::Request(upload) = &imported.value.items[0] else {
        panic!()
    };
    assert_eq!(
        upload.request.body,
        RequestBody::Binary {
            path: "~/.ssh/id_rsa".into(),
            content_type: None
        }
    );
    assert_outside(file_warning(
        &imported.warnings,
        "Upload key",
        "~/.ssh/id_rsa",
    ));
    let CollectionItem::Request(form) = &imported.value.items[1] else {
        panic!()
    };
    let RequestBody::Multipart { parts } = &form.request.body else {
        panic!("{:?}", form.request.body)
    };
    assert!(matches!(&parts[0].value, PartValue::File { path, .. } if path == "data/photo.png"));
    assert_relative(file_warning(&imported.warnings, "Form", "data/photo.png"));
    assert_outside(file_warning(
        &imported.warnings,
        "Form",
        "../../x/.kube/config",
    ));
}

#[test]
fn har_paths_are_kept_and_warned_about() {
    let text = json!({ "log": { "version": "1.2", "entries": [
        { "request": { "method": "POST", "url": "http://127.0.0.1/up",
            "postData": { "mimeType": "application/octet-stream", "_path": "/home/u/.ssh/id_rsa" } } },
        { "request": { "method": "POST", "url": "http://127.0.0.1/form",
            "postData": { "mimeType": "multipart/form-data", "params": [
                { "name": "f", "fileName": "photo.png" },
                { "name": "g", "fileName": "k", "_path": "~/.aws/credentials" }
            ] } } }
    ] } })
    .to_string();
    let imported = import_har(&text).unwrap();
    let CollectionItem::Request(up) = &imported.value.items[0] else {
        panic!()
    };
    assert!(
        matches!(&up.request.body, RequestBody::Binary { path, .. } if path == "/home/u/.ssh/id_rsa")
    );
    assert_outside(file_warning(
        &imported.warnings,
        "POST /up (entry 1)",
        "/home/u/.ssh/id_rsa",
    ));
    assert_relative(file_warning(
        &imported.warnings,
        "POST /form (entry 2)",
        "photo.png",
    ));
    assert_outside(file_warning(
        &imported.warnings,
        "POST /form (entry 2)",
        "~/.aws/credentials",
    ));
}

#[test]
fn insomnia_file_names_are_kept_and_warned_about() {
    let mut up = request("req_up", "wrk");
    up["name"] = json!("Up");
    up["body"] = json!({ "mimeType": "application/octet-stream", "fileName": "/etc/passwd" });
    let mut form = request("req_form", "wrk");
    form["name"] = json!("Form");
    form["body"] = json!({ "mimeType": "multipart/form-data", "params": [
        { "name": "f", "type": "file", "fileName": "body.json" }
    ] });
    let imported = import_insomnia(&insomnia(vec![workspace("wrk"), up, form])).unwrap();
    let c = &imported.value[0];
    assert_eq!(count_requests(&c.items), 2);
    assert_outside(file_warning(&imported.warnings, "W/Up", "/etc/passwd"));
    assert_relative(file_warning(&imported.warnings, "W/Form", "body.json"));
}

#[test]
fn curl_files_are_kept_and_warned_about() {
    for (command, path, outside) in [
        (
            "curl -d @~/.ssh/id_rsa http://127.0.0.1/up",
            "~/.ssh/id_rsa",
            true,
        ),
        (
            "curl -F 'k=@../secrets/key;type=text/plain' http://127.0.0.1/up",
            "../secrets/key",
            true,
        ),
        ("curl -T body.bin http://127.0.0.1/up", "body.bin", false),
    ] {
        let imported = import_curl(command).unwrap();
        let method = if command.contains("-T") {
            "PUT"
        } else {
            "POST"
        };
        assert_eq!(imported.value.name, format!("{method} /up"));
        let w = file_warning(&imported.warnings, &imported.value.name, path);
        if outside {
            assert_outside(w);
        } else {
            assert_relative(w);
        }
    }
}

#[test]
fn insomnia_folder_that_is_its_own_parent_or_in_a_cycle_ends() {
    // A folder that is its own parent, with a request inside: unreachable from the workspace.
    let imported = import_insomnia(&insomnia(vec![
        workspace("wrk"),
        group("fld_self", "fld_self"),
        request("req_1", "fld_self"),
        request("req_2", "wrk"),
    ]))
    .unwrap();
    assert_eq!(count_requests(&imported.value[0].items), 1);
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.message.contains("2 resources belong to no workspace")),
        "{:#?}",
        imported.warnings
    );

    // The workspace inside its own folder, and a workspace that is its own parent.
    for resources in [
        vec![
            json!({ "_id": "wrk", "_type": "workspace", "name": "W", "parentId": "fld" }),
            group("fld", "wrk"),
            request("req", "fld"),
        ],
        vec![
            json!({ "_id": "wrk", "_type": "workspace", "name": "W", "parentId": "wrk" }),
            request("req", "wrk"),
        ],
        vec![
            json!({ "_type": "workspace", "name": "no id" }),
            json!({ "_type": "request_group", "name": "no id either" }),
        ],
    ] {
        let imported = import_insomnia(&insomnia(resources)).unwrap();
        assert!(count_requests(&imported.value[0].items) <= 1);
    }
}

#[test]
fn insomnia_duplicate_ids_are_skipped_with_a_warning() {
    // The shape that wrote 222 MB in two minutes: 30 resources sharing ids, folders in folders.
    let mut resources = vec![workspace("wrk"), group("dup", "wrk")];
    for i in 0..28 {
        resources.push(if i % 2 == 0 {
            group("dup", "dup")
        } else {
            request("dup", "dup")
        });
    }
    let imported = import_insomnia(&insomnia(resources)).unwrap();
    let c = &imported.value[0];
    assert_eq!(c.items.len(), 1);
    let CollectionItem::Folder(f) = &c.items[0] else {
        panic!()
    };
    assert!(f.items.is_empty());
    let skipped = imported
        .warnings
        .iter()
        .filter(|w| {
            w.message
                .contains("already used by an earlier resource; skipped")
        })
        .count();
    assert_eq!(skipped, 28, "{:#?}", imported.warnings);
}

fn insomnia_chain(depth: usize) -> String {
    let mut resources = vec![workspace("wrk")];
    let mut parent = "wrk".to_owned();
    for i in 0..depth {
        let id = format!("fld_{i}");
        resources.push(group(&id, &parent));
        parent = id;
    }
    resources.push(request("req", &parent));
    insomnia(resources)
}

#[test]
fn insomnia_nesting_is_capped() {
    let ok = import_insomnia(&insomnia_chain(MAX_DEPTH)).unwrap();
    assert_eq!(count_requests(&ok.value[0].items), 1);
    too_large(import_insomnia(&insomnia_chain(MAX_DEPTH + 1)).unwrap_err());
    // Far deeper than the stack would take without the cap.
    too_large(import_insomnia(&insomnia_chain(100_000)).unwrap_err());
}

#[test]
fn item_counts_are_capped() {
    let mut resources = vec![workspace("wrk")];
    resources.extend((0..=MAX_ITEMS).map(|i| request(&format!("r{i}"), "wrk")));
    too_large(import_insomnia(&insomnia(resources)).unwrap_err());

    let item = json!({ "name": "r", "request": "http://127.0.0.1/" });
    let items: Vec<Value> = vec![item.clone(); MAX_ITEMS + 1];
    too_large(import_postman(&postman(Value::Array(items))).unwrap_err());
    let items: Vec<Value> = vec![item; MAX_ITEMS];
    assert_eq!(
        import_postman(&postman(Value::Array(items)))
            .unwrap()
            .value
            .items
            .len(),
        MAX_ITEMS
    );

    let entry = json!({ "request": { "method": "GET", "url": "http://127.0.0.1/" } });
    let har = json!({ "log": { "version": "1.2", "entries": vec![entry; MAX_ITEMS + 1] } });
    too_large(import_har(&har.to_string()).unwrap_err());
}

#[test]
fn deep_postman_folders_end_in_an_error() {
    for depth in [MAX_DEPTH + 1, 10_000] {
        // Written out as text: a `Value` this deep would overflow the test's own stack.
        let item = format!(
            "{}{{\"name\":\"r\",\"request\":\"http://127.0.0.1/\"}}{}",
            "{\"name\":\"f\",\"item\":[".repeat(depth),
            "]}".repeat(depth)
        );
        let text = postman(json!([])).replace("\"item\":[]", &format!("\"item\":[{item}]"));
        let err = import_postman(&text).unwrap_err();
        let code = ApiError::from(err).code;
        assert!(
            matches!(code, ErrorCode::TooLarge | ErrorCode::InvalidFile),
            "{code:?}"
        );
    }
}

#[test]
fn a_key_given_as_a_curl_command_is_refused_without_quoting_it() {
    for text in [KEY.to_owned(), format!("\n# my key\n{KEY}")] {
        let err = import_curl(&text).unwrap_err();
        let line = if text.starts_with('\n') { 3 } else { 1 };
        assert_eq!(err, InterchangeError::NotCurl { line });
        let message = ApiError::from(err).message;
        assert!(message.contains(&format!("not a curl command (line {line})")));
        for word in ["BEGIN", "OPENSSH", "b3Blbn", "secret"] {
            assert!(!message.contains(word), "{message}");
        }
    }
    // The URL bar's lenient reader does not quote the first word either.
    let err = parse_curl("ssh-rsa AAAAB3NzaC1yc2E secret@host").unwrap_err();
    assert!(!err.to_string().contains("AAAAB3"), "{err}");
}

#[test]
fn a_key_given_to_the_json_importers_is_refused_without_quoting_it() {
    let errors = [
        import_postman(KEY).unwrap_err(),
        import_insomnia(KEY).unwrap_err(),
        import_har(KEY).unwrap_err(),
    ];
    for err in errors {
        let message = err.to_string();
        for word in ["BEGIN", "OPENSSH", "b3Blbn", "secret"] {
            assert!(!message.contains(word), "{message}");
        }
    }
}
