//! Discovery, client credentials with both client auth methods, the protected API's checks of
//! a token, and the provider's shutdown.

use std::net::{Ipv4Addr, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use sextant_testkit::{OidcOptions, OidcProvider, OIDC_CONFIDENTIAL, OIDC_POST};

use crate::codec::{basic, jwt_claims};
use crate::http::{get, post_form};
use crate::HANG;

#[test]
fn discovery_lists_the_endpoints_and_s256() {
    let idp = OidcProvider::start().unwrap();
    assert!(idp.issuer().starts_with("http://127.0.0.1:"));
    assert!(!idp.issuer().ends_with('/'));
    let doc = get(&idp, "/.well-known/openid-configuration", &[]);
    assert_eq!(doc.status, 200, "{}", doc.body);
    let doc = doc.json();
    assert_eq!(doc["issuer"], idp.issuer());
    for (key, path) in [
        ("authorization_endpoint", "/auth"),
        ("token_endpoint", "/token"),
        ("device_authorization_endpoint", "/device/auth"),
        ("introspection_endpoint", "/token/introspection"),
        ("revocation_endpoint", "/token/revocation"),
        ("jwks_uri", "/jwks"),
    ] {
        assert_eq!(doc[key], idp.url(path), "{key}: {doc}");
    }
    assert!(
        doc["code_challenge_methods_supported"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == "S256"),
        "{doc}"
    );
    let scopes = doc["scopes_supported"].to_string();
    for scope in ["openid", "offline_access", "api:read", "api:write"] {
        assert!(scopes.contains(scope), "{scope} missing: {scopes}");
    }
}

#[test]
fn client_credentials_with_basic_and_post_give_a_jwt_for_the_api() {
    let idp = OidcProvider::start().unwrap();
    let basic_auth = basic(OIDC_CONFIDENTIAL);
    let by_basic = post_form(
        &idp,
        "/token",
        &[("Authorization", &basic_auth)],
        &[("grant_type", "client_credentials"), ("scope", "api:read")],
    );
    let by_post = post_form(
        &idp,
        "/token",
        &[],
        &[
            ("grant_type", "client_credentials"),
            ("client_id", OIDC_POST.0),
            ("client_secret", OIDC_POST.1),
            ("scope", "api:read api:write"),
        ],
    );
    for (response, client) in [(by_basic, OIDC_CONFIDENTIAL.0), (by_post, OIDC_POST.0)] {
        assert_eq!(response.status, 200, "{}", response.body);
        let token = response.json();
        assert_eq!(token["token_type"], "Bearer");
        assert_eq!(token["expires_in"], 3600);
        let access = token["access_token"].as_str().unwrap();
        let claims = jwt_claims(access);
        assert_eq!(claims["aud"], "urn:sextant:api", "{claims}");
        assert_eq!(claims["client_id"], client);
        assert_eq!(claims["iss"], idp.issuer());
        assert!(claims["exp"].as_u64().unwrap() > claims["iat"].as_u64().unwrap());
        assert!(claims["scope"].as_str().unwrap().contains("api:read"));

        let bearer = format!("Bearer {access}");
        let api = get(&idp, "/test/api", &[("Authorization", &bearer)]);
        assert_eq!(api.status, 200, "{}", api.body);
        assert_eq!(api.json()["client_id"], client);
    }

    let wrong = post_form(
        &idp,
        "/token",
        &[("Authorization", &basic((OIDC_CONFIDENTIAL.0, "wrong")))],
        &[("grant_type", "client_credentials")],
    );
    assert_eq!(wrong.status, 401, "{}", wrong.body);
    assert_eq!(wrong.json()["error"], "invalid_client");
}

#[test]
fn the_api_rejects_a_missing_forged_or_expired_token() {
    let idp = OidcProvider::start_with(OidcOptions {
        access_ttl: Some(1),
        ..OidcOptions::default()
    })
    .unwrap();
    let none = get(&idp, "/test/api", &[]);
    assert_eq!(none.status, 401);
    let forged = get(&idp, "/test/api", &[("Authorization", "Bearer a.b.c")]);
    assert_eq!(forged.status, 401);
    assert_eq!(
        forged.header("WWW-Authenticate").unwrap_or_default(),
        r#"Bearer error="invalid_token", error_description="token not valid""#
    );

    let token = post_form(
        &idp,
        "/token",
        &[("Authorization", &basic(OIDC_CONFIDENTIAL))],
        &[("grant_type", "client_credentials")],
    );
    assert_eq!(token.json()["expires_in"], 1, "{}", token.body);
    let bearer = format!("Bearer {}", token.json()["access_token"].as_str().unwrap());
    let deadline = Instant::now() + HANG;
    let expired = loop {
        let api = get(&idp, "/test/api", &[("Authorization", &bearer)]);
        if api.status != 200 {
            break api;
        }
        assert!(Instant::now() < deadline, "the token never expired");
        thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(expired.status, 401, "{}", expired.body);
    assert!(expired
        .header("WWW-Authenticate")
        .unwrap_or_default()
        .starts_with(r#"Bearer error="invalid_token""#));
}

#[test]
fn the_provider_stops_when_dropped() {
    let idp = OidcProvider::start().unwrap();
    let port = idp.port();
    drop(idp);
    let deadline = Instant::now() + HANG;
    while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok() {
        assert!(Instant::now() < deadline, "the provider still listens");
        thread::sleep(Duration::from_millis(50));
    }
}
