//! Auth code + PKCE through the scripted browser to a loopback callback, refresh, and what the
//! browser does with a wrong password, a denied consent or pipes nobody reads.

use sextant_testkit::{OidcProvider, OIDC_CONFIDENTIAL, OIDC_PUBLIC, OIDC_USER};

use crate::browser::{authorize_url, browser, finish, one_callback, query};
use crate::codec::{base64, basic, jwt_claims, sha256};
use crate::http::{get, post_form};
use crate::HANG;

#[test]
fn auth_code_with_pkce_through_the_test_browser_then_refresh() {
    let idp = OidcProvider::start().unwrap();
    let (port, callback) = one_callback();
    let verifier = "sextant-test-verifier-0123456789-abcdefghijklmnopqrstuvwxyz";
    let challenge = base64(&sha256(verifier.as_bytes()), true);
    let url = authorize_url(&idp, OIDC_PUBLIC, port, "st4te", &challenge);
    let log =
        std::env::temp_dir().join(format!("sextant-browser-{}-{port}.log", std::process::id()));
    let log_arg = log.to_string_lossy().into_owned();
    let out = finish(browser(&["--log", &log_arg, &url]));
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("you can close this tab"));
    let visited = std::fs::read_to_string(&log).unwrap();
    let _ = std::fs::remove_file(&log);
    assert!(visited.contains("POST "), "{visited}");
    assert!(
        visited
            .lines()
            .last()
            .unwrap()
            .starts_with(&format!("GET http://127.0.0.1:{port}/callback?")),
        "{visited}"
    );

    let target = callback
        .recv_timeout(HANG)
        .expect("the callback was called");
    let params = query(&target);
    assert_eq!(params["state"], "st4te", "{target}");
    let code = &params["code"];
    let redirect = format!("http://127.0.0.1:{port}/callback");

    let token = post_form(
        &idp,
        "/token",
        &[],
        &[
            ("grant_type", "authorization_code"),
            ("client_id", OIDC_PUBLIC),
            ("code", code),
            ("redirect_uri", &redirect),
            ("code_verifier", verifier),
        ],
    );
    assert_eq!(token.status, 200, "{}", token.body);
    let token = token.json();
    let access = token["access_token"].as_str().unwrap();
    assert_eq!(jwt_claims(access)["sub"], OIDC_USER.0);
    assert_eq!(
        jwt_claims(token["id_token"].as_str().unwrap())["sub"],
        OIDC_USER.0
    );
    let bearer = format!("Bearer {access}");
    let api = get(&idp, "/test/api", &[("Authorization", &bearer)]);
    assert_eq!(api.status, 200, "{}", api.body);
    assert_eq!(api.json()["sub"], OIDC_USER.0);

    // The public client's refresh token rotates: the new one works, the old one is spent.
    let refresh = token["refresh_token"].as_str().unwrap();
    let refreshed = post_form(
        &idp,
        "/token",
        &[],
        &[
            ("grant_type", "refresh_token"),
            ("client_id", OIDC_PUBLIC),
            ("refresh_token", refresh),
        ],
    );
    assert_eq!(refreshed.status, 200, "{}", refreshed.body);
    let refreshed = refreshed.json();
    assert_ne!(refreshed["refresh_token"].as_str().unwrap(), refresh);
    assert_ne!(refreshed["access_token"].as_str().unwrap(), access);
    let spent = post_form(
        &idp,
        "/token",
        &[],
        &[
            ("grant_type", "refresh_token"),
            ("client_id", OIDC_PUBLIC),
            ("refresh_token", refresh),
        ],
    );
    assert_eq!(spent.json()["error"], "invalid_grant", "{}", spent.body);
    // The code is single-use, and using it again revokes what it gave (RFC 6749 section
    // 4.1.2): the rotated refresh token stops working too.
    let again = post_form(
        &idp,
        "/token",
        &[],
        &[
            ("grant_type", "authorization_code"),
            ("client_id", OIDC_PUBLIC),
            ("code", code),
            ("redirect_uri", &redirect),
            ("code_verifier", verifier),
        ],
    );
    assert_eq!(again.status, 400, "{}", again.body);
    assert_eq!(again.json()["error"], "invalid_grant");

    let revoked = post_form(
        &idp,
        "/token",
        &[],
        &[
            ("grant_type", "refresh_token"),
            ("client_id", OIDC_PUBLIC),
            (
                "refresh_token",
                refreshed["refresh_token"].as_str().unwrap(),
            ),
        ],
    );
    assert_eq!(revoked.json()["error"], "invalid_grant", "{}", revoked.body);
}

#[test]
fn a_confidential_client_keeps_its_refresh_token() {
    let idp = OidcProvider::start().unwrap();
    let (port, callback) = one_callback();
    let verifier = "another-verifier-0123456789-abcdefghijklmnopqrstuvwxyz-0123";
    let challenge = base64(&sha256(verifier.as_bytes()), true);
    let url = authorize_url(&idp, OIDC_CONFIDENTIAL.0, port, "s2", &challenge);
    let out = finish(browser(&[&url]));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let params = query(&callback.recv_timeout(HANG).unwrap());
    let redirect = format!("http://127.0.0.1:{port}/callback");
    let auth = basic(OIDC_CONFIDENTIAL);
    let token = post_form(
        &idp,
        "/token",
        &[("Authorization", &auth)],
        &[
            ("grant_type", "authorization_code"),
            ("code", &params["code"]),
            ("redirect_uri", &redirect),
            ("code_verifier", verifier),
        ],
    )
    .json();
    let refresh = token["refresh_token"].as_str().unwrap().to_string();
    for _ in 0..2 {
        let refreshed = post_form(
            &idp,
            "/token",
            &[("Authorization", &auth)],
            &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
        );
        assert_eq!(refreshed.status, 200, "{}", refreshed.body);
        assert_eq!(refreshed.json()["refresh_token"], refresh.as_str());
    }
}

#[test]
fn the_browser_reports_a_wrong_password_and_a_denied_consent() {
    let idp = OidcProvider::start().unwrap();
    let (port, callback) = one_callback();
    let challenge = base64(
        &sha256(b"verifier-for-the-denied-consent-test-0123456789abcdef"),
        true,
    );
    let url = authorize_url(&idp, OIDC_PUBLIC, port, "s3", &challenge);

    let out = finish(browser(&["--password", "not-the-password", &url]));
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("login was rejected"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = finish(browser(&["--deny", &url]));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let params = query(&callback.recv_timeout(HANG).unwrap());
    assert_eq!(params["error"], "access_denied");
    assert_eq!(params["state"], "s3");
}

#[test]
fn the_browser_completes_when_nobody_reads_its_output() {
    let idp = OidcProvider::start().unwrap();
    let (port, callback) = one_callback();
    let challenge = base64(
        &sha256(b"verifier-for-the-detached-browser-test-0123456789abc"),
        true,
    );
    let url = authorize_url(&idp, OIDC_PUBLIC, port, "s4", &challenge);
    let mut child = browser(&[&url]);
    // What an app that launches the browser and moves on leaves it: pipes no one reads.
    drop(child.stdout.take());
    drop(child.stderr.take());
    let params = query(
        &callback
            .recv_timeout(HANG)
            .expect("the callback was called"),
    );
    assert_eq!(params["state"], "s4");
    assert!(params.contains_key("code"), "{params:?}");
    let status = finish(child).status;
    assert!(status.success(), "{status}");
}
