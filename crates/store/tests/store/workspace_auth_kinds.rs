//! Digest, AWS SigV4 and the API key in a cookie as files hold them: the Digest password and the
//! SigV4 secret key and session token go to the secret store like Basic's password, a reference
//! stays, and everything reads back.

use std::fs;

use sextant_model::{ApiKeyLocation, Auth, DigestAlgorithm};

use crate::workspace_common::{get, temp_workspace};

#[test]
fn digest_and_sigv4_secrets_stay_out_of_files_and_come_back() {
    let t = temp_workspace();
    let c = t.ws.create_collection("Kinds").unwrap();

    let mut digest = get("Digest", "http://d/");
    digest.auth = Auth::Digest {
        username: "alice".into(),
        password: "pw-digest-K4v".into(),
        algorithm: DigestAlgorithm::Sha256Sess,
    };
    let mut sigv4 = get("SigV4", "http://s/");
    sigv4.auth = Auth::AwsSigV4 {
        access_key: "AKIDEXAMPLE".into(),
        secret_key: "sk-aws-P2q".into(),
        session_token: "st-aws-W7e".into(),
        region: "eu-west-1".into(),
        service: "execute-api".into(),
    };
    let mut cookie = get("Cookie", "http://c/");
    cookie.auth = Auth::ApiKey {
        name: "session".into(),
        value: "{{sessionId}}".into(),
        location: ApiKeyLocation::Cookie,
    };
    let saved: Vec<_> = [&digest, &sigv4, &cookie]
        .into_iter()
        .map(|r| t.ws.create_request(&c, r).unwrap())
        .collect();

    let text = fs::read_to_string(t.root().join(&saved[0].path)).unwrap();
    assert!(text.contains("kind: digest"), "{text}");
    assert!(text.contains("password: <secret>"), "{text}");
    assert!(text.contains("algorithm: SHA-256-sess"), "{text}");
    let text = fs::read_to_string(t.root().join(&saved[1].path)).unwrap();
    assert!(text.contains("kind: awsSigV4"), "{text}");
    assert!(text.contains("accessKey: AKIDEXAMPLE"), "{text}");
    assert!(text.contains("secretKey: <secret>"), "{text}");
    assert!(text.contains("sessionToken: <secret>"), "{text}");
    assert!(!text.contains("sk-aws-P2q") && !text.contains("st-aws-W7e"));
    let text = fs::read_to_string(t.root().join(&saved[2].path)).unwrap();
    assert!(text.contains("location: cookie"), "{text}");
    assert!(text.contains("value: '{{sessionId}}'"), "{text}");

    let ws = t.reopen();
    let back: Vec<_> = saved
        .iter()
        .map(|s| ws.read_request(&s.path).unwrap().request)
        .collect();
    assert_eq!(back, [digest, sigv4, cookie]);

    let elsewhere =
        sextant_store::Workspace::open(t.ws.root(), t.dir.path().join("other-data")).unwrap();
    let loaded = elsewhere.read_request(&saved[1].path).unwrap();
    assert_eq!(
        loaded.missing_secrets,
        ["auth/secretKey", "auth/sessionToken"]
    );
}
