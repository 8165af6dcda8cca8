//! A spec cannot choose which of the user's variables is sent to its server (issue 10, row 17):
//! a security scheme named `githubToken`, and `{{githubToken}}` in the document's own examples,
//! server defaults and paths, must not send the global `githubToken` anywhere, through Try it
//! or through the imported collection. Sent for real to the fault server's `/echo`, which says
//! what arrived.

use sextant_app::{App, AppConfig, SendContext};
use sextant_model::{InterchangeFormat, SavedRequest, TreeNode, Variable};
use sextant_testkit::FaultServer;

const SECRET: &str = "GLOBAL-SECRET-never-for-this-spec";

/// A spec on `base` that names everything it can after the user's `githubToken`.
fn spec(base: &str) -> String {
    format!(
        r#"openapi: 3.0.3
info: {{title: Hostile names, version: "1"}}
servers:
  - url: "{base}/{{prefix}}"
    variables:
      prefix: {{default: "{{{{githubToken}}}}"}}
components:
  securitySchemes:
    githubToken: {{type: apiKey, in: header, name: X-Token}}
security: [{{githubToken: []}}]
paths:
  /echo:
    post:
      summary: Echo
      parameters:
        - {{name: q, in: query, required: true, schema: {{type: string}}, example: "{{{{githubToken}}}}"}}
        - {{name: X-Other, in: header, required: true, schema: {{type: string, default: "{{{{ githubToken }}}}"}}}}
      requestBody:
        content:
          application/json:
            schema: {{type: object}}
            example: {{note: "{{{{githubToken}}}}"}}
      responses:
        "200": {{description: ok}}
"#
    )
}

async fn setup() -> (App, tempfile::TempDir, FaultServer, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let app = App::new(AppConfig::new(dir.path().join("data"))).unwrap();
    app.globals_save(vec![
        Variable {
            secret: true,
            ..Variable::new("githubToken", SECRET)
        },
        Variable::new("token", SECRET),
        Variable::new("apiKey", SECRET),
    ])
    .await
    .unwrap();
    let server = FaultServer::start();
    // `{{githubToken}}` in the server URL resolves to nothing: `//echo` still reaches `/echo`.
    let file = dir.path().join("api.yaml");
    std::fs::write(&file, spec(&server.url(""))).unwrap();
    (app, dir, server, file)
}

fn body_text(app: &App, response: &sextant_model::HttpResponse) -> String {
    std::fs::read_to_string(app.body_path(&response.id).unwrap()).unwrap()
}

fn find<'a>(nodes: &'a [TreeNode], name: &str) -> Option<&'a TreeNode> {
    nodes.iter().find_map(|n| {
        (n.name == name)
            .then_some(n)
            .or_else(|| find(&n.children, name))
    })
}

#[tokio::test]
async fn try_it_never_sends_a_global_the_spec_names() {
    let (app, _dir, server, file) = setup().await;
    let overview = app.open_spec(file.to_str().unwrap()).await.unwrap();
    let op = &overview.operations[0];
    // The UI fills the server variable the spec declares; here it is left at its default.
    let tried = app
        .try_operation(&overview.spec_id, &op.id, None)
        .await
        .unwrap();
    let mut saved = SavedRequest::new("try", tried.request.clone());
    saved.auth = tried.auth.clone().unwrap();
    saved.variables = tried
        .path_params
        .iter()
        .map(|(n, v)| Variable::new(n, v))
        .chain(tried.variables.iter().cloned())
        .collect();
    let names: Vec<&str> = tried.variables.iter().map(|v| v.name.as_str()).collect();
    assert!(names.contains(&"apiKey"), "{names:?}");
    assert!(names.contains(&"githubToken"), "{names:?}");
    assert!(tried.variables.iter().all(|v| v.value.is_empty()));

    // The user fills in the key, as the notes ask; the server variable resolves to nothing.
    for v in &mut saved.variables {
        if v.name == "apiKey" {
            v.value = "the-key-for-this-api".into();
        }
    }
    let sent = app
        .send("try", &saved, Some(SendContext::default()), &|_| {})
        .await
        .unwrap();
    let echoed = body_text(&app, &sent);
    assert!(echoed.contains("the-key-for-this-api"), "{echoed}");
    assert!(
        !echoed.contains(SECRET),
        "a global reached the spec's server: {echoed}"
    );
    assert!(!sent.url.contains(SECRET), "{}", sent.url);
    drop(server);
}

#[tokio::test]
async fn the_imported_collection_never_sends_a_global_the_spec_names() {
    let (app, _dir, server, file) = setup().await;
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
    let echo = find(&collection.children, "Echo").expect("the Echo request");
    let opened = app.request_open(echo.path.clone()).await.unwrap();
    let settings = app.settings_open(collection.path.clone()).await.unwrap();
    let names: Vec<&str> = settings.variables.iter().map(|v| v.name.as_str()).collect();
    assert!(
        names.contains(&"apiKey") && names.contains(&"githubToken"),
        "{names:?}"
    );
    let sent = app
        .send(
            "import",
            &opened.saved,
            Some(SendContext::new(Some(echo.path.clone()), None)),
            &|_| {},
        )
        .await
        .unwrap();
    let echoed = body_text(&app, &sent);
    assert!(echoed.to_ascii_lowercase().contains("x-token"), "{echoed}");
    assert!(
        !echoed.contains(SECRET),
        "a global reached the spec's server: {echoed}"
    );
    assert!(!sent.url.contains(SECRET), "{}", sent.url);
    drop(server);
}
