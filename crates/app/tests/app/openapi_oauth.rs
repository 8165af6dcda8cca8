//! A spec's OAuth 2.0 scheme, prefilled as the request's auth, signs in for real: the FastAPI
//! demo's `DemoPassword` (a password flow at the relative `tokenUrl` `/auth/token`) through Try
//! it and through the imported collection, with only the client id, user name and password
//! filled in by the user, reaches the demo's `/auth/me` (which needs a fresh JWT).

use std::path::Path;

use sextant_app::{App, AppConfig, SendContext};
use sextant_model::{
    Auth, HttpRequest, InterchangeFormat, OAuth2Grant, SavedRequest, TreeNode, Variable,
};
use sextant_openapi::{request_for, SecurityRequirement, TryItOptions};
use sextant_testkit::PyServer;

fn app(dir: &Path) -> App {
    let mut config = AppConfig::new(dir.join("data"));
    config.workspace_dir = Some(dir.join("ws"));
    std::fs::create_dir_all(dir.join("ws")).unwrap();
    App::new(config).unwrap()
}

/// The values the user types into the credential variables.
fn fill(variables: &mut [Variable]) {
    for v in variables {
        match v.name.as_str() {
            "clientId" => v.value = "demo".into(),
            "username" => v.value = "alice".into(),
            "password" => v.value = "wonderland".into(),
            _ => {}
        }
    }
}

fn body_text(app: &App, response: &sextant_model::HttpResponse) -> String {
    std::fs::read_to_string(app.body_path(&response.id).unwrap()).unwrap_or_default()
}

fn find<'a>(nodes: &'a [TreeNode], name: &str) -> Option<&'a TreeNode> {
    nodes.iter().find_map(|n| {
        (n.name == name)
            .then_some(n)
            .or_else(|| find(&n.children, name))
    })
}

/// Every file under `dir` that holds `needle`.
fn files_holding(dir: &Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if std::fs::read(&path)
                .is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
            {
                found.push(path.display().to_string());
            }
        }
    }
    found
}

#[tokio::test]
async fn try_it_on_the_demos_password_scheme_signs_in_at_its_relative_token_url() {
    let demo = PyServer::shared_demo_api();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let spec_url = demo.url("/openapi.json");
    let spec = app.import_openapi(&spec_url).await.unwrap();
    assert!(
        spec.security_schemes
            .iter()
            .any(|s| s.name == "DemoPassword"),
        "the demo declares its password flow"
    );
    // `/auth/me` is left out of the demo's operations: the same GET, as the spec would list it.
    let mut op = spec.operations[0].clone();
    op.method = "GET".into();
    op.path = "/auth/me".into();
    op.parameters.clear();
    op.request_body = None;
    op.security = vec![vec![SecurityRequirement {
        scheme: "DemoPassword".into(),
        scopes: Vec::new(),
    }]];
    // What App::try_operation asks for.
    let options = TryItOptions {
        base_url_for_relative: Some(spec_url.clone()),
        path_params_as_variables: true,
        credentials_as_auth: true,
        ..TryItOptions::default()
    };
    let tried = request_for(&spec, &op, &options);
    let Some(Auth::OAuth2(config)) = &tried.auth else {
        panic!("{:?} {:?}", tried.auth, tried.notes);
    };
    assert_eq!(config.grant, OAuth2Grant::Password);
    assert_eq!(config.token_url, demo.url("/auth/token"));
    assert_eq!(tried.request.url, demo.url("/auth/me"));

    let mut saved = SavedRequest::new("Me", tried.request.clone());
    saved.auth = tried.auth.clone().unwrap();
    saved.variables = tried.variables.clone();
    // Unfilled, no login is attempted with made-up credentials.
    let unfilled = app
        .send("empty", &saved, Some(SendContext::default()), &|_| {})
        .await;
    assert!(unfilled.is_err(), "{unfilled:?}");

    fill(&mut saved.variables);
    let sent = app
        .send("me", &saved, Some(SendContext::default()), &|_| {})
        .await
        .unwrap();
    assert_eq!(sent.status, 200, "{}", body_text(&app, &sent));
    assert!(body_text(&app, &sent).contains("alice"));
}

#[tokio::test]
async fn the_imported_collection_signs_in_with_the_credentials_filled_in_once() {
    let demo = PyServer::shared_demo_api();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let fetched = app
        .send(
            "spec",
            &SavedRequest::new("spec", HttpRequest::get(demo.url("/openapi.json"))),
            Some(SendContext::default()),
            &|_| {},
        )
        .await
        .unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&body_text(&app, &fetched)).unwrap();
    doc["servers"] = serde_json::json!([{"url": demo.base_url()}]);
    doc["paths"]["/auth/me"] = serde_json::json!({"get": {
        "tags": ["auth"], "summary": "Who am I", "operationId": "auth_me",
        "security": [{"DemoPassword": []}],
        "responses": {"200": {"description": "The token's user"}}
    }});
    let file = dir.path().join("demo.json");
    std::fs::write(&file, doc.to_string()).unwrap();

    let imported = app
        .import_into_workspace(
            InterchangeFormat::Openapi,
            file.to_string_lossy().into_owned(),
            None,
        )
        .await
        .unwrap();
    let info = app.workspace_info().await.unwrap();
    let collection = info
        .collections
        .iter()
        .find(|c| c.path == imported.paths[0])
        .unwrap();
    let me = find(&collection.children, "Who am I").expect("the Who am I request");
    let opened = app.request_open(me.path.clone()).await.unwrap();
    let Auth::OAuth2(config) = &opened.saved.auth else {
        panic!("{:?}", opened.saved.auth);
    };
    assert_eq!(config.token_url, "{{baseUrl}}/auth/token");
    assert_eq!(config.username, "{{username}}");

    let mut settings = app.settings_open(collection.path.clone()).await.unwrap();
    for name in ["clientId", "username", "password"] {
        let v = settings.variables.iter().find(|v| v.name == name);
        assert!(
            v.is_some_and(|v| v.value.is_empty()),
            "{name} defined empty"
        );
    }
    fill(&mut settings.variables);
    app.settings_save(collection.path.clone(), settings)
        .await
        .unwrap();

    let sent = app
        .send(
            "me",
            &opened.saved,
            Some(SendContext::new(Some(me.path.clone()), None)),
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(sent.status, 200, "{}", body_text(&app, &sent));
    assert!(body_text(&app, &sent).contains("alice"));
    assert_eq!(
        files_holding(&dir.path().join("ws"), "wonderland"),
        Vec::<String>::new(),
        "the password is a secret variable, never in clear in the collection"
    );
}
