//! The test OpenID provider (`tests/servers/oidc/`) and its scripted browser do what the OAuth
//! tests rely on: discovery, client credentials with both client auth methods, auth code + PKCE
//! through `test_browser.py` to a loopback callback, refresh, the device flow, a protected
//! resource that rejects expired tokens, and a login page that rejects a wrong password.
//! Needs `npm ci` in `tests/servers/oidc` (done by `scripts/setup.sh`) and `python3`.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;
use sextant_testkit::{
    test_browser, OidcOptions, OidcProvider, OIDC_CONFIDENTIAL, OIDC_POST, OIDC_PUBLIC, OIDC_USER,
};

/// A ceiling that only catches a hang.
const HANG: Duration = Duration::from_secs(60);

struct Response {
    status: u16,
    head: String,
    body: String,
}

impl Response {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.body))
    }

    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    }
}

/// One HTTP/1.1 request with `Connection: close`.
fn http(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Response {
    let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).expect("connect");
    stream.set_read_timeout(Some(HANG)).unwrap();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
         Content-Length: {}\r\n",
        body.len()
    );
    if !body.is_empty() {
        request.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
    }
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("a response head");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status code");
    Response {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

fn get(idp: &OidcProvider, path: &str, headers: &[(&str, &str)]) -> Response {
    http(idp.port(), "GET", path, headers, "")
}

fn post_form(
    idp: &OidcProvider,
    path: &str,
    headers: &[(&str, &str)],
    form: &[(&str, &str)],
) -> Response {
    let body = form
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&");
    http(idp.port(), "POST", path, headers, &body)
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64(bytes: &[u8], url_safe: bool) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            let c = B64[((n >> (18 - 6 * i)) & 63) as usize] as char;
            out.push(match (url_safe, c) {
                (true, '+') => '-',
                (true, '/') => '_',
                _ => c,
            });
        }
        if !url_safe {
            out.push_str(&"=".repeat(3 - chunk.len()));
        }
    }
    out
}

fn base64url_decode(text: &str) -> Vec<u8> {
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.bytes() {
        let c = match c {
            b'-' => b'+',
            b'_' => b'/',
            c => c,
        };
        let v = B64.iter().position(|&x| x == c).expect("base64url") as u32;
        bits = (bits << 6) | v;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

fn basic(client: (&str, &str)) -> String {
    format!(
        "Basic {}",
        base64(format!("{}:{}", client.0, client.1).as_bytes(), false)
    )
}

fn jwt_claims(token: &str) -> Value {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "not a JWS compact token: {token}");
    serde_json::from_slice(&base64url_decode(parts[1])).expect("JWT claims are JSON")
}

fn sha256(data: &[u8]) -> Vec<u8> {
    let rustls::SupportedCipherSuite::Tls13(suite) =
        rustls::crypto::ring::cipher_suite::TLS13_AES_128_GCM_SHA256
    else {
        unreachable!("a TLS 1.3 suite")
    };
    suite.common.hash_provider.hash(data).as_ref().to_vec()
}

/// A loopback "app" that takes one callback request, answers it, and hands back its target.
fn one_callback() -> (u16, mpsc::Receiver<String>) {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let Ok((stream, _)) = listener.accept() else {
            return;
        };
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let target = line.split(' ').nth(1).unwrap_or_default().to_string();
        let mut stream = reader.into_inner();
        let page = "<html><body><p>Signed in, you can close this tab.</p></body></html>";
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{page}",
            page.len()
        );
        let _ = tx.send(target);
    });
    (port, rx)
}

fn query(target: &str) -> HashMap<String, String> {
    let q = target.split_once('?').map(|(_, q)| q).unwrap_or_default();
    q.split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn browser(args: &[&str]) -> Child {
    Command::new(test_browser())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run test_browser.py")
}

/// Waits for the browser to exit (within the hang ceiling) and returns its output.
fn finish(mut child: Child) -> Output {
    let deadline = Instant::now() + HANG;
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "test_browser.py hangs");
        thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn authorize_url(
    idp: &OidcProvider,
    client: &str,
    port: u16,
    state: &str,
    challenge: &str,
) -> String {
    idp.url(&format!(
        "/auth?response_type=code&client_id={client}&redirect_uri={}&scope={}&state={state}\
         &code_challenge={challenge}&code_challenge_method=S256",
        enc(&format!("http://127.0.0.1:{port}/callback")),
        enc("openid profile email offline_access api:read"),
    ))
}

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
