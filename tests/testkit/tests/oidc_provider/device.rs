//! The device flow: completion through the scripted browser, `slow_down` for polling too fast,
//! and expiry of a code nobody uses.

use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;
use sextant_testkit::{OidcOptions, OidcProvider, OIDC_CONFIDENTIAL, OIDC_PUBLIC, OIDC_USER};

use crate::browser::{browser, finish};
use crate::codec::{basic, jwt_claims};
use crate::http::{post_form, Response};
use crate::HANG;

#[test]
fn the_device_flow_completes_through_the_test_browser() {
    let idp = OidcProvider::start().unwrap();
    let start = device_start(&idp);
    let device_code = start["device_code"].as_str().unwrap();
    assert_eq!(
        device_poll(&idp, device_code).json()["error"],
        "authorization_pending"
    );

    let out = finish(browser(&[
        "--device-code",
        start["user_code"].as_str().unwrap(),
        start["verification_uri"].as_str().unwrap(),
    ]));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Sign-in Success"));

    let token = device_poll(&idp, device_code);
    assert_eq!(token.status, 200, "{}", token.body);
    let token = token.json();
    assert_eq!(
        jwt_claims(token["access_token"].as_str().unwrap())["sub"],
        OIDC_USER.0
    );
    assert!(token["refresh_token"].is_string(), "{token}");
}

fn device_start(idp: &OidcProvider) -> Value {
    let start = post_form(
        idp,
        "/device/auth",
        &[],
        &[("client_id", OIDC_PUBLIC), ("scope", "openid api:read")],
    );
    assert_eq!(start.status, 200, "{}", start.body);
    start.json()
}

fn device_poll(idp: &OidcProvider, device_code: &str) -> Response {
    post_form(
        idp,
        "/token",
        &[],
        &[
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("client_id", OIDC_PUBLIC),
            ("device_code", device_code),
        ],
    )
}

#[test]
fn polling_a_device_code_too_fast_gets_slow_down() {
    let idp = OidcProvider::start_with(OidcOptions {
        device_interval: Some(30),
        ..OidcOptions::default()
    })
    .unwrap();
    let start = device_start(&idp);
    assert_eq!(start["interval"], 30, "{start}");
    let code = start["device_code"].as_str().unwrap();
    assert_eq!(
        device_poll(&idp, code).json()["error"],
        "authorization_pending"
    );
    let again = device_poll(&idp, code);
    assert_eq!(again.status, 400, "{}", again.body);
    assert_eq!(again.json()["error"], "slow_down");
    // Other grants at the token endpoint are untouched.
    let cc = post_form(
        &idp,
        "/token",
        &[("Authorization", &basic(OIDC_CONFIDENTIAL))],
        &[("grant_type", "client_credentials")],
    );
    assert_eq!(cc.status, 200, "{}", cc.body);
}

#[test]
fn an_unused_device_code_expires() {
    let idp = OidcProvider::start_with(OidcOptions {
        device_ttl: Some(1),
        ..OidcOptions::default()
    })
    .unwrap();
    let start = device_start(&idp);
    assert_eq!(start["expires_in"], 1, "{start}");
    assert!(start.get("interval").is_none(), "{start}");
    let code = start["device_code"].as_str().unwrap();
    let deadline = Instant::now() + HANG;
    let expired = loop {
        let answer = device_poll(&idp, code).json();
        if answer["error"] != "authorization_pending" {
            break answer;
        }
        assert!(Instant::now() < deadline, "the device code never expired");
        thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(expired["error"], "expired_token", "{expired}");
}
