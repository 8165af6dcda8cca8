//! The generators on a collection built here: what each file holds, that secrets never appear
//! and that names cannot escape the output folder. (The generated code is run against the real
//! demo server by `crates/cli/tests/export_code.rs`.)

use sextant_export::{generate, safe_relative_path, CodeFormat, CodeOptions, ExportError};
use sextant_model::{
    ApiKeyLocation, AssertPredicate as P, AssertQuery as Q, Assertion, Auth, Capture,
    CaptureSource, Collection, CollectionItem, Environment, Folder, FolderSettings, HttpRequest,
    KeyValue, OAuth2Config, OAuth2Grant, RequestBody, SavedRequest, Variable,
};

const TOKEN: &str = "s3cr3t-literal-token";
const HEADER_KEY: &str = "literal-header-key-42";
const ENV_SECRET: &str = "env-secret-value-7";

fn request(name: &str, method: &str, url: &str) -> SavedRequest {
    SavedRequest::new(name, HttpRequest::new(method, url))
}

fn sample() -> Collection {
    let mut create = request("Create item", "POST", "{{baseUrl}}/items");
    create.request.body = RequestBody::Json {
        text: r#"{"name": "Lamp", "price": 12.5, "tags": ["home"]}"#.into(),
    };
    create.captures.push(Capture {
        variable: "itemId".into(),
        source: CaptureSource::Body {
            path: "$.id".into(),
        },
    });
    create.assertions = vec![
        Assertion::new(Q::Status, P::Equals, Some("201")),
        Assertion::new(
            Q::JsonPath {
                path: "$.name".into(),
            },
            P::Equals,
            Some("\"Lamp\""),
        ),
        Assertion::new(
            Q::JsonPath {
                path: "$.tags[*]".into(),
            },
            P::Contains,
            Some("\"home\""),
        ),
    ];
    let mut get = request("Get created item", "GET", "{{baseUrl}}/items/{{itemId}}");
    get.assertions = vec![
        Assertion::new(
            Q::JsonPath {
                path: "$.id".into(),
            },
            P::Equals,
            Some("{{itemId}}"),
        ),
        Assertion::new(
            Q::Header {
                name: "content-type".into(),
            },
            P::Contains,
            Some("json"),
        ),
    ];
    get.auth = Auth::Bearer {
        token: TOKEN.into(),
    };
    let mut list = request("List items", "GET", "{{baseUrl}}/items");
    list.request.query.push(KeyValue::new("limit", "5"));
    list.request
        .headers
        .push(KeyValue::new("X-API-Key", HEADER_KEY));
    list.assertions = vec![Assertion::new(
        Q::JsonPath {
            path: "$[?(@.id == 1)].name".into(),
        },
        P::Length,
        Some("1"),
    )];
    let mut health = request("Health", "GET", "{{baseUrl}}/health");
    health.auth = Auth::OAuth2(Box::new(OAuth2Config {
        grant: OAuth2Grant::Password,
        token_url: "{{baseUrl}}/auth/token".into(),
        client_id: "cli".into(),
        username: "alice".into(),
        password: "wonderland".into(),
        ..Default::default()
    }));
    Collection {
        name: "Demo API".into(),
        settings: FolderSettings {
            headers: vec![KeyValue::new("Accept", "application/json")],
            variables: vec![Variable::new("greeting", "hello")],
            ..Default::default()
        },
        items: vec![
            CollectionItem::Folder(Folder {
                name: "items".into(),
                settings: FolderSettings {
                    auth: Auth::ApiKey {
                        name: "X-Extra".into(),
                        value: "{{extraKey}}".into(),
                        location: ApiKeyLocation::Header,
                    },
                    ..Default::default()
                },
                items: vec![
                    CollectionItem::Request(create),
                    CollectionItem::Request(get),
                    CollectionItem::Request(list),
                ],
            }),
            CollectionItem::Request(health),
        ],
        environments: vec![Environment {
            name: "local".into(),
            variables: vec![
                Variable::new("baseUrl", "http://127.0.0.1:8000"),
                Variable::secret("extraKey", ENV_SECRET),
            ],
        }],
    }
}

fn file<'a>(files: &'a [sextant_export::GeneratedFile], path: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path}"))
        .contents
}

#[test]
fn the_pytest_project_has_a_test_per_request_in_order_with_its_assertions() {
    let out = generate(&sample(), CodeFormat::Pytest, &CodeOptions::default()).unwrap();
    let paths: Vec<&str> = out.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "conftest.py",
            "test_demo_api.py",
            "sextant_support.py",
            "requirements.txt",
            "README.md"
        ]
    );
    let tests = file(&out.files, "test_demo_api.py");
    let create = tests
        .find("def test_create_item(self, client, variables):")
        .unwrap();
    let get = tests
        .find("def test_get_created_item(self, client, variables):")
        .unwrap();
    let list = tests
        .find("def test_list_items(self, client, variables):")
        .unwrap();
    assert!(tests.contains("class TestItems:"));
    assert!(create < get && get < list, "{tests}");
    assert!(
        tests.contains("def test_health(client, variables, oauth2):"),
        "{tests}"
    );
    for line in [
        r#"assert response.status_code == 201, "status == 201""#,
        r#"assert body["name"] == "Lamp", "body $.name == \"Lamp\"""#,
        r#"assert "home" in query(body, "$.tags[*]", many=True), "body $.tags[*] contains \"home\"""#,
        r#"variables.capture("itemId", body["id"])"#,
        r#"assert body["id"] == value(render("{{itemId}}", v)), "body $.id == {{itemId}}""#,
        r#"render("/items/{{itemId}}", v),"#,
        r#"json={"name": "Lamp", "price": 12.5, "tags": ["home"]},"#,
        r#"params=[("limit", "5")],"#,
        r#"("Authorization", "Bearer " + oauth2(0))"#,
    ] {
        assert!(tests.contains(line), "missing {line} in\n{tests}");
    }
    let conftest = file(&out.files, "conftest.py");
    assert!(
        conftest.contains(r#"BASE_URL = "{{baseUrl}}""#),
        "{conftest}"
    );
    assert!(
        conftest.contains(r#""baseUrl": from_env(PREFIX, "baseUrl", "http://127.0.0.1:8000"),"#)
    );
    assert!(conftest.contains(r#""extraKey": from_env(PREFIX, "extraKey"),  # secret"#));
    assert!(conftest.contains(r#""grant": "password","#));
    assert!(file(&out.files, "requirements.txt").contains("pytest==9.2.0"));
    assert!(file(&out.files, "README.md").contains("DEMO_API_BASE_URL"));
}

#[test]
fn secrets_are_read_from_the_environment_and_never_written() {
    let collection = sample();
    for format in [CodeFormat::Pytest, CodeFormat::Curl] {
        let out = generate(&collection, format, &CodeOptions::default()).unwrap();
        for f in &out.files {
            for secret in [TOKEN, HEADER_KEY, ENV_SECRET, "wonderland"] {
                assert!(!f.contents.contains(secret), "{secret} in {}", f.path);
            }
            assert!(safe_relative_path(&f.path), "{}", f.path);
        }
        let all: String = out.files.iter().map(|f| f.contents.as_str()).collect();
        for var in ["DEMO_API_TOKEN", "DEMO_API_X_API_KEY", "DEMO_API_PASSWORD"] {
            let shell = all.contains(var);
            let python = all.contains(&format!(
                "\"{}\"",
                match var {
                    "DEMO_API_TOKEN" => "token",
                    "DEMO_API_X_API_KEY" => "xApiKey",
                    _ => "password",
                }
            ));
            assert!(shell || python, "{var} not read in {format:?}");
        }
        assert!(out
            .warnings
            .iter()
            .any(|w| w.message.contains("never written")));
    }
}

#[test]
fn in_process_formats_need_an_app_and_import_it() {
    let err = generate(&sample(), CodeFormat::TestClient, &CodeOptions::default()).unwrap_err();
    assert!(matches!(err, ExportError::App(_)));
    let options = CodeOptions {
        app: Some("myproject.main:app".into()),
        ..Default::default()
    };
    let out = generate(&sample(), CodeFormat::TestClient, &options).unwrap();
    let conftest = file(&out.files, "conftest.py");
    assert!(conftest.contains("from fastapi.testclient import TestClient"));
    assert!(conftest.contains(r#"APP = from_env(PREFIX, "app", "myproject.main:app")"#));
    let out = generate(&sample(), CodeFormat::Flask, &options).unwrap();
    assert!(file(&out.files, "conftest.py").contains("return FlaskClient(load_app(APP))"));
    // The same tests whatever the client.
    let live = generate(&sample(), CodeFormat::Pytest, &options).unwrap();
    assert_eq!(
        file(&out.files, "test_demo_api.py"),
        file(&live.files, "test_demo_api.py")
    );
}

#[test]
fn the_curl_script_checks_statuses_and_captures_with_jq() {
    let out = generate(&sample(), CodeFormat::Curl, &CodeOptions::default()).unwrap();
    let script = file(&out.files, "run.sh");
    assert!(out.files[0].executable);
    assert!(script.contains("set -euo pipefail"));
    assert!(
        script.contains(r#"DEMO_API_BASE_URL="${DEMO_API_BASE_URL:-http://127.0.0.1:8000}""#),
        "{script}"
    );
    assert!(
        script.contains(r#": "${DEMO_API_EXTRA_KEY:?set DEMO_API_EXTRA_KEY (secret)}""#),
        "{script}"
    );
    assert!(script.contains(r#"check_status 'Create item' "$status" 201"#));
    assert!(script.contains(r#"DEMO_API_ITEM_ID="$(jq -r '.id' "$work/body")""#));
    assert!(script.contains(r#""${DEMO_API_BASE_URL}/items/${DEMO_API_ITEM_ID}""#));
}

#[test]
fn unknown_environments_and_empty_collections_are_errors() {
    let options = CodeOptions {
        environment: Some("prod".into()),
        ..Default::default()
    };
    assert!(matches!(
        generate(&sample(), CodeFormat::Pytest, &options),
        Err(ExportError::UnknownEnvironment(_))
    ));
    let empty = Collection {
        name: "x".into(),
        settings: FolderSettings::default(),
        items: Vec::new(),
        environments: Vec::new(),
    };
    assert!(matches!(
        generate(&empty, CodeFormat::Curl, &CodeOptions::default()),
        Err(ExportError::Empty)
    ));
}

/// Writes the sample's exports to `SEXTANT_EXPORT_DUMP` (a folder) for a look by hand.
#[test]
fn dump_when_asked() {
    let Some(dir) = std::env::var_os("SEXTANT_EXPORT_DUMP") else {
        return;
    };
    for (sub, format) in [("pytest", CodeFormat::Pytest), ("curl", CodeFormat::Curl)] {
        let out = generate(&sample(), format, &CodeOptions::default()).unwrap();
        let dir = std::path::Path::new(&dir).join(sub);
        std::fs::create_dir_all(&dir).unwrap();
        for f in out.files {
            std::fs::write(dir.join(&f.path), f.contents).unwrap();
        }
    }
}
