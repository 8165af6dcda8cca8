//! The sidebar's view of a workspace: collections, folders and requests (method and name) in the
//! user's order. Listing never stops at a broken file: a request or settings file that does not
//! parse is shown with its error, and everything else is still listed. Listing follows the
//! containment rules of `contain`: links out of the workspace and links back to a folder already
//! listed are left out, and folders deeper than [`super::MAX_TREE_DEPTH`] are not listed.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::atomic::revision_of;
use super::contain::{target_of, EntryTarget, Visited};
use super::format::{from_yaml, RequestFile, SecretsIn};
use super::paths::{Rel, COLLECTION_FILE, ENVIRONMENTS_DIR, EXT, FOLDER_FILE};
use super::secrets::SecretStore;
use super::{LoadedRequest, Workspace};
use crate::StoreError;

/// The requests a listing read and loaded on the way, by path (see
/// [`Workspace::list_folder_loaded`]).
pub type LoadedRequests = HashMap<String, LoadedRequest>;

/// What a listing that loads its requests carries along: the secrets, read once.
struct Loading {
    secrets: BTreeMap<String, String>,
    requests: LoadedRequests,
}

/// What a tree node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum NodeKind {
    Collection,
    Folder,
    Request,
    Environment,
}

/// One entry of the workspace tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TreeNode {
    pub kind: NodeKind,
    /// The display name from the file; the file or folder name when the file is missing or
    /// does not parse.
    pub name: String,
    /// Workspace-relative path: the folder for collections and folders, the file for requests.
    pub path: String,
    /// The HTTP method of a request.
    pub method: Option<String>,
    /// Why this node's file could not be read (`path:line:column: message`). Its children are
    /// still listed.
    pub error: Option<String>,
    pub children: Vec<TreeNode>,
}

/// A child of a collection or folder, as found on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Child {
    pub(crate) name: String,
    pub(crate) is_dir: bool,
    /// A symlink (to something inside the workspace).
    pub(crate) link: bool,
}

/// The children of a collection or folder: sub-folders and `*.yaml` request files, without
/// hidden entries, settings files, the collection's `environments` folder, other files, or links
/// to anything outside `root`.
pub(crate) fn children(abs: &Path, depth: usize, root: &Path) -> Result<Vec<Child>, StoreError> {
    let mut out = Vec::new();
    for entry in fs::read_dir(abs).map_err(|e| StoreError::io(abs, e))? {
        let entry = entry.map_err(|e| StoreError::io(abs, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.contains(':') {
            continue;
        }
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        let is_dir = match target_of(&entry.path(), file_type, root) {
            EntryTarget::Dir => true,
            EntryTarget::File => false,
            EntryTarget::Skip => continue,
        };
        let keep = if is_dir {
            !(depth == 1 && name == ENVIRONMENTS_DIR)
        } else {
            name.ends_with(EXT) && name != COLLECTION_FILE && name != FOLDER_FILE
        };
        if keep {
            let link = file_type.is_symlink();
            out.push(Child { name, is_dir, link });
        }
    }
    Ok(out)
}

/// How children not named in an `order` list are sorted: by name, ignoring case.
pub(crate) fn by_name(a: &str, b: &str) -> Ordering {
    a.to_lowercase()
        .cmp(&b.to_lowercase())
        .then_with(|| a.cmp(b))
}

/// Sorts children: first those named in `order`, in that order, then the rest by name.
pub(crate) fn ordered(mut children: Vec<Child>, order: &[String]) -> Vec<Child> {
    let mut out = Vec::with_capacity(children.len());
    let mut seen = HashSet::new();
    for name in order {
        if !seen.insert(name.as_str()) {
            continue;
        }
        if let Some(i) = children.iter().position(|c| &c.name == name) {
            out.push(children.swap_remove(i));
        }
    }
    children.sort_by(|a, b| by_name(&a.name, &b.name));
    out.extend(children);
    out
}

impl Workspace {
    /// Every collection (sub-folder of the workspace, hidden ones excepted), sorted by folder
    /// name, with its folders and requests in order.
    pub fn list_tree(&self) -> Result<Vec<TreeNode>, StoreError> {
        let mut names = Vec::new();
        for entry in fs::read_dir(&self.root).map_err(|e| StoreError::io(&self.root, e))? {
            let entry = entry.map_err(|e| StoreError::io(&self.root, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            if !name.starts_with('.')
                && !name.contains(':')
                && matches!(
                    target_of(&entry.path(), file_type, &self.root),
                    EntryTarget::Dir
                )
            {
                names.push((name, file_type.is_symlink()));
            }
        }
        names.sort_by(|a, b| by_name(&a.0, &b.0));
        let mut visited = Visited::default();
        visited.enter(&self.root);
        let mut nodes = Vec::with_capacity(names.len());
        for (name, link) in names {
            let rel = Rel::from_parts(vec![name]);
            if visited.enter(&self.abs(&rel)) || !link {
                nodes.push(self.folder_node(&rel, &mut visited, &mut None));
            }
        }
        Ok(nodes)
    }

    /// The tree of one collection or folder.
    pub fn list_folder(&self, dir: &str) -> Result<TreeNode, StoreError> {
        self.list(dir, &mut None)
    }

    /// [`Workspace::list_folder`], with each request that parses loaded as
    /// [`Workspace::read_request`] loads it: a collection run reads each file once. A request
    /// missing from the map (its file does not parse, the secrets cannot be read) is read again
    /// by `read_request`, which says why.
    pub fn list_folder_loaded(&self, dir: &str) -> Result<(TreeNode, LoadedRequests), StoreError> {
        let mut loading = self.secrets.load().ok().map(|secrets| Loading {
            secrets,
            requests: HashMap::new(),
        });
        let node = self.list(dir, &mut loading)?;
        Ok((node, loading.map(|l| l.requests).unwrap_or_default()))
    }

    fn list(&self, dir: &str, loading: &mut Option<Loading>) -> Result<TreeNode, StoreError> {
        let rel = self.existing_folder(dir)?;
        Self::check_depth(&rel)?;
        self.check_inside(&rel)?;
        let mut visited = Visited::default();
        visited.enter(&self.root);
        visited.enter(&self.abs(&rel));
        Ok(self.folder_node(&rel, &mut visited, loading))
    }

    /// `rel`'s node with its children; `rel` itself is already in `visited`. A linked folder is
    /// entered only when its target was not entered yet (a real folder always is: without links
    /// there is no loop). Recursion is at most [`super::MAX_TREE_DEPTH`] deep.
    fn folder_node(
        &self,
        rel: &Rel,
        visited: &mut Visited,
        loading: &mut Option<Loading>,
    ) -> TreeNode {
        let kind = if rel.depth() == 1 {
            NodeKind::Collection
        } else {
            NodeKind::Folder
        };
        let mut node = TreeNode {
            kind,
            name: rel.last().to_string(),
            path: rel.to_string(),
            method: None,
            error: None,
            children: Vec::new(),
        };
        let order = match self.read_folder_file(rel) {
            Ok((file, _)) => {
                node.name = file.name;
                file.order
            }
            Err(e) => {
                node.error = Some(e.to_string());
                Vec::new()
            }
        };
        let found = match children(&self.abs(rel), rel.depth(), &self.root) {
            Ok(found) => found,
            Err(e) => {
                node.error.get_or_insert_with(|| e.to_string());
                return node;
            }
        };
        for child in ordered(found, &order) {
            let child_rel = rel.child(&child.name);
            if !child.is_dir {
                node.children.push(self.request_node(&child_rel, loading));
            } else if let Err(e) = Self::check_depth(&child_rel) {
                node.error.get_or_insert_with(|| e.to_string());
            } else if visited.enter(&self.abs(&child_rel)) || !child.link {
                node.children
                    .push(self.folder_node(&child_rel, visited, loading));
            }
        }
        node
    }

    fn request_node(&self, rel: &Rel, loading: &mut Option<Loading>) -> TreeNode {
        let path = rel.to_string();
        let parsed = self
            .read_inside(rel)
            .and_then(|bytes| from_yaml::<RequestFile>(&path, &bytes).map(|file| (file, bytes)));
        let (name, method, error) = match parsed {
            Ok((file, bytes)) => {
                let method = file.tree_method();
                let name = file.name.clone();
                if let Some(loading) = loading {
                    let lookup = SecretStore::scoped(&loading.secrets, &path);
                    let mut secrets = SecretsIn::new(&lookup);
                    let request = file.into_model(&mut secrets);
                    let loaded = LoadedRequest {
                        path: path.clone(),
                        request,
                        revision: revision_of(&bytes),
                        missing_secrets: secrets.missing,
                    };
                    loading.requests.insert(path.clone(), loaded);
                }
                (name, Some(method), None)
            }
            Err(e) => (rel.last().to_string(), None, Some(e.to_string())),
        };
        TreeNode {
            kind: NodeKind::Request,
            name,
            path,
            method,
            error,
            children: Vec::new(),
        }
    }
}
