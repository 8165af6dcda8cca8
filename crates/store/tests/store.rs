//! Integration tests of the store, one binary, each against real files in a temp dir: the
//! request history (a real SQLite file, several processes on it) and the workspace (files,
//! operations, links, globals, secrets, the watcher, a writer killed mid-save, the OS keychain).

#[path = "store/support.rs"]
mod support;
#[path = "store/workspace_common.rs"]
mod workspace_common;

#[path = "store/history.rs"]
mod history;
#[path = "store/state_file.rs"]
mod state_file;
#[path = "store/workspace_assertions.rs"]
mod workspace_assertions;
#[path = "store/workspace_auth_kinds.rs"]
mod workspace_auth_kinds;
#[path = "store/workspace_client_certs.rs"]
mod workspace_client_certs;
#[path = "store/workspace_crash.rs"]
mod workspace_crash;
#[path = "store/workspace_credentials.rs"]
mod workspace_credentials;
#[path = "store/workspace_files.rs"]
mod workspace_files;
#[path = "store/workspace_globals.rs"]
mod workspace_globals;
#[path = "store/workspace_keychain.rs"]
mod workspace_keychain;
#[path = "store/workspace_links.rs"]
mod workspace_links;
#[path = "store/workspace_merge.rs"]
mod workspace_merge;
#[path = "store/workspace_ops.rs"]
mod workspace_ops;
#[path = "store/workspace_secrets.rs"]
mod workspace_secrets;
#[path = "store/workspace_watch.rs"]
mod workspace_watch;
