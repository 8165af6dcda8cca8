//! The `sextant` binary end to end, one binary (the hostile corpus is its own, `--test hostile`):
//! sending against the fault server and the FastAPI demo API, OpenAPI inspect and diff, the
//! history, and importing into a workspace.

#[path = "cli/auth.rs"]
mod auth;
#[path = "cli/basics.rs"]
mod basics;
#[path = "cli/event_streams.rs"]
mod event_streams;
#[path = "cli/history.rs"]
mod history;
#[path = "cli/interchange.rs"]
mod interchange;
#[path = "cli/oauth.rs"]
mod oauth;
#[path = "cli/streaming.rs"]
mod streaming;
