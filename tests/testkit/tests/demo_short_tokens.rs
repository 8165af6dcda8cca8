//! The FastAPI demo's short-lived tokens, which the OAuth refresh tests rely on: the password
//! login at `/auth/token` takes only alice / wonderland, its JWT really expires (after
//! `DEMO_TOKEN_TTL`, 3 s by default) and `/auth/me` then answers 401 `invalid_token`, and a
//! refresh token gives a new pair once. The older `POST /token` keeps accepting anyone.
//! Needs the venv: run `scripts/setup-python.sh` first.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;
use sextant_testkit::PyServer;

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

fn http(port: u16, method: &str, path: &str, bearer: Option<&str>, form: &str) -> Response {
    let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).expect("connect");
    stream.set_read_timeout(Some(HANG)).unwrap();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
         Content-Length: {}\r\n",
        form.len()
    );
    if !form.is_empty() {
        request.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
    }
    if let Some(token) = bearer {
        request.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(form);
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

fn me(api: &PyServer, token: &str) -> Response {
    http(api.port(), "GET", "/auth/me", Some(token), "")
}

fn token(api: &PyServer, form: &str) -> Response {
    http(api.port(), "POST", "/auth/token", None, form)
}

#[test]
fn a_password_token_expires_and_a_refresh_token_renews_it_once() {
    let api = PyServer::shared_demo_api();

    let wrong = token(api, "username=alice&password=nope");
    assert_eq!(wrong.status, 401, "{}", wrong.body);
    assert_eq!(wrong.json()["error"], "invalid_grant");
    assert_eq!(token(api, "username=bob&password=wonderland").status, 401);

    let login = token(
        api,
        "grant_type=password&username=alice&password=wonderland",
    );
    assert_eq!(login.status, 200, "{}", login.body);
    let login = login.json();
    assert_eq!(login["token_type"], "bearer");
    assert_eq!(login["expires_in"], 3);
    let access = login["access_token"].as_str().unwrap();
    assert_eq!(access.split('.').count(), 3, "a JWT: {access}");
    let refresh = login["refresh_token"].as_str().unwrap();

    let first = me(api, access);
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.json()["username"], "alice");

    let deadline = Instant::now() + HANG;
    let expired = loop {
        let answer = me(api, access);
        if answer.status != 200 {
            break answer;
        }
        assert!(Instant::now() < deadline, "the token never expired");
        thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(expired.status, 401, "{}", expired.body);
    assert_eq!(
        expired.header("www-authenticate").unwrap_or_default(),
        r#"Bearer error="invalid_token", error_description="token expired""#
    );

    let renewed = token(
        api,
        &format!("grant_type=refresh_token&refresh_token={refresh}"),
    );
    assert_eq!(renewed.status, 200, "{}", renewed.body);
    let renewed = renewed.json();
    let new_access = renewed["access_token"].as_str().unwrap();
    assert_ne!(new_access, access);
    assert_ne!(renewed["refresh_token"].as_str().unwrap(), refresh);
    assert_eq!(me(api, new_access).status, 200);

    let reused = token(
        api,
        &format!("grant_type=refresh_token&refresh_token={refresh}"),
    );
    assert_eq!(reused.status, 400, "{}", reused.body);
    assert_eq!(reused.json()["error"], "invalid_grant");
    let unknown = token(api, "grant_type=refresh_token&refresh_token=never-issued");
    assert_eq!(unknown.json()["error"], "invalid_grant");
}

#[test]
fn auth_me_rejects_a_missing_or_forged_token() {
    let api = PyServer::shared_demo_api();
    let none = http(api.port(), "GET", "/auth/me", None, "");
    assert_eq!(none.status, 401);
    assert_eq!(none.header("www-authenticate").as_deref(), Some("Bearer"));
    let login = token(api, "username=alice&password=wonderland").json();
    let access = login["access_token"].as_str().unwrap();
    let (signed, _) = access.rsplit_once('.').unwrap();
    let forged = me(api, &format!("{signed}.AAAA"));
    assert_eq!(forged.status, 401);
    assert!(forged
        .header("www-authenticate")
        .unwrap_or_default()
        .starts_with(r#"Bearer error="invalid_token""#));
}

#[test]
fn the_old_token_endpoint_still_takes_anyone_and_the_spec_names_the_password_flow() {
    let api = PyServer::shared_demo_api();
    let old = http(
        api.port(),
        "POST",
        "/token",
        None,
        "username=zed&password=x",
    );
    assert_eq!(old.status, 200, "{}", old.body);
    assert_eq!(old.json()["access_token"], "token-zed");

    let spec = http(api.port(), "GET", "/openapi.json", None, "").json();
    let flow = &spec["components"]["securitySchemes"]["DemoPassword"]["flows"]["password"];
    assert_eq!(flow["tokenUrl"], "/auth/token", "{spec}");
    assert_eq!(flow["refreshUrl"], "/auth/token");
    assert!(spec["paths"].get("/auth/me").is_none());
}
