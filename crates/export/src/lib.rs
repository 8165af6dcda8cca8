//! Collections exported as code that runs: a pytest project (live over httpx, or in-process
//! through FastAPI's `TestClient` or Flask's test client) and a bash script of curl commands.
//!
//! Pure text generation from model values: a [`Collection`] (with its environments) in, a list
//! of [`GeneratedFile`]s (a relative path and its text) out. Writing them is the caller's job
//! (the app writes them atomically into the folder the user chose), so a preview and a write see
//! the same files. Secrets never reach the text: a secret variable, a credential-named header or
//! parameter, an auth password or token is read from an environment variable at run time.

mod contract;
mod curl;
mod error;
mod jsonpath;
mod k6;
mod locust;
mod mocks;
mod names;
mod plan;
mod pyassert;
mod pylit;
mod pyrequest;
mod pytest;
mod snippet;

use serde::{Deserialize, Serialize};
use sextant_model::{Collection, ConversionWarning};
use ts_rs::TS;

pub use contract::{DocumentedContent, DocumentedResponse, OperationContract};
pub use error::ExportError;
pub use mocks::{generate_mocks, RecordedExchange, Recording, MOCK_BODY_BUDGET};
pub use names::{env_prefix, safe_relative_path};
pub use snippet::{snippet, SnippetLanguage, SnippetRequest, SNIPPET_ENV_PREFIX};

/// One file of an export: a path relative to the output folder (`/`-separated, no `..`) and its
/// text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
    /// Whether the file should be executable (the curl script).
    pub executable: bool,
}

/// What an export produced: its files and what it could not carry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Generated {
    pub files: Vec<GeneratedFile>,
    pub warnings: Vec<ConversionWarning>,
}

/// Which kind of code to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum CodeFormat {
    /// pytest + httpx against a live server.
    Pytest,
    /// pytest against a FastAPI (Starlette) app in-process, through `TestClient(app)`.
    TestClient,
    /// pytest against a Flask app in-process, through `app.test_client()`.
    Flask,
    /// A bash script, one curl command per request.
    Curl,
    /// A Locust load test (`locustfile.py`) that runs alone or distributed.
    Locust,
    /// A k6 load test (`script.js`).
    K6,
    /// A respx module replaying recorded exchanges to httpx clients ([`generate_mocks`]).
    Respx,
    /// A responses module replaying recorded exchanges to requests clients ([`generate_mocks`]).
    Responses,
}

impl CodeFormat {
    /// Every format, in the order the export dialog offers them.
    pub const ALL: [CodeFormat; 8] = [
        CodeFormat::Pytest,
        CodeFormat::TestClient,
        CodeFormat::Flask,
        CodeFormat::Curl,
        CodeFormat::Respx,
        CodeFormat::Responses,
        CodeFormat::Locust,
        CodeFormat::K6,
    ];
}

/// Choices for an export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct CodeOptions {
    /// The environment whose values become the defaults (by name); `None`: the collection's
    /// first environment, if any.
    pub environment: Option<String>,
    /// `module:attribute` of the application, for the in-process formats.
    pub app: Option<String>,
}

/// Generates the files of `format` for `collection`.
pub fn generate(
    collection: &Collection,
    format: CodeFormat,
    options: &CodeOptions,
) -> Result<Generated, ExportError> {
    generate_with_contracts(collection, format, options, &[])
}

/// [`generate`], with the contracts of the OpenAPI operations the requests call: a pytest
/// export checks each such response against its operation (`schemas/<operation>.json`); a
/// request whose operation is not among `contracts` is exported without the check.
pub fn generate_with_contracts(
    collection: &Collection,
    format: CodeFormat,
    options: &CodeOptions,
    contracts: &[OperationContract],
) -> Result<Generated, ExportError> {
    let plan = plan::Plan::new(collection, options.environment.as_deref())?;
    let mut warnings = plan.warnings.clone();
    let files = match format {
        CodeFormat::Curl => curl::generate(&plan, &mut warnings),
        CodeFormat::Locust => locust::generate(&plan, &mut warnings),
        CodeFormat::K6 => k6::generate(&plan, &mut warnings),
        CodeFormat::Respx | CodeFormat::Responses => return Err(ExportError::NotMocks),
        CodeFormat::Pytest => {
            pytest::generate(&plan, &pytest::Target::Live, contracts, &mut warnings)
        }
        CodeFormat::TestClient | CodeFormat::Flask => {
            let app = options.app.as_deref().unwrap_or("").trim();
            if !names::is_app_spec(app) {
                return Err(ExportError::App(app.to_owned()));
            }
            let target = if format == CodeFormat::Flask {
                pytest::Target::Flask(app.to_owned())
            } else {
                pytest::Target::TestClient(app.to_owned())
            };
            pytest::generate(&plan, &target, contracts, &mut warnings)
        }
    };
    Ok(Generated { files, warnings })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `ALL` names each variant once: checked against the TypeScript binding, the union of every
    /// variant's name, so a variant added to the enum and not to `ALL` fails here.
    #[test]
    fn all_formats_are_listed_once() {
        let union = <CodeFormat as TS>::inline(&ts_rs::Config::new());
        let mut declared: Vec<String> = union
            .split('|')
            .map(|l| l.trim().trim_matches('"').to_owned())
            .collect();
        let mut listed: Vec<String> = CodeFormat::ALL
            .iter()
            .map(|f| {
                serde_json::to_value(f)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        declared.sort();
        listed.sort();
        assert_eq!(listed, declared);
    }
}
