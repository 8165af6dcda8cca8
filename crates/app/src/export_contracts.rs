//! The contracts an exported pytest suite checks: for each OpenAPI operation the exported
//! requests call (`SavedRequest.contract`), its documented responses with each body schema as
//! the contract check on send validates it (`sextant_openapi::contract::schema_document`:
//! JSON Schema 2020-12, components bundled under `$defs`). The spec is read as that check
//! reads it (the same cache); a spec that cannot be read, or an operation it lacks, leaves the
//! request exported without the check and says so in a warning.

use std::path::Path;

use sextant_export::{DocumentedContent, DocumentedResponse, OperationContract};
use sextant_model::{Collection, CollectionItem, ContractRef, ConversionWarning};
use sextant_openapi::contract::schema_document;
use sextant_openapi::{ApiSpec, Operation};

use crate::contract::spec_location;
use crate::App;

impl App {
    /// The contracts of the operations `collection`'s requests call; `base` is the collection
    /// folder a relative spec path starts from.
    pub(crate) async fn export_contracts(
        &self,
        collection: &Collection,
        base: Option<&Path>,
    ) -> (Vec<OperationContract>, Vec<ConversionWarning>) {
        let mut references: Vec<(String, ContractRef)> = Vec::new();
        called(&collection.items, &mut references);
        let mut contracts = Vec::new();
        let mut warnings = Vec::new();
        for (request, reference) in references {
            if contracts
                .iter()
                .any(|c: &OperationContract| c.reference == reference)
            {
                continue;
            }
            let source = spec_location(&reference.spec, base);
            let found = match self.contract_spec(&source).await {
                Ok(spec) => contract_of(&spec, &reference),
                Err(e) => Err(format!("the spec was not read: {}", e.message)),
            };
            match found {
                Ok(contract) => contracts.push(contract),
                Err(why) => warnings.push(ConversionWarning {
                    location: request,
                    message: format!(
                        "the contract check of {} is not exported: {why}",
                        reference.operation
                    ),
                }),
            }
        }
        (contracts, warnings)
    }
}

/// Each request's name and the operation it calls, in order.
fn called(items: &[CollectionItem], out: &mut Vec<(String, ContractRef)>) {
    for item in items {
        match item {
            CollectionItem::Request(saved) => {
                if let Some(reference) = &saved.contract {
                    out.push((saved.name.clone(), reference.clone()));
                }
            }
            CollectionItem::Folder(folder) => called(&folder.items, out),
        }
    }
}

fn operation<'a>(spec: &'a ApiSpec, name: &str) -> Option<&'a Operation> {
    spec.operations
        .iter()
        .find(|op| op.id == name || format!("{} {}", op.method, op.path) == name)
}

fn contract_of(spec: &ApiSpec, reference: &ContractRef) -> Result<OperationContract, String> {
    let op = operation(spec, &reference.operation)
        .ok_or_else(|| format!("the spec has no operation {}", reference.operation))?;
    let mut responses = Vec::new();
    for documented in &op.responses {
        let mut content = Vec::new();
        for media in &documented.content {
            let schema = schema_document(spec, &media.schema).map_err(|e| e.to_string())?;
            content.push(DocumentedContent {
                media_type: media.media_type.clone(),
                schema,
            });
        }
        responses.push(DocumentedResponse {
            status: documented.status.clone(),
            required_headers: documented
                .headers
                .iter()
                .filter(|h| h.required)
                .map(|h| h.name.clone())
                .collect(),
            content,
        });
    }
    Ok(OperationContract {
        reference: reference.clone(),
        responses,
    })
}
