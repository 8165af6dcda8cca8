//! Which requests a run sends, in which order, and which may go at once: the tree under the
//! path (or the one request it names), filtered by `only` and tags, split into units. A unit is
//! one request, or every request under a folder marked sequential (sent in order by one
//! worker); the workers take units in tree order.

use sextant_model::{ApiError, ErrorCode, RunOptions, SavedRequest};
use sextant_store::workspace::{LoadedRequests, Workspace};
use sextant_store::{NodeKind, TreeNode};

/// One request of the plan.
pub(crate) struct Planned {
    pub path: String,
    pub name: String,
    /// The request, or why its file could not be read.
    pub saved: Result<SavedRequest, ApiError>,
}

pub(crate) struct Plan {
    /// What the tree calls the collection, folder or request run.
    pub name: String,
    pub requests: Vec<Planned>,
    /// Indexes into `requests`; each unit's requests run in order.
    pub units: Vec<Vec<usize>>,
    /// The collection the plan's requests are in (the path's first part).
    pub collection: String,
    /// The plan walked a whole collection (selected or not, every request was read).
    pub whole_collection: bool,
    /// The spec the first request read that names one names (as written in its file).
    pub named_spec: Option<String>,
}

fn selected(options: &RunOptions, path: &str, saved: &Result<SavedRequest, ApiError>) -> bool {
    if !options.only.is_empty() && !options.only.iter().any(|p| p == path) {
        return false;
    }
    let Ok(saved) = saved else {
        return options.include_tags.is_empty();
    };
    let has = |tags: &[String]| tags.iter().any(|t| saved.tags.contains(t));
    (options.include_tags.is_empty() || has(&options.include_tags)) && !has(&options.exclude_tags)
}

struct Walk<'a> {
    ws: &'a Workspace,
    options: &'a RunOptions,
    /// The requests the listing loaded on the way; the others are read at their turn.
    loaded: LoadedRequests,
    plan: Plan,
}

impl Walk<'_> {
    fn request(&mut self, node: &TreeNode) -> Option<usize> {
        let saved = match &node.error {
            Some(e) => Err(ApiError::new(ErrorCode::InvalidFile, e.clone())),
            None => match self.loaded.remove(&node.path) {
                Some(loaded) => Ok(loaded.request),
                None => self
                    .ws
                    .read_request(&node.path)
                    .map(|l| l.request)
                    .map_err(ApiError::from),
            },
        };
        if self.plan.named_spec.is_none() {
            if let Ok(Some(contract)) = saved.as_ref().map(|s| s.contract.as_ref()) {
                self.plan.named_spec = Some(contract.spec.clone());
            }
        }
        if !selected(self.options, &node.path, &saved) {
            return None;
        }
        let name = saved
            .as_ref()
            .map(|s| s.name.clone())
            .unwrap_or_else(|_| node.name.clone());
        self.plan.requests.push(Planned {
            path: node.path.clone(),
            name,
            saved,
        });
        Some(self.plan.requests.len() - 1)
    }

    /// Adds the requests under `node`; `into` collects them as one unit when an enclosing
    /// folder is sequential.
    fn folder(&mut self, node: &TreeNode, mut into: Option<&mut Vec<usize>>) {
        let sequential = into.is_none()
            && self
                .ws
                .read_folder_settings(&node.path)
                .map(|f| f.settings.sequential)
                .unwrap_or(false);
        let mut own = Vec::new();
        for child in &node.children {
            let target = match (&mut into, sequential) {
                (Some(unit), _) => Some(&mut **unit),
                (None, true) => Some(&mut own),
                (None, false) => None,
            };
            match child.kind {
                NodeKind::Request => {
                    if let Some(i) = self.request(child) {
                        match target {
                            Some(unit) => unit.push(i),
                            None => self.plan.units.push(vec![i]),
                        }
                    }
                }
                NodeKind::Collection | NodeKind::Folder => self.folder(child, target),
                NodeKind::Environment => {}
            }
        }
        if !own.is_empty() {
            self.plan.units.push(own);
        }
    }
}

/// The plan for `path`: a collection, a folder or one request file.
pub(crate) fn plan(ws: &Workspace, path: &str, options: &RunOptions) -> Result<Plan, ApiError> {
    let path = path.trim_matches('/');
    let mut walk = Walk {
        ws,
        options,
        loaded: LoadedRequests::new(),
        plan: Plan {
            name: path.rsplit('/').next().unwrap_or(path).to_owned(),
            requests: Vec::new(),
            units: Vec::new(),
            collection: path.split('/').next().unwrap_or(path).to_owned(),
            whole_collection: false,
            named_spec: None,
        },
    };
    let is_request = path.ends_with(".yaml") && ws.root().join(path).is_file();
    if is_request {
        let loaded = ws.read_request(path)?;
        walk.plan.requests.push(Planned {
            path: path.to_owned(),
            name: loaded.request.name.clone(),
            saved: Ok(loaded.request),
        });
        walk.plan.units.push(vec![0]);
        walk.plan.name = walk.plan.requests[0].name.clone();
    } else {
        let (node, loaded) = ws.list_folder_loaded(path).map_err(|e| {
            let e = ApiError::from(e);
            ApiError::new(e.code, format!("cannot run {path}: {}", e.message))
        })?;
        walk.loaded = loaded;
        walk.plan.name = node.name.clone();
        walk.plan.whole_collection = node.kind == NodeKind::Collection;
        walk.folder(&node, None);
    }
    Ok(walk.plan)
}
