//! The contracts of the OpenAPI operations a collection's requests call, as the exported tests
//! check them. The export crate reads no spec: the caller (the app, which reads and caches
//! specs for the contract checks on each send) hands each operation's documented responses in,
//! with every response schema already a self-contained JSON Schema 2020-12 document, and the
//! pytest generator writes them as `schemas/<operation>.json` beside the tests.

use serde::Serialize;
use serde_json::Value;
use sextant_model::ContractRef;

/// What one operation documents about its responses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationContract {
    /// The operation as requests refer to it (`SavedRequest.contract`).
    pub reference: ContractRef,
    /// In the document's order.
    pub responses: Vec<DocumentedResponse>,
}

/// One documented response of an operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentedResponse {
    /// `"200"`, `"4XX"` or `"default"`.
    pub status: String,
    /// The headers the response must carry.
    pub required_headers: Vec<String>,
    /// The documented media types; none: any body.
    pub content: Vec<DocumentedContent>,
}

/// A documented media type and its body's schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentedContent {
    /// `application/json`, or a range such as `image/*`.
    pub media_type: String,
    /// A JSON Schema 2020-12 document with its components under `$defs`; `None`: any body.
    pub schema: Option<Value>,
}

/// The text of `schemas/<name>.json`: what `check_contract` in `sextant_support.py` reads.
pub(crate) fn schema_file(contract: &OperationContract) -> String {
    #[derive(Serialize)]
    struct File<'a> {
        operation: &'a str,
        responses: &'a [DocumentedResponse],
    }
    let file = File {
        operation: &contract.reference.operation,
        responses: &contract.responses,
    };
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}
