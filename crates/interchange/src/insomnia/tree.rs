//! The resource tree of an Insomnia export, rebuilt from `parentId` links: the walk that turns
//! request groups into folders and requests into saved requests, guarding against cycles and
//! the item and depth budgets.

use std::collections::{HashMap, HashSet};

use serde_json::Value;
use sextant_model::{CollectionItem, Folder, FolderSettings};

use crate::files::warn_file_references;
use crate::json::{array, string_or_empty};
use crate::limits::{check_depth, Budget};
use crate::text::short;
use crate::warning::{join_path, Warnings};
use crate::InterchangeError;

use super::auth::auth;
use super::request::{request, rows};
use super::variables::flatten;

pub(super) type Children<'a> = HashMap<String, Vec<(usize, &'a Value)>>;

/// The children of `id`; a resource without an id has none (its "children" would be every
/// resource without a parent).
pub(super) fn tree_children<'a, 'm>(
    children: &'m Children<'a>,
    id: &str,
) -> &'m [(usize, &'a Value)] {
    if id.is_empty() {
        return &[];
    }
    children.get(id).map(Vec::as_slice).unwrap_or(&[])
}

pub(super) struct Tree<'a> {
    pub(super) children: &'a Children<'a>,
    /// Ids of the workspaces and folders walked so far: a second visit is a cycle.
    pub(super) visited: HashSet<String>,
    pub(super) budget: Budget,
}

impl<'a> Tree<'a> {
    pub(super) fn children_of(&self, id: &str) -> Vec<(usize, &'a Value)> {
        tree_children(self.children, id).to_vec()
    }

    /// The folders and requests among `children` of a folder at `depth` (0 = the workspace).
    /// `other` gets the first look at each child (the workspace level uses it for environments
    /// and cookie jars) and says whether it took it.
    pub(super) fn items(
        &mut self,
        children: Vec<(usize, &'a Value)>,
        path: &str,
        depth: usize,
        w: &mut Warnings,
        reached: &mut usize,
        other: &mut dyn FnMut(&Value, &mut Warnings, &mut usize) -> bool,
    ) -> Result<Vec<CollectionItem>, InterchangeError> {
        let mut items = Vec::new();
        for (_, child) in children {
            if other(child, w, reached) {
                continue;
            }
            let name = string_or_empty(child, "name");
            let child_path = join_path(path, &name);
            let child_id = string_or_empty(child, "_id");
            let kind = kind(child);
            if matches!(kind.as_str(), "request_group" | "request") {
                if !child_id.is_empty() && !self.visited.insert(child_id.clone()) {
                    w.push(
                        &child_path,
                        "reached a second time through `parentId` (a folder inside itself); skipped",
                    );
                    continue;
                }
                self.budget.item()?;
            }
            *reached += 1;
            match kind.as_str() {
                "request_group" => {
                    check_depth(depth + 1)?;
                    if !description_of(child).is_empty() {
                        w.push(
                            &child_path,
                            "the folder's description is not imported (only requests have notes)",
                        );
                    }
                    let settings = FolderSettings {
                        base_url: None,
                        headers: rows(array(child, "headers"), &child_path, w),
                        auth: auth(child.get("authentication"), &child_path, w),
                        variables: child
                            .get("environment")
                            .map(|data| flatten(data, &child_path, w))
                            .unwrap_or_default(),
                        client_certificates: Vec::new(),
                        sequential: false,
                    };
                    let grandchildren = self.children_of(&child_id);
                    let inside = self.items(
                        grandchildren,
                        &child_path,
                        depth + 1,
                        w,
                        reached,
                        &mut |_, _, _| false,
                    )?;
                    items.push(CollectionItem::Folder(Folder {
                        name,
                        settings,
                        items: inside,
                    }));
                }
                "request" => {
                    let saved = request(child, name, &child_path, w);
                    warn_file_references(&saved, &child_path, w);
                    items.push(CollectionItem::Request(saved));
                }
                other_kind => {
                    *reached += self.count(&child_id);
                    w.push(
                        &child_path,
                        format!(
                            "{} resources are not supported; not imported",
                            short(other_kind)
                        ),
                    );
                }
            }
        }
        Ok(items)
    }

    /// How many resources are under `id`, each counted once however the links loop.
    fn count(&self, id: &str) -> usize {
        let mut seen: HashSet<&str> = HashSet::new();
        let mut stack = vec![id.to_owned()];
        let mut total = 0;
        while let Some(next) = stack.pop() {
            for (_, c) in tree_children(self.children, &next) {
                let cid = c.get("_id").and_then(Value::as_str).unwrap_or_default();
                if cid.is_empty() {
                    total += 1;
                } else if seen.insert(cid) {
                    total += 1;
                    stack.push(cid.to_owned());
                }
            }
        }
        total
    }
}

pub(super) fn kind(r: &Value) -> String {
    string_or_empty(r, "_type")
}

pub(super) fn sort_key(entry: &(usize, &Value)) -> f64 {
    entry
        .1
        .get("metaSortKey")
        .and_then(Value::as_f64)
        .unwrap_or(f64::MAX)
}

pub(super) fn description_of(r: &Value) -> String {
    string_or_empty(r, "description")
}
