//! Collections as files: the format round-trips byte for byte (the checked-in demo collection
//! included), a whole collection loads back equal, and the documented examples parse.

use std::fs;

use sextant_model::{
    ApiKeyLocation, Auth, Capture, CaptureSource, Collection, CollectionItem, Environment, Folder,
    FolderSettings, HttpRequest, HttpVersionPref, KeyValue, MultipartPart, PartValue, ProxySetting,
    RequestBody, SavedRequest, Variable,
};
use sextant_store::{TreeNode, Workspace};

use crate::workspace_common::{all_files, demo_collection, get, temp_workspace};

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
        assertions: Vec::new(),
        tags: vec!["smoke".into()],
        contract: Some(sextant_model::ContractRef {
            spec: "http://127.0.0.1:8000/openapi.json".into(),
            operation: "patch_thing".into(),
        }),
        websocket: None,
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
            Capture {
                variable: "secondToken".into(),
                source: CaptureSource::Record {
                    path: "$.token".into(),
                    nth: Some(2),
                    event: Some("token".into()),
                },
            },
            Capture {
                variable: "lastRecord".into(),
                source: CaptureSource::Record {
                    path: "$".into(),
                    nth: None,
                    event: None,
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
            client_certificates: vec![sextant_model::ClientCertificate {
                host: "*.example.com:8443".into(),
                cert_path: "certs/client.pem".into(),
                key_path: "certs/client.key".into(),
                passphrase: String::new(),
                enabled: false,
            }],
            sequential: false,
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

/// A record capture's `nth` and `event` belong to it alone; a capture names one source.
#[test]
fn record_capture_options_go_with_record_only() {
    let t = temp_workspace();
    t.ws.create_collection("Caps").unwrap();
    let head = "name: C\nmethod: GET\nurl: http://x/\ncaptures:\n";
    for (name, capture, ok) in [
        (
            "record",
            "  - {variable: v, record: $.token, nth: 3, event: token}\n",
            true,
        ),
        ("both", "  - {variable: v, record: $.a, body: $.a}\n", false),
        ("stray", "  - {variable: v, body: $.a, nth: 1}\n", false),
    ] {
        let path = format!("caps/{name}.yaml");
        fs::write(t.root().join(&path), format!("{head}{capture}")).unwrap();
        let read = t.ws.read_request(&path);
        assert_eq!(read.is_ok(), ok, "{name}: {:?}", read.err());
    }
    let loaded = t.ws.read_request("caps/record.yaml").unwrap();
    assert_eq!(
        loaded.request.captures[0].source,
        CaptureSource::Record {
            path: "$.token".into(),
            nth: Some(3),
            event: Some("token".into())
        }
    );
}
