//! The contract of a request that names no operation: when its collection came from an imported
//! spec (its imported requests name it in `contract:`), the operation of that spec with the
//! request's method whose path template matches the request's URL
//! ([`sextant_openapi::contract::match_by_path`]). The check then runs as for an imported
//! request, its results marked "matched by path".

use sextant_model::ContractRef;
use sextant_openapi::contract::match_by_path;
use sextant_store::workspace::Workspace;
use sextant_store::{NodeKind, TreeNode};

use crate::contract::spec_location;
use crate::App;

/// Request files read, at most, looking for the collection's spec: each send of a request
/// without a contract pays for this walk, so it stays short.
const MAX_SCANNED: usize = 32;

/// The spec the first request of `collection` that names one names (as written in its file).
pub(crate) fn collection_spec(ws: &Workspace, collection: &str) -> Option<String> {
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
    let root = ws.list_folder(collection).ok()?;
    walk(ws, &root, &mut MAX_SCANNED.clone())
}

impl App {
    /// The operation a `method` request to `url` in `collection` calls, by path, when the
    /// collection came from an imported spec; `None` when it did not or no template matches.
    /// `known`: the collection's spec already looked up (a run looks it up once).
    pub(crate) async fn contract_by_path(
        &self,
        collection: &str,
        known: Option<Option<String>>,
        method: &str,
        url: &str,
    ) -> Option<ContractRef> {
        let name = collection.to_owned();
        let spec = match known {
            Some(spec) => spec?,
            None => self
                .with_workspace(move |ws| Ok(collection_spec(ws, &name)))
                .await
                .ok()
                .flatten()?,
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
