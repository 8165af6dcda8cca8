//! The overview of a document read straight from its tree, before the model is built: paths,
//! methods and the few words the sidebar shows of each operation. Building the model resolves
//! every schema and takes several times longer on a big spec; the window lists the operations
//! from this while the model is built behind it.
//!
//! It walks the document with the builder's own helpers (`head`, `operation_head`, `reach`), so
//! its operations, tags and servers are the ones the model will have; a test holds it to that on
//! every fixture. It reports no warnings: the model's build reports them all.

use crate::model::SpecVersion;
use crate::overview::{OperationSummary, SpecOverview};
use crate::pointer::Loc;
use crate::store::{Store, MAIN};
use crate::tree::Node;

use super::{add_operation_tags, Ctx, METHODS};

/// The overview of the main document of `store`, without warnings and with `complete` unset.
/// `spec_id` and `source` are left empty for the caller to fill in.
pub(crate) fn outline(
    store: &Store<'_>,
    version: SpecVersion,
    raw_version: String,
) -> SpecOverview {
    let mut ctx = Ctx::new(store, version, Vec::new());
    let head = ctx.head();
    let root = &store.docs[MAIN].root;
    let mut tags = ctx.declared_tags(root, &Loc::Root(""));
    let operations = ctx.operation_summaries(root);
    add_operation_tags(&mut tags, operations.iter().map(|o| &o.tags));
    let schema_names = match ctx.schema_section(root).1 {
        Some(map) => map.iter().map(|(name, _)| name.to_owned()).collect(),
        None => Vec::new(),
    };
    SpecOverview {
        spec_id: String::new(),
        source: String::new(),
        title: head.title,
        version: raw_version,
        api_version: head.api_version,
        description: head.description,
        servers: head.servers,
        security_schemes: Vec::new(),
        tags,
        operations,
        schema_names,
        warnings: Vec::new(),
        complete: false,
    }
}

impl<'s> Ctx<'s> {
    fn operation_summaries(&mut self, root: &'s Node<'s>) -> Vec<OperationSummary> {
        let Some(paths) = root.get("paths").and_then(Node::as_object) else {
            return Vec::new();
        };
        let top = Loc::Root("");
        let paths_at = top.key("paths");
        let mut summaries = Vec::new();
        for (path, item) in paths.iter() {
            let written = paths_at.key(path);
            let Some(item) = self.reach(MAIN, item, &written, "path item") else {
                continue;
            };
            let Some(item_map) = item.node.as_object() else {
                continue;
            };
            for (method, op) in item_map.iter() {
                if !METHODS.contains(&method) {
                    continue;
                }
                let Some(op_map) = op.as_object() else {
                    continue;
                };
                let head = self.operation_head(path, method, op_map);
                summaries.push(OperationSummary::of(&head));
            }
        }
        summaries
    }
}
