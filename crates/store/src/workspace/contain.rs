//! Keeping every read inside the workspace. A workspace is often someone else's folder (a cloned
//! repository, an unpacked archive), so a request file may be a symlink to `~/.kube/config`, a
//! folder may link back to `.` or to its parent, and folders may nest thousands of levels deep.
//! Files are read only when their real path (symlinks resolved) lies under the workspace root;
//! a walk enters a linked folder only when it points inside the root at a folder the walk has not
//! entered yet, and stops [`MAX_TREE_DEPTH`] levels down.

use std::collections::HashSet;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use super::atomic::read_file;
use super::paths::Rel;
use super::Workspace;
use crate::StoreError;

/// The deepest a collection's folders are listed or loaded (the collection itself is level 1).
pub const MAX_TREE_DEPTH: usize = 64;

/// The folders a walk has entered, by real path, so a link back to one is not entered again.
#[derive(Debug, Default)]
pub(crate) struct Visited(HashSet<PathBuf>);

impl Visited {
    /// Marks the real folder behind `abs` as entered; `false` when it was already (or cannot be
    /// resolved).
    pub(crate) fn enter(&mut self, abs: &Path) -> bool {
        match fs::canonicalize(abs) {
            Ok(real) => self.0.insert(real),
            Err(_) => false,
        }
    }
}

/// What a directory entry is once links are resolved under the containment rule.
pub(crate) enum EntryTarget {
    Dir,
    File,
    /// A link to something outside the root, a broken link, or neither a file nor a folder.
    Skip,
}

/// Classifies the entry at `path` (whose `file_type` does not follow links): a link counts as
/// what it points at only when that lies under `root`.
pub(crate) fn target_of(path: &Path, file_type: fs::FileType, root: &Path) -> EntryTarget {
    let meta = if file_type.is_symlink() {
        match fs::canonicalize(path) {
            Ok(real) if real.starts_with(root) => fs::metadata(&real),
            _ => return EntryTarget::Skip,
        }
    } else {
        fs::symlink_metadata(path)
    };
    match meta {
        Ok(m) if m.is_dir() => EntryTarget::Dir,
        Ok(m) if m.is_file() => EntryTarget::File,
        _ => EntryTarget::Skip,
    }
}

impl Workspace {
    /// Fails with [`StoreError::OutsideWorkspace`] when `rel`'s real path (links resolved) is not
    /// under the root. A path that does not exist passes: the read that follows says so.
    pub(crate) fn check_inside(&self, rel: &Rel) -> Result<PathBuf, StoreError> {
        let abs = self.abs(rel);
        match fs::canonicalize(&abs) {
            Ok(real) if real.starts_with(&self.root) => Ok(abs),
            Ok(_) => Err(StoreError::OutsideWorkspace {
                path: rel.to_string(),
            }),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(abs),
            Err(e) => Err(StoreError::io(abs, e)),
        }
    }

    /// Reads a workspace file whose real path is inside the workspace.
    pub(crate) fn read_inside(&self, rel: &Rel) -> Result<Vec<u8>, StoreError> {
        let abs = self.check_inside(rel)?;
        read_file(&abs, &rel.to_string())
    }

    /// Fails with [`StoreError::TooDeep`] when `rel` is deeper than [`MAX_TREE_DEPTH`].
    pub(crate) fn check_depth(rel: &Rel) -> Result<(), StoreError> {
        if rel.depth() > MAX_TREE_DEPTH {
            return Err(StoreError::TooDeep {
                path: rel.to_string(),
                max: MAX_TREE_DEPTH,
            });
        }
        Ok(())
    }
}
