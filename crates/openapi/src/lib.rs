//! Imports Swagger 2.0, OpenAPI 3.0.x and OpenAPI 3.1.x documents (JSON or YAML) into one
//! normalised model ([`ApiSpec`]) that Sextant browses like Swagger UI and turns into requests.
//!
//! # Design
//!
//! 1. **Read** the text into a generic value tree. JSON goes through `serde_json`, YAML through
//!    `serde_norway` (the maintained fork of the archived `serde_yaml`, on a maintained
//!    `libyaml` port), both driving our own visitor: it keeps keys in document order, stops at
//!    [`MAX_NESTING`] levels with the JSON pointer of the culprit, and caps how many nodes YAML
//!    aliases may expand to. So bad input ends in an [`ImportError`] with a location, never a
//!    stack overflow or an endless expansion.
//! 2. **Detect the version** from `swagger` / `openapi`.
//! 3. **Gather the files** that `$ref`s name (only when importing from a file: they are found
//!    relative to it; from text, each such reference becomes a [`Warning`]).
//! 4. **Normalise while building** the model: one lenient schema reader understands the 2.0, 3.0
//!    and 3.1 schema dialects alike (`nullable`, boolean or numeric exclusive bounds, `example`
//!    vs `examples`, `type` arrays), and Swagger 2.0's request/response/server structures are
//!    mapped onto the 3.x shapes (see `swagger2.rs`). Warnings point into the document as
//!    written, not into some converted copy.
//! 5. **Resolve references once**: each schema `$ref` target is expanded once, cached and shared
//!    through `Arc`; a reference back into a schema being expanded becomes a link
//!    (`recursive: true`), and a depth guard bounds long chains. A reference to nothing becomes a
//!    warning and an empty schema carrying its name; the rest of the document still imports.
//!
//! For the explorer, [`parse_str_staged`] and [`parse_file_staged`] hand out the overview of the
//! operations before step 4: a JSON document is read a first time keeping only what that needs
//! (the skipped parts are still checked, with the same limits), so the operation list of a 13 MB
//! spec is ready in a fraction of the time the model takes.
//!
//! We do not use `openapiv3` (rejects 3.1) or `oas3` (3.1 only): one model for all three is the
//! point, and a generic tree lets us be lenient where real documents are sloppy.
//!
//! # Not covered
//!
//! Webhooks, callbacks, links, `xml` and `externalDocs` are not imported. Everything keeps
//! document order, examples and defaults included (the workspace builds `serde_json` with
//! `preserve_order`). OpenAPI 3.2 is read as 3.1, with a warning.

mod build;
mod collection;
pub mod contract;
mod diff;
mod error;
mod example;
mod model;
mod overview;
mod payload;
mod pointer;
mod schema;
mod store;
mod swagger2;
mod tree;
mod try_it;

use std::path::Path;

pub use collection::{collection_for, to_collection, with_contract_source, BASE_URL_VARIABLE};
pub use diff::{diff, Change, OperationChange, SpecDiff};
pub use error::{ImportError, MAX_NESTING};
pub use example::{
    example_for, example_within, ExampleBudget, EXAMPLE_BYTES, EXAMPLE_NODES, MAX_STRING_CHARS,
};
pub use model::{
    AdditionalProperties, ApiSpec, Discriminator, MediaType, NamedSchema, OAuthFlow, OAuthFlowKind,
    OAuthScope, Operation, Parameter, ParameterLocation, Property, RequestBodySpec, ResponseHeader,
    ResponseSpec, Schema, SecurityRequirement, SecurityScheme, SecuritySchemeKind, Server,
    ServerVariable, SpecVersion, Tag, Warning,
};
pub use overview::{overview, OperationSummary, SpecOverview, SpecReload};
pub use payload::{
    operation_payload, operation_payload_within, schema_payload, schema_payload_within,
    OperationPayload, PayloadTooLarge, SchemaPayload, MAX_PAYLOAD_NODES,
};
pub use try_it::{request_for, TryItOptions, TryItRequest};

use store::Store;
use tree::Node;

/// Imports a document given as text (JSON or YAML, detected). References to other files are
/// not followed (there is no directory to look in); each becomes a warning.
pub fn parse_str(text: &str) -> Result<ApiSpec, ImportError> {
    import_text(text, None, None::<fn(SpecOverview)>)
}

/// Imports a document from a file, following `$ref`s to other files relative to it.
pub fn parse_file(path: &Path) -> Result<ApiSpec, ImportError> {
    import_file(path, None::<fn(SpecOverview)>)
}

/// [`parse_str`] in two stages: `outline` gets the document's overview as soon as the text is
/// parsed (operations, tags, servers, schema names; no warnings yet; `complete: false`;
/// `spec_id` and `source` empty), then the full model is built and returned. An import that
/// fails does so before `outline` is called.
pub fn parse_str_staged(
    text: &str,
    outline: impl FnOnce(SpecOverview),
) -> Result<ApiSpec, ImportError> {
    import_text(text, None, Some(outline))
}

/// [`parse_file`] in the two stages of [`parse_str_staged`].
pub fn parse_file_staged(
    path: &Path,
    outline: impl FnOnce(SpecOverview),
) -> Result<ApiSpec, ImportError> {
    import_file(path, Some(outline))
}

fn import_file(
    path: &Path,
    outline: Option<impl FnOnce(SpecOverview)>,
) -> Result<ApiSpec, ImportError> {
    let canonical = path.canonicalize().map_err(|source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let text = store::read_text(&canonical)?;
    import_text(&text, Some(&canonical), outline)
}

/// Parses `text` (read from `file`, if given, for its `$ref`s to other files) and builds it.
fn import_text(
    text: &str,
    file: Option<&Path>,
    mut outline: Option<impl FnOnce(SpecOverview)>,
) -> Result<ApiSpec, ImportError> {
    if outline.is_some() {
        if let Some(Ok(skeleton)) = tree::parse_outline(text) {
            // A path item behind a `$ref` may point anywhere: outline from the whole tree then.
            if !has_path_item_refs(&skeleton) {
                let (version, raw, _) = detect_version(&skeleton)?;
                let store = Store::from_root(skeleton);
                if let Some(outline) = outline.take() {
                    outline(build::outline(&store, version, raw));
                }
            }
        }
        // A skeleton that failed to read is read again whole below, for the error to report.
    }
    let root = tree::parse(text)?;
    let (version, raw, warnings) = detect_version(&root)?;
    let store = match file {
        Some(path) => Store::from_file(root, path),
        None => Store::from_root(root),
    };
    if let Some(outline) = outline {
        outline(build::outline(&store, version, raw.clone()));
    }
    Ok(build::build(&store, version, raw, warnings))
}

fn has_path_item_refs(root: &Node) -> bool {
    root.get("paths")
        .and_then(Node::as_object)
        .is_some_and(|paths| paths.iter().any(|(_, item)| item.get("$ref").is_some()))
}

/// Counts for a one-line description of an imported spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub version: String,
    pub paths: usize,
    pub operations: usize,
    pub schemas: usize,
    pub warnings: Vec<Warning>,
}

/// Counts an imported spec: distinct paths with at least one operation, operations, named
/// schemas, and the import's warnings.
pub fn summarize(spec: &ApiSpec) -> Summary {
    let mut paths: Vec<&str> = spec.operations.iter().map(|o| o.path.as_str()).collect();
    paths.sort_unstable();
    paths.dedup();
    Summary {
        version: spec.raw_version.clone(),
        paths: paths.len(),
        operations: spec.operations.len(),
        schemas: spec.schemas.len(),
        warnings: spec.warnings.clone(),
    }
}

/// Reads `swagger` / `openapi` and decides whether we can import the document.
fn detect_version(root: &Node) -> Result<(SpecVersion, String, Vec<Warning>), ImportError> {
    let Node::Object(map) = root else {
        let kind = match root {
            Node::Null => "empty (null)",
            Node::Array(_) => "a list",
            _ => "a single value",
        };
        return Err(ImportError::NotOpenApi {
            pointer: String::new(),
            reason: format!("the document is {kind}, not an object"),
        });
    };
    let unsupported = |version: String, key: &str| ImportError::UnsupportedVersion {
        version,
        pointer: format!("/{key}"),
    };
    let mut warnings = Vec::new();
    if let Some(node) = map.get("openapi") {
        let Some(raw) = node.scalar_text() else {
            return Err(ImportError::NotOpenApi {
                pointer: "/openapi".into(),
                reason: "`openapi` must be a version string like \"3.1.0\"".into(),
            });
        };
        let version = match minor_version(&raw) {
            Some((3, 0)) => SpecVersion::OpenApi30,
            Some((3, 1)) => SpecVersion::OpenApi31,
            Some((3, 2)) => {
                warnings.push(Warning {
                    pointer: "/openapi".into(),
                    message: format!(
                        "OpenAPI {raw} is read as 3.1; features new in 3.2 are ignored"
                    ),
                });
                SpecVersion::OpenApi31
            }
            _ => return Err(unsupported(raw, "openapi")),
        };
        return Ok((version, raw, warnings));
    }
    if let Some(node) = map.get("swagger") {
        let raw = node.scalar_text().unwrap_or_default();
        return match minor_version(&raw) {
            Some((2, 0)) => Ok((SpecVersion::Swagger2, raw, warnings)),
            _ if raw == "2" => Ok((SpecVersion::Swagger2, raw, warnings)),
            _ => Err(unsupported(raw, "swagger")),
        };
    }
    if let Some(node) = map.get("swaggerVersion") {
        return Err(unsupported(
            node.scalar_text().unwrap_or_default(),
            "swaggerVersion",
        ));
    }
    Err(ImportError::NotOpenApi {
        pointer: String::new(),
        reason: "there is no `openapi` or `swagger` key".into(),
    })
}

/// `"3.1.0"` → `(3, 1)`; `"3.0"` → `(3, 0)`.
fn minor_version(raw: &str) -> Option<(u32, u32)> {
    let mut parts = raw.trim().split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}
