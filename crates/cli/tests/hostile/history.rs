//! Hostile cases: history at rest (row 11). A request sent with a password in its URL, an
//! `api_key` query parameter and an `X-Auth-Token` header, answered with a `Set-Cookie`, used to
//! be kept in plain text in a world-readable `history.sqlite`. The history the CLI lists and
//! shows, and every file in the data dir, must hold none of those values, and the data dir and
//! database must be owner-only.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use sextant_testkit::FaultServer;

use crate::harness::Sandbox;

const PASSWORD: &str = "pa55word-secret-11";
const API_KEY: &str = "key-secret-11";
const TOKEN: &str = "token-secret-11";
const COOKIE: &str = "cookie-secret-11";
const SECRETS: [&str; 4] = [PASSWORD, API_KEY, TOKEN, COOKIE];

/// `text` with every byte percent-encoded: the server decodes it, so the cookie's value is in
/// the response but not, as such, in the URL the history keeps.
fn percent_encoded(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// Sends the request with every kind of credential into the history kept in `data`.
fn send_with_credentials(sandbox: &Sandbox, server: &FaultServer, data: &Path) {
    let url = server.url(&format!(
        "/set-cookie?name=sid&value={}&api_key={API_KEY}",
        percent_encoded(COOKIE)
    ));
    let url = url.replacen("http://", &format!("http://user:{PASSWORD}@"), 1);
    let run = sandbox.run_env(
        &["send", "--no-color", &url, &format!("X-Auth-Token:{TOKEN}")],
        &[("SEXTANT_DATA_DIR", data.to_str().unwrap())],
    );
    run.assert_ok();
    // The live response is the user's to see; only what is kept is masked.
    assert!(
        run.stdout.contains(&format!("sid={COOKIE}")),
        "{}",
        run.output()
    );
}

#[test]
fn row_11_credentials_are_masked_in_the_history() {
    let server = FaultServer::start();
    let sandbox = Sandbox::new();
    send_with_credentials(&sandbox, &server, &sandbox.data());

    let list = sandbox.run(&["history"]);
    list.assert_ok();
    assert!(list.stdout.contains("/set-cookie"), "{}", list.output());
    let show = sandbox.run(&["history", "show", "1"]);
    show.assert_ok();
    let json = sandbox.run(&["history", "show", "1", "--json"]);
    json.assert_ok();
    for run in [&list, &show, &json] {
        for secret in SECRETS {
            assert!(
                !run.output().contains(secret),
                "{secret} in the history:\n{}",
                run.output()
            );
        }
    }
    for shown in [
        format!("api_key={}", "•••"),
        "X-Auth-Token: •••".to_owned(),
        "sid=•••; Path=/".to_owned(),
    ] {
        assert!(
            show.stdout.contains(&shown),
            "{shown:?} not shown:\n{}",
            show.output()
        );
    }
    assert!(
        show.stdout.contains("http://•••:•••@127.0.0.1:"),
        "{}",
        show.output()
    );

    // Nor anywhere in the database, its journal or the bodies.
    for entry in std::fs::read_dir(sandbox.data()).unwrap().flatten() {
        if !entry.file_type().unwrap().is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path()).unwrap();
        for secret in SECRETS {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{secret} in {}",
                entry.path().display()
            );
        }
    }
    sandbox.assert_no_canary(&show.output());
}

#[track_caller]
fn assert_owner_only(data: &Path) {
    assert_eq!(mode(data), 0o700, "{}", data.display());
    let db = data.join("history.sqlite");
    assert_eq!(mode(&db), 0o600, "{}", db.display());
    for suffix in ["-wal", "-shm"] {
        let side = data.join(format!("history.sqlite{suffix}"));
        if side.exists() {
            assert_eq!(mode(&side), 0o600, "{}", side.display());
        }
    }
}

#[test]
fn row_11_the_data_dir_and_database_are_owner_only() {
    let server = FaultServer::start();
    let sandbox = Sandbox::new();
    // A data dir the first send creates, and one an older version left world-readable.
    let fresh = sandbox.data().join("fresh");
    std::fs::set_permissions(sandbox.data(), std::fs::Permissions::from_mode(0o755)).unwrap();
    for data in [fresh.as_path(), &sandbox.data()] {
        // After the send alone (the CLI records it), then after the history is read.
        send_with_credentials(&sandbox, &server, data);
        assert_owner_only(data);
        sandbox
            .run_env(
                &["history"],
                &[("SEXTANT_DATA_DIR", data.to_str().unwrap())],
            )
            .assert_ok();
        assert_owner_only(data);
    }
}
