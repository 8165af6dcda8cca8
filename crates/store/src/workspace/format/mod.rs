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
//!
//! This module keeps the three file structs and their shared pieces (`Row`, `ShapeError`, YAML
//! reading and writing); each part of a file that has rules of its own lives in a submodule:
//! `secrets`, `variables`, `auth`, `captures`, `credentials`, `body`, `assertions`, `settings`,
//! `tls`, `websocket`.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sextant_model::{ContractRef, Environment, FolderSettings, HttpRequest, SavedRequest};

use crate::StoreError;

mod assertions;
mod auth;
mod body;
mod captures;
mod credentials;
mod secrets;
mod settings;
mod tls;
mod variables;
mod websocket;

use assertions::{assertions_in, assertions_out, FileAssertion};
use auth::{auth_in, auth_out, FileAuth};
use body::{body_in, body_out, FileBody};
use captures::{captures_in, captures_out, FileCapture};
use credentials::{url_in, url_out, HEADERS, QUERY};
use settings::{settings_in, settings_out, FileSettings};
use tls::{certs_in, certs_out, FileClientCert};
use variables::{variables_in, variables_out, FileVariable};
use websocket::{websocket_in, websocket_out, FileWebSocket};

pub use secrets::{is_plain_reference, SECRET_MARKER};
use secrets::{secret_in, secret_out};
pub(crate) use secrets::{SecretsIn, SecretsOut};

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
