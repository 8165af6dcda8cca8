//! Importing a collection next to one of the same name, against real files: without a choice
//! nothing is written; "Rename" writes a second collection under the new name; "Merge" adds what
//! is new, keeps what the user set, deletes nothing, and a second merge changes no file's bytes.

use std::collections::BTreeMap;
use std::path::Path;

use sextant_model::{
    Auth, Collection, CollectionItem, Environment, Folder, FolderSettings, ImportConflict,
    KeyValue, Variable,
};
use sextant_store::{workspace::NodeKind, StoreError};

use crate::workspace_common::{all_files, get, temp_workspace};

fn shop(extra: bool) -> Collection {
    let mut pets = vec![
        CollectionItem::Request(get("List pets", "{{baseUrl}}/pets")),
        CollectionItem::Request(get("Get pet", "{{baseUrl}}/pets/{{id}}")),
    ];
    if extra {
        pets.push(CollectionItem::Request(get(
            "Pet photo",
            "{{baseUrl}}/pets/{{id}}/photo",
        )));
    }
    let mut items = vec![
        CollectionItem::Folder(Folder {
            name: "Pets".into(),
            settings: FolderSettings::default(),
            items: pets,
        }),
        CollectionItem::Request(get("Health", "{{baseUrl}}/health")),
    ];
    if extra {
        items.push(CollectionItem::Folder(Folder {
            name: "Orders".into(),
            settings: FolderSettings {
                auth: Auth::None,
                ..FolderSettings::default()
            },
            items: vec![CollectionItem::Request(get(
                "List orders",
                "{{baseUrl}}/orders",
            ))],
        }));
    }
    Collection {
        name: "Shop API".into(),
        settings: FolderSettings {
            base_url: Some("http://127.0.0.1:8000".into()),
            ..FolderSettings::default()
        },
        items,
        environments: vec![Environment {
            name: "local".into(),
            variables: vec![Variable::new("baseUrl", "http://127.0.0.1:8000")],
        }],
    }
}

/// Every file under `root` with its bytes.
fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    all_files(root)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p.strip_prefix(root).unwrap().display().to_string(), bytes)
        })
        .collect()
}

fn collection_names(ws: &sextant_store::Workspace) -> Vec<String> {
    ws.list_tree()
        .unwrap()
        .into_iter()
        .map(|n| n.name)
        .collect()
}

#[test]
fn an_import_of_a_taken_name_without_a_choice_writes_nothing() {
    let t = temp_workspace();
    let first = t.ws.import_collections(&[shop(false)], None).unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(
        (
            first[0].path.as_str(),
            first[0].requests,
            first[0].folders,
            first[0].merged
        ),
        ("shop-api", 3, 1, false)
    );
    let before = snapshot(&t.root());
    let err = t.ws.import_collections(&[shop(true)], None).unwrap_err();
    assert!(
        matches!(&err, StoreError::CollectionExists { name } if name == "Shop API"),
        "{err:?}"
    );
    assert!(err.to_string().contains("\"Shop API\""), "{err}");
    assert_eq!(err.code(), sextant_model::ErrorCode::Conflict);
    assert_eq!(snapshot(&t.root()), before, "nothing written");
}

#[test]
fn rename_writes_a_second_collection_and_refuses_a_taken_name() {
    let t = temp_workspace();
    t.ws.import_collections(&[shop(false)], None).unwrap();
    let taken = ImportConflict::Rename {
        name: "Shop API".into(),
    };
    assert!(matches!(
        t.ws.import_collections(&[shop(false)], Some(&taken)),
        Err(StoreError::CollectionExists { .. })
    ));
    let rename = ImportConflict::Rename {
        name: "Shop API 2".into(),
    };
    let done =
        t.ws.import_collections(&[shop(true)], Some(&rename))
            .unwrap();
    assert_eq!(done[0].name, "Shop API 2");
    assert_eq!((done[0].requests, done[0].folders), (5, 2));
    assert_eq!(collection_names(&t.ws), ["Shop API", "Shop API 2"]);
    assert_eq!(
        t.ws.load_collection(&done[0].path).unwrap().name,
        "Shop API 2"
    );
}

#[test]
fn merge_adds_keeps_the_users_edits_deletes_nothing_and_is_idempotent() {
    let t = temp_workspace();
    t.ws.import_collections(&[shop(false)], None).unwrap();
    // The user's own work in the collection: a header value, a secret, a request of their own,
    // and the collection's settings.
    let list = t.ws.read_request("shop-api/pets/list-pets.yaml").unwrap();
    let mut edited = list.request.clone();
    edited
        .request
        .headers
        .push(KeyValue::new("X-Tenant", "acme"));
    edited.auth = Auth::Bearer {
        token: "s3cret-token".into(),
    };
    t.ws.save_request(&list.path, &edited, Some(&list.revision))
        .unwrap();
    t.ws.create_request("shop-api", &get("Mine", "{{baseUrl}}/mine"))
        .unwrap();
    let settings = t.ws.read_folder_settings("shop-api").unwrap();
    let mut mine = settings.settings.clone();
    mine.base_url = Some("http://127.0.0.1:9999".into());
    t.ws.save_folder_settings("shop-api", &mine, &settings.revision)
        .unwrap();

    // The spec changed: an operation's URL, a new operation, a new folder.
    let mut next = shop(true);
    if let CollectionItem::Request(health) = &mut next.items[1] {
        health.request.url = "{{baseUrl}}/healthz".into();
        health
            .request
            .headers
            .push(KeyValue::new("Accept", "application/json"));
    }
    let merged =
        t.ws.import_collections(&[next.clone()], Some(&ImportConflict::Merge))
            .unwrap();
    assert_eq!(
        (
            merged[0].path.as_str(),
            merged[0].merged,
            merged[0].requests,
            merged[0].folders
        ),
        ("shop-api", true, 5, 2)
    );
    assert_eq!(collection_names(&t.ws), ["Shop API"]);

    let list = t.ws.read_request("shop-api/pets/list-pets.yaml").unwrap();
    assert_eq!(list.request, edited, "the user's edits and secret are kept");
    let health = t.ws.read_request("shop-api/health.yaml").unwrap().request;
    assert_eq!(health.request.url, "{{baseUrl}}/healthz");
    assert_eq!(
        health.request.headers,
        [KeyValue::new("Accept", "application/json")]
    );
    assert!(
        t.ws.read_request("shop-api/mine.yaml").is_ok(),
        "nothing deleted"
    );
    assert!(t.ws.read_request("shop-api/pets/pet-photo.yaml").is_ok());
    assert_eq!(
        t.ws.read_request("shop-api/orders/list-orders.yaml")
            .unwrap()
            .request
            .name,
        "List orders"
    );
    assert_eq!(
        t.ws.read_folder_settings("shop-api/orders")
            .unwrap()
            .settings
            .auth,
        Auth::None,
        "a new folder takes the imported settings"
    );
    assert_eq!(
        t.ws.read_folder_settings("shop-api").unwrap().settings,
        mine,
        "the collection's settings are kept"
    );
    let tree = t.ws.list_folder("shop-api").unwrap();
    let folders = tree
        .children
        .iter()
        .filter(|c| c.kind == NodeKind::Folder)
        .count();
    assert_eq!(folders, 2, "no duplicate folders: {tree:?}");
    assert_eq!(t.ws.list_environments("shop-api").unwrap().len(), 1);

    // The secret never reached a workspace file.
    let before = snapshot(&t.root());
    assert!(before
        .values()
        .all(|b| !String::from_utf8_lossy(b).contains("s3cret-token")));

    // The same import again changes no byte of any file.
    let report = t.ws.merge_collection("shop-api", &next).unwrap();
    assert_eq!(
        (report.created, report.updated, report.folders_created),
        (0, 0, 0)
    );
    assert_eq!(report.unchanged, 5);
    assert_eq!(snapshot(&t.root()), before);
}

#[test]
fn each_clash_takes_its_own_answer_and_one_without_an_answer_writes_nothing() {
    let t = temp_workspace();
    t.ws.import_collections(&[shop(false)], None).unwrap();
    // An export holding two more "Shop API"s: two clashes.
    let two = [shop(false), shop(true)];
    let before = snapshot(&t.root());
    let rename = ImportConflict::Rename {
        name: "Shop API 2".into(),
    };
    let err = t.ws.import_collections(&two, Some(&rename)).unwrap_err();
    assert!(
        matches!(&err, StoreError::CollectionExists { name } if name == "Shop API"),
        "the second clash is asked about: {err:?}"
    );
    assert_eq!(snapshot(&t.root()), before, "nothing written");

    let each = ImportConflict::Each {
        answers: vec![rename.clone(), ImportConflict::Merge],
    };
    let done = t.ws.import_collections(&two, Some(&each)).unwrap();
    assert_eq!(done[0].name, "Shop API 2");
    assert!(!done[0].merged);
    assert_eq!(done[1].name, "Shop API");
    assert!(done[1].merged);
    assert_eq!(collection_names(&t.ws), ["Shop API", "Shop API 2"]);
}

#[test]
fn same_named_collections_of_one_import_clash_with_each_other() {
    let t = temp_workspace();
    let two = [shop(false), shop(true)];
    let err = t.ws.import_collections(&two, None).unwrap_err();
    assert!(
        matches!(&err, StoreError::CollectionExists { name } if name == "Shop API"),
        "{err:?}"
    );
    assert!(collection_names(&t.ws).is_empty(), "nothing written");

    // Merged: the second goes into the first, written by this same import.
    let merge = ImportConflict::Each {
        answers: vec![ImportConflict::Merge],
    };
    let done = t.ws.import_collections(&two, Some(&merge)).unwrap();
    assert_eq!(done[1].path, done[0].path);
    assert!(done[1].merged);
    assert_eq!(collection_names(&t.ws), ["Shop API"]);
    let merged = t.ws.load_collection(&done[0].path).unwrap();
    assert_eq!(
        requests_in(&merged.items),
        5,
        "the first's four requests and the second's extra one"
    );

    // A name another collection of the import has is refused as a new name.
    let t = temp_workspace();
    let mut other = shop(false);
    other.name = "Orders API".into();
    let clash = ImportConflict::Each {
        answers: vec![ImportConflict::Rename {
            name: "Orders API".into(),
        }],
    };
    assert!(matches!(
        t.ws.import_collections(&[shop(false), other, shop(true)], Some(&clash)),
        Err(StoreError::CollectionExists { name }) if name == "Orders API"
    ));
}

fn requests_in(items: &[CollectionItem]) -> usize {
    items
        .iter()
        .map(|i| match i {
            CollectionItem::Request(_) => 1,
            CollectionItem::Folder(f) => requests_in(&f.items),
        })
        .sum()
}
