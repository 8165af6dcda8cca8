//! Secret values never land in the workspace: every file written is searched for them, and
//! they come back on read.

use std::fs;

use sextant_model::{
    ApiKeyLocation, Auth, Collection, CollectionItem, Environment, FolderSettings, KeyValue,
    SavedRequest, Variable,
};
use sextant_store::{Draft, Workspace};

use crate::workspace_common::{all_files, get, temp_workspace};

const SECRETS: [&str; 8] = [
    "pw-basic-Q7x",
    "tok-bearer-Z9k",
    "key-apikey-M2p",
    "var-request-H4d",
    "var-folder-L8w",
    "var-collection-R3t",
    "var-environment-B6y",
    "imported-token-N1c",
];

#[test]
fn secret_values_never_reach_workspace_files_and_come_back_on_read() {
    let t = temp_workspace();
    let c = t.ws.create_collection("Secrets").unwrap();
    let f = t.ws.create_folder(&c, "Inner").unwrap();

    let mut basic = get("Basic", "http://b/");
    basic.auth = Auth::Basic {
        username: "alice".into(),
        password: SECRETS[0].into(),
    };
    basic.variables = vec![
        Variable::secret("session", SECRETS[3]),
        Variable::new("plain", "visible"),
    ];
    let mut bearer = get("Bearer", "http://b/");
    bearer.auth = Auth::Bearer {
        token: format!("prefix-{}", SECRETS[1]),
    };
    let mut key = get("Key", "http://k/");
    key.auth = Auth::ApiKey {
        name: "X-Api-Key".into(),
        value: SECRETS[2].into(),
        location: ApiKeyLocation::Header,
    };
    let mut reference = get("Reference", "http://r/");
    reference.auth = Auth::Bearer {
        token: "{{token}}".into(),
    };
    let saved: Vec<_> = [&basic, &bearer, &key, &reference]
        .into_iter()
        .map(|r| t.ws.create_request(&f, r).unwrap())
        .collect();

    let folder_settings = FolderSettings {
        base_url: Some("http://base/".into()),
        headers: vec![KeyValue::new("X-Team", "core")],
        auth: Auth::Inherit,
        variables: vec![Variable::secret("folderSecret", SECRETS[4])],
        client_certificates: Vec::new(),
        sequential: false,
    };
    let rev = t.ws.read_folder_settings(&f).unwrap().revision;
    t.ws.save_folder_settings(&f, &folder_settings, &rev)
        .unwrap();
    let coll_settings = FolderSettings {
        variables: vec![Variable::secret("collSecret", SECRETS[5])],
        ..FolderSettings::default()
    };
    let rev = t.ws.read_folder_settings(&c).unwrap().revision;
    t.ws.save_folder_settings(&c, &coll_settings, &rev).unwrap();
    let env = Environment {
        name: "prod".into(),
        variables: vec![
            Variable::new("baseUrl", "https://x/"),
            Variable::secret("envSecret", SECRETS[6]),
        ],
    };
    let env_saved = t.ws.create_environment(&c, &env).unwrap();

    let mut imported_req = get("Imported", "http://i/");
    imported_req.auth = Auth::Bearer {
        token: SECRETS[7].into(),
    };
    let imported =
        t.ws.write_collection(&Collection {
            name: "Imported".into(),
            settings: FolderSettings::default(),
            items: vec![CollectionItem::Request(imported_req.clone())],
            environments: vec![],
        })
        .unwrap();
    let drafts = t.ws.drafts().unwrap();
    drafts
        .put(&Draft {
            key: "tab-1".into(),
            path: None,
            base_revision: None,
            request: basic.clone(),
            updated_at_ms: 1,
        })
        .unwrap();

    // No file anywhere under the workspace holds a secret value, and the secret store file
    // holds none in clear either.
    let files = all_files(t.ws.root());
    assert!(files.len() >= 8);
    let mut checked: Vec<_> = files.clone();
    checked.push(t.data().join("secrets.enc"));
    // Drafts hold requests as typed, secrets included: sealed on disk.
    let draft_files = all_files(&t.data().join("drafts"));
    assert_eq!(draft_files.len(), 1);
    checked.extend(draft_files);
    for file in &checked {
        let bytes = fs::read(file).unwrap();
        for secret in SECRETS {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{secret} found in {}",
                file.display()
            );
        }
    }
    let text = fs::read_to_string(t.root().join(&saved[0].path)).unwrap();
    assert!(text.contains("password: <secret>"), "{text}");
    assert!(text.contains("- name: session\n  secret: true\n"), "{text}");
    assert!(text.contains("value: visible"));
    let text = fs::read_to_string(t.root().join(&saved[3].path)).unwrap();
    assert!(
        text.contains("token: '{{token}}'"),
        "references stay: {text}"
    );

    // Everything reads back, also after reopening the workspace.
    let ws = t.reopen();
    let back: Vec<SavedRequest> = saved
        .iter()
        .map(|s| ws.read_request(&s.path).unwrap().request)
        .collect();
    assert_eq!(back, [basic.clone(), bearer, key, reference]);
    assert_eq!(
        ws.read_folder_settings(&f).unwrap().settings,
        folder_settings
    );
    assert_eq!(ws.read_folder_settings(&c).unwrap().settings, coll_settings);
    assert_eq!(
        ws.read_environment(&env_saved.path).unwrap().environment,
        env
    );
    let imported = ws.load_collection(&imported).unwrap();
    assert_eq!(imported.items, [CollectionItem::Request(imported_req)]);
    assert_eq!(
        ws.inherited_settings(&saved[0].path).unwrap(),
        [coll_settings, folder_settings]
    );

    // A listing that loads its requests (a run's) fills the secrets in as a read does.
    let (_, listed) = t.ws.list_folder_loaded(&c).unwrap();
    assert_eq!(listed.len(), saved.len());
    for one in &saved {
        assert_eq!(
            listed.get(&one.path),
            Some(&t.ws.read_request(&one.path).unwrap())
        );
    }

    // Without the secret store (a fresh clone on another machine) the files still load, with
    // the secrets reported missing.
    let elsewhere = Workspace::open(t.ws.root(), t.dir.path().join("other-data")).unwrap();
    let loaded = elsewhere.read_request(&saved[0].path).unwrap();
    assert_eq!(
        loaded.missing_secrets,
        ["auth/password", "variables/session"]
    );
    let (_, listed) = elsewhere.list_folder_loaded(&c).unwrap();
    assert_eq!(listed.get(&saved[0].path), Some(&loaded));
    assert_eq!(
        loaded.request.auth,
        Auth::Basic {
            username: "alice".into(),
            password: String::new()
        }
    );
}
