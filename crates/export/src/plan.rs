//! A collection flattened into what every generator writes: the variables (defaults, or read
//! from the environment only when secret), the base URL, and the requests in order, grouped by
//! folder, each with the headers, auth and settings it inherits and its literal credentials
//! replaced by `{{variables}}`.

mod variables;

use std::collections::BTreeSet;

use sextant_model::{
    is_secret_name, is_secret_param, variables_in, ApiKeyLocation, Assertion, Auth, Capture,
    Collection, CollectionItem, ConversionWarning, FolderSettings, KeyValue, OAuth2Config,
    OAuth2Grant, PartValue, RequestBody, SavedRequest, TokenPlacement,
};

use crate::names::{env_prefix, variable_for};
use crate::ExportError;

/// A variable and its default; `None`: secret, read from the environment only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VarDef {
    pub name: String,
    pub default: Option<String>,
}

/// How a request authenticates beyond the headers and parameters it already carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum StepAuth {
    None,
    Basic {
        username: String,
        password: String,
    },
    Digest {
        username: String,
        password: String,
    },
    /// The token of `Plan::oauth2[index]`.
    OAuth2 {
        index: usize,
        placement: TokenPlacement,
    },
}

/// One request, ready to be written.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    pub name: String,
    pub method: String,
    /// Relative to the client's base URL when `relative`.
    pub url: String,
    pub relative: bool,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: RequestBody,
    pub auth: StepAuth,
    pub variables: Vec<VarDef>,
    pub captures: Vec<Capture>,
    pub assertions: Vec<Assertion>,
    pub follow_redirects: bool,
    pub timeout_ms: Option<u32>,
    /// The OpenAPI operation the request calls, for its contract check.
    pub contract: Option<sextant_model::ContractRef>,
    /// The request's tags (a load test reads its weight from `weight:N`).
    pub tags: Vec<String>,
}

impl Step {
    /// Whether the request sets the header `name` itself (any case): then a body's content
    /// type is not added.
    pub(crate) fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }
}

/// The requests of one folder (or of the collection's top level), in order.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    /// The folder names from the collection down; empty for top-level requests.
    pub path: Vec<String>,
    /// The variables of the folders, outer to inner.
    pub variables: Vec<VarDef>,
    pub steps: Vec<Step>,
}

pub(crate) struct Plan {
    pub collection: String,
    pub prefix: String,
    pub environment: Option<String>,
    pub collection_vars: Vec<VarDef>,
    /// The environment's variables, then every other name the requests use that nothing
    /// defines (secrets found in literals, undefined names): read from the environment only.
    pub environment_vars: Vec<VarDef>,
    pub base: Option<String>,
    pub groups: Vec<Group>,
    pub oauth2: Vec<OAuth2Config>,
    pub warnings: Vec<ConversionWarning>,
}

struct Builder {
    secrets: BTreeSet<String>,
    warnings: Vec<ConversionWarning>,
    oauth2: Vec<OAuth2Config>,
    groups: Vec<Group>,
}

fn has_scheme(url: &str) -> bool {
    url.starts_with("{{") || url.contains("://")
}

impl Plan {
    pub(crate) fn new(
        collection: &Collection,
        environment: Option<&str>,
    ) -> Result<Plan, ExportError> {
        let env = match environment {
            Some(name) => Some(
                collection
                    .environments
                    .iter()
                    .find(|e| e.name == name)
                    .ok_or_else(|| ExportError::UnknownEnvironment(name.to_owned()))?,
            ),
            None => collection.environments.first(),
        };
        let mut b = Builder {
            secrets: BTreeSet::new(),
            warnings: Vec::new(),
            oauth2: Vec::new(),
            groups: Vec::new(),
        };
        let mut chain = vec![collection.settings.clone()];
        b.walk(&collection.items, &mut Vec::new(), &mut chain);
        if b.groups.iter().all(|g| g.steps.is_empty()) {
            return Err(ExportError::Empty);
        }
        let base = base_url(&collection.settings, &b.groups);
        if let Some(base) = &base {
            for step in b.groups.iter_mut().flat_map(|g| g.steps.iter_mut()) {
                if let Some(rest) = step.url.strip_prefix(base.as_str()) {
                    step.url = rest.to_owned();
                    step.relative = true;
                }
            }
        }

        let texts = b.texts(base.as_deref());
        let (collection_vars, environment_vars) = variables::resolve(
            &collection.settings.variables,
            env.map(|e| e.variables.as_slice()),
            &b.secrets,
            &mut b.groups,
            texts,
        );
        Ok(Plan {
            collection: collection.name.clone(),
            prefix: env_prefix(&collection.name),
            environment: env.map(|e| e.name.clone()),
            collection_vars,
            environment_vars,
            base,
            groups: b
                .groups
                .into_iter()
                .filter(|g| !g.steps.is_empty())
                .collect(),
            oauth2: b.oauth2,
            warnings: b.warnings,
        })
    }

    pub(crate) fn steps(&self) -> impl Iterator<Item = &Step> {
        self.groups.iter().flat_map(|g| &g.steps)
    }
}

/// The collection's base URL, else the `{{variable}}` every request's URL starts with.
fn base_url(settings: &FolderSettings, groups: &[Group]) -> Option<String> {
    if let Some(base) = settings
        .base_url
        .as_deref()
        .filter(|b| !b.trim().is_empty())
    {
        return Some(base.trim_end_matches('/').to_owned());
    }
    let mut steps = groups.iter().flat_map(|g| &g.steps);
    let first = steps.next()?;
    let span = variables_in(&first.url).into_iter().next()?;
    if span.start != 0 {
        return None;
    }
    let prefix = &first.url[..span.end];
    steps
        .all(|s| s.url.starts_with(prefix))
        .then(|| prefix.to_owned())
}

impl Builder {
    fn warn(&mut self, location: &str, message: impl Into<String>) {
        self.warnings.push(ConversionWarning {
            location: location.to_owned(),
            message: message.into(),
        });
    }

    /// A credential as it may be written: a reference stays (its names become secret), a
    /// literal becomes `{{hint}}`.
    fn secret(&mut self, value: &str, hint: &str, location: &str) -> String {
        if value.is_empty() {
            return String::new();
        }
        let refs = variables_in(value);
        if refs.is_empty() {
            let var = variable_for(hint);
            self.secrets.insert(var.clone());
            self.warn(
                location,
                format!("the literal {hint} is read from the variable {{{{{var}}}}}: secrets are never written into exported code"),
            );
            return format!("{{{{{var}}}}}");
        }
        self.secrets.extend(refs.into_iter().map(|s| s.name));
        value.to_owned()
    }

    fn walk(
        &mut self,
        items: &[CollectionItem],
        path: &mut Vec<String>,
        chain: &mut Vec<FolderSettings>,
    ) {
        let mut current: Option<Group> = None;
        for item in items {
            match item {
                CollectionItem::Request(saved) => {
                    let group = current.get_or_insert_with(|| Group {
                        path: path.clone(),
                        variables: chain
                            .iter()
                            .skip(1)
                            .flat_map(|s| &s.variables)
                            .filter(|v| v.enabled)
                            .map(|v| VarDef {
                                name: v.name.clone(),
                                default: (!v.secret).then(|| v.value.clone()),
                            })
                            .collect(),
                        steps: Vec::new(),
                    });
                    if let Some(step) = self.step(saved, chain) {
                        group.steps.push(step);
                    }
                }
                CollectionItem::Folder(folder) => {
                    if let Some(g) = current.take() {
                        self.groups.push(g);
                    }
                    path.push(folder.name.clone());
                    chain.push(folder.settings.clone());
                    self.walk(&folder.items, path, chain);
                    chain.pop();
                    path.pop();
                }
            }
        }
        if let Some(g) = current {
            self.groups.push(g);
        }
    }

    fn step(&mut self, saved: &SavedRequest, chain: &[FolderSettings]) -> Option<Step> {
        let loc = saved.name.as_str();
        let r = &saved.request;
        let lower = r.url.trim_start().to_ascii_lowercase();
        if saved.websocket.is_some() || lower.starts_with("ws://") || lower.starts_with("wss://") {
            self.warn(loc, "a WebSocket request is not exported as code; left out");
            return None;
        }
        let mut url = r.url.trim().to_owned();
        if !has_scheme(&url) {
            if let Some(base) = chain
                .iter()
                .rev()
                .find_map(|s| s.base_url.as_deref().filter(|b| !b.trim().is_empty()))
            {
                url = format!("{}{}", base.trim_end_matches('/'), url);
            }
        }

        let mut headers = Vec::new();
        for row in chain.iter().flat_map(|s| &s.headers).chain(&r.headers) {
            if row.enabled && !row.name.trim().is_empty() {
                let value = if is_secret_name(&row.name) {
                    self.secret(&row.value, &row.name, loc)
                } else {
                    row.value.clone()
                };
                headers.push((row.name.clone(), value));
            }
        }
        let mut query = Vec::new();
        for row in r.query.iter().filter(|q| q.enabled) {
            let value = if is_secret_param(&row.name) {
                self.secret(&row.value, &row.name, loc)
            } else {
                row.value.clone()
            };
            query.push((row.name.clone(), value));
        }
        let mut body = r.body.clone();
        match &mut body {
            RequestBody::Form { fields } => self.secret_rows(fields, loc),
            RequestBody::Multipart { parts } => {
                for part in parts.iter_mut().filter(|p| p.enabled) {
                    if let PartValue::Text { text } = &mut part.value {
                        if is_secret_param(&part.name) {
                            *text = self.secret(text, &part.name, loc);
                        }
                    }
                }
            }
            _ => {}
        }

        let auth = match &saved.auth {
            Auth::Inherit => chain
                .iter()
                .rev()
                .map(|s| &s.auth)
                .find(|a| **a != Auth::Inherit)
                .cloned()
                .unwrap_or(Auth::None),
            other => other.clone(),
        };
        let auth = self.auth(auth, &mut headers, &mut query, loc);

        Some(Step {
            name: saved.name.clone(),
            method: r.method.trim().to_ascii_uppercase(),
            url,
            relative: false,
            query,
            headers,
            body,
            auth,
            variables: saved
                .variables
                .iter()
                .filter(|v| v.enabled)
                .map(|v| VarDef {
                    name: v.name.clone(),
                    default: (!v.secret).then(|| v.value.clone()),
                })
                .collect(),
            captures: saved.captures.clone(),
            assertions: saved
                .assertions
                .iter()
                .filter(|a| a.enabled)
                .cloned()
                .collect(),
            follow_redirects: r.settings.follow_redirects,
            timeout_ms: r.settings.timeout_ms,
            contract: saved.contract.clone(),
            tags: saved.tags.clone(),
        })
    }

    fn secret_rows(&mut self, rows: &mut [KeyValue], loc: &str) {
        for row in rows.iter_mut().filter(|r| r.enabled) {
            if is_secret_param(&row.name) {
                row.value = self.secret(&row.value, &row.name, loc);
            }
        }
    }

    fn auth(
        &mut self,
        auth: Auth,
        headers: &mut Vec<(String, String)>,
        query: &mut Vec<(String, String)>,
        loc: &str,
    ) -> StepAuth {
        match auth {
            Auth::Inherit | Auth::None => StepAuth::None,
            Auth::Basic { username, password } => StepAuth::Basic {
                username,
                password: self.secret(&password, "password", loc),
            },
            Auth::Digest {
                username, password, ..
            } => StepAuth::Digest {
                username,
                password: self.secret(&password, "password", loc),
            },
            Auth::Bearer { token } => {
                let token = self.secret(&token, "token", loc);
                headers.push(("Authorization".into(), format!("Bearer {token}")));
                StepAuth::None
            }
            Auth::ApiKey {
                name,
                value,
                location,
            } => {
                let value = self.secret(&value, &name, loc);
                match location {
                    ApiKeyLocation::Header => headers.push((name, value)),
                    ApiKeyLocation::Query => query.push((name, value)),
                    ApiKeyLocation::Cookie => {
                        headers.push(("Cookie".into(), format!("{name}={value}")))
                    }
                }
                StepAuth::None
            }
            Auth::AwsSigV4 { .. } => {
                self.warn(
                    loc,
                    "AWS Signature V4 is not exported as code: the request is sent unsigned",
                );
                StepAuth::None
            }
            Auth::OAuth2(config) => {
                let mut config = *config;
                if !matches!(
                    config.grant,
                    OAuth2Grant::ClientCredentials | OAuth2Grant::Password
                ) {
                    self.secrets.insert("accessToken".into());
                    self.warn(loc, "an OAuth 2.0 grant that needs a browser or a device is not run by exported code: the token is read from the variable {{accessToken}}");
                    let value = match &config.placement {
                        TokenPlacement::Header { prefix } if prefix.is_empty() => {
                            "{{accessToken}}".to_owned()
                        }
                        TokenPlacement::Header { prefix } => {
                            format!("{prefix} {{{{accessToken}}}}")
                        }
                        TokenPlacement::Query { .. } => "{{accessToken}}".to_owned(),
                    };
                    match config.placement {
                        TokenPlacement::Header { .. } => {
                            headers.push(("Authorization".into(), value))
                        }
                        TokenPlacement::Query { name } => query.push((name, value)),
                    }
                    return StepAuth::None;
                }
                if config.token_url.trim().is_empty() {
                    self.warn(loc, "the OAuth 2.0 token URL is empty (discovery is not exported): set it in the generated conftest.py");
                }
                config.client_secret = self.secret(&config.client_secret, "clientSecret", loc);
                config.password = self.secret(&config.password, "password", loc);
                let index = match self.oauth2.iter().position(|c| *c == config) {
                    Some(i) => i,
                    None => {
                        self.oauth2.push(config.clone());
                        self.oauth2.len() - 1
                    }
                };
                StepAuth::OAuth2 {
                    index,
                    placement: config.placement,
                }
            }
        }
    }

    /// Every template text of the export, for the names it uses.
    fn texts(&self, base: Option<&str>) -> Vec<String> {
        let mut out: Vec<String> = base.map(str::to_owned).into_iter().collect();
        for c in &self.oauth2 {
            out.extend([
                c.token_url.clone(),
                c.client_id.clone(),
                c.client_secret.clone(),
                c.username.clone(),
                c.password.clone(),
            ]);
        }
        for s in self.groups.iter().flat_map(|g| &g.steps) {
            out.push(s.url.clone());
            out.extend(s.query.iter().map(|(_, v)| v.clone()));
            out.extend(s.headers.iter().flat_map(|(n, v)| [n.clone(), v.clone()]));
            out.extend(s.assertions.iter().filter_map(|a| a.value.clone()));
            match &s.auth {
                StepAuth::Basic { username, password }
                | StepAuth::Digest { username, password } => {
                    out.extend([username.clone(), password.clone()]);
                }
                _ => {}
            }
            match &s.body {
                RequestBody::Text { text, .. } | RequestBody::Json { text } => {
                    out.push(text.clone())
                }
                RequestBody::Form { fields } => out.extend(fields.iter().map(|f| f.value.clone())),
                RequestBody::Multipart { parts } => {
                    for p in parts {
                        if let PartValue::Text { text } = &p.value {
                            out.push(text.clone());
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }
}
