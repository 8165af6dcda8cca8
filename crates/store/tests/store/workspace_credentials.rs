//! Literal credentials typed outside the auth block (an OAuth2 password form's `password`, an
//! `Authorization: Bearer` header, `X-API-Key`, `?api_key=`, a URL's `user:pass@`) never reach a
//! collection file: every written file is searched for them, they come back on read, an
//! unchanged save rewrites the same bytes, and `{{references}}` stay in the file.

use std::fs;
use std::path::Path;

use sextant_model::{
    FolderSettings, HttpRequest, KeyValue, MultipartPart, PartValue, RequestBody, SavedRequest,
};
use sextant_store::Workspace;

use crate::workspace_common::{all_files, temp_workspace};

const LITERALS: [&str; 8] = [
    "pw-url-Q1v",
    "key-query-W2x",
    "tok-bearer-E3c",
    "key-header-R4b",
    "pw-form-T5n",
    "tok-part-Y6m",
    "key-folder-U7l",
    "pw-base-I8k",
];

fn contains(bytes: &[u8], needle: &str) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn assert_no_literal_under(root: &Path) {
    let files = all_files(root);
    assert!(!files.is_empty());
    for file in files {
        let bytes = fs::read(&file).unwrap();
        for literal in LITERALS {
            assert!(
                !contains(&bytes, literal),
                "{literal} found in {}",
                file.display()
            );
        }
    }
}

/// The request a user saves after logging in through FastAPI's OAuth2 password form, with a few
/// more literal credentials and some references beside them.
fn login() -> SavedRequest {
    let mut req = HttpRequest::new(
        "POST",
        format!("https://ann:{}@127.0.0.1:9/token", LITERALS[0]),
    );
    req.query = vec![
        KeyValue::new("api_key", LITERALS[1]),
        KeyValue::new("page", "2"),
        KeyValue::new("token", "{{token}}"),
    ];
    req.headers = vec![
        KeyValue::new("Authorization", format!("Bearer {}", LITERALS[2])),
        KeyValue::new("X-API-Key", LITERALS[3]),
        KeyValue::new("Accept", "application/json"),
        KeyValue::new("Proxy-Authorization", "Basic {{proxyCredentials}}"),
        KeyValue::new("X-Auth-Token", ""),
    ];
    req.body = RequestBody::Form {
        fields: vec![
            KeyValue::new("grant_type", "password"),
            KeyValue::new("username", "ann"),
            KeyValue::new("password", LITERALS[4]),
            KeyValue::new("client_secret", "{{clientSecret}}"),
            KeyValue::new("refresh_token", ""),
        ],
    };
    SavedRequest::new("Log in", req)
}

fn upload() -> SavedRequest {
    let mut req = HttpRequest::new("POST", "{{baseUrl}}/upload");
    req.body = RequestBody::Multipart {
        parts: vec![
            MultipartPart {
                name: "note".into(),
                enabled: true,
                value: PartValue::Text {
                    text: "hello".into(),
                },
            },
            MultipartPart {
                name: "token".into(),
                enabled: true,
                value: PartValue::Text {
                    text: LITERALS[5].into(),
                },
            },
        ],
    };
    SavedRequest::new("Upload", req)
}

#[test]
fn literal_credentials_in_a_request_never_reach_its_file_and_come_back_on_read() {
    let t = temp_workspace();
    let c = t.ws.create_collection("Auth").unwrap();
    let (login, upload) = (login(), upload());
    let saved_login = t.ws.create_request(&c, &login).unwrap();
    let saved_upload = t.ws.create_request(&c, &upload).unwrap();
    let settings = FolderSettings {
        base_url: Some(format!("https://ann:{}@127.0.0.1:9/", LITERALS[7])),
        headers: vec![KeyValue::new("X-Api-Key", LITERALS[6])],
        ..FolderSettings::default()
    };
    let rev = t.ws.read_folder_settings(&c).unwrap().revision;
    t.ws.save_folder_settings(&c, &settings, &rev).unwrap();

    assert_no_literal_under(t.ws.root());
    assert!(!contains(
        &fs::read(t.data().join("secrets.enc")).unwrap(),
        LITERALS[4]
    ));
    let text = fs::read_to_string(t.root().join(&saved_login.path)).unwrap();
    for kept in [
        "ann:<secret>@127.0.0.1:9/token",
        "- name: api_key\n  value: <secret>\n",
        "- name: Authorization\n  value: <secret>\n",
        "- name: X-API-Key\n  value: <secret>\n",
        "- name: password\n    value: <secret>\n",
        "'{{token}}'",
        "Basic {{proxyCredentials}}",
        "'{{clientSecret}}'",
        "- name: username\n    value: ann\n",
        "- name: grant_type\n    value: password\n",
    ] {
        assert!(text.contains(kept), "{kept:?} not in:\n{text}");
    }
    let text = fs::read_to_string(t.root().join(&saved_upload.path)).unwrap();
    assert!(text.contains("text: <secret>"), "{text}");
    assert!(text.contains("text: hello"), "{text}");

    // Everything reads back as saved, also after reopening the workspace.
    let ws = t.reopen();
    let back = ws.read_request(&saved_login.path).unwrap();
    assert_eq!(back.request, login);
    assert!(back.missing_secrets.is_empty());
    assert_eq!(ws.read_request(&saved_upload.path).unwrap().request, upload);
    assert_eq!(ws.read_folder_settings(&c).unwrap().settings, settings);
    assert_eq!(
        ws.inherited_settings(&saved_login.path).unwrap(),
        [settings]
    );

    // Saving the unchanged request rewrites the same bytes, the same revision.
    let before = fs::read(t.root().join(&saved_login.path)).unwrap();
    let again = ws
        .save_request(&saved_login.path, &back.request, Some(&back.revision))
        .unwrap();
    assert_eq!(again.revision, back.revision);
    assert_eq!(fs::read(t.root().join(&saved_login.path)).unwrap(), before);
    assert_eq!(ws.read_request(&saved_login.path).unwrap().request, login);

    // A fresh clone without the secret store loads, naming what it lacks.
    let elsewhere = Workspace::open(t.ws.root(), t.dir.path().join("other-data")).unwrap();
    let loaded = elsewhere.read_request(&saved_login.path).unwrap();
    assert_eq!(
        loaded.missing_secrets,
        [
            "url/password",
            "query/0/api_key",
            "headers/0/Authorization",
            "headers/1/X-API-Key",
            "body/form/2/password",
        ]
    );
    assert_eq!(loaded.request.request.url, "https://ann:@127.0.0.1:9/token");
    assert_eq!(
        elsewhere
            .read_request(&saved_upload.path)
            .unwrap()
            .missing_secrets,
        ["body/multipart/1/token"]
    );
}

#[test]
fn a_file_with_literal_credentials_from_before_reads_and_the_next_save_moves_them() {
    let t = temp_workspace();
    let c = t.ws.create_collection("Old").unwrap();
    let path = format!("{c}/log-in.yaml");
    fs::write(
        t.root().join(&path),
        format!(
            "name: Log in\nmethod: POST\nurl: https://ann:{}@127.0.0.1:9/token\nheaders:\n\
             - name: Authorization\n  value: Bearer {}\nbody:\n  kind: form\n  fields:\n\
             \x20 - name: password\n    value: {}\n",
            LITERALS[0], LITERALS[2], LITERALS[4]
        ),
    )
    .unwrap();
    let old = t.ws.read_request(&path).unwrap();
    assert!(old.missing_secrets.is_empty());
    let r = &old.request.request;
    assert_eq!(
        r.url,
        format!("https://ann:{}@127.0.0.1:9/token", LITERALS[0])
    );
    assert_eq!(r.headers[0].value, format!("Bearer {}", LITERALS[2]));
    assert_eq!(
        r.body,
        RequestBody::Form {
            fields: vec![KeyValue::new("password", LITERALS[4])]
        }
    );

    let saved =
        t.ws.save_request(&path, &old.request, Some(&old.revision))
            .unwrap();
    assert_ne!(saved.revision, old.revision, "the literals moved out");
    assert_no_literal_under(t.ws.root());
    assert_eq!(t.reopen().read_request(&path).unwrap().request, old.request);
}
