//! Why an import failed as a whole, always with the place in the document it failed at.
//!
//! Problems that leave the rest of the document usable (a dangling `$ref`, an unreadable
//! external file) are not errors: they become [`crate::Warning`]s on the imported spec.

use std::path::PathBuf;

/// The deepest nesting of arrays and objects the reader accepts.
///
/// Real OpenAPI documents stay well under 30 levels; the readers themselves stop at 128, and
/// stopping ourselves first lets the error carry the JSON pointer of the offending node.
pub const MAX_NESTING: usize = 100;

/// An import that could not produce a spec.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The text is not well-formed JSON or YAML (truncated, stray characters, bad UTF-8).
    #[error("syntax error at line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },

    /// Well-formed, but not a Swagger/OpenAPI document.
    #[error(
        "not an OpenAPI or Swagger document (at {}): {reason}",
        show_pointer(pointer)
    )]
    NotOpenApi { pointer: String, reason: String },

    /// A Swagger/OpenAPI document of a version we do not read (1.2, 4.0, ...).
    #[error(
        "unsupported version {version:?} (at {}): Sextant reads Swagger 2.0 and OpenAPI 3.0 and 3.1",
        show_pointer(pointer)
    )]
    UnsupportedVersion { version: String, pointer: String },

    /// Arrays/objects nested deeper than [`MAX_NESTING`].
    #[error(
        "the document nests deeper than {MAX_NESTING} levels at {} (line {line}, column {column})",
        show_pointer(pointer)
    )]
    TooDeep {
        pointer: String,
        line: usize,
        column: usize,
    },

    /// YAML aliases expand to far more nodes than the text holds ("billion laughs").
    #[error(
        "YAML aliases expand beyond {limit} nodes (near line {line}, column {column}); refusing to expand them"
    )]
    AliasBomb {
        line: usize,
        column: usize,
        limit: usize,
    },

    /// YAML aliases repeat far more text than the document holds (one big string, thousands of
    /// aliases to it): few nodes, but gigabytes once expanded.
    #[error(
        "YAML aliases expand beyond {limit} bytes of text (near line {line}, column {column}); refusing to expand them"
    )]
    AliasBytes {
        line: usize,
        column: usize,
        limit: usize,
    },

    /// A file bigger than we are willing to read.
    #[error("{} is {size} bytes, more than the {limit} bytes Sextant imports", path.display())]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },

    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The empty JSON pointer names the whole document; say so rather than print nothing.
fn show_pointer(pointer: &str) -> &str {
    if pointer.is_empty() {
        "the document root"
    } else {
        pointer
    }
}
