//! What the window sees of a workspace folder: the sidebar tree, opened requests with the
//! revision they were read at, drafts, imports and exports. Paths are relative to the workspace
//! root and always use `/`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Environment, SavedRequest, Variable};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum NodeKind {
    Collection,
    Folder,
    Request,
}

/// One row of the sidebar tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TreeNode {
    pub kind: NodeKind,
    pub name: String,
    /// Relative to the workspace root, `/`-separated: `demo-api/items/create-item.yaml`.
    pub path: String,
    /// The request's method; `None` for folders and collections.
    pub method: Option<String>,
    /// Set when the file could not be read: the item is shown, flagged, never hidden.
    pub error: Option<String>,
    pub children: Vec<TreeNode>,
}

/// The workspace as the sidebar shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WorkspaceInfo {
    /// The folder on disk.
    pub root: String,
    pub collections: Vec<TreeNode>,
}

/// A request read from its file, with the revision a later save must match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OpenedRequest {
    pub path: String,
    pub saved: SavedRequest,
    pub revision: String,
}

/// Where a save or create left the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SaveResult {
    pub path: String,
    pub revision: String,
}

/// Unsaved work of one tab, kept across restarts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Draft {
    /// The tab's own key.
    pub key: String,
    /// The file it edits; `None` for a request never saved.
    pub path: Option<String>,
    /// The revision of the file the draft started from.
    pub base_revision: Option<String>,
    pub saved: SavedRequest,
    /// When the draft was last written, in Unix milliseconds.
    pub updated_ms: i64,
}

/// A `{{name}}` the request uses that no scope defines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UndefinedVariable {
    pub name: String,
    /// Where it occurs: `url`, `query`, `header`, `body` or `auth`.
    pub field: String,
}

/// What a collection's captures have stored while the app runs (never written to a file).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CapturedValues {
    /// The values, in the order they were first captured.
    pub values: Vec<Variable>,
    /// Captures that found nothing on their latest run; a later success clears its entry.
    pub failures: Vec<CaptureProblem>,
}

/// A capture that could not store its value: `{code, message}` like every error the window sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CaptureProblem {
    pub variable: String,
    pub code: CaptureErrorCode,
    /// One sentence, naming the header or JSONPath.
    pub message: String,
}

/// Why a capture stored nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum CaptureErrorCode {
    /// The response has no header of that name.
    NoHeader,
    /// A body capture, and the body is not JSON.
    NotJson,
    /// The JSONPath is not one captures understand.
    InvalidPath,
    /// The JSONPath matches nothing in the body.
    NoMatch,
    /// The body is larger than captures read.
    BodyTooLarge,
    /// A record capture, and the body is not an event stream (SSE, NDJSON).
    NotStream,
    /// A record capture, and the stream has no such event or record.
    NoRecord,
}

/// The formats Sextant reads and writes besides its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum InterchangeFormat {
    Curl,
    Postman,
    PostmanEnvironment,
    Insomnia,
    Har,
    Openapi,
}

/// Something an import or export could not carry over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConversionWarning {
    /// Which item it concerns, such as `Users/Create user`.
    pub location: String,
    pub message: String,
}

/// What an import wrote into the workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportResult {
    /// The collections or requests created, relative to the workspace root.
    pub paths: Vec<String>,
    /// Each collection written or merged into, with what the import put in it (empty for a
    /// curl command or an environment, which go into an existing collection).
    #[serde(default)]
    pub collections: Vec<ImportedCollection>,
    pub warnings: Vec<ConversionWarning>,
}

/// One collection an import wrote (or merged into), and how much the import carried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportedCollection {
    pub path: String,
    pub name: String,
    /// Requests in the imported collection, in all its folders.
    pub requests: u32,
    /// Folders in the imported collection, nested ones included.
    pub folders: u32,
    /// True when the import went into an existing collection of the same name.
    pub merged: bool,
}

/// What an import does when a collection it brings has the name of a collection already in the
/// workspace, or of one it brings before (an export holding several of the same name). Without
/// an answer for a clash such an import writes nothing and fails with `Conflict` naming it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum ImportConflict {
    /// Into the existing collection: folders matched by name, requests of the same name updated
    /// in place, nothing deleted, the existing settings kept.
    Merge,
    /// As a new collection with this name (which must not be taken either); the first clash
    /// only.
    Rename { name: String },
    /// One answer per clash, in the order the clashing collections come in the import (a
    /// `Merge` merges into whichever collection of that name is there, one written by this
    /// import included). A clash past the last answer is a `Conflict`, so each one is asked.
    Each { answers: Vec<ImportConflict> },
}

/// An export as text, for the clipboard or a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportResult {
    pub text: String,
    pub warnings: Vec<ConversionWarning>,
}

/// The environments of a collection and the one selected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Environments {
    pub environments: Vec<Environment>,
}

/// Files that changed on disk, outside the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WorkspaceChange {
    pub paths: Vec<String>,
}
