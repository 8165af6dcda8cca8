//! Security schemes that need more than a header row, prefilled as auth for a saved request:
//! every OAuth 2.0 flow (3.1 and Swagger 2.0), OpenID Connect, a cookie API key and digest.

use sextant_model::{
    ApiKeyLocation, Auth, DigestAlgorithm, OAuth2Config, OAuth2Grant, PkceMethod, Variable,
};
use sextant_openapi::{parse_str, request_for, ApiSpec, TryItOptions, TryItRequest};

fn spec(text: &str) -> ApiSpec {
    parse_str(text).unwrap_or_else(|err| panic!("inline document: {err}\n{text}"))
}

/// [`FLOWS_31`] with only the `keep` schemes and the operations that use them: credentials are
/// numbered by a scheme's place among those of its kind, so each test declares what it needs.
fn flows(keep: &[&str]) -> ApiSpec {
    let mut doc: serde_json::Value = serde_json::from_str(FLOWS_31).unwrap();
    doc["components"]["securitySchemes"]
        .as_object_mut()
        .unwrap()
        .retain(|name, _| keep.contains(&name.as_str()));
    doc["paths"].as_object_mut().unwrap().retain(|_, item| {
        item["get"]["security"][0]
            .as_object()
            .unwrap()
            .keys()
            .all(|name| keep.contains(&name.as_str()))
    });
    spec(&doc.to_string())
}

fn try_auth(spec: &ApiSpec, id: &str) -> TryItRequest {
    let op = spec
        .operations
        .iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"));
    let options = TryItOptions {
        credentials_as_auth: true,
        ..TryItOptions::default()
    };
    request_for(spec, op, &options)
}

fn oauth(tried: &TryItRequest) -> &OAuth2Config {
    match &tried.auth {
        Some(Auth::OAuth2(config)) => config,
        other => panic!("not OAuth 2.0: {other:?} ({:?})", tried.notes),
    }
}

fn secret(name: &str) -> Variable {
    Variable {
        secret: true,
        ..Variable::new(name, "")
    }
}

fn notes_mention(tried: &TryItRequest, text: &str) -> bool {
    tried.notes.iter().any(|n| n.contains(text))
}

const FLOWS_31: &str = r#"{
  "openapi": "3.1.0",
  "info": {"title": "flows", "version": "1"},
  "servers": [{"url": "https://api.example/v1"}],
  "components": {"securitySchemes": {
    "code": {"type": "oauth2", "flows": {"authorizationCode": {
      "authorizationUrl": "https://idp.example/authorize", "tokenUrl": "https://idp.example/token",
      "refreshUrl": "https://idp.example/refresh",
      "scopes": {"read": "Read", "write": "Write"}}}},
    "machine": {"type": "oauth2", "flows": {"clientCredentials": {
      "tokenUrl": "/oauth/token", "scopes": {"jobs:run": "Run", "jobs:read": "Read"}}}},
    "login": {"type": "oauth2", "flows": {"password": {"tokenUrl": "token", "scopes": {}}}},
    "legacy": {"type": "oauth2", "flows": {"implicit": {
      "authorizationUrl": "https://idp.example/authorize", "scopes": {"read": "Read"}}}},
    "every": {"type": "oauth2", "flows": {
      "implicit": {"authorizationUrl": "https://idp.example/i", "scopes": {}},
      "password": {"tokenUrl": "https://idp.example/p", "scopes": {}},
      "clientCredentials": {"tokenUrl": "https://idp.example/c", "scopes": {}},
      "authorizationCode": {"authorizationUrl": "https://idp.example/a",
                            "tokenUrl": "https://idp.example/t", "scopes": {}}}},
    "oidc": {"type": "openIdConnect",
             "openIdConnectUrl": "https://idp.example/realms/demo/.well-known/openid-configuration"},
    "session": {"type": "apiKey", "in": "cookie", "name": "session"},
    "dig": {"type": "http", "scheme": "digest"}
  }},
  "paths": {
    "/code": {"get": {"operationId": "code", "security": [{"code": ["read"]}],
                      "responses": {"200": {"description": "ok"}}}},
    "/machine": {"get": {"operationId": "machine", "security": [{"machine": []}],
                         "responses": {"200": {"description": "ok"}}}},
    "/login": {"get": {"operationId": "login", "security": [{"login": []}],
                       "responses": {"200": {"description": "ok"}}}},
    "/legacy": {"get": {"operationId": "legacy", "security": [{"legacy": []}],
                        "responses": {"200": {"description": "ok"}}}},
    "/every": {"get": {"operationId": "every", "security": [{"every": []}],
                       "responses": {"200": {"description": "ok"}}}},
    "/oidc": {"get": {"operationId": "oidc", "security": [{"oidc": []}],
                      "responses": {"200": {"description": "ok"}}}},
    "/oidc-scoped": {"get": {"operationId": "oidcScoped",
                             "security": [{"oidc": ["openid", "profile"]}],
                             "responses": {"200": {"description": "ok"}}}},
    "/session": {"get": {"operationId": "session", "security": [{"session": []}],
                         "responses": {"200": {"description": "ok"}}}},
    "/dig": {"get": {"operationId": "dig", "security": [{"dig": []}],
                     "responses": {"200": {"description": "ok"}}}}
  }
}"#;

#[test]
fn an_authorization_code_flow_becomes_pkce_sign_in_with_the_operations_scopes() {
    let spec = flows(&["code"]);
    let tried = try_auth(&spec, "code");
    assert_eq!(
        *oauth(&tried),
        OAuth2Config {
            grant: OAuth2Grant::AuthorizationCode,
            pkce: PkceMethod::S256,
            authorization_url: "https://idp.example/authorize".into(),
            token_url: "https://idp.example/token".into(),
            client_id: "{{clientId}}".into(),
            client_secret: "{{clientSecret}}".into(),
            scopes: vec!["read".into()],
            ..OAuth2Config::default()
        }
    );
    assert_eq!(
        tried.variables,
        [Variable::new("clientId", ""), secret("clientSecret")]
    );
    assert!(tried.request.headers.is_empty(), "the token is the auth's");
}

#[test]
fn client_credentials_take_every_scope_of_the_flow_and_a_server_relative_token_url() {
    let spec = flows(&["machine"]);
    let tried = try_auth(&spec, "machine");
    let config = oauth(&tried);
    assert_eq!(config.grant, OAuth2Grant::ClientCredentials);
    assert_eq!(config.token_url, "https://api.example/oauth/token");
    assert_eq!(config.scopes, ["jobs:run", "jobs:read"]);
    assert_eq!(config.client_secret, "{{clientSecret}}");
}

#[test]
fn a_password_flow_asks_for_the_user_and_resolves_its_token_url_under_the_server() {
    let spec = flows(&["login"]);
    let tried = try_auth(&spec, "login");
    let config = oauth(&tried);
    assert_eq!(config.grant, OAuth2Grant::Password);
    assert_eq!(config.token_url, "https://api.example/v1/token");
    assert_eq!(
        (config.username.as_str(), config.password.as_str()),
        ("{{username}}", "{{password}}")
    );
    assert!(config.scopes.is_empty());
    assert_eq!(
        tried.variables,
        [
            Variable::new("clientId", ""),
            secret("username"),
            secret("password")
        ]
    );

    // Without any server address, the relative URL stays and a note says so.
    let bare = spec_without_servers();
    let tried = try_auth(&bare, "login");
    assert_eq!(oauth(&tried).token_url, "token");
    assert!(notes_mention(&tried, "is relative"), "{:?}", tried.notes);
}

fn spec_without_servers() -> ApiSpec {
    let mut spec = flows(&["login"]);
    spec.servers.clear();
    spec
}

#[test]
fn implicit_is_set_up_with_a_warning_and_authorization_code_wins_among_several() {
    let spec = flows(&["legacy", "every"]);
    let tried = try_auth(&spec, "legacy");
    assert_eq!(oauth(&tried).grant, OAuth2Grant::Implicit);
    assert_eq!(
        oauth(&tried).authorization_url,
        "https://idp.example/authorize"
    );
    assert!(notes_mention(&tried, "RFC 9700"), "{:?}", tried.notes);

    let tried = try_auth(&spec, "every");
    let config = oauth(&tried);
    assert_eq!(config.grant, OAuth2Grant::AuthorizationCode);
    assert_eq!(config.token_url, "https://idp.example/t");
    assert!(
        notes_mention(&tried, "authorization code flow"),
        "{:?}",
        tried.notes
    );
}

#[test]
fn openid_connect_discovers_from_the_issuer() {
    let spec = flows(&["oidc"]);
    let tried = try_auth(&spec, "oidc");
    assert_eq!(
        *oauth(&tried),
        OAuth2Config {
            grant: OAuth2Grant::AuthorizationCode,
            pkce: PkceMethod::S256,
            issuer: "https://idp.example/realms/demo".into(),
            client_id: "{{clientId}}".into(),
            client_secret: "{{clientSecret}}".into(),
            scopes: vec!["openid".into()],
            ..OAuth2Config::default()
        }
    );
    let tried = try_auth(&spec, "oidcScoped");
    assert_eq!(oauth(&tried).scopes, ["openid", "profile"]);
}

#[test]
fn a_cookie_api_key_and_digest_become_their_auth() {
    let spec = flows(&["session", "dig"]);
    let tried = try_auth(&spec, "session");
    assert_eq!(
        tried.auth,
        Some(Auth::ApiKey {
            name: "session".into(),
            value: "{{apiKey}}".into(),
            location: ApiKeyLocation::Cookie,
        })
    );
    assert!(tried.request.headers.is_empty());

    let tried = try_auth(&spec, "dig");
    assert_eq!(
        tried.auth,
        Some(Auth::Digest {
            username: "{{username}}".into(),
            password: "{{password}}".into(),
            algorithm: DigestAlgorithm::Auto,
        })
    );
    assert_eq!(tried.variables, [secret("username"), secret("password")]);
}

#[test]
fn swagger_2_flows_map_to_the_same_grants() {
    let spec = spec(
        r#"{"swagger": "2.0", "info": {"title": "s", "version": "1"},
            "host": "api.example", "basePath": "/v2", "schemes": ["https"],
            "securityDefinitions": {
              "code": {"type": "oauth2", "flow": "accessCode",
                       "authorizationUrl": "https://idp.example/auth",
                       "tokenUrl": "https://idp.example/token",
                       "scopes": {"pets:read": "Read pets"}},
              "app": {"type": "oauth2", "flow": "application", "tokenUrl": "/token",
                      "scopes": {}},
              "pw": {"type": "oauth2", "flow": "password", "tokenUrl": "token", "scopes": {}},
              "imp": {"type": "oauth2", "flow": "implicit",
                      "authorizationUrl": "https://idp.example/auth", "scopes": {}}},
            "paths": {
              "/a": {"get": {"operationId": "a", "security": [{"code": []}],
                             "responses": {"200": {"description": "ok"}}}},
              "/b": {"get": {"operationId": "b", "security": [{"app": []}],
                             "responses": {"200": {"description": "ok"}}}},
              "/c": {"get": {"operationId": "c", "security": [{"pw": []}],
                             "responses": {"200": {"description": "ok"}}}},
              "/d": {"get": {"operationId": "d", "security": [{"imp": []}],
                             "responses": {"200": {"description": "ok"}}}}}}"#,
    );
    let tried = try_auth(&spec, "a");
    let config = oauth(&tried);
    assert_eq!(config.grant, OAuth2Grant::AuthorizationCode);
    assert_eq!(config.authorization_url, "https://idp.example/auth");
    assert_eq!(config.scopes, ["pets:read"]);
    let tried = try_auth(&spec, "b");
    assert_eq!(oauth(&tried).grant, OAuth2Grant::ClientCredentials);
    assert_eq!(oauth(&tried).token_url, "https://api.example/token");
    let tried = try_auth(&spec, "c");
    assert_eq!(oauth(&tried).grant, OAuth2Grant::Password);
    assert_eq!(oauth(&tried).token_url, "https://api.example/v2/token");
    let tried = try_auth(&spec, "d");
    assert_eq!(oauth(&tried).grant, OAuth2Grant::Implicit);
}

#[test]
fn two_oauth_schemes_get_numbered_variables() {
    let mut doc: serde_json::Value = serde_json::from_str(FLOWS_31).unwrap();
    doc["paths"]["/code"]["get"]["security"][0]["machine"] = serde_json::json!([]);
    let spec = spec(&doc.to_string());
    let tried = try_auth(&spec, "code");
    assert_eq!(oauth(&tried).client_id, "{{clientId}}");
    assert!(
        notes_mention(&tried, "only the first is set"),
        "{:?}",
        tried.notes
    );
    let tried = try_auth(&spec, "machine");
    assert_eq!(oauth(&tried).client_id, "{{clientId2}}");
    assert_eq!(oauth(&tried).client_secret, "{{clientSecret2}}");
}

#[test]
fn an_openapi_3_2_device_authorization_flow_becomes_the_device_grant() {
    let spec = spec(
        r#"{"openapi": "3.2.0", "info": {"title": "tv", "version": "1"},
            "servers": [{"url": "https://tv.example"}],
            "components": {"securitySchemes": {"tv": {"type": "oauth2", "flows": {
              "deviceAuthorization": {"deviceAuthorizationUrl": "/device",
                                      "tokenUrl": "/token", "scopes": {"watch": "Watch"}},
              "implicit": {"authorizationUrl": "/authorize", "scopes": {}}}}}},
            "paths": {"/shows": {"get": {"operationId": "shows", "security": [{"tv": []}],
                                         "responses": {"200": {"description": "ok"}}}}}}"#,
    );
    let tried = try_auth(&spec, "shows");
    let config = oauth(&tried);
    assert_eq!(
        config.grant,
        OAuth2Grant::DeviceCode,
        "preferred to implicit"
    );
    assert_eq!(config.device_authorization_url, "https://tv.example/device");
    assert_eq!(config.token_url, "https://tv.example/token");
    assert_eq!(config.scopes, ["watch"]);
    assert_eq!(config.client_secret, "", "a device is a public client");
}
