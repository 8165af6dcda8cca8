//! Code snippets for the one request in the composer, in the languages people paste into a
//! terminal or a file: curl (bash), Python httpx and requests, JavaScript fetch, Go net/http and
//! Rust reqwest.
//!
//! The caller hands over the request already templated with the active environment, secret
//! references kept as `{{name}}` (see [`SnippetRequest`]). [`norm`] turns it into one shape every
//! language writes: each value a list of literal text and environment variable reads, so a
//! secret variable, a credential-named header or parameter, an auth password or token never
//! appears as text; it is read from `SEXTANT_…` at run time, with a comment naming the variable.

mod curl;
mod go;
mod js;
mod norm;
mod python;
mod rust;
mod text;

use serde::{Deserialize, Serialize};
use sextant_model::{Auth, HttpRequest};
use ts_rs::TS;

/// The languages a snippet is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SnippetLanguage {
    /// curl in bash, values single-quoted.
    Curl,
    /// Python with httpx.
    PythonHttpx,
    /// Python with requests.
    PythonRequests,
    /// JavaScript `fetch` with async/await (Node 18+ as an ES module, and browsers).
    JavaScriptFetch,
    /// Go with net/http: a complete `package main`.
    GoNetHttp,
    /// Rust with reqwest's blocking client.
    RustReqwest,
}

impl SnippetLanguage {
    pub const ALL: [SnippetLanguage; 6] = [
        SnippetLanguage::Curl,
        SnippetLanguage::PythonHttpx,
        SnippetLanguage::PythonRequests,
        SnippetLanguage::JavaScriptFetch,
        SnippetLanguage::GoNetHttp,
        SnippetLanguage::RustReqwest,
    ];
}

/// The request a snippet is written for.
#[derive(Debug, Clone, PartialEq)]
pub struct SnippetRequest {
    /// The request templated with the active environment and what it inherits (base URL,
    /// headers), only enabled rows, auth NOT applied; a reference to a secret (or undefined)
    /// variable is left as `{{name}}` and becomes an environment variable read.
    pub request: HttpRequest,
    /// The auth the request ends up with (its own or inherited), its fields templated the same
    /// way.
    pub auth: Auth,
}

/// The prefix of the environment variables a snippet reads.
pub const SNIPPET_ENV_PREFIX: &str = "SEXTANT";

/// The code for `request` in `language`.
pub fn snippet(request: &SnippetRequest, language: SnippetLanguage) -> String {
    let n = norm::Norm::new(request);
    match language {
        SnippetLanguage::Curl => curl::write(&n),
        SnippetLanguage::PythonHttpx => python::write(&n, python::Lib::Httpx),
        SnippetLanguage::PythonRequests => python::write(&n, python::Lib::Requests),
        SnippetLanguage::JavaScriptFetch => js::write(&n),
        SnippetLanguage::GoNetHttp => go::write(&n),
        SnippetLanguage::RustReqwest => rust::write(&n),
    }
}

#[cfg(test)]
mod tests;
