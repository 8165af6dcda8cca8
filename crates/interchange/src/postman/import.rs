//! Reading Postman v2.0/v2.1 collections and environment files into the model.

use serde_json::Value;
use sextant_model::{
    ApiKeyLocation, Assertion, Auth, Collection, CollectionItem, DigestAlgorithm, Environment,
    Folder, FolderSettings, HttpRequest, KeyValue, MultipartPart, PartValue, RequestBody,
    RequestSettings, SavedRequest, Variable,
};

use super::script::{read_script, unread_warning};
use super::shared::content_type_of;
use crate::files::warn_file_references;
use crate::json::{array, flag, parse, scalar, string, string_or_empty};
use crate::limits::{check_depth, Budget};
use crate::text::{form_decode, is_plain_json, short, take_content_type};
use crate::warning::{join_path, Warnings};
use crate::{Imported, InterchangeError};

/// Reads a Postman collection (v2.1 or v2.0, also wrapped as `{"collection": ...}` the way
/// Postman's API returns it).
pub fn import_postman(text: &str) -> Result<Imported<Collection>, InterchangeError> {
    let root = parse(text)?;
    let root = match root.get("collection") {
        Some(inner) if root.get("info").is_none() && inner.get("info").is_some() => inner,
        _ => &root,
    };
    let Some(info) = root.get("info").filter(|i| i.is_object()) else {
        if root.get("requests").is_some() && root.get("order").is_some() {
            return Err(InterchangeError::UnsupportedVersion {
                format: "Postman collection",
                version: "1".into(),
                supported: "Postman collections v2.0 and v2.1 (re-export it from Postman)",
            });
        }
        return Err(InterchangeError::WrongFormat {
            expected: "Postman collection",
            reason: "there is no `info` object".into(),
        });
    };
    if let Some(schema) = string(info, "schema") {
        if !schema.contains("/v2.1") && !schema.contains("/v2.0") {
            return Err(InterchangeError::UnsupportedVersion {
                format: "Postman collection",
                version: short(&schema),
                supported: "Postman collections v2.0 and v2.1",
            });
        }
    }
    let name = string(info, "name").unwrap_or_else(|| "Postman import".to_owned());
    let mut w = Warnings::default();
    let here = name.as_str();
    scripts(root, here, &mut w);
    if !description(info).is_empty() || !description(root).is_empty() {
        w.push(
            here,
            "the collection's description is not imported (only requests have notes)",
        );
    }
    let settings = FolderSettings {
        base_url: None,
        headers: Vec::new(),
        auth: auth(root.get("auth"), here, &mut w),
        variables: variables(array(root, "variable")),
        client_certificates: Vec::new(),
        sequential: false,
    };
    let mut walk = Walk {
        w: &mut w,
        budget: Budget::default(),
    };
    let items = walk.items(array(root, "item"), "", 0)?;
    Ok(Imported {
        value: Collection {
            name,
            settings,
            items,
            environments: Vec::new(),
        },
        warnings: w.0,
    })
}

/// The item tree's walk, with the import's budget.
struct Walk<'w> {
    w: &'w mut Warnings,
    budget: Budget,
}

impl Walk<'_> {
    /// The items of a folder at `depth` (0 = the collection).
    fn items(
        &mut self,
        list: &[Value],
        parent: &str,
        depth: usize,
    ) -> Result<Vec<CollectionItem>, InterchangeError> {
        let mut out = Vec::with_capacity(list.len().min(crate::limits::MAX_ITEMS));
        for item in list {
            self.budget.item()?;
            let name = string_or_empty(item, "name");
            let path = join_path(parent, &name);
            out.push(match item.get("item").and_then(Value::as_array) {
                Some(children) => {
                    CollectionItem::Folder(self.folder(item, name, children, &path, depth + 1)?)
                }
                None => {
                    let saved = request(item, name, &path, self.w);
                    warn_file_references(&saved, &path, self.w);
                    CollectionItem::Request(saved)
                }
            });
        }
        Ok(out)
    }

    fn folder(
        &mut self,
        item: &Value,
        name: String,
        children: &[Value],
        path: &str,
        depth: usize,
    ) -> Result<Folder, InterchangeError> {
        check_depth(depth)?;
        let w = &mut *self.w;
        scripts(item, path, w);
        if !description(item).is_empty() {
            w.push(
                path,
                "the folder's description is not imported (only requests have notes)",
            );
        }
        let settings = FolderSettings {
            base_url: None,
            headers: Vec::new(),
            auth: auth(item.get("auth"), path, w),
            variables: variables(array(item, "variable")),
            client_certificates: Vec::new(),
            sequential: false,
        };
        Ok(Folder {
            name,
            settings,
            items: self.items(children, path, depth)?,
        })
    }
}

fn request(item: &Value, name: String, path: &str, w: &mut Warnings) -> SavedRequest {
    let assertions = request_scripts(item, path, w);
    let examples = array(item, "response").len();
    if examples > 0 {
        w.push(
            path,
            format!("{examples} saved example responses are not imported"),
        );
    }
    let req = item.get("request").cloned().unwrap_or(Value::Null);
    if let Value::String(url) = &req {
        return SavedRequest::new(name, HttpRequest::get(url.clone()));
    }
    let method = string(&req, "method").unwrap_or_else(|| "GET".to_owned());
    let (url, query) = url(req.get("url"), path, w);
    let mut headers = headers(req.get("header"));
    let body = body(req.get("body"), &mut headers, path, w);
    let docs = match description(&req) {
        d if d.is_empty() => description(item),
        d => d,
    };
    SavedRequest {
        assertions,
        tags: Vec::new(),
        contract: None,
        websocket: None,
        name,
        request: HttpRequest {
            method,
            url,
            query,
            headers,
            body,
            settings: settings(item.get("protocolProfileBehavior"), path, w),
            credentials: Vec::new(),
            signing: None,
        },
        auth: auth(req.get("auth"), path, w),
        variables: variables(array(item, "variable")),
        captures: Vec::new(),
        docs,
    }
}

/// The URL without the query string when `query` rows are listed (the rows carry it, decoded),
/// else `raw` as it is.
fn url(url: Option<&Value>, path: &str, w: &mut Warnings) -> (String, Vec<KeyValue>) {
    let Some(url) = url else {
        return (String::new(), Vec::new());
    };
    if let Value::String(raw) = url {
        return (raw.clone(), Vec::new());
    }
    let raw = string(url, "raw").unwrap_or_else(|| url_from_parts(url));
    let path_vars: Vec<String> = array(url, "variable")
        .iter()
        .filter_map(|v| string(v, "key"))
        .collect();
    if !path_vars.is_empty() {
        w.push(
            path,
            format!(
                "path variables ({}) stay as `:name` in the URL; Sextant does not fill them",
                path_vars.join(", ")
            ),
        );
    }
    let rows = array(url, "query");
    if rows.is_empty() {
        return (raw, Vec::new());
    }
    let base = raw.split('?').next().unwrap_or("").to_owned();
    let query = rows
        .iter()
        .map(|q| KeyValue {
            name: form_decode(&string_or_empty(q, "key")),
            value: form_decode(&string_or_empty(q, "value")),
            enabled: !flag(q, "disabled"),
        })
        .collect();
    (base, query)
}

fn url_from_parts(url: &Value) -> String {
    let joined = |key: &str, sep: &str| match url.get(key) {
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(scalar)
            .collect::<Vec<_>>()
            .join(sep),
        Some(v) => scalar(v).unwrap_or_default(),
        None => String::new(),
    };
    let mut out = String::new();
    if let Some(protocol) = string(url, "protocol") {
        out.push_str(&protocol);
        out.push_str("://");
    }
    out.push_str(&joined("host", "."));
    if let Some(port) = string(url, "port") {
        out.push(':');
        out.push_str(&port);
    }
    let path = joined("path", "/");
    if !path.is_empty() {
        out.push('/');
        out.push_str(&path);
    }
    out
}

fn headers(header: Option<&Value>) -> Vec<KeyValue> {
    match header {
        Some(Value::Array(rows)) => rows
            .iter()
            .map(|h| KeyValue {
                name: string_or_empty(h, "key"),
                value: string_or_empty(h, "value"),
                enabled: !flag(h, "disabled"),
            })
            .collect(),
        Some(Value::String(block)) => block
            .lines()
            .filter_map(|line| line.split_once(':'))
            .map(|(n, v)| KeyValue::new(n.trim(), v.trim()))
            .collect(),
        _ => Vec::new(),
    }
}

fn body(
    body: Option<&Value>,
    headers: &mut Vec<KeyValue>,
    path: &str,
    w: &mut Warnings,
) -> RequestBody {
    let Some(body) = body.filter(|b| b.is_object()) else {
        return RequestBody::None;
    };
    let mode = string_or_empty(body, "mode");
    let result = match mode.as_str() {
        "raw" => {
            let text = string_or_empty(body, "raw");
            let language = body
                .pointer("/options/raw/language")
                .and_then(Value::as_str)
                .unwrap_or("text");
            let content_type = take_content_type(headers)
                .or_else(|| content_type_of(language).map(str::to_owned))
                .unwrap_or_else(|| "text/plain".to_owned());
            if is_plain_json(&content_type) {
                RequestBody::Json { text }
            } else {
                RequestBody::Text { content_type, text }
            }
        }
        "urlencoded" => RequestBody::Form {
            fields: array(body, "urlencoded")
                .iter()
                .map(|f| KeyValue {
                    name: string_or_empty(f, "key"),
                    value: string_or_empty(f, "value"),
                    enabled: !flag(f, "disabled"),
                })
                .collect(),
        },
        "formdata" => RequestBody::Multipart {
            parts: array(body, "formdata")
                .iter()
                .map(|p| part(p, path, w))
                .collect(),
        },
        "file" => match body.pointer("/file/src").and_then(scalar) {
            Some(src) => RequestBody::Binary {
                path: src,
                content_type: take_content_type(headers),
            },
            None => {
                w.push(path, "the file body names no file; imported without a body");
                RequestBody::None
            }
        },
        "graphql" => {
            w.push(
                path,
                "the GraphQL body is imported as JSON {\"query\", \"variables\"}",
            );
            let query = body
                .pointer("/graphql/query")
                .and_then(scalar)
                .unwrap_or_default();
            let variables = body
                .pointer("/graphql/variables")
                .and_then(Value::as_str)
                .filter(|v| !v.trim().is_empty())
                .and_then(|v| serde_json::from_str::<Value>(v).ok())
                .unwrap_or_else(|| Value::Object(Default::default()));
            let doc = serde_json::json!({ "query": query, "variables": variables });
            RequestBody::Json {
                text: serde_json::to_string_pretty(&doc).unwrap_or_default(),
            }
        }
        "" | "none" => RequestBody::None,
        other => {
            w.push(
                path,
                format!("body mode {other:?} is not supported; imported without a body"),
            );
            RequestBody::None
        }
    };
    if result != RequestBody::None {
        take_content_type(headers);
    }
    result
}

fn part(p: &Value, path: &str, w: &mut Warnings) -> MultipartPart {
    let name = string_or_empty(p, "key");
    let content_type = string(p, "contentType").filter(|c| !c.is_empty());
    let value = if string(p, "type").as_deref() == Some("file") {
        let src = match p.get("src") {
            Some(Value::Array(files)) => {
                if files.len() > 1 {
                    w.push(
                        path,
                        format!(
                            "part {name:?} lists {} files; only the first is imported",
                            files.len()
                        ),
                    );
                }
                files.first().and_then(scalar)
            }
            Some(v) => scalar(v),
            None => None,
        };
        let src = src.unwrap_or_else(|| {
            w.push(path, format!("part {name:?} has no file chosen"));
            String::new()
        });
        PartValue::File {
            path: src,
            filename: None,
            content_type,
        }
    } else {
        if let Some(ct) = content_type {
            w.push(
                path,
                format!("part {name:?}: the content type {ct:?} of a text part is not imported"),
            );
        }
        PartValue::Text {
            text: string_or_empty(p, "value"),
        }
    };
    MultipartPart {
        name,
        enabled: !flag(p, "disabled"),
        value,
    }
}

/// A Digest algorithm as Postman writes it: empty is `auto`, an unknown one `auto` with a warning.
fn digest_algorithm(token: &str, path: &str, w: &mut Warnings) -> DigestAlgorithm {
    if token.trim().is_empty() {
        return DigestAlgorithm::Auto;
    }
    DigestAlgorithm::parse(token).unwrap_or_else(|| {
        w.push(
            path,
            format!("digest algorithm {token:?} is not supported; the server's choice is used"),
        );
        DigestAlgorithm::Auto
    })
}

/// Basic, bearer, API key, Digest and AWS SigV4 auth; `noauth` is none, absent or `inherit`
/// inherits. Parameters are a list of `{key, value}` in v2.1 and an object in v2.0.
fn auth(auth: Option<&Value>, path: &str, w: &mut Warnings) -> Auth {
    let Some(auth) = auth.filter(|a| a.is_object()) else {
        return Auth::Inherit;
    };
    let kind = string_or_empty(auth, "type");
    let param = |key: &str| -> String {
        match auth.get(&kind) {
            Some(Value::Array(list)) => list
                .iter()
                .find(|p| string(p, "key").as_deref() == Some(key))
                .and_then(|p| string(p, "value"))
                .unwrap_or_default(),
            Some(obj @ Value::Object(_)) => string_or_empty(obj, key),
            _ => String::new(),
        }
    };
    match kind.as_str() {
        "noauth" => Auth::None,
        "inherit" | "" => Auth::Inherit,
        "basic" => Auth::Basic {
            username: param("username"),
            password: param("password"),
        },
        "bearer" => Auth::Bearer {
            token: param("token"),
        },
        "apikey" => Auth::ApiKey {
            name: param("key"),
            value: param("value"),
            location: if param("in") == "query" {
                ApiKeyLocation::Query
            } else {
                ApiKeyLocation::Header
            },
        },
        "digest" => Auth::Digest {
            username: param("username"),
            password: param("password"),
            algorithm: digest_algorithm(&param("algorithm"), path, w),
        },
        "awsv4" => Auth::AwsSigV4 {
            access_key: param("accessKey"),
            secret_key: param("secretKey"),
            session_token: param("sessionToken"),
            region: param("region"),
            service: param("service"),
        },
        other => {
            w.push(
                path,
                format!("{other} auth is not supported; imported without auth"),
            );
            Auth::None
        }
    }
}

fn variables(list: &[Value]) -> Vec<Variable> {
    list.iter()
        .filter_map(|v| {
            let name = string(v, "key").or_else(|| string(v, "id"))?;
            Some(Variable {
                name,
                value: value_text(v.get("value")),
                secret: string(v, "type").as_deref() == Some("secret"),
                enabled: !flag(v, "disabled")
                    && v.get("enabled").and_then(Value::as_bool) != Some(false),
            })
        })
        .collect()
}

/// A variable's value as text: strings as they are, anything else as its JSON.
fn value_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(v) => scalar(v).unwrap_or_else(|| v.to_string()),
    }
}

/// `description` is a string or `{content, type}`.
fn description(v: &Value) -> String {
    match v.get("description") {
        Some(Value::String(s)) => s.clone(),
        Some(obj @ Value::Object(_)) => string_or_empty(obj, "content"),
        _ => String::new(),
    }
}

/// An event's script as one text (`exec` is a list of lines or one string).
fn script_text(event: &Value) -> String {
    match event.pointer("/script/exec") {
        Some(Value::Array(lines)) => lines
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("\n"),
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    }
}

/// A request's scripts: the checks of its test script become assertions (`script::read`),
/// everything else in it and any other script is a warning.
fn request_scripts(item: &Value, path: &str, w: &mut Warnings) -> Vec<Assertion> {
    let mut assertions = Vec::new();
    let mut others = Vec::new();
    for event in array(item, "event") {
        let text = script_text(event);
        if text.trim().is_empty() {
            continue;
        }
        let listen = string(event, "listen").unwrap_or_else(|| "unknown".to_owned());
        if listen != "test" {
            others.push(listen);
            continue;
        }
        let read = read_script(&text, "pm");
        assertions.extend(read.assertions);
        unread_warning(&read.unread, "scripts (test)", path, w);
    }
    if !others.is_empty() {
        w.push(
            path,
            format!(
                "scripts ({}) are not run by Sextant and were not imported",
                others.join(", ")
            ),
        );
    }
    assertions
}

fn scripts(v: &Value, path: &str, w: &mut Warnings) {
    let kinds: Vec<String> = array(v, "event")
        .iter()
        .filter(|e| !script_text(e).trim().is_empty())
        .map(|e| string(e, "listen").unwrap_or_else(|| "unknown".to_owned()))
        .collect();
    if !kinds.is_empty() {
        w.push(
            path,
            format!(
                "scripts ({}) are not run by Sextant and were not imported",
                kinds.join(", ")
            ),
        );
    }
}

fn settings(behavior: Option<&Value>, path: &str, w: &mut Warnings) -> RequestSettings {
    let mut settings = RequestSettings::default();
    let Some(Value::Object(map)) = behavior else {
        return settings;
    };
    for (key, value) in map {
        match (key.as_str(), value) {
            ("followRedirects", Value::Bool(b)) => settings.follow_redirects = *b,
            ("strictSSL", Value::Bool(b)) => settings.verify_tls = *b,
            ("maxRedirects", Value::Number(n)) => {
                if let Some(n) = n.as_u64().and_then(|n| u32::try_from(n).ok()) {
                    settings.max_redirects = n;
                }
            }
            _ => w.push(path, format!("the setting {key:?} is not imported")),
        }
    }
    settings
}

/// Reads a Postman environment (or globals) file. Values of `secret` type are secret variables.
pub fn import_postman_environment(text: &str) -> Result<Imported<Environment>, InterchangeError> {
    let root = parse(text)?;
    let Some(values) = root.get("values").and_then(Value::as_array) else {
        return Err(InterchangeError::WrongFormat {
            expected: "Postman environment",
            reason: "there is no `values` list".into(),
        });
    };
    if let Some(scope) = string(&root, "_postman_variable_scope") {
        if scope != "environment" && scope != "globals" {
            return Err(InterchangeError::WrongFormat {
                expected: "Postman environment",
                reason: format!("its scope is {:?}", short(&scope)),
            });
        }
    }
    Ok(Imported {
        value: Environment {
            name: string(&root, "name").unwrap_or_else(|| "Postman environment".to_owned()),
            variables: variables(values),
        },
        warnings: Vec::new(),
    })
}
