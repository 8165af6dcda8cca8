//! The YAML shapes of the files in a collection folder, and their conversion to and from the
//! model types. These structs, not the model's, decide what a file looks like: keys in a fixed
//! order, defaults left out (empty lists, `enabled: true`, inherited auth, default settings), no
//! ids or counters. Converting a file to the model and back gives the same struct, so saving an
//! unchanged request rewrites the same bytes. See `docs/FORMAT.md`.
//!
//! Secrets never reach these structs: a secret variable keeps only its name, and a literal auth
//! secret becomes [`SECRET_MARKER`]. The values travel through [`SecretsOut`] / [`SecretsIn`],
//! keyed by a scope (`variables/<name>`, `auth/password`, ...) that the caller prefixes with the
//! file's path.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use sextant_model::{
    ApiKeyLocation, Auth, Capture, CaptureSource, Environment, FolderSettings, HttpRequest,
    HttpVersionPref, KeyValue, MultipartPart, PartValue, ProxySetting, RequestBody,
    RequestSettings, SavedRequest, Variable,
};

use crate::StoreError;

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

fn rows_out(rows: &[KeyValue]) -> Vec<Row> {
    rows.iter()
        .map(|kv| Row {
            name: kv.name.clone(),
            value: kv.value.clone(),
            enabled: kv.enabled,
        })
        .collect()
}

fn rows_in(rows: Vec<Row>) -> Vec<KeyValue> {
    rows.into_iter()
        .map(|r| KeyValue {
            name: r.name,
            value: r.value,
            enabled: r.enabled,
        })
        .collect()
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
    }
}

/// A capture: `{variable, body: <JSONPath>}` or `{variable, header: <name>}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawCapture")]
pub(crate) struct FileCapture {
    variable: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    header: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCapture {
    variable: String,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    header: Option<String>,
}

impl TryFrom<RawCapture> for FileCapture {
    type Error = String;

    fn try_from(raw: RawCapture) -> Result<Self, String> {
        if raw.body.is_some() == raw.header.is_some() {
            return Err(format!(
                "capture `{}` needs exactly one of `body` (a JSONPath) or `header` (a name)",
                raw.variable
            ));
        }
        Ok(Self {
            variable: raw.variable,
            body: raw.body,
            header: raw.header,
        })
    }
}

fn captures_out(captures: &[Capture]) -> Vec<FileCapture> {
    captures
        .iter()
        .map(|c| {
            let (body, header) = match &c.source {
                CaptureSource::Body { path } => (Some(path.clone()), None),
                CaptureSource::Header { name } => (None, Some(name.clone())),
            };
            FileCapture {
                variable: c.variable.clone(),
                body,
                header,
            }
        })
        .collect()
}

fn captures_in(captures: Vec<FileCapture>) -> Vec<Capture> {
    captures
        .into_iter()
        .map(|c| Capture {
            variable: c.variable,
            source: match (c.body, c.header) {
                (Some(path), _) => CaptureSource::Body { path },
                (None, name) => CaptureSource::Header {
                    name: name.unwrap_or_default(),
                },
            },
        })
        .collect()
}

/// A request body as written; `contentType` only when set.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub(crate) enum FileBody {
    #[default]
    None,
    Text {
        #[serde(rename = "contentType")]
        content_type: String,
        text: String,
    },
    Json {
        text: String,
    },
    Form {
        fields: Vec<Row>,
    },
    Multipart {
        parts: Vec<FilePart>,
    },
    Binary {
        path: String,
        #[serde(
            rename = "contentType",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        content_type: Option<String>,
    },
}

impl FileBody {
    fn is_none(&self) -> bool {
        *self == FileBody::None
    }
}

/// A multipart part: `{name, text}` or `{name, file, filename?, contentType?}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawPart", rename_all = "camelCase")]
pub(crate) struct FilePart {
    name: String,
    #[serde(skip_serializing_if = "is_true")]
    enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    filename: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_type: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawPart {
    name: String,
    #[serde(default = "yes")]
    enabled: bool,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    filename: Option<String>,
    #[serde(default)]
    content_type: Option<String>,
}

impl TryFrom<RawPart> for FilePart {
    type Error = String;

    fn try_from(raw: RawPart) -> Result<Self, String> {
        if raw.text.is_some() == raw.file.is_some() {
            return Err(format!(
                "multipart part `{}` needs exactly one of `text` or `file`",
                raw.name
            ));
        }
        if raw.text.is_some() && (raw.filename.is_some() || raw.content_type.is_some()) {
            return Err(format!(
                "multipart part `{}`: `filename` and `contentType` go with `file`",
                raw.name
            ));
        }
        Ok(Self {
            name: raw.name,
            enabled: raw.enabled,
            text: raw.text,
            file: raw.file,
            filename: raw.filename,
            content_type: raw.content_type,
        })
    }
}

fn body_out(body: &RequestBody) -> FileBody {
    match body {
        RequestBody::None => FileBody::None,
        RequestBody::Text { content_type, text } => FileBody::Text {
            content_type: content_type.clone(),
            text: text.clone(),
        },
        RequestBody::Json { text } => FileBody::Json { text: text.clone() },
        RequestBody::Form { fields } => FileBody::Form {
            fields: rows_out(fields),
        },
        RequestBody::Multipart { parts } => FileBody::Multipart {
            parts: parts
                .iter()
                .map(|p| {
                    let mut part = FilePart {
                        name: p.name.clone(),
                        enabled: p.enabled,
                        text: None,
                        file: None,
                        filename: None,
                        content_type: None,
                    };
                    match &p.value {
                        PartValue::Text { text } => part.text = Some(text.clone()),
                        PartValue::File {
                            path,
                            filename,
                            content_type,
                        } => {
                            part.file = Some(path.clone());
                            part.filename = filename.clone();
                            part.content_type = content_type.clone();
                        }
                    }
                    part
                })
                .collect(),
        },
        RequestBody::Binary { path, content_type } => FileBody::Binary {
            path: path.clone(),
            content_type: content_type.clone(),
        },
    }
}

fn body_in(body: FileBody) -> RequestBody {
    match body {
        FileBody::None => RequestBody::None,
        FileBody::Text { content_type, text } => RequestBody::Text { content_type, text },
        FileBody::Json { text } => RequestBody::Json { text },
        FileBody::Form { fields } => RequestBody::Form {
            fields: rows_in(fields),
        },
        FileBody::Multipart { parts } => RequestBody::Multipart {
            parts: parts
                .into_iter()
                .map(|p| MultipartPart {
                    name: p.name,
                    enabled: p.enabled,
                    value: match p.file {
                        Some(path) => PartValue::File {
                            path,
                            filename: p.filename,
                            content_type: p.content_type,
                        },
                        None => PartValue::Text {
                            text: p.text.unwrap_or_default(),
                        },
                    },
                })
                .collect(),
        },
        FileBody::Binary { path, content_type } => RequestBody::Binary { path, content_type },
    }
}

/// Request settings: only what differs from the defaults. `connectTimeoutMs: null` means no
/// connect limit (the default is 30 s).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct FileSettings {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    connect_timeout_ms: Option<Option<u32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    timeout_ms: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    follow_redirects: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_redirects: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    verify_tls: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    http_version: Option<HttpVersionPref>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    proxy: Option<ProxySetting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    proxy_loopback: Option<bool>,
}

/// A key that is present is `Some`, even when its value is `null`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<u32>>, D::Error> {
    Option::<u32>::deserialize(d).map(Some)
}

impl FileSettings {
    fn is_default(&self) -> bool {
        *self == FileSettings::default()
    }
}

fn differs<T: PartialEq + Clone>(value: &T, default: &T) -> Option<T> {
    (value != default).then(|| value.clone())
}

fn settings_out(s: &RequestSettings) -> FileSettings {
    let d = RequestSettings::default();
    FileSettings {
        connect_timeout_ms: differs(&s.connect_timeout_ms, &d.connect_timeout_ms),
        timeout_ms: s.timeout_ms,
        follow_redirects: differs(&s.follow_redirects, &d.follow_redirects),
        max_redirects: differs(&s.max_redirects, &d.max_redirects),
        verify_tls: differs(&s.verify_tls, &d.verify_tls),
        http_version: differs(&s.http_version, &d.http_version),
        proxy: differs(&s.proxy, &d.proxy),
        proxy_loopback: differs(&s.proxy_loopback, &d.proxy_loopback),
    }
}

fn settings_in(f: FileSettings) -> RequestSettings {
    let d = RequestSettings::default();
    RequestSettings {
        connect_timeout_ms: f.connect_timeout_ms.unwrap_or(d.connect_timeout_ms),
        timeout_ms: f.timeout_ms,
        follow_redirects: f.follow_redirects.unwrap_or(d.follow_redirects),
        max_redirects: f.max_redirects.unwrap_or(d.max_redirects),
        verify_tls: f.verify_tls.unwrap_or(d.verify_tls),
        http_version: f.http_version.unwrap_or(d.http_version),
        proxy: f.proxy.unwrap_or(d.proxy),
        proxy_loopback: f.proxy_loopback.unwrap_or(d.proxy_loopback),
    }
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
    #[serde(default, skip_serializing_if = "FileSettings::is_default")]
    settings: FileSettings,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    docs: String,
}

impl RequestFile {
    pub(crate) fn from_model(req: &SavedRequest, secrets: &mut SecretsOut) -> Self {
        let http = &req.request;
        Self {
            name: req.name.clone(),
            method: http.method.clone(),
            url: http.url.clone(),
            query: rows_out(&http.query),
            headers: rows_out(&http.headers),
            body: body_out(&http.body),
            auth: auth_out(&req.auth, secrets),
            variables: variables_out(&req.variables, secrets),
            captures: captures_out(&req.captures),
            settings: settings_out(&http.settings),
            docs: req.docs.clone(),
        }
    }

    pub(crate) fn into_model(self, secrets: &mut SecretsIn) -> SavedRequest {
        SavedRequest {
            name: self.name,
            request: HttpRequest {
                method: self.method,
                url: self.url,
                query: rows_in(self.query),
                headers: rows_in(self.headers),
                body: body_in(self.body),
                settings: settings_in(self.settings),
            },
            auth: auth_in(self.auth, secrets),
            variables: variables_in(self.variables, secrets),
            captures: captures_in(self.captures),
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
            order: Vec::new(),
        }
    }

    /// Replaces the settings, keeping the name and order.
    pub(crate) fn set_settings(&mut self, settings: &FolderSettings, secrets: &mut SecretsOut) {
        self.base_url = settings.base_url.clone();
        self.headers = rows_out(&settings.headers);
        self.auth = auth_out(&settings.auth, secrets);
        self.variables = variables_out(&settings.variables, secrets);
    }

    pub(crate) fn settings(&self, secrets: &mut SecretsIn) -> FolderSettings {
        FolderSettings {
            base_url: self.base_url.clone(),
            headers: rows_in(self.headers.clone()),
            auth: auth_in(self.auth.clone(), secrets),
            variables: variables_in(self.variables.clone(), secrets),
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
