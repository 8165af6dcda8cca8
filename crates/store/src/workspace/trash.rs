//! Deleting to a trash so that a delete can be undone. The trash is in the workspace's data folder
//! (`<data dir>/trash/<id>/`), not in the workspace, so it never shows in git or in the sidebar.
//! Each entry holds the deleted file or folder and an `entry.json` saying where it came from;
//! its secrets are kept under a trash key prefix until it is restored or the trash is emptied.

use std::fs;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::atomic::{move_path, remove_tree, write_synced};
use super::ops::split_name;
use super::paths::{unique_child, EntryKind, Rel};
use super::secrets::prefix_of;
use super::tree::NodeKind;
use super::Workspace;
use crate::StoreError;

const ENTRY_FILE: &str = "entry.json";
const SECRET_PREFIX: &str = "trash:";

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Something deleted, which [`Workspace::restore`] can put back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrashEntry {
    pub id: String,
    /// Where it was, relative to the workspace.
    pub path: String,
    pub kind: NodeKind,
    pub deleted_at_ms: u64,
}

impl Workspace {
    fn trash_dir(&self) -> PathBuf {
        self.data_dir.join("trash")
    }

    /// Moves a request, folder, collection or environment to the trash.
    pub fn delete(&self, path: &str) -> Result<TrashEntry, StoreError> {
        let rel = Rel::parse(path)?;
        let kind = match rel.kind() {
            EntryKind::Request => {
                rel.expect_request()?;
                NodeKind::Request
            }
            EntryKind::Environment => {
                rel.expect_environment()?;
                NodeKind::Environment
            }
            EntryKind::Folder => {
                rel.expect_folder()?;
                NodeKind::Folder
            }
            EntryKind::Collection => NodeKind::Collection,
        };
        let abs = self.abs(&rel);
        if abs.symlink_metadata().is_err() {
            return Err(StoreError::NotFound {
                path: path.to_string(),
            });
        }
        let deleted_at_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0);
        let id = format!(
            "{deleted_at_ms}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let entry = TrashEntry {
            id: id.clone(),
            path: rel.to_string(),
            kind,
            deleted_at_ms,
        };
        let dir = self.trash_dir().join(&id);
        crate::private::ensure_private_dir(&dir).map_err(|e| StoreError::io(&dir, e))?;
        let json = serde_json::to_vec_pretty(&entry).unwrap_or_default();
        write_synced(&dir.join(ENTRY_FILE), &json, false)?;
        if let Err(e) = move_path(&abs, &dir.join(rel.last())) {
            let _ = remove_tree(&dir);
            return Err(e);
        }
        self.recent.absent(&abs);
        let is_dir = is_dir(kind);
        let from = prefix_of(&entry.path, is_dir);
        self.secrets
            .rekey(&from, &format!("{SECRET_PREFIX}{id}:{from}"), false)?;
        Ok(entry)
    }

    /// What is in the trash, most recently deleted first. Unreadable entries are skipped.
    pub fn list_trash(&self) -> Result<Vec<TrashEntry>, StoreError> {
        let dir = self.trash_dir();
        let mut out = Vec::new();
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(StoreError::io(&dir, e)),
        };
        for entry in entries {
            let entry = entry.map_err(|e| StoreError::io(&dir, e))?;
            let parsed = fs::read(entry.path().join(ENTRY_FILE))
                .ok()
                .and_then(|b| serde_json::from_slice::<TrashEntry>(&b).ok());
            if let Some(parsed) = parsed {
                out.push(parsed);
            }
        }
        out.sort_by(|a, b| b.deleted_at_ms.cmp(&a.deleted_at_ms).then(b.id.cmp(&a.id)));
        Ok(out)
    }

    /// Puts a trashed entry back where it was (its folders are recreated if they are gone; a
    /// name taken since gets a `-2` suffix). Returns the restored path.
    pub fn restore(&self, id: &str) -> Result<String, StoreError> {
        let entry = self
            .list_trash()?
            .into_iter()
            .find(|e| e.id == id)
            .ok_or_else(|| StoreError::NotFound {
                path: format!("trash entry {id}"),
            })?;
        let original = Rel::parse(&entry.path)?;
        let is_dir = is_dir(entry.kind);
        let parent = original.parent();
        let parent_abs = parent.as_ref().map_or(self.root.clone(), |p| self.abs(p));
        fs::create_dir_all(&parent_abs).map_err(|e| StoreError::io(&parent_abs, e))?;
        let (stem, ext) = split_name(original.last(), is_dir);
        let depth = parent.as_ref().map_or(0, Rel::depth);
        let name = unique_child(&parent_abs, depth, stem, ext, None)?;
        let restored = match &parent {
            Some(p) => p.child(&name),
            None => Rel::from_parts(vec![name]),
        };
        let dir = self.trash_dir().join(id);
        move_path(&dir.join(original.last()), &self.abs(&restored))?;
        self.recent_any(&restored, is_dir);
        let from = prefix_of(&entry.path, is_dir);
        self.secrets.rekey(
            &format!("{SECRET_PREFIX}{id}:{from}"),
            &prefix_of(&restored.to_string(), is_dir),
            false,
        )?;
        remove_tree(&dir)?;
        Ok(restored.to_string())
    }

    /// Deletes everything in the trash for good, secrets included. Returns how many entries.
    pub fn empty_trash(&self) -> Result<usize, StoreError> {
        let entries = self.list_trash()?;
        for entry in &entries {
            let dir = self.trash_dir().join(&entry.id);
            remove_tree(&dir)?;
        }
        self.secrets
            .update(|map| map.retain(|k, _| !k.starts_with(SECRET_PREFIX)))?;
        Ok(entries.len())
    }
}

fn is_dir(kind: NodeKind) -> bool {
    matches!(kind, NodeKind::Collection | NodeKind::Folder)
}
