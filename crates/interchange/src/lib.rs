//! Import and export of other tools' formats: curl command lines, HAR 1.2 archives, Postman v2.1
//! collections and environments, and Insomnia v4 exports.
//!
//! Every importer is pure (text in, model out) and returns [`Imported`]: the value plus a
//! [`Warning`] for everything that could not be carried over (scripts, unsupported auth, curl
//! flags we do not model, ...). Nothing is dropped without a warning. A file that cannot be read
//! as the format at all is an [`InterchangeError`].
//!
//! Imported files are untrusted. A file a request's body refers to is kept as a reference and
//! never read here, with a warning naming it (`files`); folder depth and the number of requests
//! are capped (`limits`); a file that is not the expected format is refused without quoting
//! its content.
//!
//! Exporters that may leave something out return [`Exported`], the text plus its warnings.

mod curl;
mod error;
mod files;
mod har;
mod insomnia;
mod json;
mod limits;
mod postman;
mod text;
mod warning;

pub use curl::{import_curl, parse_curl, to_curl};
pub use error::InterchangeError;
pub use har::{export_har, import_har, HarExchange, HarResponse, HarTimings};
pub use insomnia::import_insomnia;
pub use limits::{MAX_DEPTH, MAX_ITEMS};
pub use postman::{
    export_postman, export_postman_environment, import_postman, import_postman_environment,
    ExportOptions,
};
pub use warning::{Exported, Imported, Warning};
