//! Plain data shared by every layer of Sextant.
//!
//! Everything that crosses a boundary — the IPC bridge to the web UI, the CLI, files on disk —
//! is defined here once, with serde for the wire and `ts-rs` for the TypeScript bindings that the
//! UI imports from `ui/src/lib/bindings/`. Running `cargo test -p sextant-model` regenerates them;
//! CI fails when the committed copy drifts.
//!
//! This crate has no behaviour beyond defaults and small helpers: it must stay cheap to depend on.

mod collection;
mod credentials;
mod error;
mod request;
mod response;
mod syntax;
mod workspace;

pub use collection::{
    ApiKeyLocation, Auth, Capture, CaptureSource, Collection, CollectionItem, Environment, Folder,
    FolderSettings, SavedRequest, Variable,
};
pub use credentials::{is_secret_name, SECRET_NAME_PARTS};
pub use error::{ApiError, ErrorCode, TimeoutPhase};
pub use request::{
    HttpRequest, HttpVersionPref, KeyValue, MultipartPart, PartValue, ProxySetting, RequestBody,
    RequestSettings,
};
pub use response::{
    BodyInfo, CookieInfo, Header, HttpResponse, RedirectHop, ResponseSizes, SendEvent, Timings,
};
pub use syntax::{variables_in, Span};
pub use workspace::{
    CaptureErrorCode, CaptureProblem, CapturedValues, ConversionWarning, Draft, Environments,
    ExportResult, ImportResult, InterchangeFormat, NodeKind, OpenedRequest, SaveResult, TreeNode,
    UndefinedVariable, WorkspaceChange, WorkspaceInfo,
};
