//! The request history, each test against a real database file in a temp dir.

#[path = "history/corrupt.rs"]
mod corrupt;
#[path = "history/list.rs"]
mod list;
#[path = "history/migration.rs"]
mod migration;
#[path = "history/processes.rs"]
mod processes;
#[path = "history/record.rs"]
mod record;
#[path = "history/retention.rs"]
mod retention;
#[path = "history/search.rs"]
mod search;
