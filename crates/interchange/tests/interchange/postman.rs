//! Postman v2.1: the hand-written bookshop fixture, environments, secrets on export, and
//! import(export(c)) == c.

use sextant_interchange::{
    export_postman, export_postman_environment, import_postman, import_postman_environment,
    ExportOptions, InterchangeError, Warning,
};
use sextant_model::{
    ApiKeyLocation, Auth, Collection, CollectionItem, DigestAlgorithm, Environment, Folder,
    FolderSettings, HttpRequest, KeyValue, MultipartPart, PartValue, RequestBody, SavedRequest,
    Variable,
};

const COLLECTION: &str = include_str!("../fixtures/postman/bookshop.postman_collection.json");
const ENVIRONMENT: &str =
    include_str!("../fixtures/postman/bookshop-staging.postman_environment.json");

fn folder<'a>(items: &'a [CollectionItem], name: &str) -> &'a Folder {
    items
        .iter()
        .find_map(|i| match i {
            CollectionItem::Folder(f) if f.name == name => Some(f),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no folder {name}"))
}

fn request<'a>(items: &'a [CollectionItem], name: &str) -> &'a SavedRequest {
    items
        .iter()
        .find_map(|i| match i {
            CollectionItem::Request(r) if r.name == name => Some(r),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no request {name}"))
}

fn has_warning(warnings: &[Warning], location: &str, needle: &str) -> bool {
    warnings
        .iter()
        .any(|w| w.location == location && w.message.contains(needle))
}

#[test]
fn the_fixture_imports_with_its_tree_auth_and_bodies() {
    let imported = import_postman(COLLECTION).unwrap();
    let c = &imported.value;
    assert_eq!(c.name, "Bookshop API");
    assert_eq!(
        c.settings.auth,
        Auth::Bearer {
            token: "{{token}}".into()
        }
    );
    assert_eq!(
        c.settings.variables,
        [
            Variable::new("baseUrl", "https://bookshop.example.com/api"),
            Variable::new("token", ""),
            Variable::secret("apiKey", "ak_live_51Hx"),
        ]
    );
    let names: Vec<String> = c
        .items
        .iter()
        .map(|i| match i {
            CollectionItem::Folder(f) => format!("{}/", f.name),
            CollectionItem::Request(r) => r.name.clone(),
        })
        .collect();
    assert_eq!(names, ["Auth/", "Books/", "Health"]);

    let auth = folder(&c.items, "Auth");
    let login = request(&auth.items, "Log in");
    assert_eq!(login.auth, Auth::None);
    assert_eq!(login.request.method, "POST");
    assert_eq!(login.request.url, "{{baseUrl}}/auth/login");
    assert!(
        login.request.headers.is_empty(),
        "Content-Type moved into the body"
    );
    assert!(
        matches!(&login.request.body, RequestBody::Json { text } if text.contains("\"{{email}}\""))
    );
    assert_eq!(login.docs, "Exchanges credentials for a **bearer token**.");

    let form = request(&auth.items, "Log in (form)");
    assert_eq!(
        form.auth,
        Auth::Basic {
            username: "{{email}}".into(),
            password: "{{password}}".into()
        }
    );
    assert_eq!(
        form.request.body,
        RequestBody::Form {
            fields: vec![
                KeyValue::new("grant_type", "password"),
                KeyValue {
                    enabled: false,
                    ..KeyValue::new("scope", "read write")
                },
            ]
        }
    );

    let books = folder(&c.items, "Books");
    assert_eq!(
        books.settings.auth,
        Auth::ApiKey {
            name: "X-Api-Key".into(),
            value: "{{apiKey}}".into(),
            location: ApiKeyLocation::Header
        }
    );
    let list = request(&books.items, "List books");
    assert_eq!(list.auth, Auth::Inherit);
    assert_eq!(list.request.url, "{{baseUrl}}/books");
    assert_eq!(
        list.request.query,
        [
            KeyValue::new("author", "Ursula K. Le Guin"),
            KeyValue::new("page", "2"),
            KeyValue {
                enabled: false,
                ..KeyValue::new("limit", "50")
            },
        ]
    );
    assert_eq!(
        list.request.headers[1],
        KeyValue {
            enabled: false,
            ..KeyValue::new("X-Debug", "1")
        }
    );

    let covers = folder(&books.items, "Covers");
    let upload = request(&covers.items, "Upload cover");
    assert_eq!(upload.request.url, "{{baseUrl}}/books/:bookId/cover");
    assert_eq!(
        upload.request.body,
        RequestBody::Multipart {
            parts: vec![
                MultipartPart {
                    name: "caption".into(),
                    enabled: true,
                    value: PartValue::Text {
                        text: "Front cover".into()
                    }
                },
                MultipartPart {
                    name: "image".into(),
                    enabled: true,
                    value: PartValue::File {
                        path: "/home/ada/covers/left-hand.jpg".into(),
                        filename: None,
                        content_type: Some("image/jpeg".into())
                    },
                },
            ]
        }
    );
    let replace = request(&covers.items, "Replace cover (raw file)");
    assert_eq!(replace.auth, Auth::None);
    assert_eq!(
        replace.request.body,
        RequestBody::Binary {
            path: "/home/ada/covers/cover.png".into(),
            content_type: Some("image/png".into())
        }
    );
    let search = request(&books.items, "Search (GraphQL)");
    assert!(!search.request.settings.follow_redirects);
    let RequestBody::Json { text } = &search.request.body else {
        panic!("{:?}", search.request.body)
    };
    let doc: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(doc["variables"]["q"], "earthsea");
    assert!(doc["query"].as_str().unwrap().starts_with("query Search"));
    let xml = request(&books.items, "Import catalogue (XML)");
    assert!(
        matches!(&xml.request.body, RequestBody::Text { content_type, .. } if content_type == "application/xml")
    );
    assert_eq!(request(&c.items, "Health").auth, Auth::None);
}

#[test]
fn everything_left_behind_is_a_warning_with_its_path() {
    let w = import_postman(COLLECTION).unwrap().warnings;
    let expected = [
        ("Bookshop API", "scripts (prerequest)"),
        ("Bookshop API", "collection's description"),
        ("Auth/Log in", "scripts (test)"),
        ("Books", "folder's description"),
        ("Books/List books", "1 saved example"),
        ("Books/Covers/Upload cover", "scripts (prerequest)"),
        ("Books/Covers/Upload cover", "path variables (bookId)"),
        (
            "Books/Covers/Upload cover",
            "local file /home/ada/covers/left-hand.jpg outside",
        ),
        (
            "Books/Covers/Replace cover (raw file)",
            "oauth2 auth is not supported",
        ),
        (
            "Books/Covers/Replace cover (raw file)",
            "local file /home/ada/covers/cover.png outside",
        ),
        ("Books/Search (GraphQL)", "GraphQL"),
        ("Books/Search (GraphQL)", "disableBodyPruning"),
    ];
    for (location, needle) in expected {
        assert!(
            has_warning(&w, location, needle),
            "missing {location}: {needle} in {w:#?}"
        );
    }
    assert_eq!(w.len(), expected.len(), "{w:#?}");
}

#[test]
fn environments_mark_secrets_and_disabled_values() {
    let env = import_postman_environment(ENVIRONMENT).unwrap().value;
    assert_eq!(env.name, "Bookshop staging");
    assert_eq!(
        env.variables[2],
        Variable::secret("password", "correct horse battery staple")
    );
    assert!(!env.variables[3].enabled);

    let exported = export_postman_environment(&env, &ExportOptions::default());
    assert!(!exported.text.contains("correct horse"));
    assert!(has_warning(
        &exported.warnings,
        "Bookshop staging",
        "\"password\""
    ));
    let back = import_postman_environment(&exported.text).unwrap().value;
    assert_eq!(back.variables[2], Variable::secret("password", ""));

    let full = export_postman_environment(
        &env,
        &ExportOptions {
            include_secrets: true,
        },
    );
    assert!(full.warnings.is_empty());
    assert_eq!(import_postman_environment(&full.text).unwrap().value, env);
}

#[test]
fn the_imported_fixture_survives_export_and_import() {
    let first = import_postman(COLLECTION).unwrap().value;
    let exported = export_postman(
        &first,
        &ExportOptions {
            include_secrets: true,
        },
    );
    assert!(exported.warnings.is_empty(), "{:#?}", exported.warnings);
    assert!(exported.text.contains(
        "\"schema\": \"https://schema.getpostman.com/json/collection/v2.1.0/collection.json\""
    ));
    let second = import_postman(&exported.text).unwrap();
    assert_eq!(second.value, first);
    assert!(
        only_file_warnings(&second.warnings),
        "{:#?}",
        second.warnings
    );
    assert_eq!(
        export_postman(
            &first,
            &ExportOptions {
                include_secrets: true
            }
        )
        .text,
        exported.text,
        "deterministic"
    );
}

fn built_collection() -> Collection {
    let mut get = HttpRequest::get("https://api.example.com/v2/users");
    get.query = vec![
        KeyValue::new("q", "a b&c=d+e%f #x"),
        KeyValue::new("tag", "{{tag}}"),
        KeyValue {
            enabled: false,
            ..KeyValue::new("debug", "1")
        },
    ];
    get.headers = vec![
        KeyValue::new("Accept", "application/json"),
        KeyValue {
            enabled: false,
            ..KeyValue::new("X-Off", "")
        },
    ];
    let mut users = SavedRequest::new("List users", get);
    users.docs = "Lists *all* users.".into();
    users.variables = vec![Variable::new("tag", "new")];

    let mut post = HttpRequest::new("POST", "{{base}}/users");
    post.body = RequestBody::Text {
        content_type: "application/vnd.api+json".into(),
        text: "{\"data\":{}}".into(),
    };
    post.settings.verify_tls = false;
    post.settings.max_redirects = 3;
    let mut create = SavedRequest::new("Create user", post);
    create.auth = Auth::Basic {
        username: "admin".into(),
        password: "{{adminPassword}}".into(),
    };

    let mut csv = HttpRequest::new("PUT", "{{base}}/import?mode=replace");
    csv.body = RequestBody::Text {
        content_type: "text/plain".into(),
        text: "a,b\n1,2".into(),
    };
    let mut import = SavedRequest::new("Import", csv);
    import.auth = Auth::None;

    let mut upload = HttpRequest::new("POST", "{{base}}/files");
    upload.body = RequestBody::Multipart {
        parts: vec![
            MultipartPart {
                name: "meta".into(),
                enabled: false,
                value: PartValue::Text { text: "{}".into() },
            },
            MultipartPart {
                name: "file".into(),
                enabled: true,
                value: PartValue::File {
                    path: "./a.bin".into(),
                    filename: None,
                    content_type: None,
                },
            },
        ],
    };
    let mut raw = HttpRequest::new("POST", "{{base}}/raw");
    raw.body = RequestBody::Binary {
        path: "./blob.bin".into(),
        content_type: None,
    };

    Collection {
        name: "Users".into(),
        settings: FolderSettings {
            auth: Auth::Bearer {
                token: "{{token}}".into(),
            },
            variables: vec![
                Variable::new("base", "http://127.0.0.1:8000"),
                Variable {
                    enabled: false,
                    ..Variable::new("old", "x")
                },
            ],
            ..FolderSettings::default()
        },
        items: vec![
            CollectionItem::Folder(Folder {
                name: "Admin".into(),
                settings: FolderSettings {
                    auth: Auth::ApiKey {
                        name: "key".into(),
                        value: "{{key}}".into(),
                        location: ApiKeyLocation::Query,
                    },
                    variables: vec![Variable::new("scope", "admin")],
                    ..FolderSettings::default()
                },
                items: vec![
                    CollectionItem::Request(create),
                    CollectionItem::Folder(Folder {
                        name: "Empty".into(),
                        settings: FolderSettings::default(),
                        items: vec![],
                    }),
                ],
            }),
            CollectionItem::Request(users),
            CollectionItem::Request(import),
            CollectionItem::Request(SavedRequest::new("Upload", upload)),
            CollectionItem::Request(SavedRequest::new("Raw", raw)),
        ],
        environments: vec![],
    }
}

#[test]
fn a_built_collection_round_trips() {
    let c = built_collection();
    let exported = export_postman(&c, &ExportOptions::default());
    assert!(exported.warnings.is_empty(), "{:#?}", exported.warnings);
    let back = import_postman(&exported.text).unwrap();
    assert!(only_file_warnings(&back.warnings), "{:#?}", back.warnings);
    assert_eq!(back.warnings.len(), 2, "{:#?}", back.warnings);
    assert_eq!(back.value, c);
}

/// Whether every warning names a local file a request would send (which every import of a file
/// body reports).
fn only_file_warnings(warnings: &[sextant_interchange::Warning]) -> bool {
    warnings
        .iter()
        .all(|w| w.message.contains("refers to a local file"))
}

#[test]
fn secrets_are_blank_unless_asked_for() {
    let mut c = built_collection();
    c.settings.auth = Auth::Bearer {
        token: "eyJhbGciOi.literal".into(),
    };
    c.settings
        .variables
        .push(Variable::secret("apiSecret", "s3cr3t-value"));
    c.settings.base_url = Some("https://x".into());
    c.environments.push(Environment {
        name: "dev".into(),
        variables: vec![],
    });
    let exported = export_postman(&c, &ExportOptions::default());
    assert!(!exported.text.contains("eyJhbGciOi"));
    assert!(!exported.text.contains("s3cr3t-value"));
    assert!(has_warning(
        &exported.warnings,
        "Users",
        "bearer token was left empty"
    ));
    assert!(has_warning(&exported.warnings, "Users", "\"apiSecret\""));
    assert!(has_warning(&exported.warnings, "Users", "base URL"));
    assert!(has_warning(&exported.warnings, "Users", "1 environments"));
    let back = import_postman(&exported.text).unwrap().value;
    assert_eq!(
        back.settings.auth,
        Auth::Bearer {
            token: String::new()
        }
    );
    assert_eq!(
        back.settings.variables.last(),
        Some(&Variable::secret("apiSecret", ""))
    );

    let full = export_postman(
        &c,
        &ExportOptions {
            include_secrets: true,
        },
    );
    assert!(full.text.contains("eyJhbGciOi.literal") && full.text.contains("s3cr3t-value"));
}

#[test]
fn unreadable_files_are_errors() {
    let err = import_postman("{\n  \"info\": {,\n}").unwrap_err();
    assert!(
        matches!(
            err,
            InterchangeError::InvalidJson {
                line: 2,
                column: 12,
                ..
            }
        ),
        "{err:?}"
    );
    let v1 = r#"{"id":"x","name":"old","order":[],"requests":[]}"#;
    assert!(matches!(
        import_postman(v1),
        Err(InterchangeError::UnsupportedVersion { .. })
    ));
    let v3 = r#"{"info":{"name":"x","schema":"https://schema.getpostman.com/json/collection/v3.0.0/"},"item":[]}"#;
    assert!(matches!(
        import_postman(v3),
        Err(InterchangeError::UnsupportedVersion { .. })
    ));
    let other = import_postman(r#"{"openapi":"3.1.0"}"#).unwrap_err();
    assert!(matches!(other, InterchangeError::WrongFormat { .. }));
    let api: sextant_model::ApiError = other.into();
    assert_eq!(api.code, sextant_model::ErrorCode::InvalidFile);
    assert!(import_postman_environment(r#"{"name":"x"}"#).is_err());
}

#[test]
fn the_api_wrapper_and_v2_0_auth_objects_are_read() {
    let wrapped = r#"{"collection":{"info":{"name":"W","schema":"https://schema.getpostman.com/json/collection/v2.0.0/collection.json"},
      "item":[{"name":"r","request":{"method":"GET","url":"http://h/","auth":{"type":"basic","basic":{"username":"u","password":"p"}}}}]}}"#;
    let c = import_postman(wrapped).unwrap().value;
    let CollectionItem::Request(r) = &c.items[0] else {
        panic!()
    };
    assert_eq!(
        r.auth,
        Auth::Basic {
            username: "u".into(),
            password: "p".into()
        }
    );
}

#[test]
fn digest_and_awsv4_auth_map_both_ways_and_their_secrets_stay_out() {
    let digest = Auth::Digest {
        username: "ada".into(),
        password: "{{password}}".into(),
        algorithm: DigestAlgorithm::Sha256Sess,
    };
    let aws = Auth::AwsSigV4 {
        access_key: "AKID".into(),
        secret_key: "{{awsSecret}}".into(),
        session_token: String::new(),
        region: "eu-west-1".into(),
        service: "s3".into(),
    };
    let mut c = Collection {
        name: "Signed".into(),
        settings: FolderSettings::default(),
        items: vec![],
        environments: vec![],
    };
    for (name, auth) in [("d", &digest), ("a", &aws)] {
        let mut r = SavedRequest::new(name, HttpRequest::get("https://h/"));
        r.auth = auth.clone();
        c.items.push(CollectionItem::Request(r));
    }
    let exported = export_postman(&c, &ExportOptions::default());
    assert!(exported.warnings.is_empty(), "{:#?}", exported.warnings);
    assert!(
        exported.text.contains("\"type\": \"digest\""),
        "{}",
        exported.text
    );
    assert!(
        exported.text.contains("\"type\": \"awsv4\""),
        "{}",
        exported.text
    );
    let back = import_postman(&exported.text).unwrap();
    assert_eq!(back.value, c);

    // A literal secret is left empty with a warning, as Basic's password is.
    let CollectionItem::Request(r) = &mut c.items[1] else {
        panic!()
    };
    r.auth = Auth::AwsSigV4 {
        access_key: "AKID".into(),
        secret_key: "wJalrXUtn-literal".into(),
        session_token: String::new(),
        region: "eu-west-1".into(),
        service: "s3".into(),
    };
    let exported = export_postman(&c, &ExportOptions::default());
    assert!(!exported.text.contains("wJalrXUtn-literal"));
    assert_eq!(exported.warnings.len(), 1, "{:#?}", exported.warnings);
}
