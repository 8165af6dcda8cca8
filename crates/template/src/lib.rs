//! `{{variable}}` templating: turns a [`SavedRequest`](sextant_model::SavedRequest) and what
//! surrounds it into the concrete [`HttpRequest`](sextant_model::HttpRequest) the engine sends,
//! and captures values from responses for the next request.
//!
//! # References
//! `{{name}}` (spaces inside the braces allowed: `{{ name }}`) is substituted in the URL, query
//! rows (names and values), header rows, the body (text and its content type, JSON text, form
//! fields, multipart text parts, file paths, file names and content types, the binary file path)
//! and every auth field. Disabled rows and disabled variables are ignored. A variable's value may
//! itself hold references; they are resolved recursively, at most [`MAX_DEPTH`] levels, and a
//! cycle (`a` → `b` → `a`, or a variable referring to itself) is an error naming it. A reference
//! no scope defines makes [`resolve`] fail with every such name at once; [`undefined`] lists them
//! with where they occur for the composer. Expansion is budgeted per request ([`MAX_EXPANSIONS`]
//! substitutions, [`MAX_VALUE_BYTES`] for one variable's value, [`MAX_REQUEST_BYTES`] added in
//! all): past a budget resolution stops with [`TemplateError::TooLarge`] naming the budget and
//! the variable, so nested doubling values cannot hang the sender or the window. There is no escape for a literal `{{`: text between
//! `{{` and `}}` that is empty or holds `{`, `}` or a line break stays as typed.
//!
//! # Dynamic values
//! `{{$uuid}}` (a v4 UUID), `{{$timestamp}}` (Unix seconds), `{{$isoTimestamp}}` (RFC 3339 in UTC
//! with milliseconds), `{{$randomInt}}` (0 to 1000) and `{{$randomInt 1 6}}` (bounds included).
//! Each occurrence gets a fresh value: the same name twice in one request gives two values, and
//! so does a variable whose value holds one, used twice. Built-in names cannot be overridden; an
//! unknown `$name` is looked up like any other variable.
//!
//! # Precedence
//! From lowest to highest: globals < the collection < its folders (outer → inner) < the selected
//! environment < runtime values (captured from responses) < the request's own variables. A
//! higher level replaces a lower one's value of the same name; within one level the last enabled
//! definition wins. As in Postman, the selected environment overrides collection variables.
//!
//! # Inheritance
//! The context's `chain` holds the collection's settings, then each folder down to the request's.
//! - **Base URL**: the innermost non-empty `base_url` is prefixed, with exactly one `/`, to a
//!   request URL that neither has a scheme (`https://`, `ws://`, ...) nor starts with `{{`.
//! - **Headers**: inherited headers (outer → inner), then the request's. A header of an inner
//!   level or of the request replaces every same-named (case-insensitive) header from above.
//! - **Auth**: `Inherit` takes the innermost non-`Inherit` auth above; when every level inherits,
//!   there is none. Basic becomes `Authorization: Basic base64(user:pass)`, Bearer
//!   `Authorization: Bearer token`, an API key a header or query row. An enabled header (or, for
//!   an API key in the query, a query row) of the same name already present wins and the auth
//!   adds nothing.
//!
//! # Secrets
//! With [`ResolveOptions::reveal_secrets`] off, references to secret variables stay as
//! `{{name}}` text (exports, generated code). When revealed, [`Resolved::secret_values`] lists
//! what was substituted so [`redact`] can mask it before history stores the request; the
//! `mask_*` functions hide what is a credential by where it sits (URL userinfo, secret-looking
//! query parameters and headers, auth rows, `Set-Cookie` values). The history uses these and
//! nothing else.
//!
//! # Captures
//! [`capture`] reads values out of a response by header name or by an RFC 9535 JSONPath (see
//! [`jsonpath`](mod@jsonpath): filters, slices, `..`); a path that selects several values
//! captures the first in document order.
//!
//! # Assertions
//! [`assert`](mod@assert) checks a response against a request's declarative assertions (status,
//! headers, cookies, JSONPath values, body text, time, size, redirects), their values templated
//! in the request's scope.

pub mod assert;
mod auth;
mod budget;
mod capture;
mod dynamic;
mod error;
pub mod jsonpath;
mod mask;
mod oauth;
mod redact;
mod resolve;
mod scope;
mod written;

pub use budget::{Budget, MAX_EXPANSIONS, MAX_REQUEST_BYTES, MAX_VALUE_BYTES};
pub use capture::{capture, capture_with_records, CaptureError, CaptureFailure};
pub use error::{TemplateError, MAX_DEPTH};
pub use jsonpath::PathError;
pub use mask::{
    decode_param_name, is_secret_param, mask_header, mask_response_header, mask_set_cookie,
    mask_url,
};
pub use redact::{redact, MASK, MIN_SECRET_CHARS};
pub use resolve::{resolve, undefined, Context, ResolveOptions, Resolved};
pub use sextant_model::{variables_in, Span};
pub use written::{keep_as_written, mask_left_in, mask_left_in_saved};
