//! What a request inherits from its collection and folders: base URL, headers and auth, and how
//! auth is applied.

use sextant_model::{
    ApiKeyLocation, Auth, DigestAlgorithm, Environment, FolderSettings, HttpRequest, KeyValue,
    SavedRequest, Signing, Variable,
};
use sextant_template::{redact, resolve, Context, ResolveOptions};

const SEND: ResolveOptions = ResolveOptions {
    reveal_secrets: true,
};

fn with_base(base: Option<&str>) -> FolderSettings {
    FolderSettings {
        base_url: base.map(str::to_owned),
        ..FolderSettings::default()
    }
}

fn with_auth(auth: Auth) -> FolderSettings {
    FolderSettings {
        auth,
        ..FolderSettings::default()
    }
}

fn with_headers(headers: &[(&str, &str)]) -> FolderSettings {
    FolderSettings {
        headers: headers.iter().map(|(n, v)| KeyValue::new(*n, *v)).collect(),
        ..FolderSettings::default()
    }
}

fn send(req: &SavedRequest, chain: &[FolderSettings]) -> HttpRequest {
    let ctx = Context {
        chain,
        ..Context::default()
    };
    resolve(req, &ctx, &SEND).unwrap().request
}

fn url(request_url: &str, chain: &[FolderSettings]) -> String {
    send(
        &SavedRequest::new("r", HttpRequest::get(request_url)),
        chain,
    )
    .url
}

fn headers(req: &HttpRequest) -> Vec<(&str, &str)> {
    req.headers
        .iter()
        .map(|h| (h.name.as_str(), h.value.as_str()))
        .collect()
}

#[test]
fn base_url_joins_with_exactly_one_slash() {
    for base in ["http://h/api", "http://h/api/", "http://h/api//"] {
        let chain = [with_base(Some(base))];
        assert_eq!(url("users", &chain), "http://h/api/users", "{base}");
        assert_eq!(url("/users", &chain), "http://h/api/users", "{base}");
    }
}

#[test]
fn base_url_skips_absolute_and_templated_urls() {
    let chain = [with_base(Some("http://base"))];
    assert_eq!(url("https://other/x", &chain), "https://other/x");
    assert_eq!(url("ws://other/x", &chain), "ws://other/x");
    let mut req = SavedRequest::new("r", HttpRequest::get("{{host}}/x"));
    req.variables = vec![Variable::new("host", "http://var")];
    assert_eq!(send(&req, &chain).url, "http://var/x");
}

#[test]
fn innermost_non_empty_base_url_wins_and_is_templated() {
    let env = Environment {
        name: "e".into(),
        variables: vec![Variable::new("port", "8080")],
    };
    let chain = [
        with_base(Some("http://outer")),
        with_base(Some("http://inner:{{port}}")),
        with_base(Some("")),
        with_base(None),
    ];
    let ctx = Context {
        chain: &chain,
        environment: Some(&env),
        ..Context::default()
    };
    let req = SavedRequest::new("r", HttpRequest::get("items"));
    assert_eq!(
        resolve(&req, &ctx, &SEND).unwrap().request.url,
        "http://inner:8080/items"
    );
    assert_eq!(url("items", &chain[..1]), "http://outer/items");
    assert_eq!(url("items", &[]), "items");
}

#[test]
fn headers_inherit_in_order_and_inner_names_replace_outer_ones() {
    let chain = [
        with_headers(&[("Accept", "text/plain"), ("X-Outer", "1"), ("X-Team", "a")]),
        with_headers(&[("x-team", "b"), ("X-Inner", "2")]),
    ];
    let mut req = SavedRequest::new("r", HttpRequest::get("http://h/"));
    let mut disabled = KeyValue::new("X-Outer", "ignored");
    disabled.enabled = false;
    req.request.headers = vec![
        KeyValue::new("ACCEPT", "application/json"),
        KeyValue::new("X-Multi", "1"),
        KeyValue::new("X-Multi", "2"),
        disabled,
    ];
    assert_eq!(
        headers(&send(&req, &chain)),
        [
            ("X-Outer", "1"),
            ("x-team", "b"),
            ("X-Inner", "2"),
            ("ACCEPT", "application/json"),
            ("X-Multi", "1"),
            ("X-Multi", "2"),
        ]
    );
}

#[test]
fn auth_inherits_from_the_innermost_folder_that_sets_one() {
    let basic = Auth::Basic {
        username: "u".into(),
        password: "p".into(),
    };
    let bearer = Auth::Bearer { token: "t".into() };
    let req = SavedRequest::new("r", HttpRequest::get("http://h/"));

    let chain = [
        with_auth(basic.clone()),
        with_auth(bearer),
        with_auth(Auth::Inherit),
    ];
    assert_eq!(
        headers(&send(&req, &chain)),
        [("Authorization", "Bearer t")]
    );

    let chain = [
        with_auth(basic),
        with_auth(Auth::None),
        with_auth(Auth::Inherit),
    ];
    assert!(send(&req, &chain).headers.is_empty(), "None stops the walk");

    let chain = [with_auth(Auth::Inherit), with_auth(Auth::Inherit)];
    assert!(
        send(&req, &chain).headers.is_empty(),
        "all inherit: no auth"
    );

    let mut own = req.clone();
    own.auth = Auth::Bearer {
        token: "mine".into(),
    };
    let chain = [with_auth(Auth::Bearer {
        token: "folder".into(),
    })];
    assert_eq!(
        headers(&send(&own, &chain)),
        [("Authorization", "Bearer mine")]
    );
}

#[test]
fn each_auth_kind_is_applied() {
    let mut req = SavedRequest::new("r", HttpRequest::get("http://h/"));
    req.variables = vec![Variable::new("user", "aladdin")];

    req.auth = Auth::Basic {
        username: "{{user}}".into(),
        password: "open sesame".into(),
    };
    assert_eq!(
        headers(&send(&req, &[])),
        [("Authorization", "Basic YWxhZGRpbjpvcGVuIHNlc2FtZQ==")]
    );

    req.auth = Auth::ApiKey {
        name: "X-Api-Key".into(),
        value: "k-{{user}}".into(),
        location: ApiKeyLocation::Header,
    };
    assert_eq!(headers(&send(&req, &[])), [("X-Api-Key", "k-aladdin")]);

    req.auth = Auth::ApiKey {
        name: "api_key".into(),
        value: "k".into(),
        location: ApiKeyLocation::Query,
    };
    req.request.query = vec![KeyValue::new("page", "1")];
    let sent = send(&req, &[]);
    assert!(sent.headers.is_empty());
    assert_eq!(
        sent.query,
        [KeyValue::new("page", "1"), KeyValue::new("api_key", "k")]
    );
}

#[test]
fn an_api_key_cookie_joins_the_cookie_header() {
    let mut req = SavedRequest::new("r", HttpRequest::get("http://h/"));
    req.variables = vec![Variable::new("sid", "abc")];
    req.auth = Auth::ApiKey {
        name: "session".into(),
        value: "{{sid}}".into(),
        location: ApiKeyLocation::Cookie,
    };
    let sent = send(&req, &[]);
    assert_eq!(headers(&sent), [("Cookie", "session=abc")]);
    assert_eq!(sent.credentials, ["Cookie"]);

    req.request.headers = vec![KeyValue::new("cookie", "theme=dark")];
    let sent = send(&req, &[]);
    assert_eq!(headers(&sent), [("cookie", "theme=dark; session=abc")]);
    assert_eq!(sent.credentials, ["cookie"]);

    req.request.headers = vec![KeyValue::new("Cookie", "session=mine")];
    assert_eq!(headers(&send(&req, &[])), [("Cookie", "session=mine")]);
}

#[test]
fn digest_and_sigv4_resolve_into_signing_and_add_no_row() {
    let mut req = SavedRequest::new("r", HttpRequest::get("http://h/"));
    req.variables = vec![Variable::new("user", "ann"), Variable::new("pw", "s3")];
    let chain = [with_auth(Auth::Digest {
        username: "{{user}}".into(),
        password: "{{pw}}".into(),
        algorithm: DigestAlgorithm::Sha256,
    })];
    let sent = send(&req, &chain);
    assert!(sent.headers.is_empty());
    assert_eq!(
        sent.signing,
        Some(Signing::Digest {
            username: "ann".into(),
            password: "s3".into(),
            algorithm: DigestAlgorithm::Sha256,
        })
    );

    req.auth = Auth::AwsSigV4 {
        access_key: "{{user}}".into(),
        secret_key: "{{pw}}".into(),
        session_token: String::new(),
        region: "us-east-1".into(),
        service: "s3".into(),
    };
    let sent = send(&req, &chain);
    assert!(sent.headers.is_empty());
    assert_eq!(
        sent.signing,
        Some(Signing::AwsSigV4 {
            access_key: "ann".into(),
            secret_key: "s3".into(),
            session_token: String::new(),
            region: "us-east-1".into(),
            service: "s3".into(),
        })
    );

    req.request.headers = vec![KeyValue::new("Authorization", "Custom x")];
    assert_eq!(send(&req, &chain).signing, None);
}

#[test]
fn an_explicit_header_or_query_row_wins_over_auth() {
    let mut req = SavedRequest::new("r", HttpRequest::get("http://h/"));
    req.request.headers = vec![KeyValue::new("authorization", "Custom x")];
    let chain = [with_auth(Auth::Bearer {
        token: "{{never_defined}}".into(),
    })];
    assert_eq!(
        headers(&send(&req, &chain)),
        [("authorization", "Custom x")]
    );

    req.request.headers[0].enabled = false;
    req.auth = Auth::Bearer { token: "t".into() };
    assert_eq!(headers(&send(&req, &[])), [("Authorization", "Bearer t")]);

    req.auth = Auth::ApiKey {
        name: "key".into(),
        value: "from-auth".into(),
        location: ApiKeyLocation::Query,
    };
    req.request.query = vec![KeyValue::new("key", "explicit")];
    assert_eq!(send(&req, &[]).query, [KeyValue::new("key", "explicit")]);
}

#[test]
fn basic_credentials_built_from_secrets_are_listed_for_redaction() {
    let env = Environment {
        name: "e".into(),
        variables: vec![Variable::secret("pass", "hunter22")],
    };
    let ctx = Context {
        environment: Some(&env),
        ..Context::default()
    };
    let mut req = SavedRequest::new("r", HttpRequest::get("http://h/"));
    req.auth = Auth::Basic {
        username: "me".into(),
        password: "{{pass}}".into(),
    };
    let resolved = resolve(&req, &ctx, &SEND).unwrap();
    let header = &resolved.request.headers[0].value;
    assert_eq!(header, "Basic bWU6aHVudGVyMjI=");
    assert_eq!(redact(header, &resolved.secret_values), "Basic •••");

    let hidden = resolve(&req, &ctx, &ResolveOptions::default()).unwrap();
    assert!(hidden.secret_values.is_empty());
}
