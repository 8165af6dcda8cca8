//! The workspace commands against real files and the demo API: the sample collection on first
//! run, environments, templating and captures when sending saved requests, undefined variables,
//! secrets kept out of files and the history, conflicts, import and export.

use sextant_app::{App, AppConfig, HistoryQuery, SendContext};
use sextant_model::{
    Auth, Capture, CaptureErrorCode, CaptureSource, CapturedValues, Environment, ErrorCode,
    HttpRequest, InterchangeFormat, NodeKind, SavedRequest, Variable,
};
use sextant_testkit::{FaultServer, PyServer};

fn app() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    (App::new(AppConfig::new(dir.path())).unwrap(), dir)
}

/// Opens the saved request at `path` and sends it in `environment`.
async fn send_file(
    app: &App,
    path: &str,
    environment: Option<&str>,
) -> Result<sextant_model::HttpResponse, sextant_model::ApiError> {
    let opened = app.request_open(path.into()).await?;
    app.send(
        path,
        &opened.saved,
        Some(SendContext::new(
            Some(opened.path),
            environment.map(str::to_owned),
        )),
        &|_| {},
    )
    .await
}

/// Saves the demo collection's environment `test`, pointing `{{baseUrl}}` at `api`.
async fn save_test_environment(app: &App, api: &PyServer) {
    app.environment_save(
        "demo-api".into(),
        Environment {
            name: "test".into(),
            variables: vec![Variable::new("baseUrl", api.base_url())],
        },
    )
    .await
    .unwrap();
}

/// `captured` lists exactly one failed capture: into `variable`, with `code`, its message naming
/// `needle`.
fn assert_one_failure(
    captured: &CapturedValues,
    variable: &str,
    code: CaptureErrorCode,
    needle: &str,
) {
    let [failure] = captured.failures.as_slice() else {
        panic!("expected one failure: {:?}", captured.failures);
    };
    assert_eq!(failure.variable, variable);
    assert_eq!(failure.code, code);
    assert!(failure.message.contains(needle), "{}", failure.message);
}

/// The response body as text.
fn body_text(app: &App, response: &sextant_model::HttpResponse) -> String {
    std::fs::read_to_string(app.body_path(&response.id).unwrap()).unwrap()
}

/// Every file under `dir`, recursively.
fn files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[tokio::test]
async fn the_first_run_opens_the_sample_collection() {
    let (app, dir) = app();
    let info = app.workspace_info().await.unwrap();
    assert!(
        std::path::Path::new(&info.root).starts_with(std::fs::canonicalize(dir.path()).unwrap())
    );
    let demo = info
        .collections
        .iter()
        .find(|c| c.name == "Demo API")
        .expect("the sample collection");
    assert_eq!(demo.kind, NodeKind::Collection);
    let items = demo.children.iter().find(|f| f.name == "items").unwrap();
    assert!(items
        .children
        .iter()
        .any(|r| r.name == "Create item" && r.method.as_deref() == Some("POST")));
}

#[tokio::test]
async fn an_environment_a_capture_and_inherited_headers_chain_two_requests() {
    let api = PyServer::demo_api().unwrap();
    let (app, _dir) = app();
    save_test_environment(&app, &api).await;
    let names: Vec<String> = app
        .environments_list("demo-api".into())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["local", "test"]);

    let created = send_file(&app, "demo-api/items/create-item.yaml", Some("test"))
        .await
        .unwrap();
    assert_eq!(created.status, 201);
    let body = body_text(&app, &created);
    let id = serde_json::from_str::<serde_json::Value>(&body).unwrap()["id"].to_string();

    let got = send_file(&app, "demo-api/items/get-created-item.yaml", Some("test"))
        .await
        .unwrap();
    assert_eq!(got.status, 200);
    assert_eq!(got.url, api.url(&format!("/items/{id}")));

    // The collection's Accept header was inherited: the echo shows it.
    let echoed = send_file(&app, "demo-api/misc/echo-the-request.yaml", Some("test"))
        .await
        .unwrap();
    let text = body_text(&app, &echoed);
    assert!(text.to_lowercase().contains("application/json"), "{text}");
}

#[tokio::test]
async fn captured_values_and_failed_captures_are_listed_until_cleared() {
    let api = PyServer::demo_api().unwrap();
    let (app, _dir) = app();
    save_test_environment(&app, &api).await;
    let create = "demo-api/items/create-item.yaml";
    let get = "demo-api/items/get-created-item.yaml";
    assert_eq!(app.captured_values(Some(create)), CapturedValues::default());

    let created = send_file(&app, create, Some("test")).await.unwrap();
    let id = serde_json::from_str::<serde_json::Value>(&body_text(&app, &created)).unwrap()["id"]
        .to_string();
    let captured = app.captured_values(Some(get));
    assert_eq!(captured.values, [Variable::new("itemId", id.clone())]);
    assert!(captured.failures.is_empty());
    // Requests outside the collection see none of it.
    assert!(app.captured_values(None).values.is_empty());

    // The same request with one more capture that finds nothing: the value is replaced in place,
    // the failure listed with its reason.
    let mut edited = app.request_open(create.into()).await.unwrap().saved;
    edited.captures.push(Capture {
        variable: "owner".into(),
        source: CaptureSource::Body {
            path: "$.owner.name".into(),
        },
    });
    let again = app
        .send(
            "c2",
            &edited,
            Some(SendContext::new(Some(create.into()), Some("test".into()))),
            &|_| {},
        )
        .await
        .unwrap();
    let id2 = serde_json::from_str::<serde_json::Value>(&body_text(&app, &again)).unwrap()["id"]
        .to_string();
    assert_ne!(id, id2);
    let captured = app.captured_values(Some(create));
    assert_eq!(captured.values, [Variable::new("itemId", id2)]);
    assert_one_failure(
        &captured,
        "owner",
        CaptureErrorCode::NoMatch,
        "$.owner.name",
    );

    app.clear_captured(Some(create));
    assert_eq!(app.captured_values(Some(create)), CapturedValues::default());
    let opened = app.request_open(get.into()).await.unwrap();
    let undefined = app
        .variables_check(Some(opened.path), opened.saved, Some("test".into()))
        .await
        .unwrap();
    assert!(
        undefined.iter().any(|u| u.name == "itemId"),
        "{undefined:?}"
    );
}

#[tokio::test]
async fn a_body_too_big_to_capture_from_says_so_and_header_captures_still_run() {
    let server = FaultServer::start();
    let (app, _dir) = app();
    let mut saved = SavedRequest::new("big", HttpRequest::get(server.url("/big-json/34000000")));
    saved.captures = vec![
        Capture {
            variable: "first".into(),
            source: CaptureSource::Body {
                path: "$[0].name".into(),
            },
        },
        Capture {
            variable: "kind".into(),
            source: CaptureSource::Header {
                name: "Content-Type".into(),
            },
        },
    ];
    let response = app
        .send("big1", &saved, Some(SendContext::default()), &|_| {})
        .await
        .unwrap();
    assert!(response.body.size > 32 * 1024 * 1024);
    let captured = app.captured_values(None);
    assert_eq!(captured.values, [Variable::new("kind", "application/json")]);
    assert_one_failure(
        &captured,
        "first",
        CaptureErrorCode::BodyTooLarge,
        "up to 32 MiB",
    );
}

#[tokio::test]
async fn undefined_variables_are_reported_and_block_the_send() {
    let (app, _dir) = app();
    let saved = SavedRequest::new(
        "loose",
        HttpRequest::get("http://127.0.0.1:9/{{nowhere}}?q={{alsoMissing}}"),
    );
    let undefined = app
        .variables_check(None, saved.clone(), None)
        .await
        .unwrap();
    let names: Vec<&str> = undefined.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["nowhere", "alsoMissing"]);
    let err = app
        .send("u1", &saved, Some(SendContext::default()), &|_| {})
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::UndefinedVariable);
    assert!(err.message.contains("{{nowhere}}"), "{}", err.message);
    assert!(err.message.contains("{{alsoMissing}}"), "{}", err.message);
}

#[tokio::test]
async fn a_secret_reaches_the_server_but_no_file_and_no_history_entry() {
    let api = PyServer::demo_api().unwrap();
    let (app, dir) = app();
    let secret = "s3cr3t-T0KEN-value-4242";
    app.environment_save(
        "demo-api".into(),
        Environment {
            name: "secure".into(),
            variables: vec![
                Variable::new("baseUrl", api.base_url()),
                Variable::secret("token", secret),
            ],
        },
    )
    .await
    .unwrap();
    let mut saved = SavedRequest::new(
        "Echo with token",
        HttpRequest::new("POST", "{{baseUrl}}/echo"),
    );
    saved.auth = Auth::Bearer {
        token: "{{token}}".into(),
    };
    let created = app
        .request_create("demo-api/misc".into(), saved.clone())
        .await
        .unwrap();
    let sent = app
        .send(
            "s1",
            &saved,
            Some(SendContext::new(Some(created.path), Some("secure".into()))),
            &|_| {},
        )
        .await
        .unwrap();
    let echoed = std::fs::read_to_string(app.body_path(&sent.id).unwrap()).unwrap();
    assert!(
        echoed.contains(secret),
        "the server got the token: {echoed}"
    );

    let workspace = app.workspace_root().to_path_buf();
    for file in files(&workspace) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(secret),
            "{} holds the secret",
            file.display()
        );
    }
    let entries = app.history_list(HistoryQuery::default()).await.unwrap();
    let entry = app.history_get(entries[0].id).await.unwrap();
    let recorded = serde_json::to_string(&entry).unwrap();
    assert!(!recorded.contains(secret), "{recorded}");
    assert!(recorded.contains("Bearer •••"), "{recorded}");
    drop(dir);
}

#[tokio::test]
async fn saving_over_a_file_changed_on_disk_is_a_conflict() {
    let (app, _dir) = app();
    let opened = app
        .request_open("demo-api/misc/health-check.yaml".into())
        .await
        .unwrap();
    let file = app.workspace_root().join("demo-api/misc/health-check.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("/health", "/health?edited=1")).unwrap();

    let mut mine = opened.saved.clone();
    mine.docs = "my edit".into();
    let err = app
        .request_save(
            opened.path.clone(),
            mine.clone(),
            Some(opened.revision.clone()),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert!(std::fs::read_to_string(&file).unwrap().contains("edited=1"));
    // Overwriting is a separate, explicit choice.
    app.request_save(opened.path, mine, None).await.unwrap();
    assert!(std::fs::read_to_string(&file).unwrap().contains("my edit"));
}

#[tokio::test]
async fn curl_in_and_out_and_openapi_from_a_running_server() {
    let api = PyServer::demo_api().unwrap();
    let (app, _dir) = app();
    let imported = app
        .import_into_workspace(
            InterchangeFormat::Curl,
            format!(
                "curl -X POST '{}' -H 'Content-Type: application/json' -d '{{\"name\":\"Pen\",\"price\":1}}' -u ada:lovelace",
                api.url("/items")
            ),
            None,
        )
        .await
        .unwrap();
    assert_eq!(imported.paths.len(), 1);
    assert!(
        imported.paths[0].starts_with("imported/"),
        "{:?}",
        imported.paths
    );

    let exported = app
        .export_item(
            Some(imported.paths[0].clone()),
            None,
            InterchangeFormat::Curl,
        )
        .await
        .unwrap();
    assert!(
        exported.text.contains(&api.url("/items")),
        "{}",
        exported.text
    );
    assert!(!exported.text.contains("lovelace"), "{}", exported.text);
    assert!(exported
        .warnings
        .iter()
        .any(|w| w.message.contains("never exported in plain text")));

    let spec = app
        .import_into_workspace(InterchangeFormat::Openapi, api.url("/openapi.json"), None)
        .await
        .unwrap();
    let collection = &spec.paths[0];
    let health = app
        .workspace_info()
        .await
        .unwrap()
        .collections
        .into_iter()
        .find(|c| &c.path == collection)
        .unwrap()
        .children
        .into_iter()
        .flat_map(|f| f.children)
        .find(|r| r.name == "Health check")
        .unwrap();
    let opened = app.request_open(health.path.clone()).await.unwrap();
    let sent = app
        .send(
            "h1",
            &opened.saved,
            Some(SendContext::new(Some(health.path), None)),
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(sent.status, 200);

    let postman = app
        .export_item(Some(collection.clone()), None, InterchangeFormat::Postman)
        .await
        .unwrap();
    assert!(
        postman.text.contains("schema.getpostman.com"),
        "{}",
        postman.text
    );
}

#[tokio::test]
async fn globals_fill_in_where_no_environment_does_and_lose_to_one_that_does() {
    let api = PyServer::demo_api().unwrap();
    let (app, _dir) = app();
    app.globals_save(vec![Variable::new("baseUrl", api.base_url())])
        .await
        .unwrap();
    assert_eq!(app.globals_get().await.unwrap().len(), 1);
    let health = app
        .request_open("demo-api/misc/health-check.yaml".into())
        .await
        .unwrap();
    let sent = send_file(&app, &health.path, None).await.unwrap();
    assert_eq!(sent.status, 200);
    // The sample's `local` environment points at port 8000: it wins over the global.
    let undefined = app
        .variables_check(
            Some(health.path.clone()),
            health.saved.clone(),
            Some("local".into()),
        )
        .await
        .unwrap();
    assert!(undefined.is_empty());
    match send_file(&app, &health.path, Some("local")).await {
        Ok(r) => assert!(r.url.starts_with("http://127.0.0.1:8000/"), "{}", r.url),
        Err(e) => assert_eq!(e.code, ErrorCode::Connect, "{e:?}"),
    }
}

#[tokio::test]
async fn a_deleted_environment_goes_to_the_trash_and_comes_back() {
    let (app, _dir) = app();
    let trash = app
        .environment_delete("demo-api".into(), "local".into())
        .await
        .unwrap();
    assert!(app
        .environments_list("demo-api".into())
        .await
        .unwrap()
        .is_empty());
    let err = app
        .environment_delete("demo-api".into(), "local".into())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    app.item_restore(trash).await.unwrap();
    let names: Vec<String> = app
        .environments_list("demo-api".into())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["local"]);
}

#[tokio::test]
async fn a_renamed_environment_keeps_its_variables_and_secrets() {
    let (app, dir) = app();
    let secret = "env-rename-s3cret-77";
    app.environment_save(
        "demo-api".into(),
        Environment {
            name: "staging".into(),
            variables: vec![
                Variable::new("baseUrl", "http://127.0.0.1:9"),
                Variable::secret("token", secret),
            ],
        },
    )
    .await
    .unwrap();
    app.environment_rename("demo-api".into(), "staging".into(), " Pre-prod ".into())
        .await
        .unwrap();
    let envs = app.environments_list("demo-api".into()).await.unwrap();
    let names: Vec<&str> = envs.iter().map(|e| e.name.as_str()).collect();
    assert!(
        names.contains(&"Pre-prod") && !names.contains(&"staging"),
        "{names:?}"
    );
    let renamed = envs.iter().find(|e| e.name == "Pre-prod").unwrap();
    let token = renamed
        .variables
        .iter()
        .find(|v| v.name == "token")
        .unwrap();
    assert_eq!(token.value, secret, "the secret follows the rename");
    assert!(token.secret);
    // The file on disk carries the new name and never the secret.
    let env_dir = dir.path().join("workspace/demo-api/environments");
    let texts: Vec<String> = std::fs::read_dir(&env_dir)
        .unwrap()
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    assert!(
        texts.iter().any(|t| t.contains("name: Pre-prod")),
        "{texts:?}"
    );
    assert!(texts.iter().all(|t| !t.contains(secret)));

    let taken = app
        .environment_rename("demo-api".into(), "Pre-prod".into(), "LOCAL".into())
        .await
        .unwrap_err();
    assert_eq!(taken.code, ErrorCode::InvalidRequest, "{taken:?}");
    let missing = app
        .environment_rename("demo-api".into(), "staging".into(), "x".into())
        .await
        .unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn literal_credentials_outside_auth_never_leave_in_an_export() {
    let (app, _dir) = app();
    let imported = app
        .import_into_workspace(
            InterchangeFormat::Curl,
            "curl 'https://ada:url-pw-1@api.example.com/token?api_key=query-key-2' \
             -H 'Authorization: Bearer header-tok-3' -H 'X-API-Key: header-key-4' \
             -d 'username=alice&password=form-pw-5'"
                .to_string(),
            None,
        )
        .await
        .unwrap();
    let path = imported.paths[0].clone();
    for format in [
        InterchangeFormat::Curl,
        InterchangeFormat::Har,
        InterchangeFormat::Postman,
    ] {
        let exported = app
            .export_item(Some(path.clone()), None, format)
            .await
            .unwrap();
        for secret in [
            "url-pw-1",
            "query-key-2",
            "header-tok-3",
            "header-key-4",
            "form-pw-5",
        ] {
            assert!(
                !exported.text.contains(secret),
                "{format:?} export carries {secret}:\n{}",
                exported.text
            );
        }
        assert!(exported.text.contains("alice"), "{}", exported.text);
        assert!(
            exported
                .warnings
                .iter()
                .filter(|w| w.message.contains("never exported in plain text"))
                .count()
                >= 5,
            "{:?}",
            exported.warnings
        );
    }
}
