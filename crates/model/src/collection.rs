//! What a user keeps: saved requests grouped in collections and folders, the variables and
//! environments they are templated with, and the auth they inherit.
//!
//! These are the in-memory shapes shared by the file store (`sextant-store`), the templating
//! (`sextant-template`), import/export (`sextant-interchange`) and the window. How they are laid
//! out on disk is the store's business (see `docs/FORMAT.md`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Assertion, HttpRequest, KeyValue, WebSocketSettings};

/// A named value for `{{name}}` templating. A secret variable's value never goes into a
/// collection file: the file keeps its name and the value lives in the local secret store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Variable {
    pub name: String,
    pub value: String,
    #[serde(default)]
    pub secret: bool,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

impl Variable {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
            secret: false,
            enabled: true,
        }
    }

    pub fn secret(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            secret: true,
            ..Self::new(name, value)
        }
    }
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ApiKeyLocation {
    #[default]
    Header,
    Query,
    /// A `name=value` pair added to the request's `Cookie` header.
    Cookie,
}

/// The hash a Digest answer uses (RFC 7616 §3.3). `Auto` answers with what the server's
/// challenge names (the strongest one when it offers several; MD5 when it names none); any other
/// choice answers only a challenge offering that algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum DigestAlgorithm {
    #[default]
    #[serde(rename = "auto")]
    Auto,
    #[serde(rename = "MD5")]
    Md5,
    #[serde(rename = "MD5-sess")]
    Md5Sess,
    #[serde(rename = "SHA-256")]
    Sha256,
    #[serde(rename = "SHA-256-sess")]
    Sha256Sess,
}

impl DigestAlgorithm {
    /// The token as written in `WWW-Authenticate` and files; `auto` for [`DigestAlgorithm::Auto`].
    pub fn as_str(self) -> &'static str {
        match self {
            DigestAlgorithm::Auto => "auto",
            DigestAlgorithm::Md5 => "MD5",
            DigestAlgorithm::Md5Sess => "MD5-sess",
            DigestAlgorithm::Sha256 => "SHA-256",
            DigestAlgorithm::Sha256Sess => "SHA-256-sess",
        }
    }

    /// Reads a token as servers and other tools write it, ignoring case; `None` when unknown.
    pub fn parse(token: &str) -> Option<Self> {
        let t = token.trim();
        [
            DigestAlgorithm::Auto,
            DigestAlgorithm::Md5,
            DigestAlgorithm::Md5Sess,
            DigestAlgorithm::Sha256,
            DigestAlgorithm::Sha256Sess,
        ]
        .into_iter()
        .find(|a| a.as_str().eq_ignore_ascii_case(t))
    }
}

/// How a request authenticates. Every text field may hold `{{variables}}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum Auth {
    /// Use the nearest folder's or the collection's auth.
    #[default]
    Inherit,
    /// No auth, even when a parent has some.
    None,
    Basic {
        username: String,
        password: String,
    },
    Bearer {
        token: String,
    },
    ApiKey {
        name: String,
        value: String,
        location: ApiKeyLocation,
    },
    /// HTTP Digest (RFC 7616): the engine answers the server's 401 challenge.
    Digest {
        username: String,
        password: String,
        #[serde(default)]
        algorithm: DigestAlgorithm,
    },
    /// AWS Signature Version 4: the engine signs the request as it is sent.
    #[serde(rename_all = "camelCase")]
    AwsSigV4 {
        access_key: String,
        secret_key: String,
        /// Sent as `X-Amz-Security-Token` when not empty (temporary credentials).
        #[serde(default)]
        session_token: String,
        region: String,
        service: String,
    },
    /// OAuth 2.0: a token from one of the grants, kept in the secret store (never in the file);
    /// the app obtains it and adds it to the request.
    #[serde(rename = "oauth2")]
    OAuth2(Box<crate::OAuth2Config>),
}

/// Where a captured value is read from in a response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum CaptureSource {
    /// A JSONPath into a JSON body, such as `$.items[0].id`.
    Body { path: String },
    /// A response header, by case-insensitive name.
    Header { name: String },
    /// A JSONPath into the data of one event (SSE) or record (NDJSON, JSON sequence) of a
    /// streamed body: the `nth` (from 1) or, without it, the last; with `event`, counting only
    /// SSE events of that type.
    Record {
        path: String,
        #[serde(default)]
        nth: Option<u64>,
        #[serde(default)]
        event: Option<String>,
    },
}

/// After a response arrives, store a value from it into a variable, to chain requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Capture {
    pub variable: String,
    pub source: CaptureSource,
}

/// Settings a collection or folder hands down to everything inside it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct FolderSettings {
    /// Prefixed to request URLs that do not start with a scheme or `{{`.
    pub base_url: Option<String>,
    /// Sent with every request inside, before the request's own headers.
    pub headers: Vec<KeyValue>,
    pub auth: Auth,
    pub variables: Vec<Variable>,
    /// Client certificates (mTLS) for requests inside, by host pattern; a folder's come before
    /// those of the folders around it and the collection's.
    pub client_certificates: Vec<crate::ClientCertificate>,
    /// A run keeps the order of the requests inside, even when it sends requests in parallel
    /// (each waits for the one before it; the folder as a whole runs beside the others).
    pub sequential: bool,
}

/// A request as saved in a collection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SavedRequest {
    pub name: String,
    pub request: HttpRequest,
    #[serde(default)]
    pub auth: Auth,
    #[serde(default)]
    pub variables: Vec<Variable>,
    #[serde(default)]
    pub captures: Vec<Capture>,
    /// Checks run on each response (absent when there are none, so what is stored of a request
    /// without assertions is unchanged).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<Assertion>>", optional)]
    pub assertions: Vec<Assertion>,
    /// The OpenAPI operation this request calls (set by an import from a spec): each response
    /// is checked against it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub contract: Option<crate::ContractRef>,
    /// Free Markdown notes.
    #[serde(default)]
    pub docs: String,
    /// Labels a run selects requests by (`sextant run --tag smoke`); absent when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<String>>", optional)]
    pub tags: Vec<String>,
    /// Set when this request is a WebSocket connection rather than an HTTP exchange.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub websocket: Option<WebSocketSettings>,
}

impl SavedRequest {
    pub fn new(name: impl Into<String>, request: HttpRequest) -> Self {
        Self {
            name: name.into(),
            request,
            auth: Auth::Inherit,
            variables: Vec::new(),
            captures: Vec::new(),
            assertions: Vec::new(),
            contract: None,
            docs: String::new(),
            tags: Vec::new(),
            websocket: None,
        }
    }
}

/// A folder inside a collection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Folder {
    pub name: String,
    #[serde(default)]
    pub settings: FolderSettings,
    #[serde(default)]
    pub items: Vec<CollectionItem>,
}

/// One entry of a collection or folder, in the user's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "camelCase")]
#[ts(export)]
// Most items are requests: boxing them would cost an allocation each to save folders' bytes.
#[allow(clippy::large_enum_variant)]
pub enum CollectionItem {
    Folder(Folder),
    Request(SavedRequest),
}

/// A whole collection in memory: what importers produce and exporters consume.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Collection {
    pub name: String,
    #[serde(default)]
    pub settings: FolderSettings,
    #[serde(default)]
    pub items: Vec<CollectionItem>,
    /// Environments that came with it (a Postman export's environments, say).
    #[serde(default)]
    pub environments: Vec<Environment>,
}

/// A named set of variables the user switches between (local, staging, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Environment {
    pub name: String,
    #[serde(default)]
    pub variables: Vec<Variable>,
}
