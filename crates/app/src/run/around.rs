//! A run's snapshot of what its requests inherit: the globals, the collection and folder
//! settings above each request, the chosen environment and the spec the collection's requests
//! name (for contracts matched by path), read once per folder when the run
//! starts instead of once per send (a collection file lists every request, so reading it for
//! each one made a run quadratic). A folder whose surroundings cannot be read is left out: its
//! sends read them again and fail with the same error a single send gives.

use std::collections::HashMap;
use std::sync::Arc;

use sextant_store::workspace::Workspace;

use super::plan::Plan;
use crate::contract_by_path::collection_spec;
use crate::resolve::{surroundings, Surroundings};

/// The surroundings of each folder holding a planned request, by folder path.
#[derive(Default)]
pub(crate) struct Arounds(HashMap<String, Arc<Surroundings>>);

fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(folder, _)| folder)
}

/// The spec `collection` names, when the plan knows: it walked the whole collection (then
/// `Some(None)` when no request names one) or met a request of it that names one. `None`: not
/// known, read it.
fn named_in_plan(plan: &Plan, collection: &str) -> Option<Option<String>> {
    let ours = plan.collection == collection;
    match &plan.named_spec {
        Some(spec) if ours => Some(Some(spec.clone())),
        None if ours && plan.whole_collection => Some(None),
        _ => None,
    }
}

impl Arounds {
    /// Reads the surroundings of every folder `plan` sends from, in `environment`.
    pub(crate) fn read(ws: &Workspace, plan: &Plan, environment: Option<&str>) -> Arounds {
        let mut arounds = HashMap::new();
        let mut tried = std::collections::HashSet::new();
        let mut specs = HashMap::new();
        for planned in &plan.requests {
            let folder = folder_of(&planned.path);
            if !tried.insert(folder.to_owned()) {
                continue;
            }
            if let Ok(mut around) = surroundings(ws, Some(&planned.path), environment) {
                let spec = specs.entry(around.collection.clone()).or_insert_with(|| {
                    named_in_plan(plan, &around.collection)
                        .unwrap_or_else(|| collection_spec(ws, &around.collection))
                });
                around.collection_spec = Some(spec.clone());
                arounds.insert(folder.to_owned(), Arc::new(around));
            }
        }
        Arounds(arounds)
    }

    /// The snapshot for the request at `path`, if its folder's could be read.
    pub(crate) fn of(&self, path: &str) -> Option<Arc<Surroundings>> {
        self.0.get(folder_of(path)).cloned()
    }
}
