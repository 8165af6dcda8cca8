//! Body files named by requests the window sends: relative paths resolve against the collection
//! folder, and a file outside the workspace, under a hidden folder, or relative to nothing is
//! refused with `FileNotAllowed` until the user allows that exact file (remembered on disk).

use std::path::{Path, PathBuf};

use sextant_app::{App, AppConfig, SendContext};
use sextant_model::{
    ApiError, ErrorCode, HttpRequest, HttpResponse, MultipartPart, PartValue, RequestBody,
    SavedRequest,
};
use sextant_testkit::FaultServer;

struct Setup {
    app: App,
    data: PathBuf,
    workspace: PathBuf,
    outside: PathBuf,
    _dir: tempfile::TempDir,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let workspace = dir.path().join("ws");
    let outside = dir.path().join("home");
    std::fs::create_dir_all(&workspace).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    Setup {
        app: new_app(&data, &workspace),
        data,
        workspace,
        outside,
        _dir: dir,
    }
}

fn new_app(data: &Path, workspace: &Path) -> App {
    let mut config = AppConfig::new(data);
    config.workspace_dir = Some(workspace.to_path_buf());
    App::new(config).unwrap()
}

fn binary(url: String, path: &str) -> SavedRequest {
    let mut request = HttpRequest::get(url);
    request.method = "POST".into();
    request.body = RequestBody::Binary {
        path: path.into(),
        content_type: Some("text/plain".into()),
    };
    SavedRequest::new("upload", request)
}

/// Saves `saved` in a new collection `c` and returns its path in the workspace.
async fn save_in_collection(app: &App, saved: &SavedRequest) -> String {
    let collection = app.collection_create("c".into()).await.unwrap();
    app.request_create(collection, saved.clone())
        .await
        .unwrap()
        .path
}

async fn send(
    app: &App,
    path: Option<&str>,
    saved: &SavedRequest,
) -> Result<HttpResponse, ApiError> {
    app.send(
        "r",
        saved,
        Some(SendContext::new(path.map(str::to_owned), None)),
        &|_| {},
    )
    .await
}

/// The body the fault server's `/echo` received.
async fn echoed(app: &App, response: &HttpResponse) -> String {
    let bytes = app.read_body(&response.id, 0, 1 << 20).await.unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    doc["body"].as_str().unwrap().to_owned()
}

fn assert_refused(result: Result<HttpResponse, ApiError>, file: &Path, why: &str) {
    let err = result.expect_err("the body file must be refused");
    assert_eq!(err.code, ErrorCode::FileNotAllowed, "{err:?}");
    let shown = std::fs::canonicalize(file).unwrap();
    assert!(
        err.message.contains(&shown.display().to_string()),
        "names the file: {}",
        err.message
    );
    assert!(err.message.contains(why), "says why: {}", err.message);
    assert!(
        err.message.contains("allow"),
        "says how to allow it: {}",
        err.message
    );
}

#[tokio::test]
async fn a_relative_body_file_resolves_against_the_collection_folder_not_the_working_directory() {
    let server = FaultServer::start();
    let s = setup();
    // The test's working directory (the crate's folder) has a Cargo.toml of its own.
    assert!(Path::new("Cargo.toml").is_file());
    let saved = binary(server.url("/echo"), "Cargo.toml");
    let path = save_in_collection(&s.app, &saved).await;
    std::fs::write(
        s.workspace.join("c/Cargo.toml"),
        "from the collection folder",
    )
    .unwrap();
    let response = send(&s.app, Some(&path), &saved).await.unwrap();
    assert_eq!(
        echoed(&s.app, &response).await,
        "from the collection folder"
    );
}

#[tokio::test]
async fn a_file_outside_the_workspace_is_refused_until_allowed_once_and_the_consent_outlives_the_app(
) {
    let server = FaultServer::start();
    let s = setup();
    let key = s.outside.join("id_rsa");
    std::fs::write(&key, "canary key").unwrap();
    let saved = binary(server.url("/echo"), key.to_str().unwrap());
    let path = save_in_collection(&s.app, &saved).await;

    assert_refused(
        send(&s.app, Some(&path), &saved).await,
        &key,
        "outside the workspace",
    );
    let stopped = s
        .app
        .body_files_stopped(&saved, Some(SendContext::new(Some(path.clone()), None)))
        .await
        .unwrap();
    let canonical = std::fs::canonicalize(&key).unwrap().display().to_string();
    assert_eq!(stopped, std::slice::from_ref(&canonical));

    let before = walk(&s.workspace);
    let allowed = s
        .app
        .allow_body_files(vec![key.display().to_string()])
        .await
        .unwrap();
    assert_eq!(allowed, std::slice::from_ref(&canonical));
    let response = send(&s.app, Some(&path), &saved).await.unwrap();
    assert_eq!(echoed(&s.app, &response).await, "canary key");
    assert!(s
        .app
        .body_files_stopped(&saved, Some(SendContext::new(Some(path.clone()), None)))
        .await
        .unwrap()
        .is_empty());

    // Remembered in the data dir, private, and not in the workspace.
    let consent = s.data.join("allowed-body-files.json");
    assert!(std::fs::read_to_string(&consent)
        .unwrap()
        .contains(&canonical));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&consent).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert_eq!(
        walk(&s.workspace),
        before,
        "allowing writes nothing into the workspace"
    );

    // A new App on the same data dir remembers it; another file still needs asking.
    let again = new_app(&s.data, &s.workspace);
    let response = send(&again, Some(&path), &saved).await.unwrap();
    assert_eq!(echoed(&again, &response).await, "canary key");
    let other = s.outside.join("other");
    std::fs::write(&other, "x").unwrap();
    let saved_other = binary(server.url("/echo"), other.to_str().unwrap());
    assert_refused(
        send(&again, Some(&path), &saved_other).await,
        &other,
        "outside the workspace",
    );
}

#[tokio::test]
async fn files_inside_the_workspace_go_without_asking_but_not_under_a_hidden_folder() {
    let server = FaultServer::start();
    let s = setup();
    let saved = binary(server.url("/echo"), "data/payload.txt");
    let path = save_in_collection(&s.app, &saved).await;
    std::fs::create_dir_all(s.workspace.join("c/data")).unwrap();
    std::fs::write(s.workspace.join("c/data/payload.txt"), "plain").unwrap();
    let response = send(&s.app, Some(&path), &saved).await.unwrap();
    assert_eq!(echoed(&s.app, &response).await, "plain");

    std::fs::create_dir_all(s.workspace.join("c/.secrets")).unwrap();
    let hidden = s.workspace.join("c/.secrets/token");
    std::fs::write(&hidden, "hidden").unwrap();
    let saved = binary(server.url("/echo"), ".secrets/token");
    assert_refused(
        send(&s.app, Some(&path), &saved).await,
        &hidden,
        "hidden folder",
    );
    // `..` out of the collection and back into the workspace is still inside it.
    std::fs::write(s.workspace.join("shared.txt"), "shared").unwrap();
    let saved = binary(server.url("/echo"), "../shared.txt");
    let response = send(&s.app, Some(&path), &saved).await.unwrap();
    assert_eq!(echoed(&s.app, &response).await, "shared");
    // `..` out of the workspace is outside it.
    std::fs::write(s.outside.join("escaped"), "escaped").unwrap();
    let saved = binary(server.url("/echo"), "../../home/escaped");
    assert_refused(
        send(&s.app, Some(&path), &saved).await,
        &s.outside.join("escaped"),
        "outside the workspace",
    );
}

#[cfg(unix)]
#[tokio::test]
async fn a_symlink_in_the_workspace_that_leads_outside_counts_as_outside() {
    let server = FaultServer::start();
    let s = setup();
    let key = s.outside.join("id_rsa");
    std::fs::write(&key, "canary key").unwrap();
    let saved = binary(server.url("/echo"), "innocent.txt");
    let path = save_in_collection(&s.app, &saved).await;
    std::os::unix::fs::symlink(&key, s.workspace.join("c/innocent.txt")).unwrap();
    assert_refused(
        send(&s.app, Some(&path), &saved).await,
        &key,
        "outside the workspace",
    );

    // A multipart file part is judged the same way.
    let mut request = saved.request.clone();
    request.body = RequestBody::Multipart {
        parts: vec![MultipartPart {
            name: "f".into(),
            enabled: true,
            value: PartValue::File {
                path: "innocent.txt".into(),
                filename: None,
                content_type: None,
            },
        }],
    };
    let multipart = SavedRequest::new("multi", request);
    assert_refused(
        send(&s.app, Some(&path), &multipart).await,
        &key,
        "outside the workspace",
    );
}

#[tokio::test]
async fn a_relative_path_in_a_request_of_no_collection_is_relative_to_nothing() {
    let server = FaultServer::start();
    let s = setup();
    let saved = binary(server.url("/echo"), "Cargo.toml");
    let err = send(&s.app, None, &saved).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::FileNotAllowed);
    assert!(
        err.message.contains("relative to nothing"),
        "{}",
        err.message
    );
    let err = s.app.send("r2", &saved, None, &|_| {}).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::FileNotAllowed);

    // An absolute path outside the workspace is refused for a composed request too, then allowed.
    let file = s.outside.join("upload.bin");
    std::fs::write(&file, "upload").unwrap();
    let saved = binary(server.url("/echo"), file.to_str().unwrap());
    assert_refused(
        s.app.send("r3", &saved, None, &|_| {}).await,
        &file,
        "outside the workspace",
    );
    s.app
        .allow_body_files(vec![file.display().to_string()])
        .await
        .unwrap();
    let response = s.app.send("r4", &saved, None, &|_| {}).await.unwrap();
    assert_eq!(echoed(&s.app, &response).await, "upload");
}

#[tokio::test]
async fn only_existing_absolute_files_can_be_allowed() {
    let s = setup();
    let err = s
        .app
        .allow_body_files(vec!["relative.txt".into()])
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidRequest);
    let err = s
        .app
        .allow_body_files(vec![s.outside.join("missing").display().to_string()])
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Io);
    assert!(!s.data.join("allowed-body-files.json").exists());
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// The Postman collection of row 4: a file body naming a key outside the workspace, and a
/// form-data file part whose relative path exists only in the working directory.
fn hostile_postman(url: &str, key: &Path) -> String {
    serde_json::json!({
        "info": {
            "name": "Hostile",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
        },
        "item": [
            {
                "name": "steal",
                "request": {
                    "method": "POST",
                    "url": url,
                    "body": { "mode": "file", "file": { "src": key } }
                }
            },
            {
                "name": "relative",
                "request": {
                    "method": "POST",
                    "url": url,
                    "body": {
                        "mode": "formdata",
                        "formdata": [{ "key": "f", "type": "file", "src": "Cargo.toml" }]
                    }
                }
            }
        ]
    })
    .to_string()
}

fn requests(nodes: &[sextant_model::TreeNode], out: &mut Vec<(String, String)>) {
    for n in nodes {
        if n.kind == sextant_model::NodeKind::Request {
            out.push((n.name.clone(), n.path.clone()));
        }
        requests(&n.children, out);
    }
}

#[tokio::test]
async fn an_imported_collection_cannot_send_a_key_or_a_file_of_the_working_directory() {
    let server = FaultServer::start();
    let s = setup();
    let key = s.outside.join("id_rsa");
    std::fs::write(&key, "canary key").unwrap();
    s.app
        .import_into_workspace(
            sextant_model::InterchangeFormat::Postman,
            hostile_postman(&server.url("/echo"), &key),
            None,
        )
        .await
        .unwrap();
    let mut found = Vec::new();
    requests(
        &s.app.workspace_info().await.unwrap().collections,
        &mut found,
    );
    let path_of = |name: &str| {
        found
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| p.clone())
            .unwrap()
    };

    let steal = path_of("steal");
    let opened = s.app.request_open(steal.clone()).await.unwrap();
    assert_refused(
        send(&s.app, Some(&steal), &opened.saved).await,
        &key,
        "outside the workspace",
    );

    // `Cargo.toml` is in the working directory, not in the collection's folder: not found.
    assert!(Path::new("Cargo.toml").is_file());
    let relative = path_of("relative");
    let opened = s.app.request_open(relative.clone()).await.unwrap();
    let err = send(&s.app, Some(&relative), &opened.saved)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Io, "{err:?}");
    let collection_dir = s.workspace.join(relative.split('/').next().unwrap());
    assert!(
        err.message
            .contains(&collection_dir.join("Cargo.toml").display().to_string()),
        "looked for it in the collection folder: {}",
        err.message
    );
}
