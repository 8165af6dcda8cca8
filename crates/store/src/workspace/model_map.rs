//! The one place where the store's own shapes of the workspace (its tree rows, its drafts) meet
//! the model's, which cross IPC. The store keeps what it needs on disk (environments as tree
//! rows, draft times as unsigned milliseconds); the window gets what it shows.

use sextant_model as model;

use super::{Draft, NodeKind, TreeNode};

impl TreeNode {
    /// The row as the window's tree shows it; `None` for an environment, which has its own
    /// picker rather than a row.
    pub fn into_model(self) -> Option<model::TreeNode> {
        let kind = match self.kind {
            NodeKind::Collection => model::NodeKind::Collection,
            NodeKind::Folder => model::NodeKind::Folder,
            NodeKind::Request => model::NodeKind::Request,
            NodeKind::Environment => return None,
        };
        Some(model::TreeNode {
            kind,
            name: self.name,
            path: self.path,
            method: self.method,
            error: self.error,
            children: self
                .children
                .into_iter()
                .filter_map(TreeNode::into_model)
                .collect(),
        })
    }
}

impl From<Draft> for model::Draft {
    fn from(d: Draft) -> Self {
        model::Draft {
            key: d.key,
            path: d.path,
            base_revision: d.base_revision,
            saved: d.request,
            updated_ms: i64::try_from(d.updated_at_ms).unwrap_or(i64::MAX),
        }
    }
}

impl From<model::Draft> for Draft {
    fn from(d: model::Draft) -> Self {
        Draft {
            key: d.key,
            path: d.path,
            base_revision: d.base_revision,
            request: d.saved,
            updated_at_ms: u64::try_from(d.updated_ms).unwrap_or(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_round_trip_and_clamp_times() {
        let draft = Draft {
            key: "k".into(),
            path: Some("c/r.yaml".into()),
            base_revision: Some("r1".into()),
            request: model::SavedRequest::new("R", model::HttpRequest::get("http://127.0.0.1/")),
            updated_at_ms: 42,
        };
        let out: model::Draft = draft.clone().into();
        assert_eq!(out.updated_ms, 42);
        assert_eq!(Draft::from(out), draft);
        let far = Draft {
            updated_at_ms: u64::MAX,
            ..draft
        };
        assert_eq!(model::Draft::from(far).updated_ms, i64::MAX);
    }

    #[test]
    fn environments_are_not_tree_rows() {
        let env = TreeNode {
            kind: NodeKind::Environment,
            name: "dev".into(),
            path: "c/environments/dev.yaml".into(),
            method: None,
            error: None,
            children: vec![],
        };
        let collection = TreeNode {
            kind: NodeKind::Collection,
            name: "C".into(),
            path: "c".into(),
            method: None,
            error: None,
            children: vec![env.clone()],
        };
        assert!(env.into_model().is_none());
        assert!(collection.into_model().unwrap().children.is_empty());
    }
}
