//! The one normalised shape every Swagger 2.0 / OpenAPI 3.0 / 3.1 document is imported into.
//!
//! Plain data with serde (camelCase) because it crosses the IPC bridge to the UI. Schemas are
//! shared through `Arc` so a component used in a thousand places is built and stored once. Written
//! out directly, each use is in full (the `ref_name` says where it came from), which is
//! exponential for a document whose components each use the next one twice; what the window gets
//! instead is a payload (`payload.rs`) that writes each shared node once.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// Which specification the document follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub enum SpecVersion {
    Swagger2,
    OpenApi30,
    OpenApi31,
}

/// An imported API description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct ApiSpec {
    pub version: SpecVersion,
    /// The version exactly as the document states it (`"2.0"`, `"3.0.3"`, `"3.1.0"`).
    pub raw_version: String,
    pub title: String,
    /// Markdown (CommonMark), as the document gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `info.version`: the version of the API itself.
    pub api_version: String,
    /// Never empty: a document without servers gets `/` (relative to where it was loaded from).
    pub servers: Vec<Server>,
    pub operations: Vec<Operation>,
    /// Named schemas (`components/schemas`, `definitions`) in document order, followed by the
    /// named schemas of other files that the document refers to.
    pub schemas: Vec<NamedSchema>,
    pub security_schemes: Vec<SecurityScheme>,
    /// Declared tags in document order, then tags that operations use without declaring them.
    pub tags: Vec<Tag>,
    pub warnings: Vec<Warning>,
}

/// Something the importer skipped or guessed, and where (a JSON pointer; nodes of other files
/// are prefixed with `file#`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct Warning {
    pub pointer: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct Server {
    /// May contain `{variable}`s and may be relative (`/api/v1`).
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variables: Vec<ServerVariable>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct ServerVariable {
    pub name: String,
    pub default: String,
    #[serde(rename = "enum", default, skip_serializing_if = "Vec::is_empty")]
    pub enum_values: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct Tag {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct NamedSchema {
    pub name: String,
    pub schema: Arc<Schema>,
}

/// One method on one path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct Operation {
    /// `operationId`, or `"METHOD path"` when the document gives none.
    pub id: String,
    /// Uppercase: `GET`, `POST`, ...
    pub method: String,
    /// The path template as written (`/items/{item_id}`).
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// Path-level parameters merged in (the operation's own win on name + location).
    pub parameters: Vec<Parameter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_body: Option<RequestBodySpec>,
    pub responses: Vec<ResponseSpec>,
    /// Alternatives (any one suffices), each a set of schemes used together. Inherited from the
    /// document when the operation has none; an empty alternative means "no auth needed".
    pub security: Vec<Vec<SecurityRequirement>>,
    /// Servers that override the document's for this operation (path- or operation-level).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<Server>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub enum ParameterLocation {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct Parameter {
    pub name: String,
    pub location: ParameterLocation,
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    pub schema: Arc<Schema>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub example: Option<Value>,
    /// Serialisation style (`form`, `simple`, `spaceDelimited`, ...); Swagger 2.0's
    /// `collectionFormat` is translated to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explode: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct RequestBodySpec {
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub content: Vec<MediaType>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct MediaType {
    /// `application/json`, `multipart/form-data`, ... (may be a range like `image/*`).
    pub media_type: String,
    /// Empty (any value) when the document gives none.
    pub schema: Arc<Schema>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub example: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct ResponseSpec {
    /// `"200"`, `"4XX"` or `"default"`.
    pub status: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<ResponseHeader>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub content: Vec<MediaType>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct ResponseHeader {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    pub schema: Arc<Schema>,
}

/// One scheme of a security requirement, with the OAuth2/OIDC scopes it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct SecurityRequirement {
    pub scheme: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct SecurityScheme {
    /// The key operations refer to it by.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(flatten)]
    pub kind: SecuritySchemeKind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export, export_to = "openapi/")]
pub enum SecuritySchemeKind {
    /// A key sent in a header, query parameter or cookie named `param_name`.
    ApiKey {
        param_name: String,
        location: ParameterLocation,
    },
    /// HTTP authentication: `basic`, `bearer`, `digest`, ...
    Http {
        scheme: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bearer_format: Option<String>,
    },
    #[serde(rename = "oauth2")]
    OAuth2 {
        flows: Vec<OAuthFlow>,
    },
    OpenIdConnect {
        url: String,
    },
    #[serde(rename = "mutualTLS")]
    MutualTls,
    /// A type we do not know; kept so requirements naming it still resolve.
    Other {
        raw_type: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub enum OAuthFlowKind {
    Implicit,
    Password,
    ClientCredentials,
    AuthorizationCode,
    /// OpenAPI 3.2's `deviceAuthorization` (RFC 8628).
    DeviceAuthorization,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct OAuthFlow {
    pub kind: OAuthFlowKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_url: Option<String>,
    /// The device authorization flow's endpoint (OpenAPI 3.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_authorization_url: Option<String>,
    /// Scope name → description, in document order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<OAuthScope>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct OAuthScope {
    pub name: String,
    pub description: String,
}

/// A JSON Schema, normalised across the three dialects.
///
/// * `types` holds every allowed type; `"null"` is in it when the schema allows null
///   (OpenAPI 3.0 `nullable: true`, Swagger's `x-nullable`, or a 3.1 `type` array). Empty means
///   any type.
/// * `nullable` is true whenever null is allowed, however it was said, including the 3.1 /
///   Pydantic form `anyOf: [X, {type: null}]`, which is kept as `any_of`.
/// * 3.0's `example` becomes a one-element `examples`; 3.0's boolean `exclusiveMinimum` /
///   `exclusiveMaximum` become 3.1's numeric bounds.
/// * `ref_name` is set when this node came from a `$ref` (the component name for
///   `#/components/schemas/X` and `#/definitions/X`, the reference as written otherwise).
/// * `recursive` marks a `$ref` back into a schema that is still being expanded (or one nested
///   beyond the importer's depth guard): such a node is a link, only `ref_name` is set, and the
///   full schema is in [`ApiSpec::schemas`].
/// * `shared_id` is only ever set in a payload for the window ([`crate::OperationPayload`],
///   [`crate::SchemaPayload`]): the node stands for entry `shared_id` of the payload's `shared`
///   table, and has no other field. Imported models never set it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export, export_to = "openapi/")]
pub struct Schema {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    #[serde(rename = "enum", skip_serializing_if = "Vec::is_empty")]
    pub enum_values: Vec<Value>,
    #[serde(
        rename = "const",
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub const_value: Option<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Value>,

    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclusive_minimum: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclusive_maximum: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multiple_of: Option<f64>,

    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// 3.1's way of saying "a file" (`contentMediaType: application/octet-stream`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_media_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_encoding: Option<String>,

    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Arc<Schema>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
    #[serde(skip_serializing_if = "is_false")]
    pub unique_items: bool,

    /// In document order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<Property>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_properties: Option<AdditionalProperties>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_properties: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_properties: Option<u64>,

    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub one_of: Vec<Arc<Schema>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<Arc<Schema>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub all_of: Vec<Arc<Schema>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not: Option<Arc<Schema>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discriminator: Option<Discriminator>,

    #[serde(skip_serializing_if = "is_false")]
    pub read_only: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub write_only: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub deprecated: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub nullable: bool,

    #[serde(skip_serializing_if = "Option::is_none")]
    pub ref_name: Option<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub recursive: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shared_id: Option<u32>,
}

impl Schema {
    /// The property named `name`, if declared.
    pub fn property(&self, name: &str) -> Option<&Arc<Schema>> {
        self.properties
            .iter()
            .find(|p| p.name == name)
            .map(|p| &p.schema)
    }

    /// Whether `"null"` is among the declared types or `nullable` is set.
    pub fn allows_null(&self) -> bool {
        self.nullable || self.types.iter().any(|t| t == "null")
    }
}

/// A named property; a list rather than a map so the order survives every JSON consumer
/// (JavaScript objects move integer-like keys to the front).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct Property {
    pub name: String,
    pub schema: Arc<Schema>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(untagged)]
#[ts(export, export_to = "openapi/")]
pub enum AdditionalProperties {
    Allowed(bool),
    Schema(Arc<Schema>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct Discriminator {
    pub property_name: String,
    /// Discriminator value → `$ref` as written.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub mapping: BTreeMap<String, String>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// Deserialises a present field as `Some` even when it is JSON `null` (a schema whose default is
/// null is not a schema without a default); absent fields fall back to `None` via `default`.
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}
