//! Plain data shared by every layer of Sextant.
//!
//! Everything that crosses a boundary — the IPC bridge to the web UI, the CLI, files on disk —
//! is defined here once, with serde for the wire and `ts-rs` for the TypeScript bindings that the
//! UI imports from `ui/src/lib/bindings/`. Running `cargo test -p sextant-model` regenerates them;
//! CI fails when the committed copy drifts.
//!
//! One rule for 64-bit integers across IPC, for every crate that exports bindings (`model`,
//! `openapi`, `app`): an `i64`/`u64` is a TypeScript `number`, never a `bigint`. They are ids,
//! byte sizes, counts and Unix-millisecond times, all far below 2^53, so `JSON.parse` reads them
//! exactly and the UI does plain arithmetic on them. The rule is set once, by `TS_RS_LARGE_INT`
//! in `.cargo/config.toml`; no field carries a `#[ts(type = "number")]` of its own. A value that
//! can exceed 2^53 (a hash, a random 64-bit id) must cross as a string instead.
//!
//! This crate has no behaviour beyond defaults and small helpers: it must stay cheap to depend on.

mod assertion;
mod collection;
mod credentials;
mod error;
mod oauth;
mod request;
mod response;
mod run;
mod signing;
mod stream;
mod syntax;
mod tls;
mod websocket;
mod workspace;

pub use assertion::{
    AssertPredicate, AssertQuery, Assertion, AssertionKind, AssertionResult, ContractRef,
};
pub use collection::{
    ApiKeyLocation, Auth, Capture, CaptureSource, Collection, CollectionItem, DigestAlgorithm,
    Environment, Folder, FolderSettings, SavedRequest, Variable,
};
pub use credentials::{is_secret_name, is_secret_param, SECRET_NAME_PARTS};
pub use error::{ApiError, ErrorCode, TimeoutPhase};
pub use oauth::{
    OAuth2ClientAuth, OAuth2Config, OAuth2Grant, OAuth2Redirect, PkceMethod, TokenPlacement,
};
pub use request::{
    HttpRequest, HttpVersionPref, KeyValue, MultipartPart, PartValue, ProxySetting, RequestBody,
    RequestSettings, SseReconnect,
};
pub use response::{
    BodyInfo, CookieInfo, Header, HttpResponse, RedirectHop, ResponseHead, ResponseSizes,
    SendEvent, Timings,
};
pub use run::{RunEvent, RunOptions, RunResult, RunSummary};
pub use signing::Signing;
pub use stream::{StreamKind, StreamPage, StreamRecord};
pub use syntax::{variables_in, Span};
pub use tls::ClientCertificate;
pub use websocket::{
    WebSocketSettings, WsCloseInitiator, WsDirection, WsEvent, WsFrame, WsHandshake, WsMessageKind,
    WsOpcode, WsOutgoing, WsRecording, WsSavedMessage, WsSessionSummary,
};
pub use workspace::{
    CaptureErrorCode, CaptureProblem, CapturedValues, ConversionWarning, Draft, Environments,
    ExportResult, ImportConflict, ImportResult, ImportedCollection, InterchangeFormat, NodeKind,
    OpenedRequest, SaveResult, TreeNode, UndefinedVariable, WorkspaceChange, WorkspaceInfo,
};

#[cfg(test)]
mod tests {
    use ts_rs::{Config, TS};

    /// The bindings are generated under the cargo config that sets the 64-bit rule.
    #[test]
    fn sixty_four_bit_integers_cross_ipc_as_numbers() {
        let cfg = Config::from_env();
        assert_eq!(<i64 as TS>::inline(&cfg), "number");
        assert_eq!(<Option<u64> as TS>::inline(&cfg), "number | null");
        let draft = <crate::Draft as TS>::decl(&cfg);
        assert!(draft.contains("updatedMs: number"), "{draft}");
    }
}
