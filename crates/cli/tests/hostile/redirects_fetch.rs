//! Hostile cases: redirects and spec fetches (rows 10 and 8). A server sends the request on to
//! another origin, which must not receive its credentials; a spec URL serves a gzip bomb or a
//! body that never ends, which must end in a clear error with nothing left in `bodies/`.

use sextant_testkit::FaultServer;

use crate::harness::Sandbox;

/// `sextant send` of `url` with credential headers; prints only the body (the echo).
fn send_with_secrets(sandbox: &Sandbox, url: &str) -> String {
    let run = sandbox.run(&[
        "send",
        "--body-only",
        "--no-color",
        url,
        "X-API-Key:key-secret-10",
        "X-Auth-Token:token-secret-10",
        "Accept:application/json",
    ]);
    run.assert_ok();
    sandbox.assert_no_canary(&run.output());
    run.stdout.clone()
}

#[test]
fn row10_credentials_stay_on_their_origin() {
    let first = FaultServer::start();
    let other = FaultServer::start();
    let sandbox = Sandbox::new();

    let away = first.url(&format!("/redirect-to?url={}", other.url("/echo")));
    let echoed = send_with_secrets(&sandbox, &away);
    assert!(echoed.contains("\"path\""), "not the echo: {echoed}");
    for secret in ["key-secret-10", "token-secret-10"] {
        assert!(
            !echoed.contains(secret),
            "{secret} reached the other origin:\n{echoed}"
        );
    }
    assert!(echoed.contains("application/json"), "{echoed}");

    let home = first.url(&format!("/redirect-to?url={}", "/echo"));
    let echoed = send_with_secrets(&sandbox, &home);
    for secret in ["key-secret-10", "token-secret-10"] {
        assert!(
            echoed.contains(secret),
            "{secret} missing on the same origin:\n{echoed}"
        );
    }
}

fn assert_no_bodies_left(sandbox: &Sandbox) {
    let left: Vec<_> = std::fs::read_dir(sandbox.data().join("bodies"))
        .map(|d| d.filter_map(Result::ok).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "left in bodies/: {left:?}");
}

#[test]
fn row08_a_gzip_bomb_spec_stops_at_the_cap() {
    let server = FaultServer::start();
    let sandbox = Sandbox::new();
    let run = sandbox.run(&["openapi", "inspect", &server.url("/gzip-bomb?mib=2048")]);
    run.assert_error("256 MiB");
    assert!(run.stderr.contains("a spec"), "{}", run.output());
    sandbox.assert_no_canary(&run.output());
    assert_no_bodies_left(&sandbox);
}

#[test]
fn row08_an_endless_spec_body_ends() {
    let server = FaultServer::start();
    let sandbox = Sandbox::new();
    let run = sandbox.run(&["openapi", "inspect", &server.url("/endless")]);
    run.assert_error("256 MiB");
    sandbox.assert_no_canary(&run.output());
    assert_no_bodies_left(&sandbox);
}
