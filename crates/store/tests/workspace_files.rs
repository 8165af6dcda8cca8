//! Collections as files: the format round-trips byte for byte (the checked-in demo collection
//! included), edits made on disk are never overwritten, broken files are reported and skipped
//! without losing the rest, sidebar operations keep files, order and secrets together, and secret
//! values never land in the workspace.

mod workspace_common;

use std::fs;

use sextant_model::{
    ApiError, ApiKeyLocation, Auth, Capture, CaptureSource, Collection, CollectionItem,
    Environment, ErrorCode, Folder, FolderSettings, HttpRequest, HttpVersionPref, KeyValue,
    MultipartPart, PartValue, ProxySetting, RequestBody, SavedRequest, Variable,
};
use sextant_store::{Draft, Drafts, NodeKind, StoreError, TreeNode, Workspace};

use workspace_common::{all_files, demo_collection, get, temp_workspace};

/// A request that uses every feature of the format.
fn rich_request() -> SavedRequest {
    let mut http = HttpRequest::new("PATCH", "{{baseUrl}}/things/{{id}}?a=1");
    http.query = vec![KeyValue::new("limit", "20"), {
        let mut off = KeyValue::new("debug", "true");
        off.enabled = false;
        off
    }];
    http.headers = vec![KeyValue::new("X-Trace", "abc: def # not a comment")];
    http.body = RequestBody::Multipart {
        parts: vec![
            MultipartPart {
                name: "meta".into(),
                enabled: true,
                value: PartValue::Text {
                    text: "line one\nline two\n".into(),
                },
            },
            MultipartPart {
                name: "file".into(),
                enabled: false,
                value: PartValue::File {
                    path: "/tmp/upload.bin".into(),
                    filename: Some("up.bin".into()),
                    content_type: None,
                },
            },
        ],
    };
    http.settings.connect_timeout_ms = None;
    http.settings.timeout_ms = Some(2500);
    http.settings.verify_tls = false;
    http.settings.http_version = HttpVersionPref::Http1;
    http.settings.proxy = ProxySetting::Url {
        url: "http://127.0.0.1:3128".into(),
    };
    SavedRequest {
        name: "Patch a thing: \"quoted\" & more".into(),
        request: http,
        auth: Auth::ApiKey {
            name: "X-Key".into(),
            value: "{{apiKey}}".into(),
            location: ApiKeyLocation::Query,
        },
        variables: vec![Variable::new("id", "42"), {
            let mut v = Variable::new("unused", "");
            v.enabled = false;
            v
        }],
        captures: vec![
            Capture {
                variable: "etag".into(),
                source: CaptureSource::Header {
                    name: "ETag".into(),
                },
            },
            Capture {
                variable: "next".into(),
                source: CaptureSource::Body {
                    path: "$.links[0].href".into(),
                },
            },
        ],
        docs: "# Notes\n\n- yes: no\n- 'quotes'\n".into(),
    }
}

#[test]
fn a_request_round_trips_and_an_unchanged_save_writes_the_same_bytes() {
    let t = temp_workspace();
    let coll = t.ws.create_collection("Things").unwrap();
    assert_eq!(coll, "things");
    let saved = t.ws.create_request(&coll, &rich_request()).unwrap();
    assert_eq!(saved.path, "things/patch-a-thing-quoted-more.yaml");
    let file = t.root().join(&saved.path);
    let first = fs::read(&file).unwrap();

    let loaded = t.ws.read_request(&saved.path).unwrap();
    assert_eq!(loaded.request, rich_request());
    assert_eq!(loaded.revision, saved.revision);
    assert!(loaded.missing_secrets.is_empty());

    // Re-serialise through a new file: the bytes are the same.
    let copy =
        t.ws.save_request("things/copy.yaml", &loaded.request, None)
            .unwrap();
    assert_eq!(fs::read(t.root().join(&copy.path)).unwrap(), first);
    assert_eq!(copy.revision, saved.revision);

    // Saving the unchanged request in place keeps the file and its revision.
    let again =
        t.ws.save_request(&saved.path, &loaded.request, Some(&loaded.revision))
            .unwrap();
    assert_eq!(again.revision, saved.revision);
    assert_eq!(fs::read(&file).unwrap(), first);
}

#[test]
fn defaults_are_left_out_of_files() {
    let t = temp_workspace();
    t.ws.create_collection("c").unwrap();
    let saved =
        t.ws.create_request("c", &get("Health", "{{baseUrl}}/health"))
            .unwrap();
    let text = fs::read_to_string(t.root().join(&saved.path)).unwrap();
    assert_eq!(
        text,
        "name: Health\nmethod: GET\nurl: '{{baseUrl}}/health'\n"
    );
}

/// Every file of the checked-in demo collection is what the store itself would write for it.
#[test]
fn every_demo_collection_file_round_trips_byte_identically() {
    let t = temp_workspace();
    let src = demo_collection();
    let files = all_files(&src);
    assert!(files.len() >= 20, "the demo collection has its files");
    let coll = t.ws.load_collection_from_copy(&src);

    // The whole collection, written back by the store into another workspace, is the same
    // set of files with the same bytes.
    let other = temp_workspace();
    let written = other.ws.write_collection(&coll).unwrap();
    assert_eq!(written, "demo-api");
    let rewritten = all_files(&other.root().join("demo-api"));
    let rel =
        |base: &std::path::Path, p: &std::path::Path| p.strip_prefix(base).unwrap().to_path_buf();
    assert_eq!(
        files.iter().map(|p| rel(&src, p)).collect::<Vec<_>>(),
        rewritten
            .iter()
            .map(|p| rel(&other.root().join("demo-api"), p))
            .collect::<Vec<_>>()
    );
    for (a, b) in files.iter().zip(&rewritten) {
        assert_eq!(
            fs::read_to_string(a).unwrap(),
            fs::read_to_string(b).unwrap(),
            "{} differs after a round trip",
            a.display()
        );
    }

    // File by file: each request and environment re-serialised to a new file is identical, and
    // each settings file rewritten in place is identical.
    for file in &files {
        let rel_path = format!("demo-api/{}", rel(&src, file).to_string_lossy());
        let original = fs::read(file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let written = if name == "folder.yaml" || name == "collection.yaml" {
            let dir = rel_path.rsplit_once('/').unwrap().0;
            let folder = t.ws.read_folder_settings(dir).unwrap();
            t.ws.save_folder_settings(dir, &folder.settings, &folder.revision)
                .unwrap();
            fs::read(t.root().join(&rel_path)).unwrap()
        } else if rel_path.contains("/environments/") {
            let env = t.ws.read_environment(&rel_path).unwrap();
            let copy = rel_path.replace(".yaml", "-copy.yaml");
            t.ws.save_environment(&copy, &env.environment, None)
                .unwrap();
            fs::read(t.root().join(&copy)).unwrap()
        } else {
            let req = t.ws.read_request(&rel_path).unwrap();
            assert!(req.missing_secrets.is_empty());
            let copy = rel_path.replace(".yaml", "-copy.yaml");
            t.ws.save_request(&copy, &req.request, None).unwrap();
            fs::read(t.root().join(&copy)).unwrap()
        };
        assert_eq!(
            String::from_utf8(written).unwrap(),
            String::from_utf8(original).unwrap(),
            "{rel_path}"
        );
    }
}

trait CopyIn {
    fn load_collection_from_copy(&self, src: &std::path::Path) -> Collection;
}

impl CopyIn for Workspace {
    /// Copies a collection folder into this workspace and loads it.
    fn load_collection_from_copy(&self, src: &std::path::Path) -> Collection {
        fn copy(from: &std::path::Path, to: &std::path::Path) {
            fs::create_dir_all(to).unwrap();
            for entry in fs::read_dir(from).unwrap() {
                let entry = entry.unwrap();
                let target = to.join(entry.file_name());
                if entry.path().is_dir() {
                    copy(&entry.path(), &target);
                } else {
                    fs::copy(entry.path(), target).unwrap();
                }
            }
        }
        let name = src.file_name().unwrap().to_string_lossy().into_owned();
        copy(src, &self.root().join(&name));
        self.load_collection(&name).unwrap()
    }
}

#[test]
fn the_demo_collection_loads_with_its_environment_and_capture() {
    let t = temp_workspace();
    let coll = t.ws.load_collection_from_copy(&demo_collection());
    assert_eq!(coll.name, "Demo API");
    let folders: Vec<&str> = coll
        .items
        .iter()
        .map(|i| match i {
            CollectionItem::Folder(f) => f.name.as_str(),
            CollectionItem::Request(r) => r.name.as_str(),
        })
        .collect();
    assert_eq!(
        folders,
        [
            "items",
            "files",
            "streaming",
            "cookies",
            "redirects",
            "misc"
        ]
    );
    assert_eq!(coll.environments.len(), 1);
    assert_eq!(coll.environments[0].name, "local");
    assert_eq!(
        coll.environments[0].variables,
        [Variable::new("baseUrl", "http://127.0.0.1:8000")]
    );
    let CollectionItem::Folder(items) = &coll.items[0] else {
        panic!("items is a folder")
    };
    let requests: Vec<&SavedRequest> = items
        .items
        .iter()
        .filter_map(|i| match i {
            CollectionItem::Request(r) => Some(r),
            CollectionItem::Folder(_) => None,
        })
        .collect();
    assert_eq!(requests[1].name, "Create item");
    assert_eq!(
        requests[1].captures,
        [Capture {
            variable: "itemId".into(),
            source: CaptureSource::Body {
                path: "$.id".into()
            }
        }]
    );
    assert_eq!(requests[2].request.method, "GET");
    assert_eq!(requests[2].request.url, "{{baseUrl}}/items/{{itemId}}");

    let tree = t.ws.list_tree().unwrap();
    fn no_errors(node: &TreeNode) -> usize {
        assert!(node.error.is_none(), "{:?}", node.error);
        1 + node.children.iter().map(no_errors).sum::<usize>()
    }
    assert_eq!(tree.len(), 1);
    assert!(no_errors(&tree[0]) >= 20);
}

#[test]
fn a_file_changed_on_disk_is_a_conflict_not_overwritten() {
    let t = temp_workspace();
    t.ws.create_collection("c").unwrap();
    let saved = t.ws.create_request("c", &get("One", "http://a/")).unwrap();
    let file = t.root().join(&saved.path);

    // Someone edits the file in an editor.
    let theirs = "name: One\nmethod: DELETE\nurl: http://theirs/\n";
    fs::write(&file, theirs).unwrap();
    let err =
        t.ws.save_request(
            &saved.path,
            &get("One", "http://mine/"),
            Some(&saved.revision),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    assert_eq!(err.code(), ErrorCode::Conflict);
    assert_eq!(fs::read_to_string(&file).unwrap(), theirs);

    // Reading again gives the new revision, with which the save goes through.
    let fresh = t.ws.read_request(&saved.path).unwrap();
    assert_eq!(fresh.request.request.method, "DELETE");
    t.ws.save_request(
        &saved.path,
        &get("One", "http://mine/"),
        Some(&fresh.revision),
    )
    .unwrap();
    assert!(fs::read_to_string(&file).unwrap().contains("http://mine/"));

    // Creating over an existing file fails; so does saving a file deleted meanwhile.
    let err =
        t.ws.save_request(&saved.path, &get("Two", "http://b/"), None)
            .unwrap_err();
    assert!(matches!(err, StoreError::AlreadyExists { .. }), "{err}");
    let api: ApiError = err.into();
    assert_eq!(api.code, ErrorCode::Conflict);
    let rev = t.ws.read_request(&saved.path).unwrap().revision;
    fs::remove_file(&file).unwrap();
    let err =
        t.ws.save_request(&saved.path, &get("One", "http://c/"), Some(&rev))
            .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    assert!(!file.exists());

    // Folder settings are guarded the same way.
    let folder = t.ws.read_folder_settings("c").unwrap();
    fs::write(
        t.root().join("c/collection.yaml"),
        "name: renamed by hand\n",
    )
    .unwrap();
    let err =
        t.ws.save_folder_settings("c", &FolderSettings::default(), &folder.revision)
            .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
}

#[test]
fn a_broken_request_is_reported_with_its_position_and_the_rest_is_listed() {
    let t = temp_workspace();
    t.ws.create_collection("c").unwrap();
    t.ws.create_request("c", &get("Good one", "http://a/"))
        .unwrap();
    t.ws.create_request("c", &get("Zed", "http://z/")).unwrap();
    let broken = "name: Broken\nmethod: GET\nurl: [unclosed\n";
    fs::write(t.root().join("c/broken.yaml"), broken).unwrap();
    fs::write(
        t.root().join("c/typo.yaml"),
        "name: T\nmethod: GET\nurl: x\nheaderz: []\n",
    )
    .unwrap();

    let err = t.ws.read_request("c/broken.yaml").unwrap_err();
    match &err {
        StoreError::InvalidFile {
            path, line, column, ..
        } => {
            assert_eq!(path, "c/broken.yaml");
            assert!(*line >= 3 && *column > 0, "{err}");
        }
        other => panic!("expected InvalidFile, got {other}"),
    }
    assert_eq!(err.code(), ErrorCode::InvalidFile);
    assert!(err.to_string().starts_with("c/broken.yaml:"), "{err}");
    let err = t.ws.read_request("c/typo.yaml").unwrap_err();
    assert!(
        matches!(&err, StoreError::InvalidFile { line: 4, .. }),
        "unknown keys are errors with their line: {err}"
    );

    let tree = t.ws.list_tree().unwrap();
    let names: Vec<(&str, Option<&str>, bool)> = tree[0]
        .children
        .iter()
        .map(|n| (n.name.as_str(), n.method.as_deref(), n.error.is_some()))
        .collect();
    assert_eq!(
        names,
        [
            ("broken.yaml", None, true),
            ("Good one", Some("GET"), false),
            ("typo.yaml", None, true),
            ("Zed", Some("GET"), false),
        ]
    );
    // Nothing was rewritten or dropped.
    assert_eq!(
        fs::read_to_string(t.root().join("c/broken.yaml")).unwrap(),
        broken
    );
    assert!(
        t.ws.load_collection("c").is_err(),
        "a strict load reports the broken file"
    );

    // A broken folder file flags the folder but still lists what is in it.
    let folder = t.ws.create_folder("c", "Inner").unwrap();
    t.ws.create_request(&folder, &get("Inside", "http://i/"))
        .unwrap();
    fs::write(t.root().join("c/inner/folder.yaml"), "name: [\n").unwrap();
    let tree = t.ws.list_tree().unwrap();
    let inner = tree[0]
        .children
        .iter()
        .find(|n| n.path == "c/inner")
        .unwrap();
    assert!(inner
        .error
        .as_deref()
        .unwrap()
        .contains("c/inner/folder.yaml:"));
    assert_eq!(inner.children[0].name, "Inside");
}

#[test]
fn the_tree_lists_collections_folders_and_requests_in_order() {
    let t = temp_workspace();
    let c = t.ws.create_collection("Shop API").unwrap();
    let users = t.ws.create_folder(&c, "Users").unwrap();
    let orders = t.ws.create_folder(&c, "Orders").unwrap();
    t.ws.create_request(&c, &get("Ping", "http://p/")).unwrap();
    let b =
        t.ws.create_request(&users, &get("B list", "http://b/"))
            .unwrap();
    t.ws.create_request(&users, &get("A get", "http://a/"))
        .unwrap();
    let mut post = get("C create", "http://c/");
    post.request.method = "POST".into();
    t.ws.create_request(&users, &post).unwrap();
    t.ws.create_collection("Another").unwrap();
    fs::write(t.root().join("shop-api/users/notes.md"), "not a request").unwrap();
    fs::create_dir(t.root().join(".git")).unwrap();

    // No order list: by name.
    let tree = t.ws.list_tree().unwrap();
    assert_eq!(
        tree.iter().map(|n| n.path.as_str()).collect::<Vec<_>>(),
        ["another", "shop-api"]
    );
    let shop = &tree[1];
    assert_eq!(
        (shop.kind, shop.name.as_str()),
        (NodeKind::Collection, "Shop API")
    );
    let kids: Vec<&str> = shop.children.iter().map(|n| n.path.as_str()).collect();
    assert_eq!(
        kids,
        ["shop-api/orders", "shop-api/ping.yaml", "shop-api/users"]
    );
    assert_eq!(shop.children[2].kind, NodeKind::Folder);
    assert_eq!(shop.children[2].name, "Users");
    let user_reqs: Vec<(&str, &str)> = shop.children[2]
        .children
        .iter()
        .map(|n| (n.name.as_str(), n.method.as_deref().unwrap()))
        .collect();
    assert_eq!(
        user_reqs,
        [("A get", "GET"), ("B list", "GET"), ("C create", "POST")]
    );
    let _ = orders;

    // The user reorders: listed names first, the rest after by name; a new request is not
    // added to the list.
    t.ws.set_order(&users, &["c-create.yaml".into(), "b-list.yaml".into()])
        .unwrap();
    t.ws.create_request(&users, &get("0 first by name", "http://0/"))
        .unwrap();
    let folder = t.ws.list_folder(&users).unwrap();
    let names: Vec<&str> = folder.children.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["C create", "B list", "0 first by name", "A get"]);

    // Renaming keeps the place in the order.
    let renamed = t.ws.rename(&b.path, "Browse users").unwrap();
    assert_eq!(renamed, "shop-api/users/browse-users.yaml");
    let order = t.ws.read_folder_settings(&users).unwrap().order;
    assert_eq!(order, ["c-create.yaml", "browse-users.yaml"]);
    assert_eq!(
        t.ws.read_request(&renamed).unwrap().request.name,
        "Browse users"
    );
    assert!(!t.root().join(&b.path).exists());
}

#[test]
fn paths_outside_the_workspace_are_refused() {
    let t = temp_workspace();
    for bad in [
        "../x.yaml",
        "/etc/passwd",
        "c/../../x.yaml",
        ".sextant/x.yaml",
    ] {
        let err = t.ws.read_request(bad).unwrap_err();
        assert!(
            matches!(err, StoreError::InvalidPath { .. }),
            "{bad}: {err}"
        );
    }
    let err = t.ws.read_request("nope/missing.yaml").unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
}

#[test]
fn rename_move_duplicate_delete_and_restore() {
    let t = temp_workspace();
    let a = t.ws.create_collection("Alpha").unwrap();
    let b = t.ws.create_collection("Beta").unwrap();
    let folder = t.ws.create_folder(&a, "Things").unwrap();
    let mut req = get("Secret thing", "http://t/");
    req.auth = Auth::Bearer {
        token: "tok-123-secret".into(),
    };
    let saved = t.ws.create_request(&folder, &req).unwrap();
    t.ws.set_order(&folder, &[]).unwrap();

    // Duplicate: a new file with " copy", secrets copied.
    let dup = t.ws.duplicate(&saved.path).unwrap();
    assert_eq!(dup, "alpha/things/secret-thing-copy.yaml");
    let copy = t.ws.read_request(&dup).unwrap().request;
    assert_eq!(copy.name, "Secret thing copy");
    assert_eq!(copy.auth, req.auth);

    // Move to another collection: the name stays, the secret follows.
    let moved = t.ws.move_item(&saved.path, &b).unwrap();
    assert_eq!(moved, "beta/secret-thing.yaml");
    assert!(!t.root().join(&saved.path).exists());
    assert_eq!(t.ws.read_request(&moved).unwrap().request, req);

    // Rename a folder: its folder name follows, and so do the secrets of what is inside.
    let renamed = t.ws.rename(&folder, "Gadgets").unwrap();
    assert_eq!(renamed, "alpha/gadgets");
    let inside =
        t.ws.read_request("alpha/gadgets/secret-thing-copy.yaml")
            .unwrap();
    assert!(inside.missing_secrets.is_empty());
    assert_eq!(inside.request.auth, req.auth);
    assert_eq!(t.ws.read_folder_settings(&renamed).unwrap().name, "Gadgets");

    // A folder cannot move into itself.
    let sub = t.ws.create_folder(&renamed, "Sub").unwrap();
    assert!(t.ws.move_item(&renamed, &sub).is_err());

    // Delete to the trash, then restore: content and secret come back.
    let entry = t.ws.delete(&moved).unwrap();
    assert_eq!(entry.path, moved);
    assert!(!t.root().join(&moved).exists());
    assert!(t.ws.read_request(&moved).is_err());
    assert_eq!(t.ws.list_trash().unwrap(), std::slice::from_ref(&entry));
    assert!(
        !t.root().join(".sextant-trash").exists(),
        "the trash is in the data dir"
    );
    let restored = t.ws.restore(&entry.id).unwrap();
    assert_eq!(restored, moved);
    assert_eq!(t.ws.read_request(&restored).unwrap().request, req);
    assert!(t.ws.list_trash().unwrap().is_empty());

    // A whole folder too; restoring when the name was taken meanwhile gets a new name.
    let entry = t.ws.delete(&renamed).unwrap();
    assert_eq!(entry.kind, NodeKind::Folder);
    t.ws.create_folder(&a, "Gadgets").unwrap();
    let back = t.ws.restore(&entry.id).unwrap();
    assert_eq!(back, "alpha/gadgets-2");
    let inside =
        t.ws.read_request("alpha/gadgets-2/secret-thing-copy.yaml")
            .unwrap();
    assert_eq!(inside.request.auth, req.auth);

    // Emptying the trash drops the entries and their secrets.
    t.ws.delete(&back).unwrap();
    assert_eq!(t.ws.empty_trash().unwrap(), 1);
    let keys = t.ws.secrets().keys().unwrap();
    assert_eq!(keys, ["beta/secret-thing.yaml#auth/token"]);
}

const SECRETS: [&str; 8] = [
    "pw-basic-Q7x",
    "tok-bearer-Z9k",
    "key-apikey-M2p",
    "var-request-H4d",
    "var-folder-L8w",
    "var-collection-R3t",
    "var-environment-B6y",
    "imported-token-N1c",
];

#[test]
fn secret_values_never_reach_workspace_files_and_come_back_on_read() {
    let t = temp_workspace();
    let c = t.ws.create_collection("Secrets").unwrap();
    let f = t.ws.create_folder(&c, "Inner").unwrap();

    let mut basic = get("Basic", "http://b/");
    basic.auth = Auth::Basic {
        username: "alice".into(),
        password: SECRETS[0].into(),
    };
    basic.variables = vec![
        Variable::secret("session", SECRETS[3]),
        Variable::new("plain", "visible"),
    ];
    let mut bearer = get("Bearer", "http://b/");
    bearer.auth = Auth::Bearer {
        token: format!("prefix-{}", SECRETS[1]),
    };
    let mut key = get("Key", "http://k/");
    key.auth = Auth::ApiKey {
        name: "X-Api-Key".into(),
        value: SECRETS[2].into(),
        location: ApiKeyLocation::Header,
    };
    let mut reference = get("Reference", "http://r/");
    reference.auth = Auth::Bearer {
        token: "{{token}}".into(),
    };
    let saved: Vec<_> = [&basic, &bearer, &key, &reference]
        .into_iter()
        .map(|r| t.ws.create_request(&f, r).unwrap())
        .collect();

    let folder_settings = FolderSettings {
        base_url: Some("http://base/".into()),
        headers: vec![KeyValue::new("X-Team", "core")],
        auth: Auth::Inherit,
        variables: vec![Variable::secret("folderSecret", SECRETS[4])],
    };
    let rev = t.ws.read_folder_settings(&f).unwrap().revision;
    t.ws.save_folder_settings(&f, &folder_settings, &rev)
        .unwrap();
    let coll_settings = FolderSettings {
        variables: vec![Variable::secret("collSecret", SECRETS[5])],
        ..FolderSettings::default()
    };
    let rev = t.ws.read_folder_settings(&c).unwrap().revision;
    t.ws.save_folder_settings(&c, &coll_settings, &rev).unwrap();
    let env = Environment {
        name: "prod".into(),
        variables: vec![
            Variable::new("baseUrl", "https://x/"),
            Variable::secret("envSecret", SECRETS[6]),
        ],
    };
    let env_saved = t.ws.create_environment(&c, &env).unwrap();

    let mut imported_req = get("Imported", "http://i/");
    imported_req.auth = Auth::Bearer {
        token: SECRETS[7].into(),
    };
    let imported =
        t.ws.write_collection(&Collection {
            name: "Imported".into(),
            settings: FolderSettings::default(),
            items: vec![CollectionItem::Request(imported_req.clone())],
            environments: vec![],
        })
        .unwrap();
    let drafts = Drafts::open(t.data().join("drafts")).unwrap();
    drafts
        .put(&Draft {
            key: "tab-1".into(),
            path: None,
            base_revision: None,
            request: basic.clone(),
            updated_at_ms: 1,
        })
        .unwrap();

    // No file anywhere under the workspace holds a secret value, and the secret store file
    // holds none in clear either.
    let files = all_files(t.ws.root());
    assert!(files.len() >= 8);
    let mut checked: Vec<_> = files.clone();
    checked.push(t.data().join("secrets.enc"));
    for file in &checked {
        let bytes = fs::read(file).unwrap();
        for secret in SECRETS {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{secret} found in {}",
                file.display()
            );
        }
    }
    let text = fs::read_to_string(t.root().join(&saved[0].path)).unwrap();
    assert!(text.contains("password: <secret>"), "{text}");
    assert!(text.contains("- name: session\n  secret: true\n"), "{text}");
    assert!(text.contains("value: visible"));
    let text = fs::read_to_string(t.root().join(&saved[3].path)).unwrap();
    assert!(
        text.contains("token: '{{token}}'"),
        "references stay: {text}"
    );

    // Everything reads back, also after reopening the workspace.
    let ws = t.reopen();
    let back: Vec<SavedRequest> = saved
        .iter()
        .map(|s| ws.read_request(&s.path).unwrap().request)
        .collect();
    assert_eq!(back, [basic.clone(), bearer, key, reference]);
    assert_eq!(
        ws.read_folder_settings(&f).unwrap().settings,
        folder_settings
    );
    assert_eq!(ws.read_folder_settings(&c).unwrap().settings, coll_settings);
    assert_eq!(
        ws.read_environment(&env_saved.path).unwrap().environment,
        env
    );
    let imported = ws.load_collection(&imported).unwrap();
    assert_eq!(imported.items, [CollectionItem::Request(imported_req)]);
    assert_eq!(
        ws.inherited_settings(&saved[0].path).unwrap(),
        [coll_settings, folder_settings]
    );

    // Without the secret store (a fresh clone on another machine) the files still load, with
    // the secrets reported missing.
    let elsewhere = Workspace::open(t.ws.root(), t.dir.path().join("other-data")).unwrap();
    let loaded = elsewhere.read_request(&saved[0].path).unwrap();
    assert_eq!(
        loaded.missing_secrets,
        ["auth/password", "variables/session"]
    );
    assert_eq!(
        loaded.request.auth,
        Auth::Basic {
            username: "alice".into(),
            password: String::new()
        }
    );
}

#[test]
fn a_collection_written_whole_loads_back_equal() {
    let t = temp_workspace();
    let mut post = get("Create", "{{baseUrl}}/things");
    post.request.method = "POST".into();
    post.request.body = RequestBody::Json {
        text: "{\"a\": 1}".into(),
    };
    post.auth = Auth::Basic {
        username: "u".into(),
        password: "p@ss".into(),
    };
    let collection = Collection {
        name: "Round Trip".into(),
        settings: FolderSettings {
            base_url: Some("http://127.0.0.1:8000".into()),
            headers: vec![KeyValue::new("Accept", "application/json")],
            auth: Auth::Bearer {
                token: "{{token}}".into(),
            },
            variables: vec![Variable::secret("token", "t0k")],
        },
        items: vec![
            CollectionItem::Request(get("Zulu first", "/z")),
            CollectionItem::Folder(Folder {
                name: "Nested".into(),
                settings: FolderSettings {
                    auth: Auth::None,
                    ..FolderSettings::default()
                },
                items: vec![
                    CollectionItem::Folder(Folder {
                        name: "Deeper".into(),
                        settings: FolderSettings::default(),
                        items: vec![CollectionItem::Request(post.clone())],
                    }),
                    CollectionItem::Request(get("Same name", "/1")),
                    CollectionItem::Request(get("Same name", "/2")),
                ],
            }),
            CollectionItem::Request(get("Alpha last", "/a")),
        ],
        environments: vec![
            Environment {
                name: "local".into(),
                variables: vec![Variable::new("baseUrl", "http://127.0.0.1:8000")],
            },
            Environment {
                name: "staging".into(),
                variables: vec![Variable::secret("token", "stg")],
            },
        ],
    };
    let path = t.ws.write_collection(&collection).unwrap();
    assert_eq!(path, "round-trip");
    assert_eq!(t.ws.load_collection(&path).unwrap(), collection);
    // A second import of the same collection gets its own folder.
    assert_eq!(t.ws.write_collection(&collection).unwrap(), "round-trip-2");
    let names: Vec<String> = fs::read_dir(t.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with('.')),
        "no temp folder left: {names:?}"
    );
    assert!(t.root().join("round-trip/nested/same-name-2.yaml").exists());
    let envs = t.ws.list_environments(&path).unwrap();
    assert_eq!(
        envs.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
        ["local", "staging"]
    );
}

#[test]
fn drafts_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let drafts = Drafts::open(dir.path().join("drafts")).unwrap();
    let draft = Draft {
        key: "tab/1 ü".into(),
        path: Some("c/get.yaml".into()),
        base_revision: Some("abc".into()),
        request: get("Unsaved", "http://u/"),
        updated_at_ms: 1_700_000_000_000,
    };
    drafts.put(&draft).unwrap();
    let mut other = draft.clone();
    other.key = "tab-0".into();
    drafts.put(&other).unwrap();
    drop(drafts);

    let drafts = Drafts::open(dir.path().join("drafts")).unwrap();
    assert_eq!(drafts.get("tab/1 ü").unwrap(), Some(draft.clone()));
    assert_eq!(drafts.list().unwrap(), [other.clone(), draft.clone()]);
    assert!(drafts.remove("tab-0").unwrap());
    assert!(!drafts.remove("tab-0").unwrap());
    assert_eq!(drafts.get("tab-0").unwrap(), None);
    assert_eq!(drafts.list().unwrap(), [draft]);
}

#[test]
fn environments_are_listed_read_renamed_and_broken_ones_flagged() {
    let t = temp_workspace();
    let c = t.ws.create_collection("Envs").unwrap();
    let env = Environment {
        name: "Local Dev".into(),
        variables: vec![Variable::new("baseUrl", "http://127.0.0.1:8000")],
    };
    let saved = t.ws.create_environment(&c, &env).unwrap();
    assert_eq!(saved.path, "envs/environments/local-dev.yaml");
    fs::write(t.root().join("envs/environments/bad.yaml"), "name: [\n").unwrap();
    let list = t.ws.list_environments(&c).unwrap();
    assert_eq!(list.len(), 2);
    assert!(list[0].error.is_some() && list[1].error.is_none());
    let renamed = t.ws.rename(&saved.path, "Staging").unwrap();
    assert_eq!(renamed, "envs/environments/staging.yaml");
    assert_eq!(
        t.ws.read_environment(&renamed).unwrap().environment.name,
        "Staging"
    );
    // The environments folder is not a folder of requests.
    let tree = t.ws.list_tree().unwrap();
    assert!(tree[0].children.is_empty());
}

/// The examples in `docs/FORMAT.md` are files the store reads.
#[test]
fn the_documented_examples_parse() {
    let doc =
        fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/FORMAT.md")).unwrap();
    let blocks: Vec<&str> = doc
        .split("```yaml\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .collect();
    let t = temp_workspace();
    let c = t.ws.create_collection("Doc").unwrap();
    let request = blocks
        .iter()
        .find(|b| b.starts_with("name: Create item"))
        .unwrap();
    fs::write(t.root().join("doc/example.yaml"), request).unwrap();
    let loaded = t.ws.read_request("doc/example.yaml").unwrap();
    assert_eq!(loaded.request.captures.len(), 2);
    assert_eq!(loaded.request.request.settings.connect_timeout_ms, None);
    assert_eq!(loaded.request.request.settings.timeout_ms, Some(5000));
    assert_eq!(loaded.missing_secrets, ["variables/session"]);

    for (i, body) in blocks
        .iter()
        .find(|b| b.starts_with("body: {kind: text"))
        .unwrap()
        .split("\nbody:")
        .enumerate()
    {
        let body = if i == 0 {
            body.to_string()
        } else {
            format!("body:{body}")
        };
        let text = format!("name: B{i}\nmethod: POST\nurl: http://x/\n{body}");
        fs::write(t.root().join(format!("doc/body-{i}.yaml")), text).unwrap();
        t.ws.read_request(&format!("doc/body-{i}.yaml")).unwrap();
    }
    for (i, auth) in blocks
        .iter()
        .find(|b| b.starts_with("auth: {kind: none}"))
        .unwrap()
        .lines()
        .enumerate()
    {
        let text = format!("name: A{i}\nmethod: GET\nurl: http://x/\n{auth}\n");
        fs::write(t.root().join(format!("doc/auth-{i}.yaml")), text).unwrap();
        t.ws.read_request(&format!("doc/auth-{i}.yaml")).unwrap();
    }
    let settings = blocks
        .iter()
        .find(|b| b.starts_with("name: Demo API"))
        .unwrap();
    fs::write(t.root().join("doc/collection.yaml"), settings).unwrap();
    assert_eq!(t.ws.read_folder_settings(&c).unwrap().order.len(), 3);
    let env = blocks
        .iter()
        .find(|b| b.starts_with("name: local"))
        .unwrap();
    fs::create_dir(t.root().join("doc/environments")).unwrap();
    fs::write(t.root().join("doc/environments/local.yaml"), env).unwrap();
    let env =
        t.ws.read_environment("doc/environments/local.yaml")
            .unwrap();
    assert_eq!(env.environment.variables.len(), 2);
}
