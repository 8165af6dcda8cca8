//! Integration tests of the command layer, one binary, without any host: sending, cancelling and
//! recording, body windows and cookies, the history, specs (fetches, Try it on every operation,
//! a spec's variables kept to itself), the workspace and the body files a send may read. Each
//! module runs against real servers on 127.0.0.1 and real files in a temp dir.

#[path = "app/assertions.rs"]
mod assertions;
#[path = "app/auth_kinds.rs"]
mod auth_kinds;
#[path = "app/captured_follow.rs"]
mod captured_follow;
#[path = "app/client_certs.rs"]
mod client_certs;
#[path = "app/commands.rs"]
mod commands;
#[path = "app/contract.rs"]
mod contract;
#[path = "app/file_refs.rs"]
mod file_refs;
#[path = "app/history.rs"]
mod history;
#[path = "app/locked_certs.rs"]
mod locked_certs;
#[path = "app/oauth.rs"]
mod oauth;
#[path = "app/oauth_embedded.rs"]
mod oauth_embedded;
#[path = "app/oauth_history.rs"]
mod oauth_history;
#[path = "app/openapi_oauth.rs"]
mod openapi_oauth;
#[path = "app/response_tools.rs"]
mod response_tools;
#[path = "app/send.rs"]
mod send;
#[path = "app/session.rs"]
mod session;
#[path = "app/spec_fetch.rs"]
mod spec_fetch;
#[path = "app/stream_records.rs"]
mod stream_records;
#[path = "app/streaming.rs"]
mod streaming;
#[path = "app/try_every_operation.rs"]
mod try_every_operation;
#[path = "app/try_it_variables.rs"]
mod try_it_variables;
#[path = "app/workspace.rs"]
mod workspace;
