//! The YAML shapes of the files in a collection folder, and their conversion to and from the
//! model types. These structs, not the model's, decide what a file looks like: keys in a fixed
//! order, defaults left out (empty lists, `enabled: true`, inherited auth, default settings), no
//! ids or counters. Converting a file to the model and back gives the same struct, so saving an
//! unchanged request rewrites the same bytes. See `docs/FORMAT.md`.
//!
//! Secrets never reach these structs: a secret variable keeps only its name, and a literal auth
//! secret or literal credential elsewhere in a request (see `credentials`) becomes
//! [`SECRET_MARKER`]. The values travel through [`SecretsOut`] / [`SecretsIn`], keyed by a scope
//! (`variables/<name>`, `auth/password`, `headers/0/Authorization`, ...) that the caller
//! prefixes with the file's path.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sextant_model::{
    ApiKeyLocation, Auth, Capture, CaptureSource, ContractRef, DigestAlgorithm, Environment,
    FolderSettings, HttpRequest, OAuth2Config, SavedRequest, Variable,
};

use crate::StoreError;

mod assertions;
mod body;
mod credentials;
mod settings;
mod tls;
mod websocket;

use assertions::{assertions_in, assertions_out, FileAssertion};
use body::{body_in, body_out, FileBody};
use credentials::{url_in, url_out, HEADERS, QUERY};
use settings::{settings_in, settings_out, FileSettings};
use tls::{certs_in, certs_out, FileClientCert};
use websocket::{websocket_in, websocket_out, FileWebSocket};

/// What a file holds in place of a literal auth secret (Basic password, Bearer token, API key
/// value) whose value is in the secret store.
pub const SECRET_MARKER: &str = "<secret>";

/// Secret values taken out of a model value while converting it to a file: `(scope, value)`.
#[derive(Debug, Default)]
pub(crate) struct SecretsOut {
    pub(crate) values: Vec<(String, String)>,
}

/// Secret values to fill back while converting a file to the model.
pub(crate) struct SecretsIn<'a> {
    lookup: &'a dyn Fn(&str) -> Option<String>,
    /// Scopes that the file refers to but the store does not have (a fresh clone of the folder).
    pub(crate) missing: Vec<String>,
}

impl<'a> SecretsIn<'a> {
    pub(crate) fn new(lookup: &'a dyn Fn(&str) -> Option<String>) -> Self {
        Self {
            lookup,
            missing: Vec::new(),
        }
    }

    fn take(&mut self, scope: String) -> String {
        match (self.lookup)(&scope) {
            Some(value) => value,
            None => {
                self.missing.push(scope);
                String::new()
            }
        }
    }
}

fn is_true(b: &bool) -> bool {
    *b
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn yes() -> bool {
    true
}

/// One table row: `{name, value}` plus `enabled: false` when it is off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Row {
    name: String,
    #[serde(default)]
    value: String,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    enabled: bool,
}

/// A variable; a secret one has no `value` here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileVariable {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    secret: bool,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    enabled: bool,
}

fn variables_out(vars: &[Variable], secrets: &mut SecretsOut) -> Vec<FileVariable> {
    vars.iter()
        .map(|v| {
            let value = if v.secret {
                secrets
                    .values
                    .push((format!("variables/{}", v.name), v.value.clone()));
                None
            } else {
                Some(v.value.clone())
            };
            FileVariable {
                name: v.name.clone(),
                value,
                secret: v.secret,
                enabled: v.enabled,
            }
        })
        .collect()
}

fn variables_in(vars: Vec<FileVariable>, secrets: &mut SecretsIn) -> Vec<Variable> {
    vars.into_iter()
        .map(|v| {
            let value = if v.secret {
                // A value typed into the file by hand wins over a missing store entry.
                match v.value {
                    Some(value) => value,
                    None => secrets.take(format!("variables/{}", v.name)),
                }
            } else {
                v.value.unwrap_or_default()
            };
            Variable {
                name: v.name,
                value,
                secret: v.secret,
                enabled: v.enabled,
            }
        })
        .collect()
}

/// Auth as written: literal secrets replaced by [`SECRET_MARKER`], API key location only when
/// it is not the header.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub(crate) enum FileAuth {
    #[default]
    Inherit,
    None,
    Basic {
        username: String,
        #[serde(default)]
        password: String,
    },
    Bearer {
        token: String,
    },
    ApiKey {
        name: String,
        value: String,
        #[serde(default, skip_serializing_if = "is_header")]
        location: ApiKeyLocation,
    },
    Digest {
        username: String,
        #[serde(default)]
        password: String,
        #[serde(default, skip_serializing_if = "is_auto")]
        algorithm: DigestAlgorithm,
    },
    #[serde(rename_all = "camelCase")]
    AwsSigV4 {
        access_key: String,
        #[serde(default)]
        secret_key: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        session_token: String,
        region: String,
        service: String,
    },
    /// The client secret and the password grant's password go to the secret store.
    #[serde(rename = "oauth2")]
    OAuth2(Box<OAuth2Config>),
}

fn is_auto(algorithm: &DigestAlgorithm) -> bool {
    *algorithm == DigestAlgorithm::Auto
}

fn is_header(location: &ApiKeyLocation) -> bool {
    *location == ApiKeyLocation::Header
}

impl FileAuth {
    fn is_inherit(&self) -> bool {
        *self == FileAuth::Inherit
    }
}

/// Whether a value may stay in a file: empty, or nothing but one `{{variable}}` reference.
pub fn is_plain_reference(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() {
        return true;
    }
    match v.strip_prefix("{{").and_then(|r| r.strip_suffix("}}")) {
        Some(inner) => {
            let inner = inner.trim();
            !inner.is_empty() && !inner.contains(['{', '}', '\n', '\r'])
        }
        None => false,
    }
}

fn secret_out(scope: &str, value: &str, secrets: &mut SecretsOut) -> String {
    if is_plain_reference(value) {
        value.to_string()
    } else {
        secrets.values.push((scope.to_string(), value.to_string()));
        SECRET_MARKER.to_string()
    }
}

fn secret_in(scope: &str, value: String, secrets: &mut SecretsIn) -> String {
    if value == SECRET_MARKER {
        secrets.take(scope.to_string())
    } else {
        value
    }
}

fn auth_out(auth: &Auth, secrets: &mut SecretsOut) -> FileAuth {
    match auth {
        Auth::Inherit => FileAuth::Inherit,
        Auth::None => FileAuth::None,
        Auth::Basic { username, password } => FileAuth::Basic {
            username: username.clone(),
            password: secret_out("auth/password", password, secrets),
        },
        Auth::Bearer { token } => FileAuth::Bearer {
            token: secret_out("auth/token", token, secrets),
        },
        Auth::ApiKey {
            name,
            value,
            location,
        } => FileAuth::ApiKey {
            name: name.clone(),
            value: secret_out("auth/value", value, secrets),
            location: *location,
        },
        Auth::Digest {
            username,
            password,
            algorithm,
        } => FileAuth::Digest {
            username: username.clone(),
            password: secret_out("auth/password", password, secrets),
            algorithm: *algorithm,
        },
        Auth::AwsSigV4 {
            access_key,
            secret_key,
            session_token,
            region,
            service,
        } => FileAuth::AwsSigV4 {
            access_key: access_key.clone(),
            secret_key: secret_out("auth/secretKey", secret_key, secrets),
            session_token: secret_out("auth/sessionToken", session_token, secrets),
            region: region.clone(),
            service: service.clone(),
        },
        Auth::OAuth2(config) => FileAuth::OAuth2(Box::new(OAuth2Config {
            client_secret: secret_out("auth/clientSecret", &config.client_secret, secrets),
            password: secret_out("auth/password", &config.password, secrets),
            ..(**config).clone()
        })),
    }
}

fn auth_in(auth: FileAuth, secrets: &mut SecretsIn) -> Auth {
    match auth {
        FileAuth::Inherit => Auth::Inherit,
        FileAuth::None => Auth::None,
        FileAuth::Basic { username, password } => Auth::Basic {
            username,
            password: secret_in("auth/password", password, secrets),
        },
        FileAuth::Bearer { token } => Auth::Bearer {
            token: secret_in("auth/token", token, secrets),
        },
        FileAuth::ApiKey {
            name,
            value,
            location,
        } => Auth::ApiKey {
            name,
            value: secret_in("auth/value", value, secrets),
            location,
        },
        FileAuth::Digest {
            username,
            password,
            algorithm,
        } => Auth::Digest {
            username,
            password: secret_in("auth/password", password, secrets),
            algorithm,
        },
        FileAuth::AwsSigV4 {
            access_key,
            secret_key,
            session_token,
            region,
            service,
        } => Auth::AwsSigV4 {
            access_key,
            secret_key: secret_in("auth/secretKey", secret_key, secrets),
            session_token: secret_in("auth/sessionToken", session_token, secrets),
            region,
            service,
        },
        FileAuth::OAuth2(config) => Auth::OAuth2(Box::new(OAuth2Config {
            client_secret: secret_in("auth/clientSecret", config.client_secret.clone(), secrets),
            password: secret_in("auth/password", config.password.clone(), secrets),
            ..*config
        })),
    }
}

/// A capture: `{variable, body: <JSONPath>}`, `{variable, header: <name>}` or
/// `{variable, record: <JSONPath>, nth?: <n from 1>, event?: <SSE type>}` (an event stream's
/// n-th or last event/record).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawCapture")]
pub(crate) struct FileCapture {
    variable: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    header: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nth: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    event: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCapture {
    variable: String,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    header: Option<String>,
    #[serde(default)]
    record: Option<String>,
    #[serde(default)]
    nth: Option<u64>,
    #[serde(default)]
    event: Option<String>,
}

/// A request file's entry whose keys parse but do not fit together; serde reports it with the
/// line and column of the entry.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ShapeError {
    #[error(
        "capture `{0}` needs exactly one of `body` (a JSONPath), `header` (a name) or `record` (a \
         JSONPath into an event's data)"
    )]
    CaptureSource(String),
    #[error("capture `{0}`: `nth` and `event` go with `record`")]
    CaptureRecordOptions(String),
    #[error("multipart part `{0}` needs exactly one of `text` or `file`")]
    PartSource(String),
    #[error("multipart part `{0}`: `filename` and `contentType` go with `file`")]
    PartFileOptions(String),
}

impl TryFrom<RawCapture> for FileCapture {
    type Error = ShapeError;

    fn try_from(raw: RawCapture) -> Result<Self, ShapeError> {
        let sources = [
            raw.body.is_some(),
            raw.header.is_some(),
            raw.record.is_some(),
        ];
        if sources.iter().filter(|&&set| set).count() != 1 {
            return Err(ShapeError::CaptureSource(raw.variable));
        }
        if raw.record.is_none() && (raw.nth.is_some() || raw.event.is_some()) {
            return Err(ShapeError::CaptureRecordOptions(raw.variable));
        }
        Ok(Self {
            variable: raw.variable,
            body: raw.body,
            header: raw.header,
            record: raw.record,
            nth: raw.nth,
            event: raw.event,
        })
    }
}

fn captures_out(captures: &[Capture]) -> Vec<FileCapture> {
    captures
        .iter()
        .map(|c| {
            let mut out = FileCapture {
                variable: c.variable.clone(),
                body: None,
                header: None,
                record: None,
                nth: None,
                event: None,
            };
            match &c.source {
                CaptureSource::Body { path } => out.body = Some(path.clone()),
                CaptureSource::Header { name } => out.header = Some(name.clone()),
                CaptureSource::Record { path, nth, event } => {
                    out.record = Some(path.clone());
                    out.nth = *nth;
                    out.event = event.clone();
                }
            }
            out
        })
        .collect()
}

fn captures_in(captures: Vec<FileCapture>) -> Vec<Capture> {
    captures
        .into_iter()
        .map(|c| Capture {
            variable: c.variable,
            source: match (c.body, c.header, c.record) {
                (Some(path), _, _) => CaptureSource::Body { path },
                (None, _, Some(path)) => CaptureSource::Record {
                    path,
                    nth: c.nth,
                    event: c.event,
                },
                (None, name, None) => CaptureSource::Header {
                    name: name.unwrap_or_default(),
                },
            },
        })
        .collect()
}

/// `<name>.yaml`: one saved request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct RequestFile {
    pub(crate) name: String,
    pub(crate) method: String,
    pub(crate) url: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    query: Vec<Row>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    headers: Vec<Row>,
    #[serde(default, skip_serializing_if = "FileBody::is_none")]
    body: FileBody,
    #[serde(default, skip_serializing_if = "FileAuth::is_inherit")]
    auth: FileAuth,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    variables: Vec<FileVariable>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    captures: Vec<FileCapture>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    assertions: Vec<FileAssertion>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    /// The OpenAPI operation the request calls (contract checks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    contract: Option<ContractRef>,
    #[serde(default, skip_serializing_if = "FileSettings::is_default")]
    settings: FileSettings,
    /// Present when the request is a WebSocket connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    websocket: Option<FileWebSocket>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    docs: String,
}

impl RequestFile {
    pub(crate) fn from_model(req: &SavedRequest, secrets: &mut SecretsOut) -> Self {
        let http = &req.request;
        Self {
            name: req.name.clone(),
            method: http.method.clone(),
            url: url_out("url/password", &http.url, secrets),
            query: credentials::rows_out(QUERY, &http.query, secrets),
            headers: credentials::rows_out(HEADERS, &http.headers, secrets),
            body: body_out(&http.body, secrets),
            auth: auth_out(&req.auth, secrets),
            variables: variables_out(&req.variables, secrets),
            captures: captures_out(&req.captures),
            assertions: assertions_out(&req.assertions),
            contract: req.contract.clone(),
            tags: req.tags.clone(),
            settings: settings_out(&http.settings),
            websocket: websocket_out(req.websocket.as_ref()),
            docs: req.docs.clone(),
        }
    }

    pub(crate) fn into_model(self, secrets: &mut SecretsIn) -> SavedRequest {
        SavedRequest {
            name: self.name,
            request: HttpRequest {
                method: self.method,
                url: url_in("url/password", self.url, secrets),
                query: credentials::rows_in(QUERY, self.query, secrets),
                headers: credentials::rows_in(HEADERS, self.headers, secrets),
                body: body_in(self.body, secrets),
                settings: settings_in(self.settings),
                credentials: Vec::new(),
                signing: None,
            },
            auth: auth_in(self.auth, secrets),
            variables: variables_in(self.variables, secrets),
            captures: captures_in(self.captures),
            assertions: assertions_in(self.assertions),
            contract: self.contract,
            tags: self.tags,
            websocket: websocket_in(self.websocket),
            docs: self.docs,
        }
    }
}

/// `collection.yaml` and `folder.yaml`: a name, the settings handed down, and the order of the
/// children (file and folder names) when the user chose one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct FolderFile {
    pub(crate) name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    base_url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    headers: Vec<Row>,
    #[serde(default, skip_serializing_if = "FileAuth::is_inherit")]
    auth: FileAuth,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    variables: Vec<FileVariable>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    client_certificates: Vec<FileClientCert>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    sequential: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) order: Vec<String>,
}

impl FolderFile {
    pub(crate) fn new(name: &str) -> Self {
        Self {
            name: name.to_string(),
            base_url: None,
            headers: Vec::new(),
            auth: FileAuth::Inherit,
            variables: Vec::new(),
            client_certificates: Vec::new(),
            sequential: false,
            order: Vec::new(),
        }
    }

    /// Replaces the settings, keeping the name and order.
    pub(crate) fn set_settings(&mut self, settings: &FolderSettings, secrets: &mut SecretsOut) {
        self.base_url = settings
            .base_url
            .as_deref()
            .map(|url| url_out("baseUrl/password", url, secrets));
        self.headers = credentials::rows_out(HEADERS, &settings.headers, secrets);
        self.auth = auth_out(&settings.auth, secrets);
        self.variables = variables_out(&settings.variables, secrets);
        self.client_certificates = certs_out(&settings.client_certificates, secrets);
        self.sequential = settings.sequential;
    }

    pub(crate) fn settings(&self, secrets: &mut SecretsIn) -> FolderSettings {
        FolderSettings {
            base_url: self
                .base_url
                .clone()
                .map(|url| url_in("baseUrl/password", url, secrets)),
            headers: credentials::rows_in(HEADERS, self.headers.clone(), secrets),
            auth: auth_in(self.auth.clone(), secrets),
            variables: variables_in(self.variables.clone(), secrets),
            client_certificates: certs_in(&self.client_certificates, secrets),
            sequential: self.sequential,
        }
    }
}

/// `environments/<name>.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EnvironmentFile {
    name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    variables: Vec<FileVariable>,
}

impl EnvironmentFile {
    pub(crate) fn from_model(env: &Environment, secrets: &mut SecretsOut) -> Self {
        Self {
            name: env.name.clone(),
            variables: variables_out(&env.variables, secrets),
        }
    }

    pub(crate) fn into_model(self, secrets: &mut SecretsIn) -> Environment {
        Environment {
            name: self.name,
            variables: variables_in(self.variables, secrets),
        }
    }

    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn set_name(&mut self, name: &str) {
        self.name = name.to_string();
    }
}

/// The YAML text of a file struct.
pub(crate) fn to_yaml<T: Serialize>(value: &T) -> String {
    serde_norway::to_string(value).unwrap_or_else(|e| {
        // Plain structs of strings, numbers, lists and tagged enums always serialise.
        unreachable!("a file struct failed to serialise: {e}")
    })
}

/// Parses a file, reporting where it is wrong.
pub(crate) fn from_yaml<T: DeserializeOwned>(path: &str, bytes: &[u8]) -> Result<T, StoreError> {
    serde_norway::from_slice(bytes).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        let mut message = e.to_string();
        if let Some(at) = message.find(" at line ") {
            message.truncate(at);
        }
        StoreError::InvalidFile {
            path: path.to_string(),
            line,
            column,
            message,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_references_count_as_plain() {
        for plain in ["", "  ", "{{token}}", " {{ token }} "] {
            assert!(is_plain_reference(plain), "{plain:?}");
        }
        for literal in [
            "abc",
            "Bearer {{token}}",
            "{{a}}{{b}}",
            "{{}}",
            "{{a\nb}}",
            "{{token",
        ] {
            assert!(!is_plain_reference(literal), "{literal:?}");
        }
    }
}
