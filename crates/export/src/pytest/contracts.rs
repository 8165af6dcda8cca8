//! Contract checks in the exported tests: each operation the requests call, when its contract
//! was handed in, becomes `schemas/<operation>.json`, and each of its requests' tests calls
//! `check_contract(response, "<operation>")` (in `sextant_support.py`, through `jsonschema`).

use sextant_model::ContractRef;

use crate::contract::{schema_file, OperationContract};
use crate::names::non_empty;
use crate::names::{snake, Unique};
use crate::plan::Plan;
use crate::GeneratedFile;

/// The schema files of an export and the name each operation's file goes by.
#[derive(Default)]
pub(super) struct ContractFiles {
    names: Vec<(ContractRef, String)>,
    pub files: Vec<GeneratedFile>,
}

impl ContractFiles {
    /// The files for the operations `plan`'s requests call, among `contracts`.
    pub fn new(plan: &Plan, contracts: &[OperationContract]) -> ContractFiles {
        let mut out = ContractFiles::default();
        let mut unique = Unique::default();
        let called = plan
            .groups
            .iter()
            .flat_map(|g| &g.steps)
            .filter_map(|s| s.contract.as_ref());
        for reference in called {
            if out.name_for(reference).is_some() {
                continue;
            }
            let Some(contract) = contracts.iter().find(|c| &c.reference == reference) else {
                continue;
            };
            let name = unique.take(&non_empty(snake(&reference.operation), "operation"));
            out.files.push(GeneratedFile {
                path: format!("schemas/{name}.json"),
                contents: schema_file(contract),
                executable: false,
            });
            out.names.push((reference.clone(), name));
        }
        out
    }

    /// The name `check_contract` loads the contract of `reference` by.
    pub fn name_for(&self, reference: &ContractRef) -> Option<&str> {
        self.names
            .iter()
            .find(|(r, _)| r == reference)
            .map(|(_, n)| n.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}
