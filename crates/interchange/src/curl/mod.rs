//! curl command lines: reading one the user pasted into a saved request, and writing a request
//! out as one they can paste into a terminal.
//!
//! Choices (the tests pin them):
//! - `-d` data keeps its exact bytes: it becomes a text body with the request's Content-Type
//!   (curl's default `application/x-www-form-urlencoded` when none is given), or a JSON body when
//!   the Content-Type is exactly `application/json`. Only a body made entirely of
//!   `--data-urlencode name=value` pieces becomes an editable form body.
//! - The query string stays in the URL; it is not split into rows.
//! - Output-only flags (`-s`, `-S`, `-v`, `-i`, `-o`, `-w`, ...) are ignored without a warning:
//!   they change what curl prints, not what it sends. Every other flag we do not model is a
//!   warning, and is assumed to take no argument unless curl's manual says it does.
//! - A Bearer token is written as `--oauth2-bearer` so an `Authorization` header the user typed
//!   stays a header on the way back.

mod export;
mod options;
mod parse;
mod shell;

pub use export::to_curl;
pub use parse::{import_curl, parse_curl};
