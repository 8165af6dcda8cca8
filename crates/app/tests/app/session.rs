//! What the window gets back after a restart: the session (tabs in order, the active one, each
//! tab's last response head, its body still readable from the body store) through a second `App`
//! on the same data dir; a damaged session file means "start from drafts", never an error; and
//! the imported specs' list (remembered on import, pasted text left out, forgotten on request).

use std::path::Path;

use sextant_app::{
    App, AppConfig, RememberedSpec, Session, SessionTab, SESSION_FILE, SPEC_LIST_FILE,
};
use sextant_model::{HttpRequest, RequestSettings};
use sextant_testkit::FaultServer;

fn app_in(dir: &Path) -> App {
    let mut config = AppConfig::new(dir.join("data"));
    config.workspace_dir = Some(dir.join("ws"));
    std::fs::create_dir_all(dir.join("ws")).unwrap();
    App::new(config).unwrap()
}

fn demo_spec() -> String {
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../openapi/tests/fixtures/fastapi-demo.json"
    )
    .to_string()
}

#[tokio::test]
async fn the_session_comes_back_in_a_new_app_with_its_response_body() {
    let server = FaultServer::start();
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(dir.path());
    assert_eq!(app.session_get().await.unwrap(), None, "no session yet");
    let response = app
        .send_request("r1", &HttpRequest::get(server.url("/ok")), &|_| {})
        .await
        .unwrap();
    let session = Session {
        version: 0,
        workspace: String::new(),
        tabs: vec![
            SessionTab {
                key: "saved-tab".into(),
                path: Some("demo/get.yaml".into()),
                response: Some(response.clone()),
                sent: None,
            },
            SessionTab {
                key: "draft-tab".into(),
                path: None,
                response: None,
                sent: None,
            },
        ],
        active: Some("saved-tab".into()),
    };
    app.session_put(session.clone()).await.unwrap();
    drop(app);

    let again = app_in(dir.path());
    let back = again.session_get().await.unwrap().expect("a session");
    assert_eq!(back.tabs, session.tabs, "tabs, order and responses");
    assert_eq!(back.active.as_deref(), Some("saved-tab"));
    let head = back.tabs[0].response.as_ref().unwrap();
    let body = again.read_body(&head.id, 0, 1 << 20).await.unwrap();
    assert_eq!(body.len() as u64, response.body.size);
    assert!(!body.is_empty());
}

#[tokio::test]
async fn tabs_of_another_workspace_are_left_out() {
    let dir = tempfile::tempdir().unwrap();
    app_in(dir.path())
        .session_put(Session {
            version: 0,
            workspace: String::new(),
            tabs: vec![
                SessionTab {
                    key: "a".into(),
                    path: Some("c/a.yaml".into()),
                    response: None,
                    sent: None,
                },
                SessionTab {
                    key: "b".into(),
                    path: None,
                    response: None,
                    sent: None,
                },
            ],
            active: Some("a".into()),
        })
        .await
        .unwrap();
    let mut config = AppConfig::new(dir.path().join("data"));
    config.workspace_dir = Some(dir.path().join("other"));
    let other = App::new(config).unwrap();
    let back = other.session_get().await.unwrap().unwrap();
    let keys: Vec<_> = back.tabs.iter().map(|t| t.key.as_str()).collect();
    assert_eq!(
        keys,
        ["b"],
        "only the unsaved tab, whose content is its draft"
    );
}

#[tokio::test]
async fn a_damaged_session_file_means_starting_from_drafts() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(dir.path());
    let file = dir.path().join("data").join(SESSION_FILE);
    for bytes in [
        &b"{\"tabs\": [{\"key\": "[..],
        b"\x00\x01\x02",
        b"{\"version\": 99, \"tabs\": []}",
    ] {
        std::fs::write(&file, bytes).unwrap();
        assert_eq!(app.session_get().await.unwrap(), None);
    }
    // The next write replaces it with a good one.
    app.session_put(Session::default()).await.unwrap();
    assert!(app.session_get().await.unwrap().is_some());
}

#[tokio::test]
async fn imported_specs_are_remembered_and_forgotten() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(dir.path());
    let settings = RequestSettings {
        verify_tls: false,
        ..RequestSettings::default()
    };
    let spec = demo_spec();
    let overview = app.open_spec_with(&spec, settings.clone()).await.unwrap();
    // `spec_overview` answers once the model is built, by which time the list has the spec.
    app.spec_overview(&overview.spec_id).await.unwrap();
    let pasted = std::fs::read_to_string(&spec).unwrap();
    let pasted_overview = app.open_spec(&pasted).await.unwrap();
    app.spec_overview(&pasted_overview.spec_id).await.unwrap();

    let again = app_in(dir.path());
    let list = again.specs_remembered().await.unwrap();
    let absolute = std::path::absolute(&spec).unwrap();
    assert_eq!(
        list,
        vec![RememberedSpec {
            source: absolute.to_string_lossy().into_owned(),
            name: overview.title.clone(),
            settings,
        }],
        "the file, with its settings; pasted text is not remembered"
    );
    // Reopened from the list, lazily, it is the same spec.
    let reopened = again
        .open_spec_with(&list[0].source, list[0].settings.clone())
        .await
        .unwrap();
    assert_eq!(reopened.operations.len(), overview.operations.len());
    again.spec_overview(&reopened.spec_id).await.unwrap();
    assert_eq!(
        again.specs_remembered().await.unwrap().len(),
        1,
        "no duplicate"
    );

    again.spec_forget(list[0].source.clone()).await.unwrap();
    assert!(again.specs_remembered().await.unwrap().is_empty());

    // A damaged list reads as empty, and the next import writes a good one.
    std::fs::write(dir.path().join("data").join(SPEC_LIST_FILE), b"[oops").unwrap();
    assert!(again.specs_remembered().await.unwrap().is_empty());
    let o = again.open_spec(&spec).await.unwrap();
    again.spec_overview(&o.spec_id).await.unwrap();
    assert_eq!(again.specs_remembered().await.unwrap().len(), 1);
}
