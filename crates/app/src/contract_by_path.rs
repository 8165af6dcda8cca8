//! The contract of a request that names no operation: when its collection came from an imported
//! spec (its imported requests name it in `contract:`), the operation of that spec with the
//! request's method whose path template matches the request's URL
//! ([`sextant_openapi::contract::match_by_path`]). A collection that names no spec falls back
//! on the other specs of the workspace whose servers the URL is on ([`crate::contract_by_origin`]).
//! The check then runs as for an imported request, its results marked "matched by path".
//!
//! Which spec a collection names is found by reading its request files, so the answer is kept
//! per collection until the workspace's generation moves on (a write through the app, a change
//! the watcher reports: [`App::workspace_generation`]); a send of an unchanged workspace reads
//! no request file for it. The spec itself is kept by [`App::contract_spec`].

use std::collections::HashMap;
use std::sync::Mutex;

use sextant_model::ContractRef;
use sextant_openapi::contract::match_by_path;
use sextant_store::workspace::Workspace;
use sextant_store::{NodeKind, TreeNode};

use crate::contract::spec_location;
use crate::App;

/// Request files read, at most, looking for one collection's spec.
const MAX_SCANNED: usize = 32;

/// Which spec each collection names, with the workspace generation it was read at.
#[derive(Default)]
pub(crate) struct CollectionSpecs {
    by_collection: Mutex<HashMap<String, (u64, Option<String>)>>,
}

impl CollectionSpecs {
    pub(crate) fn get(&self, collection: &str, generation: u64) -> Option<Option<String>> {
        let map = self.by_collection.lock().unwrap_or_else(|p| p.into_inner());
        map.get(collection)
            .filter(|(at, _)| *at == generation)
            .map(|(_, spec)| spec.clone())
    }

    pub(crate) fn put(&self, collection: &str, generation: u64, spec: Option<String>) {
        let mut map = self.by_collection.lock().unwrap_or_else(|p| p.into_inner());
        map.retain(|_, (at, _)| *at == generation);
        map.insert(collection.to_owned(), (generation, spec));
    }
}

/// The spec the first request under `node` that names one names (as written in its file),
/// reading at most [`MAX_SCANNED`] request files.
fn spec_named_under(ws: &Workspace, node: &TreeNode) -> Option<String> {
    fn walk(ws: &Workspace, node: &TreeNode, budget: &mut usize) -> Option<String> {
        for child in &node.children {
            if *budget == 0 {
                return None;
            }
            let found = match child.kind {
                NodeKind::Request if child.error.is_none() => {
                    *budget -= 1;
                    ws.read_request(&child.path)
                        .ok()
                        .and_then(|l| l.request.contract)
                        .map(|c| c.spec)
                }
                NodeKind::Collection | NodeKind::Folder => walk(ws, child, budget),
                _ => None,
            };
            if found.is_some() {
                return found;
            }
        }
        None
    }
    walk(ws, node, &mut MAX_SCANNED.clone())
}

/// The spec the first request of `collection` that names one names (as written in its file).
pub(crate) fn collection_spec(ws: &Workspace, collection: &str) -> Option<String> {
    let root = ws.list_folder(collection).ok()?;
    spec_named_under(ws, &root)
}

impl App {
    /// [`collection_spec`], kept until the workspace changes.
    pub(crate) async fn named_spec(&self, collection: &str) -> Option<String> {
        let generation = self.workspace_generation();
        let names = &self.contracts.names;
        if let Some(spec) = names.get(collection, generation) {
            return spec;
        }
        let name = collection.to_owned();
        let spec = self
            .with_workspace(move |ws| Ok(collection_spec(ws, &name)))
            .await
            .ok()?;
        names.put(collection, generation, spec.clone());
        spec
    }

    /// The operation a `method` request to `url` in `collection` calls, by path: in the spec
    /// the collection came from, or when it names none in another spec of the workspace whose
    /// server the URL is on. `None` when no template matches.
    /// `known`: the collection's spec already looked up (a run looks it up once).
    pub(crate) async fn contract_by_path(
        &self,
        collection: &str,
        known: Option<Option<String>>,
        method: &str,
        url: &str,
    ) -> Option<ContractRef> {
        let spec = match known {
            Some(spec) => spec,
            None => self.named_spec(collection).await,
        };
        let Some(spec) = spec else {
            return self.contract_by_origin(collection, method, url).await;
        };
        let base = self.workspace_root().join(collection);
        let api = self
            .contract_spec(&spec_location(&spec, Some(&base)))
            .await
            .ok()?;
        let op = match_by_path(&api, method, url)?;
        Some(ContractRef {
            spec,
            operation: op.id.clone(),
        })
    }
}
