//! Postman: v2.1 (and v2.0) collections and environment files, both ways.
//!
//! Mapping, in short: item groups are folders; `url.query` rows become query rows (decoded) and
//! the rest of `url.raw` the URL; raw bodies keep their text with the Content-Type from the
//! request's header or the editor language; GraphQL bodies become JSON `{query, variables}`;
//! basic, bearer and API key auth carry over, `noauth` is no auth, absent is inherit; a request's
//! assertions are its test script's `pm.test`/`pm.expect` checks, both ways (`script`). Other
//! script code, saved example responses, path variables and other auth types are warnings.

mod export;
mod import;
pub(crate) mod script;
mod shared;

pub use export::{export_postman, export_postman_environment};
pub use import::{import_postman, import_postman_environment};

/// What an export may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExportOptions {
    /// Write the values of secret variables and literal passwords, tokens and API keys. Off by
    /// default: those are written empty (a `{{variable}}` reference is kept) with a warning.
    pub include_secrets: bool,
}
