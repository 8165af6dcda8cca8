//! The workspace as the sidebar uses it: conflicts with edits made on disk, broken files reported
//! without losing the rest, the tree and its order, paths kept inside the workspace, rename /
//! move / duplicate / delete / restore, drafts and environments.

use std::fs;

use sextant_model::{ApiError, Auth, Environment, ErrorCode, FolderSettings, Variable};
use sextant_store::{Draft, NodeKind, SealError, StoreError};

use crate::workspace_common::{get, temp_workspace};

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
    // A listing that loads its requests lists the same tree and loads only the good ones.
    let (listed, loaded) = t.ws.list_folder_loaded("c").unwrap();
    assert_eq!(listed, t.ws.list_folder("c").unwrap());
    let mut paths: Vec<&str> = loaded.keys().map(String::as_str).collect();
    paths.sort_unstable();
    assert_eq!(paths, ["c/good-one.yaml", "c/zed.yaml"]);
    assert_eq!(
        loaded["c/zed.yaml"],
        t.ws.read_request("c/zed.yaml").unwrap()
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

#[test]
fn drafts_survive_reopening() {
    let t = temp_workspace();
    let drafts = t.ws.drafts().unwrap();
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

    let drafts = t.reopen().drafts().unwrap();
    assert_eq!(drafts.get("tab/1 ü").unwrap(), Some(draft.clone()));
    assert_eq!(drafts.list().unwrap(), [other.clone(), draft.clone()]);
    assert!(drafts.remove("tab-0").unwrap());
    assert!(!drafts.remove("tab-0").unwrap());
    assert_eq!(drafts.get("tab-0").unwrap(), None);
    assert_eq!(drafts.list().unwrap(), [draft]);
}

#[test]
fn drafts_are_sealed_and_clear_ones_from_before_still_read() {
    let t = temp_workspace();
    let dir = t.data().join("drafts");
    let drafts = t.ws.drafts().unwrap();
    let mut draft = Draft {
        key: "k".into(),
        path: None,
        base_revision: None,
        request: get("Typed", "http://typed.example/"),
        updated_at_ms: 1,
    };
    // A draft as an earlier version wrote it: JSON in clear, `<hex key>.json`.
    fs::write(dir.join("6b.json"), serde_json::to_vec(&draft).unwrap()).unwrap();
    assert_eq!(drafts.get("k").unwrap(), Some(draft.clone()));
    assert_eq!(drafts.list().unwrap(), [draft.clone()]);

    // The next save seals it and the clear file goes.
    draft.updated_at_ms = 2;
    drafts.put(&draft).unwrap();
    assert!(!dir.join("6b.json").exists());
    let sealed = fs::read(dir.join("6b.draft")).unwrap();
    assert!(!String::from_utf8_lossy(&sealed).contains("typed.example"));
    assert_eq!(drafts.list().unwrap(), [draft.clone()]);

    // A damaged sealed draft is an error to read and skipped when listing, never a crash.
    let mut damaged = sealed.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    fs::write(dir.join("6b.draft"), &damaged).unwrap();
    let err = drafts.get("k").unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Sealed {
                source: SealError::Decrypt,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("decrypt"), "{err}");
    assert_eq!(drafts.list().unwrap(), []);
    // Something that was never sealed says so.
    fs::write(dir.join("6b.draft"), b"{}").unwrap();
    assert!(matches!(
        drafts.get("k").unwrap_err(),
        StoreError::Sealed {
            source: SealError::NotSealed,
            ..
        }
    ));
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
