//! Writing collections and environments as Postman v2.1 files. Secret values are written empty
//! unless the caller asks for them: a shared export must not leak credentials.

use serde_json::{json, Map, Value};
use sextant_model::{
    ApiKeyLocation, Auth, Collection, CollectionItem, DigestAlgorithm, Environment, Folder,
    FolderSettings, HttpRequest, KeyValue, OAuth2Grant, PartValue, PkceMethod, RequestBody,
    RequestSettings, SavedRequest, Variable,
};

use super::script::{describe, to_script_line};
use super::shared::{language_of, SCHEMA_V21};
use super::ExportOptions;
use crate::text::query_escape;
use crate::warning::{join_path, Warnings};
use crate::Exported;

/// The collection as a Postman v2.1 file, pretty-printed. What Postman cannot hold (base URLs,
/// folder headers, captures, environments, timeouts) is listed in the warnings.
pub fn export_postman(collection: &Collection, options: &ExportOptions) -> Exported {
    let mut ctx = Ctx {
        options: *options,
        w: Warnings::default(),
    };
    let here = collection.name.as_str();
    let mut doc = Map::new();
    doc.insert(
        "info".into(),
        json!({ "name": collection.name, "schema": SCHEMA_V21 }),
    );
    doc.insert(
        "item".into(),
        Value::Array(ctx.items(&collection.items, "")),
    );
    ctx.settings(&collection.settings, here, &mut doc);
    if !collection.environments.is_empty() {
        ctx.w.push(
            here,
            format!(
                "{} environments are not part of a Postman collection; export them as environment files",
                collection.environments.len()
            ),
        );
    }
    Exported {
        text: serde_json::to_string_pretty(&Value::Object(doc)).unwrap_or_default(),
        warnings: ctx.w.0,
    }
}

/// The environment as a Postman environment file.
pub fn export_postman_environment(env: &Environment, options: &ExportOptions) -> Exported {
    let mut ctx = Ctx {
        options: *options,
        w: Warnings::default(),
    };
    let values: Vec<Value> = env
        .variables
        .iter()
        .map(|v| {
            json!({
                "key": v.name,
                "value": ctx.variable_value(v, &env.name),
                "type": if v.secret { "secret" } else { "default" },
                "enabled": v.enabled,
            })
        })
        .collect();
    let doc = json!({
        "name": env.name,
        "values": values,
        "_postman_variable_scope": "environment",
    });
    Exported {
        text: serde_json::to_string_pretty(&doc).unwrap_or_default(),
        warnings: ctx.w.0,
    }
}

struct Ctx {
    options: ExportOptions,
    w: Warnings,
}

impl Ctx {
    fn items(&mut self, items: &[CollectionItem], parent: &str) -> Vec<Value> {
        items
            .iter()
            .map(|item| match item {
                CollectionItem::Folder(f) => self.folder(f, &join_path(parent, &f.name)),
                CollectionItem::Request(r) => self.request(r, &join_path(parent, &r.name)),
            })
            .collect()
    }

    fn folder(&mut self, folder: &Folder, path: &str) -> Value {
        let mut out = Map::new();
        out.insert("name".into(), json!(folder.name));
        out.insert("item".into(), Value::Array(self.items(&folder.items, path)));
        self.settings(&folder.settings, path, &mut out);
        Value::Object(out)
    }

    /// Auth and variables of a collection or folder; base URL and headers have no place.
    fn settings(&mut self, settings: &FolderSettings, path: &str, out: &mut Map<String, Value>) {
        if let Some(base) = &settings.base_url {
            self.w.push(
                path,
                format!("the base URL {base:?} has no Postman equivalent; not exported"),
            );
        }
        if !settings.headers.is_empty() {
            self.w.push(
                path,
                "shared headers have no Postman equivalent; not exported",
            );
        }
        if let Some(auth) = self.auth(&settings.auth, path) {
            out.insert("auth".into(), auth);
        }
        if !settings.variables.is_empty() {
            out.insert("variable".into(), self.variables(&settings.variables, path));
        }
    }

    fn request(&mut self, saved: &SavedRequest, path: &str) -> Value {
        let req = &saved.request;
        let mut headers: Vec<Value> = req.headers.iter().map(header).collect();
        let mut request = Map::new();
        request.insert("method".into(), json!(req.method));
        let body = self.body(&req.body, &mut headers, path);
        request.insert("header".into(), Value::Array(headers));
        request.insert("url".into(), url(req));
        if let Some(body) = body {
            request.insert("body".into(), body);
        }
        if let Some(auth) = self.auth(&saved.auth, path) {
            request.insert("auth".into(), auth);
        }
        if !saved.docs.is_empty() {
            request.insert("description".into(), json!(saved.docs));
        }
        let mut item = Map::new();
        item.insert("name".into(), json!(saved.name));
        item.insert("request".into(), Value::Object(request));
        if !saved.variables.is_empty() {
            item.insert("variable".into(), self.variables(&saved.variables, path));
        }
        if let Some(behavior) = self.behavior(&req.settings, path) {
            item.insert("protocolProfileBehavior".into(), behavior);
        }
        if !saved.captures.is_empty() {
            self.w.push(
                path,
                "captures have no Postman equivalent (a test script would do it); not exported",
            );
        }
        if let Some(event) = self.tests(saved, path) {
            item.insert("event".into(), event);
        }
        item.insert("response".into(), json!([]));
        Value::Object(item)
    }

    /// The request's assertions as a test script, one `pm.test` per assertion; one that a
    /// script cannot say is a comment there and a warning here.
    fn tests(&mut self, saved: &SavedRequest, path: &str) -> Option<Value> {
        let mut lines = Vec::new();
        for a in &saved.assertions {
            if !a.enabled {
                self.w.push(
                    path,
                    format!("the disabled assertion {:?} was not exported", describe(a)),
                );
                continue;
            }
            match to_script_line(a) {
                Ok(line) => lines.push(line),
                Err(why) => {
                    lines.push(format!("// not exported: {}", describe(a)));
                    self.w.push(
                        path,
                        format!("{why}; written as a comment in the test script"),
                    );
                }
            }
        }
        if saved.contract.is_some() {
            self.w.push(
                path,
                "the contract check (against its OpenAPI operation) has no Postman equivalent; not exported",
            );
        }
        (!lines.is_empty()).then(|| {
            json!([{ "listen": "test", "script": { "type": "text/javascript", "exec": lines } }])
        })
    }

    fn body(&mut self, body: &RequestBody, headers: &mut Vec<Value>, path: &str) -> Option<Value> {
        let mut content_type_header = |ct: &str| {
            headers.push(json!({ "key": "Content-Type", "value": ct, "type": "text" }));
        };
        Some(match body {
            RequestBody::None => return None,
            RequestBody::Json { text } => raw(text, "json"),
            RequestBody::Text { content_type, text } => match language_of(content_type) {
                Some(language) => raw(text, language),
                None => {
                    content_type_header(content_type);
                    raw(text, "text")
                }
            },
            RequestBody::Form { fields } => {
                let rows: Vec<Value> = fields
                    .iter()
                    .map(|f| {
                        with_disabled(
                            json!({ "key": f.name, "value": f.value, "type": "text" }),
                            f.enabled,
                        )
                    })
                    .collect();
                json!({ "mode": "urlencoded", "urlencoded": rows })
            }
            RequestBody::Multipart { parts } => {
                let rows: Vec<Value> = parts
                    .iter()
                    .map(|p| {
                        let row = match &p.value {
                            PartValue::Text { text } => json!({ "key": p.name, "value": text, "type": "text" }),
                            PartValue::File {
                                path: file,
                                filename,
                                content_type,
                            } => {
                                if let Some(name) = filename {
                                    self.w.push(path, format!("part {:?}: the file name {name:?} has no Postman equivalent; not exported", p.name));
                                }
                                let mut row = json!({ "key": p.name, "src": file, "type": "file" });
                                if let Some(ct) = content_type {
                                    row["contentType"] = json!(ct);
                                }
                                row
                            }
                        };
                        with_disabled(row, p.enabled)
                    })
                    .collect();
                json!({ "mode": "formdata", "formdata": rows })
            }
            RequestBody::Binary {
                path: file,
                content_type,
            } => {
                if let Some(ct) = content_type {
                    content_type_header(ct);
                }
                json!({ "mode": "file", "file": { "src": file } })
            }
        })
    }

    /// `None` for inherit (Postman's default when `auth` is absent).
    fn auth(&mut self, auth: &Auth, path: &str) -> Option<Value> {
        let param =
            |key: &str, value: &str| json!({ "key": key, "value": value, "type": "string" });
        Some(match auth {
            Auth::Inherit => return None,
            Auth::None => json!({ "type": "noauth" }),
            Auth::Basic { username, password } => {
                let password = self.secret(password, path, "the basic auth password");
                json!({ "type": "basic", "basic": [param("username", username), param("password", &password)] })
            }
            Auth::Bearer { token } => {
                let token = self.secret(token, path, "the bearer token");
                json!({ "type": "bearer", "bearer": [param("token", &token)] })
            }
            Auth::ApiKey {
                name,
                value,
                location,
            } => {
                let value = self.secret(value, path, "the API key");
                let (key, value, place) = match location {
                    ApiKeyLocation::Header => (name.clone(), value, "header"),
                    ApiKeyLocation::Query => (name.clone(), value, "query"),
                    // Postman has no cookie location: the whole pair goes in a Cookie header.
                    ApiKeyLocation::Cookie => {
                        ("Cookie".to_owned(), format!("{name}={value}"), "header")
                    }
                };
                json!({ "type": "apikey", "apikey": [param("key", &key), param("value", &value), param("in", place)] })
            }
            Auth::Digest {
                username,
                password,
                algorithm,
            } => {
                let password = self.secret(password, path, "the digest password");
                let mut params = vec![param("username", username), param("password", &password)];
                if *algorithm != DigestAlgorithm::Auto {
                    params.push(param("algorithm", algorithm.as_str()));
                }
                json!({ "type": "digest", "digest": params })
            }
            Auth::AwsSigV4 {
                access_key,
                secret_key,
                session_token,
                region,
                service,
            } => {
                let secret_key = self.secret(secret_key, path, "the AWS secret access key");
                let session_token = self.secret(session_token, path, "the AWS session token");
                json!({ "type": "awsv4", "awsv4": [
                    param("accessKey", access_key),
                    param("secretKey", &secret_key),
                    param("sessionToken", &session_token),
                    param("region", region),
                    param("service", service),
                ] })
            }
            Auth::OAuth2(config) => {
                let secret =
                    self.secret(&config.client_secret, path, "the OAuth 2.0 client secret");
                let password = self.secret(&config.password, path, "the OAuth 2.0 password");
                let grant = match config.grant {
                    OAuth2Grant::AuthorizationCode if config.pkce != PkceMethod::Off => {
                        "authorization_code_with_pkce"
                    }
                    OAuth2Grant::AuthorizationCode | OAuth2Grant::DeviceCode => {
                        "authorization_code"
                    }
                    OAuth2Grant::ClientCredentials => "client_credentials",
                    OAuth2Grant::Password => "password_credentials",
                    OAuth2Grant::Implicit => "implicit",
                };
                json!({ "type": "oauth2", "oauth2": [
                    param("grant_type", grant),
                    param("authUrl", &config.authorization_url),
                    param("accessTokenUrl", &config.token_url),
                    param("clientId", &config.client_id),
                    param("clientSecret", &secret),
                    param("username", &config.username),
                    param("password", &password),
                    param("scope", &config.scopes.join(" ")),
                    param("addTokenTo", "header"),
                ] })
            }
        })
    }

    /// A credential as written: kept when secrets are wanted, when empty or when it only names
    /// a `{{variable}}`; otherwise blank, with a warning.
    fn secret(&mut self, value: &str, path: &str, what: &str) -> String {
        if self.options.include_secrets || value.is_empty() || is_reference(value) {
            value.to_owned()
        } else {
            self.w.push(
                path,
                format!("{what} was left empty (secrets are not exported)"),
            );
            String::new()
        }
    }

    fn variable_value(&mut self, v: &Variable, path: &str) -> String {
        if v.secret && !self.options.include_secrets && !v.value.is_empty() {
            self.w.push(
                path,
                format!(
                    "the secret variable {:?} was exported without its value",
                    v.name
                ),
            );
            String::new()
        } else {
            v.value.clone()
        }
    }

    fn variables(&mut self, vars: &[Variable], path: &str) -> Value {
        Value::Array(
            vars.iter()
                .map(|v| {
                    let row = json!({
                        "key": v.name,
                        "value": self.variable_value(v, path),
                        "type": if v.secret { "secret" } else { "string" },
                    });
                    with_disabled(row, v.enabled)
                })
                .collect(),
        )
    }

    fn behavior(&mut self, s: &RequestSettings, path: &str) -> Option<Value> {
        let d = RequestSettings::default();
        let mut out = Map::new();
        if s.follow_redirects != d.follow_redirects {
            out.insert("followRedirects".into(), json!(s.follow_redirects));
        }
        if s.max_redirects != d.max_redirects {
            out.insert("maxRedirects".into(), json!(s.max_redirects));
        }
        if s.verify_tls != d.verify_tls {
            out.insert("strictSSL".into(), json!(s.verify_tls));
        }
        let lost = [
            (s.timeout_ms != d.timeout_ms, "timeout"),
            (
                s.connect_timeout_ms != d.connect_timeout_ms,
                "connect timeout",
            ),
            (s.http_version != d.http_version, "HTTP version"),
            (
                s.proxy != d.proxy || s.proxy_loopback != d.proxy_loopback,
                "proxy",
            ),
            (
                s.resend_files_cross_origin != d.resend_files_cross_origin,
                "re-sending files to another origin",
            ),
        ];
        let lost: Vec<&str> = lost
            .iter()
            .filter(|(changed, _)| *changed)
            .map(|(_, n)| *n)
            .collect();
        if !lost.is_empty() {
            self.w.push(
                path,
                format!("request settings not exported: {}", lost.join(", ")),
            );
        }
        (!out.is_empty()).then_some(Value::Object(out))
    }
}

fn raw(text: &str, language: &str) -> Value {
    json!({ "mode": "raw", "raw": text, "options": { "raw": { "language": language } } })
}

fn header(h: &KeyValue) -> Value {
    with_disabled(
        json!({ "key": h.name, "value": h.value, "type": "text" }),
        h.enabled,
    )
}

fn with_disabled(mut row: Value, enabled: bool) -> Value {
    if !enabled {
        row["disabled"] = json!(true);
    }
    row
}

/// Only a `{{name}}` reference, nothing around it.
fn is_reference(value: &str) -> bool {
    let v = value.trim();
    v.starts_with("{{")
        && v.ends_with("}}")
        && v[2..].find("{{").is_none()
        && v.matches("}}").count() == 1
}

/// `url` as Postman writes it: `raw` plus its parts, and the query rows (encoded in `raw`,
/// encoded the same way in each row so a reader decoding either gets the same text).
fn url(req: &HttpRequest) -> Value {
    let query: Vec<Value> = req
        .query
        .iter()
        .map(|q| {
            with_disabled(
                json!({ "key": query_escape(&q.name), "value": query_escape(&q.value) }),
                q.enabled,
            )
        })
        .collect();
    let enabled: Vec<String> = req
        .query
        .iter()
        .filter(|q| q.enabled)
        .map(|q| format!("{}={}", query_escape(&q.name), query_escape(&q.value)))
        .collect();
    let raw = if enabled.is_empty() {
        req.url.clone()
    } else {
        let sep = if req.url.contains('?') { '&' } else { '?' };
        format!("{}{sep}{}", req.url, enabled.join("&"))
    };
    let mut out = Map::new();
    out.insert("raw".into(), json!(raw));
    let (protocol, rest) = match req.url.split_once("://") {
        Some((p, rest)) => (Some(p), rest),
        None => (None, req.url.as_str()),
    };
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => (h, Some(p)),
        _ => (authority, None),
    };
    if let Some(protocol) = protocol {
        out.insert("protocol".into(), json!(protocol));
    }
    out.insert("host".into(), json!(host.split('.').collect::<Vec<_>>()));
    if let Some(port) = port {
        out.insert("port".into(), json!(port));
    }
    if !path.is_empty() {
        out.insert("path".into(), json!(path.split('/').collect::<Vec<_>>()));
    }
    if !query.is_empty() {
        out.insert("query".into(), Value::Array(query));
    }
    Value::Object(out)
}
