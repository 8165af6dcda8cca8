//! Merging an imported [`Collection`] into a collection already in the workspace, for importing
//! a spec or an export again next to what came of it last time. The merge only adds and updates:
//! nothing in the workspace is deleted, and what the user set there wins over what the import
//! brings, so importing the same thing twice changes nothing the second time.
//!
//! - Folders are matched by display name at each level; a missing one is created with the
//!   imported settings. The settings of an existing collection or folder are kept.
//! - A request with the same display name in the same folder keeps its file, secrets, auth (unless
//!   it inherits), settings, docs (unless empty), body (unless it has none) and its query and
//!   header rows; it takes the imported method and URL, and the imported rows, variables and
//!   captures it does not have. It is saved through [`Workspace::save_request`] against the
//!   revision just read, so an edit on disk in the meantime is a conflict, not overwritten.
//! - Any other request is created with [`Workspace::create_request`].
//! - An environment of a name the collection does not have is created; existing ones are kept.

use sextant_model::{
    Auth, Collection, CollectionItem, FolderSettings, KeyValue, RequestBody, SavedRequest,
};

use super::tree::{NodeKind, TreeNode};
use super::Workspace;
use crate::StoreError;

/// What a merge did, counted in requests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MergeReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub folders_created: usize,
}

impl Workspace {
    /// Merges `collection` into the collection at `path` (see the module docs for what wins).
    pub fn merge_collection(
        &self,
        path: &str,
        collection: &Collection,
    ) -> Result<MergeReport, StoreError> {
        let root = self.list_folder(path)?;
        if root.kind != NodeKind::Collection {
            return Err(StoreError::InvalidPath {
                path: path.to_string(),
                reason: "not a collection".to_string(),
            });
        }
        let mut report = MergeReport::default();
        self.merge_items(&root, &collection.items, &mut report)?;
        let existing: Vec<String> = self
            .list_environments(path)?
            .into_iter()
            .map(|e| e.name)
            .collect();
        for env in &collection.environments {
            if !existing.contains(&env.name) {
                self.create_environment(path, env)?;
            }
        }
        Ok(report)
    }

    /// Merges `items` into the folder `dir` (its tree as listed before the merge).
    fn merge_items(
        &self,
        dir: &TreeNode,
        items: &[CollectionItem],
        report: &mut MergeReport,
    ) -> Result<(), StoreError> {
        // Each existing entry takes at most one imported item, so two imported requests of one
        // name match two files, the same two on every merge.
        let mut used = Vec::new();
        for item in items {
            match item {
                CollectionItem::Folder(folder) => {
                    let found = child(dir, NodeKind::Folder, &folder.name, &mut used);
                    let node = match found {
                        Some(node) => node.clone(),
                        None => {
                            let created = self.create_folder(&dir.path, &folder.name)?;
                            if folder.settings != FolderSettings::default() {
                                let revision = self.read_folder_settings(&created)?.revision;
                                self.save_folder_settings(&created, &folder.settings, &revision)?;
                            }
                            report.folders_created += 1;
                            self.list_folder(&created)?
                        }
                    };
                    self.merge_items(&node, &folder.items, report)?;
                }
                CollectionItem::Request(request) => {
                    match child(dir, NodeKind::Request, &request.name, &mut used) {
                        Some(node) => {
                            let loaded = self.read_request(&node.path)?;
                            let merged = merged_request(&loaded.request, request);
                            if merged == loaded.request {
                                report.unchanged += 1;
                            } else {
                                self.save_request(&node.path, &merged, Some(&loaded.revision))?;
                                report.updated += 1;
                            }
                        }
                        None => {
                            self.create_request(&dir.path, request)?;
                            report.created += 1;
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// The first readable child of `dir` of this kind and display name not in `used` (it is then).
fn child<'a>(
    dir: &'a TreeNode,
    kind: NodeKind,
    name: &str,
    used: &mut Vec<&'a str>,
) -> Option<&'a TreeNode> {
    let found = dir.children.iter().find(|c| {
        c.kind == kind && c.error.is_none() && c.name == name && !used.contains(&c.path.as_str())
    })?;
    used.push(&found.path);
    Some(found)
}

/// `existing` updated by `imported`: method and URL from the import, everything the user set
/// kept, rows and variables the import adds appended. Merging the result again is a no-op.
fn merged_request(existing: &SavedRequest, imported: &SavedRequest) -> SavedRequest {
    let mut out = existing.clone();
    out.request.method.clone_from(&imported.request.method);
    out.request.url.clone_from(&imported.request.url);
    add_rows(&mut out.request.query, &imported.request.query, false);
    add_rows(&mut out.request.headers, &imported.request.headers, true);
    if out.request.body == RequestBody::None {
        out.request.body = imported.request.body.clone();
    }
    if out.auth == Auth::Inherit {
        out.auth = imported.auth.clone();
    }
    if out.contract.is_none() {
        out.contract.clone_from(&imported.contract);
    }
    for var in &imported.variables {
        if !out.variables.iter().any(|v| v.name == var.name) {
            out.variables.push(var.clone());
        }
    }
    for capture in &imported.captures {
        if !out.captures.iter().any(|c| c.variable == capture.variable) {
            out.captures.push(capture.clone());
        }
    }
    if out.docs.trim().is_empty() {
        out.docs.clone_from(&imported.docs);
    }
    out
}

/// Appends the rows of `imported` whose name `rows` lacks (header names without case).
fn add_rows(rows: &mut Vec<KeyValue>, imported: &[KeyValue], ignore_case: bool) {
    for row in imported {
        let present = rows.iter().any(|r| {
            if ignore_case {
                r.name.eq_ignore_ascii_case(&row.name)
            } else {
                r.name == row.name
            }
        });
        if !present {
            rows.push(row.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sextant_model::HttpRequest;

    #[test]
    fn a_merged_request_merges_again_into_itself() {
        let mut existing = SavedRequest::new("Get", HttpRequest::get("{{baseUrl}}/old"));
        existing
            .request
            .headers
            .push(KeyValue::new("X-Token", "mine"));
        let mut imported = SavedRequest::new("Get", HttpRequest::get("{{baseUrl}}/items"));
        imported.request.headers.push(KeyValue::new("x-token", ""));
        imported.request.query.push(KeyValue::new("limit", "10"));
        imported.docs = "Lists items.".into();
        let once = merged_request(&existing, &imported);
        assert_eq!(once.request.url, "{{baseUrl}}/items");
        assert_eq!(once.request.headers, existing.request.headers);
        assert_eq!(once.request.query, imported.request.query);
        assert_eq!(once.docs, "Lists items.");
        assert_eq!(merged_request(&once, &imported), once);
    }
}
