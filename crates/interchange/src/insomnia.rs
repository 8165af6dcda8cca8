//! Insomnia v4 exports (`_type: export`, `__export_format: 4`): a flat list of resources tied
//! into a tree by `parentId`. Each workspace becomes a collection; request groups are folders
//! (their environment becomes folder variables); the workspace's base environment becomes
//! the collection's variables and its sub-environments the collection's environments.
//!
//! Insomnia's `{{ _.name }}` becomes `{{name}}`; nested environment objects are flattened to
//! dotted names so `{{ _.db.host }}` becomes `{{db.host}}` and still resolves. Template tags
//! (`{% uuid %}`, `{% response ... %}`, plugins' tags) have no equivalent: they are kept as text
//! with a warning. Siblings are ordered by `metaSortKey`, as Insomnia shows them. An
//! after-response script's chai checks become the request's assertions (as Postman's tests do).

use std::collections::{HashMap, HashSet};

use serde_json::Value;
use sextant_model::{
    ApiKeyLocation, Auth, Collection, CollectionItem, DigestAlgorithm, Environment, Folder,
    FolderSettings, HttpRequest, KeyValue, MultipartPart, OAuth2ClientAuth, OAuth2Config,
    OAuth2Grant, PartValue, PkceMethod, RequestBody, SavedRequest, Variable,
};

use crate::files::warn_file_references;
use crate::json::{array, flag, parse, scalar, string, string_or_empty};
use crate::limits::{check_depth, Budget};
use crate::postman::script::{read_script, unread_warning};
use crate::text::{is_plain_json, short, take_content_type};
use crate::warning::{join_path, Warnings};
use crate::{Imported, InterchangeError};

/// Reads an Insomnia v4 export: one collection per workspace, in file order.
///
/// The tree comes from `parentId` links written by whoever made the file, so it is walked
/// defensively: a resource whose `_id` an earlier one already has is skipped with a warning, a
/// folder reached a second time (a folder that is its own parent, or any other cycle) is
/// skipped with a warning, and folder depth and the number of requests and folders are capped
/// ([`crate::MAX_DEPTH`], [`crate::MAX_ITEMS`]).
pub fn import_insomnia(text: &str) -> Result<Imported<Vec<Collection>>, InterchangeError> {
    let root = parse(text)?;
    if string(&root, "_type").as_deref() != Some("export") {
        return Err(InterchangeError::WrongFormat {
            expected: "Insomnia export",
            reason: "`_type` is not \"export\"".into(),
        });
    }
    let version = string(&root, "__export_format").unwrap_or_default();
    if version != "4" {
        return Err(InterchangeError::UnsupportedVersion {
            format: "Insomnia export",
            version: short(&version),
            supported: "Insomnia exports in format 4 (Insomnia's \"Insomnia v4 (JSON)\" export)",
        });
    }
    let resources = array(&root, "resources");
    let mut w = Warnings::default();
    let mut children = Children::new();
    let mut ids = HashSet::new();
    let mut duplicates = 0;
    for (index, r) in resources.iter().enumerate() {
        let id = string_or_empty(r, "_id");
        if !id.is_empty() && !ids.insert(id.clone()) {
            duplicates += 1;
            w.push(
                &format!("resource {}", index + 1),
                format!(
                    "its id {:?} is already used by an earlier resource; skipped",
                    short(&id)
                ),
            );
            continue;
        }
        let parent = string(r, "parentId").unwrap_or_default();
        children.entry(parent).or_default().push((index, r));
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| sort_key(a).total_cmp(&sort_key(b)).then(a.0.cmp(&b.0)));
    }

    let mut tree = Tree {
        children: &children,
        visited: HashSet::new(),
        budget: Budget::default(),
    };
    let mut collections = Vec::new();
    let mut reached = duplicates;
    for workspace in resources.iter().filter(|r| kind(r) == "workspace") {
        let id = string_or_empty(workspace, "_id");
        if !tree.visited.insert(id.clone()) && !id.is_empty() {
            // A duplicate of an earlier workspace's id (already warned about) or a workspace
            // inside another one's tree that was walked there.
            continue;
        }
        let name = string(workspace, "name").unwrap_or_else(|| "Insomnia import".to_owned());
        reached += 1;
        let mut settings = FolderSettings::default();
        let mut environments = Vec::new();
        let items = tree.items(
            tree.children_of(&id),
            &name,
            0,
            &mut w,
            &mut reached,
            &mut |child, w, reached| match kind(child).as_str() {
                "environment" => {
                    *reached += 1;
                    if settings.variables.is_empty() {
                        settings.variables = env_variables(child, &name, w);
                    } else {
                        w.push(&name, "a second base environment is not imported");
                    }
                    let child_id = string_or_empty(child, "_id");
                    for (_, sub) in tree_children(&children, &child_id) {
                        *reached += 1;
                        let sub_name = string_or_empty(sub, "name");
                        let location = join_path(&name, &sub_name);
                        environments.push(Environment {
                            variables: env_variables(sub, &location, w),
                            name: sub_name,
                        });
                    }
                    true
                }
                "api_spec" => {
                    *reached += 1;
                    if !string_or_empty(child, "contents").trim().is_empty() {
                        w.push(&name, "the workspace's API design document is not imported (import it as OpenAPI)");
                    }
                    true
                }
                "cookie_jar" => {
                    *reached += 1;
                    let cookies = array(child, "cookies").len();
                    if cookies > 0 {
                        w.push(&name, format!("the cookie jar's {cookies} cookies are not imported"));
                    }
                    true
                }
                _ => false,
            },
        )?;
        if !description_of(workspace).is_empty() {
            w.push(
                &name,
                "the workspace's description is not imported (only requests have notes)",
            );
        }
        collections.push(Collection {
            name,
            settings,
            items,
            environments,
        });
    }
    if collections.is_empty() {
        return Err(InterchangeError::WrongFormat {
            expected: "Insomnia export",
            reason: "it holds no workspace".into(),
        });
    }
    if reached < resources.len() {
        w.push(
            "(export)",
            format!(
                "{} resources belong to no workspace and were not imported",
                resources.len() - reached
            ),
        );
    }
    Ok(Imported {
        value: collections,
        warnings: w.0,
    })
}

type Children<'a> = HashMap<String, Vec<(usize, &'a Value)>>;

/// The children of `id`; a resource without an id has none (its "children" would be every
/// resource without a parent).
fn tree_children<'a, 'm>(children: &'m Children<'a>, id: &str) -> &'m [(usize, &'a Value)] {
    if id.is_empty() {
        return &[];
    }
    children.get(id).map(Vec::as_slice).unwrap_or(&[])
}

struct Tree<'a> {
    children: &'a Children<'a>,
    /// Ids of the workspaces and folders walked so far: a second visit is a cycle.
    visited: HashSet<String>,
    budget: Budget,
}

impl<'a> Tree<'a> {
    fn children_of(&self, id: &str) -> Vec<(usize, &'a Value)> {
        tree_children(self.children, id).to_vec()
    }

    /// The folders and requests among `children` of a folder at `depth` (0 = the workspace).
    /// `other` gets the first look at each child (the workspace level uses it for environments
    /// and cookie jars) and says whether it took it.
    fn items(
        &mut self,
        children: Vec<(usize, &'a Value)>,
        path: &str,
        depth: usize,
        w: &mut Warnings,
        reached: &mut usize,
        other: &mut dyn FnMut(&Value, &mut Warnings, &mut usize) -> bool,
    ) -> Result<Vec<CollectionItem>, InterchangeError> {
        let mut items = Vec::new();
        for (_, child) in children {
            if other(child, w, reached) {
                continue;
            }
            let name = string_or_empty(child, "name");
            let child_path = join_path(path, &name);
            let child_id = string_or_empty(child, "_id");
            let kind = kind(child);
            if matches!(kind.as_str(), "request_group" | "request") {
                if !child_id.is_empty() && !self.visited.insert(child_id.clone()) {
                    w.push(
                        &child_path,
                        "reached a second time through `parentId` (a folder inside itself); skipped",
                    );
                    continue;
                }
                self.budget.item()?;
            }
            *reached += 1;
            match kind.as_str() {
                "request_group" => {
                    check_depth(depth + 1)?;
                    if !description_of(child).is_empty() {
                        w.push(
                            &child_path,
                            "the folder's description is not imported (only requests have notes)",
                        );
                    }
                    let settings = FolderSettings {
                        base_url: None,
                        headers: rows(array(child, "headers"), &child_path, w),
                        auth: auth(child.get("authentication"), &child_path, w),
                        variables: child
                            .get("environment")
                            .map(|data| flatten(data, &child_path, w))
                            .unwrap_or_default(),
                        client_certificates: Vec::new(),
                        sequential: false,
                    };
                    let grandchildren = self.children_of(&child_id);
                    let inside = self.items(
                        grandchildren,
                        &child_path,
                        depth + 1,
                        w,
                        reached,
                        &mut |_, _, _| false,
                    )?;
                    items.push(CollectionItem::Folder(Folder {
                        name,
                        settings,
                        items: inside,
                    }));
                }
                "request" => {
                    let saved = request(child, name, &child_path, w);
                    warn_file_references(&saved, &child_path, w);
                    items.push(CollectionItem::Request(saved));
                }
                other_kind => {
                    *reached += self.count(&child_id);
                    w.push(
                        &child_path,
                        format!(
                            "{} resources are not supported; not imported",
                            short(other_kind)
                        ),
                    );
                }
            }
        }
        Ok(items)
    }

    /// How many resources are under `id`, each counted once however the links loop.
    fn count(&self, id: &str) -> usize {
        let mut seen: HashSet<&str> = HashSet::new();
        let mut stack = vec![id.to_owned()];
        let mut total = 0;
        while let Some(next) = stack.pop() {
            for (_, c) in tree_children(self.children, &next) {
                let cid = c.get("_id").and_then(Value::as_str).unwrap_or_default();
                if cid.is_empty() {
                    total += 1;
                } else if seen.insert(cid) {
                    total += 1;
                    stack.push(cid.to_owned());
                }
            }
        }
        total
    }
}

fn kind(r: &Value) -> String {
    string_or_empty(r, "_type")
}

fn sort_key(entry: &(usize, &Value)) -> f64 {
    entry
        .1
        .get("metaSortKey")
        .and_then(Value::as_f64)
        .unwrap_or(f64::MAX)
}

fn description_of(r: &Value) -> String {
    string_or_empty(r, "description")
}

fn request(r: &Value, name: String, path: &str, w: &mut Warnings) -> SavedRequest {
    let method = string(r, "method").unwrap_or_else(|| "GET".to_owned());
    let url = template(&string_or_empty(r, "url"), path, w);
    let query = rows(array(r, "parameters"), path, w);
    let mut headers = rows(array(r, "headers"), path, w);
    let body = body(r.get("body"), &mut headers, path, w);
    let mut request = HttpRequest::new(method, url);
    request.query = query;
    request.headers = headers;
    request.body = body;
    if string(r, "settingFollowRedirects").as_deref() == Some("off") {
        request.settings.follow_redirects = false;
    }
    SavedRequest {
        assertions: scripts(r, path, w),
        tags: Vec::new(),
        contract: None,
        websocket: None,
        name,
        request,
        auth: auth(r.get("authentication"), path, w),
        variables: Vec::new(),
        captures: Vec::new(),
        docs: description_of(r),
    }
}

/// The request's scripts (Insomnia 9+): the `insomnia.test`/`insomnia.expect` checks of its
/// after-response script become assertions, read as Postman's are; the rest of it and any
/// pre-request script are warnings.
fn scripts(r: &Value, path: &str, w: &mut Warnings) -> Vec<sextant_model::Assertion> {
    if !string_or_empty(r, "preRequestScript").trim().is_empty() {
        w.push(
            path,
            "the pre-request script is not run by Sextant and was not imported",
        );
    }
    let after = string_or_empty(r, "afterResponseScript");
    if after.trim().is_empty() {
        return Vec::new();
    }
    let read = read_script(&after, "insomnia");
    unread_warning(&read.unread, "the after-response script", path, w);
    read.assertions
}

/// Header and parameter rows: `{name, value, disabled}`.
fn rows(list: &[Value], path: &str, w: &mut Warnings) -> Vec<KeyValue> {
    list.iter()
        .map(|row| KeyValue {
            name: template(&string_or_empty(row, "name"), path, w),
            value: template(&string_or_empty(row, "value"), path, w),
            enabled: !flag(row, "disabled"),
        })
        .collect()
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
    let mime = string_or_empty(body, "mimeType");
    let text = string(body, "text").map(|t| template(&t, path, w));
    let result = match mime.as_str() {
        "application/x-www-form-urlencoded" => RequestBody::Form {
            fields: rows(array(body, "params"), path, w),
        },
        "multipart/form-data" => RequestBody::Multipart {
            parts: array(body, "params")
                .iter()
                .map(|p| MultipartPart {
                    name: template(&string_or_empty(p, "name"), path, w),
                    enabled: !flag(p, "disabled"),
                    value: if string(p, "type").as_deref() == Some("file") {
                        PartValue::File {
                            path: string_or_empty(p, "fileName"),
                            filename: None,
                            content_type: None,
                        }
                    } else {
                        PartValue::Text {
                            text: template(&string_or_empty(p, "value"), path, w),
                        }
                    },
                })
                .collect(),
        },
        "application/octet-stream" => match string(body, "fileName").filter(|f| !f.is_empty()) {
            Some(file) => RequestBody::Binary {
                path: file,
                content_type: None,
            },
            None => {
                w.push(path, "the file body names no file; imported without a body");
                RequestBody::None
            }
        },
        "application/graphql" => {
            w.push(
                path,
                "the GraphQL body is imported as JSON {\"query\", \"variables\"}",
            );
            RequestBody::Json {
                text: text.unwrap_or_default(),
            }
        }
        _ => match text {
            None => RequestBody::None,
            Some(text) => {
                let declared = if mime.is_empty() {
                    "text/plain".to_owned()
                } else {
                    mime.clone()
                };
                let header = headers
                    .iter()
                    .rev()
                    .find(|h| h.enabled && h.name.eq_ignore_ascii_case("content-type"))
                    .map(|h| h.value.clone());
                let content_type = header.unwrap_or(declared);
                if is_plain_json(&content_type) {
                    RequestBody::Json { text }
                } else {
                    RequestBody::Text { content_type, text }
                }
            }
        },
    };
    if result != RequestBody::None {
        take_content_type(headers);
    }
    result
}

/// Insomnia's OAuth 2.0 settings; its `refresh_token` grant has no counterpart (Sextant
/// refreshes on its own) and becomes the authorization code grant.
fn oauth2(auth: &Value, path: &str, w: &mut Warnings) -> OAuth2Config {
    let field = |key: &str, w: &mut Warnings| template(&string_or_empty(auth, key), path, w);
    let grant = match string_or_empty(auth, "grantType").as_str() {
        "client_credentials" => OAuth2Grant::ClientCredentials,
        "password" => OAuth2Grant::Password,
        "implicit" => OAuth2Grant::Implicit,
        _ => OAuth2Grant::AuthorizationCode,
    };
    let pkce = if grant == OAuth2Grant::AuthorizationCode && !flag(auth, "usePkce") {
        PkceMethod::Off
    } else {
        PkceMethod::S256
    };
    OAuth2Config {
        grant,
        authorization_url: field("authorizationUrl", w),
        token_url: field("accessTokenUrl", w),
        client_id: field("clientId", w),
        client_secret: field("clientSecret", w),
        client_auth: if flag(auth, "credentialsInBody") {
            OAuth2ClientAuth::Post
        } else {
            OAuth2ClientAuth::Basic
        },
        username: field("username", w),
        password: field("password", w),
        scopes: field("scope", w)
            .split_whitespace()
            .map(str::to_string)
            .collect(),
        audience: field("audience", w),
        resource: field("resource", w),
        pkce,
        ..OAuth2Config::default()
    }
}

fn auth(auth: Option<&Value>, path: &str, w: &mut Warnings) -> Auth {
    let Some(auth) = auth.filter(|a| a.as_object().is_some_and(|o| !o.is_empty())) else {
        return Auth::Inherit;
    };
    if flag(auth, "disabled") {
        return Auth::None;
    }
    let field = |key: &str, w: &mut Warnings| template(&string_or_empty(auth, key), path, w);
    match string_or_empty(auth, "type").as_str() {
        "none" => Auth::None,
        "basic" => Auth::Basic {
            username: field("username", w),
            password: field("password", w),
        },
        "bearer" => {
            let prefix = string_or_empty(auth, "prefix");
            if !prefix.is_empty() && !prefix.eq_ignore_ascii_case("bearer") {
                w.push(
                    path,
                    format!(
                        "the token prefix {prefix:?} is not imported; Sextant sends \"Bearer\""
                    ),
                );
            }
            Auth::Bearer {
                token: field("token", w),
            }
        }
        "apikey" => {
            let location = match string_or_empty(auth, "addTo").as_str() {
                "queryParams" => ApiKeyLocation::Query,
                "cookie" => ApiKeyLocation::Cookie,
                "header" | "" => ApiKeyLocation::Header,
                other => {
                    w.push(
                        path,
                        format!("an API key sent as {other} is imported as a header"),
                    );
                    ApiKeyLocation::Header
                }
            };
            Auth::ApiKey {
                name: field("key", w),
                value: field("value", w),
                location,
            }
        }
        "digest" => Auth::Digest {
            username: field("username", w),
            password: field("password", w),
            algorithm: DigestAlgorithm::Auto,
        },
        "iam" => Auth::AwsSigV4 {
            access_key: field("accessKeyId", w),
            secret_key: field("secretAccessKey", w),
            session_token: field("sessionToken", w),
            region: field("region", w),
            service: field("service", w),
        },
        "oauth2" => Auth::OAuth2(Box::new(oauth2(auth, path, w))),
        other => {
            w.push(
                path,
                format!("{other} auth is not supported; imported without auth"),
            );
            Auth::None
        }
    }
}

fn env_variables(env: &Value, path: &str, w: &mut Warnings) -> Vec<Variable> {
    let mut vars = env
        .get("data")
        .map(|d| flatten(d, path, w))
        .unwrap_or_default();
    if flag(env, "isPrivate") {
        for v in &mut vars {
            v.secret = true;
        }
    }
    if let Some(order) = env
        .pointer("/dataPropertyOrder/&")
        .and_then(Value::as_array)
    {
        let rank = |name: &str| {
            order
                .iter()
                .position(|k| k.as_str() == Some(name.split('.').next().unwrap_or(name)))
                .unwrap_or(usize::MAX)
        };
        vars.sort_by_key(|v| rank(&v.name));
    }
    vars
}

/// Environment data as variables: nested objects become dotted names, arrays their JSON.
fn flatten(data: &Value, path: &str, w: &mut Warnings) -> Vec<Variable> {
    let mut out = Vec::new();
    flatten_into(data, "", path, w, &mut out);
    out
}

fn flatten_into(data: &Value, prefix: &str, path: &str, w: &mut Warnings, out: &mut Vec<Variable>) {
    let Some(map) = data.as_object() else {
        return;
    };
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    for key in keys {
        let name = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match &map[key] {
            nested @ Value::Object(_) => flatten_into(nested, &name, path, w, out),
            Value::Null => out.push(Variable::new(name, "")),
            v @ Value::Array(_) => out.push(Variable::new(name, v.to_string())),
            v => {
                let text = scalar(v).unwrap_or_default();
                out.push(Variable::new(name, template(&text, path, w)));
            }
        }
    }
}

/// Insomnia's Nunjucks references in Sextant's syntax: `{{ _.name }}` and `{{ name }}` become
/// `{{name}}`. Tags (`{% ... %}`) and filtered expressions stay as they are, with a warning.
fn template(text: &str, path: &str, w: &mut Warnings) -> String {
    if !text.contains("{{") && !text.contains("{%") {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let inner = after[..close].trim();
        let name = inner.strip_prefix("_.").unwrap_or(inner);
        let plain = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '$'));
        if plain {
            out.push_str("{{");
            out.push_str(name);
            out.push_str("}}");
        } else {
            w.push(
                path,
                format!("the expression {{{{ {inner} }}}} is kept as it is"),
            );
            out.push_str(&rest[open..open + 2 + close + 2]);
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    if let Some(start) = out.find("{%") {
        let end = out[start..].find("%}").map_or(out.len(), |e| start + e + 2);
        w.push(
            path,
            format!(
                "the template tag {} is not supported; kept as text",
                &out[start..end]
            ),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::template;
    use crate::warning::Warnings;

    #[test]
    fn references_are_rewritten_and_tags_kept() {
        let mut w = Warnings::default();
        assert_eq!(
            template("{{ _.base }}/u/{{id}}?x={{ _.db.host }}", "p", &mut w),
            "{{base}}/u/{{id}}?x={{db.host}}"
        );
        assert!(w.0.is_empty());
        assert_eq!(template("{% uuid 'v4' %}", "p", &mut w), "{% uuid 'v4' %}");
        assert_eq!(
            template("{{ _.x | upper }}", "p", &mut w),
            "{{ _.x | upper }}"
        );
        assert_eq!(w.0.len(), 2, "{:?}", w.0);
    }
}
