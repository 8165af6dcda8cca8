//! Sidebar operations that change the shape of a collection: create a folder, rename, move,
//! duplicate, reorder. File names follow display names (slugs), secrets follow their files, and a
//! parent's `order` list changes only where the entry it names changed.

use std::fs;

use super::atomic::{copy_tree, move_path, remove_tree, sync_dir, temp_path_for, Mode};
use super::format::{from_yaml, to_yaml, EnvironmentFile, FolderFile, RequestFile};
use super::paths::{slugify, unique_child, EntryKind, Rel, EXT};
use super::secrets::prefix_of;
use super::{Saved, Workspace};
use crate::StoreError;

impl Workspace {
    /// Creates a folder named `name` in `parent` (a collection or folder). Returns its path.
    pub fn create_folder(&self, parent: &str, name: &str) -> Result<String, StoreError> {
        let parent = self.existing_folder(parent)?;
        let dir_name = unique_child(&self.abs(&parent), parent.depth(), &slugify(name), "", None)?;
        let rel = parent.child(&dir_name);
        let abs = self.abs(&rel);
        fs::create_dir(&abs).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => StoreError::AlreadyExists {
                path: rel.to_string(),
            },
            _ => StoreError::io(&abs, e),
        })?;
        self.recent.dir(&abs);
        self.write_folder_file(&rel, &FolderFile::new(name))?;
        sync_dir(&self.abs(&parent))?;
        Ok(rel.to_string())
    }

    /// Renames a request, folder, collection or environment: the name in its file and the file
    /// or folder name (its slug). Returns the new path (the same when the slug is unchanged).
    pub fn rename(&self, path: &str, new_name: &str) -> Result<String, StoreError> {
        let rel = Rel::parse(path)?;
        match rel.kind() {
            EntryKind::Request => {
                rel.expect_request()?;
                self.rename_file(&rel, new_name, |bytes| {
                    let mut file: RequestFile = from_yaml(path, bytes)?;
                    file.name = new_name.to_string();
                    Ok(to_yaml(&file))
                })
            }
            EntryKind::Environment => {
                rel.expect_environment()?;
                self.rename_file(&rel, new_name, |bytes| {
                    let mut file: EnvironmentFile = from_yaml(path, bytes)?;
                    file.set_name(new_name);
                    Ok(to_yaml(&file))
                })
            }
            EntryKind::Collection | EntryKind::Folder => {
                rel.expect_folder()?;
                self.rename_dir(&rel, new_name)
            }
        }
    }

    fn rename_file(
        &self,
        rel: &Rel,
        new_name: &str,
        rewrite: impl FnOnce(&[u8]) -> Result<String, StoreError>,
    ) -> Result<String, StoreError> {
        let bytes = self.read_inside(rel)?;
        let text = rewrite(&bytes)?;
        let parent = rel.parent().unwrap_or_else(|| rel.clone());
        let file_name = unique_child(
            &self.abs(&parent),
            parent.depth(),
            &slugify(new_name),
            EXT,
            Some(rel.last()),
        )?;
        let new_rel = parent.child(&file_name);
        if new_rel == *rel {
            self.write(rel, text.as_bytes(), Mode::Replace)?;
            return Ok(rel.to_string());
        }
        if file_name.eq_ignore_ascii_case(rel.last()) {
            // Only the case changes: a create-new would find the old file on case-insensitive
            // file systems.
            self.write(rel, text.as_bytes(), Mode::Replace)?;
            move_path(&self.abs(rel), &self.abs(&new_rel))?;
        } else {
            self.write(&new_rel, text.as_bytes(), Mode::CreateNew)?;
            let old = self.abs(rel);
            fs::remove_file(&old).map_err(|e| StoreError::io(&old, e))?;
            sync_dir(&self.abs(&parent))?;
        }
        self.recent.absent(&self.abs(rel));
        self.recent
            .file(&self.abs(&new_rel), &super::revision_of(text.as_bytes()));
        self.secrets.rekey(
            &prefix_of(&rel.to_string(), false),
            &prefix_of(&new_rel.to_string(), false),
            false,
        )?;
        self.replace_in_order(&parent, rel.last(), &file_name)?;
        Ok(new_rel.to_string())
    }

    fn rename_dir(&self, rel: &Rel, new_name: &str) -> Result<String, StoreError> {
        let (mut file, _) = self.read_folder_file(rel)?;
        let parent = rel.parent();
        let parent_abs = match &parent {
            Some(p) => self.abs(p),
            None => self.root.clone(),
        };
        let depth = parent.as_ref().map_or(0, Rel::depth);
        let dir_name = unique_child(&parent_abs, depth, &slugify(new_name), "", Some(rel.last()))?;
        let new_rel = match &parent {
            Some(p) => p.child(&dir_name),
            None => Rel::from_parts(vec![dir_name.clone()]),
        };
        if new_rel != *rel {
            move_path(&self.abs(rel), &self.abs(&new_rel))?;
            self.recent.absent(&self.abs(rel));
            self.recent.dir(&self.abs(&new_rel));
            self.secrets.rekey(
                &prefix_of(&rel.to_string(), true),
                &prefix_of(&new_rel.to_string(), true),
                false,
            )?;
            if let Some(p) = &parent {
                self.replace_in_order(p, rel.last(), &dir_name)?;
            }
        }
        file.name = new_name.to_string();
        self.write_folder_file(&new_rel, &file)?;
        Ok(new_rel.to_string())
    }

    /// Moves a request or folder into `dest` (a collection or folder, possibly of another
    /// collection), keeping its file name unless taken there. Returns the new path.
    pub fn move_item(&self, path: &str, dest: &str) -> Result<String, StoreError> {
        let rel = Rel::parse(path)?;
        let is_dir = match rel.kind() {
            EntryKind::Request => {
                rel.expect_request()?;
                false
            }
            EntryKind::Folder => {
                rel.expect_folder()?;
                true
            }
            _ => {
                return Err(StoreError::InvalidPath {
                    path: path.to_string(),
                    reason: "only requests and folders can be moved".to_string(),
                })
            }
        };
        let abs = self.abs(&rel);
        if abs.symlink_metadata().is_err() {
            return Err(StoreError::NotFound {
                path: path.to_string(),
            });
        }
        let dest = self.existing_folder(dest)?;
        if is_dir && dest.starts_with(&rel) {
            return Err(StoreError::InvalidPath {
                path: dest.to_string(),
                reason: "a folder cannot move into itself".to_string(),
            });
        }
        let parent = rel.parent().unwrap_or_else(|| rel.clone());
        if parent == dest {
            return Ok(rel.to_string());
        }
        let (stem, ext) = split_name(rel.last(), is_dir);
        let name = unique_child(&self.abs(&dest), dest.depth(), stem, ext, None)?;
        let new_rel = dest.child(&name);
        move_path(&abs, &self.abs(&new_rel))?;
        self.recent.absent(&abs);
        self.recent_any(&new_rel, is_dir);
        self.secrets.rekey(
            &prefix_of(&rel.to_string(), is_dir),
            &prefix_of(&new_rel.to_string(), is_dir),
            false,
        )?;
        self.edit_order(&parent, |order| {
            let before = order.len();
            order.retain(|n| n != rel.last());
            order.len() != before
        })?;
        Ok(new_rel.to_string())
    }

    /// Copies a request, folder, collection or environment beside itself, named `<name> copy`.
    /// The copy follows the original in the parent's order when the original is listed there.
    /// Returns the copy's path.
    pub fn duplicate(&self, path: &str) -> Result<String, StoreError> {
        let rel = Rel::parse(path)?;
        let (new_rel, is_dir) = match rel.kind() {
            EntryKind::Request => {
                rel.expect_request()?;
                let bytes = self.read_inside(&rel)?;
                let mut file: RequestFile = from_yaml(path, &bytes)?;
                file.name = format!("{} copy", file.name);
                (
                    self.write_copy(&rel, &file.name.clone(), &to_yaml(&file))?,
                    false,
                )
            }
            EntryKind::Environment => {
                rel.expect_environment()?;
                let bytes = self.read_inside(&rel)?;
                let mut file: EnvironmentFile = from_yaml(path, &bytes)?;
                let name = format!("{} copy", file.name());
                file.set_name(&name);
                (self.write_copy(&rel, &name, &to_yaml(&file))?, false)
            }
            EntryKind::Collection | EntryKind::Folder => {
                rel.expect_folder()?;
                (self.copy_dir(&rel)?, true)
            }
        };
        self.secrets.rekey(
            &prefix_of(&rel.to_string(), is_dir),
            &prefix_of(&new_rel.to_string(), is_dir),
            true,
        )?;
        if let Some(parent) = rel.parent() {
            let (original, copy) = (rel.last().to_string(), new_rel.last().to_string());
            self.edit_order(&parent, |order| {
                match order.iter().position(|n| *n == original) {
                    Some(i) => {
                        order.insert(i + 1, copy);
                        true
                    }
                    None => false,
                }
            })?;
        }
        Ok(new_rel.to_string())
    }

    fn write_copy(&self, rel: &Rel, name: &str, text: &str) -> Result<Rel, StoreError> {
        let parent = rel.parent().unwrap_or_else(|| rel.clone());
        let file_name = unique_child(
            &self.abs(&parent),
            parent.depth(),
            &slugify(name),
            EXT,
            None,
        )?;
        let new_rel = parent.child(&file_name);
        self.write(&new_rel, text.as_bytes(), Mode::CreateNew)?;
        Ok(new_rel)
    }

    /// Copies a folder into a hidden temp folder, renames it, then shows it under its new name:
    /// a crash leaves either no copy or a whole one.
    fn copy_dir(&self, rel: &Rel) -> Result<Rel, StoreError> {
        let (mut file, _) = self.read_folder_file(rel)?;
        file.name = format!("{} copy", file.name);
        let parent = rel.parent();
        let parent_abs = parent.as_ref().map_or(self.root.clone(), |p| self.abs(p));
        let depth = parent.as_ref().map_or(0, Rel::depth);
        let dir_name = unique_child(&parent_abs, depth, &slugify(&file.name), "", None)?;
        let new_rel = match &parent {
            Some(p) => p.child(&dir_name),
            None => Rel::from_parts(vec![dir_name]),
        };
        let target = self.abs(&new_rel);
        let tmp = temp_path_for(&target);
        let source = self.check_inside(rel)?;
        let built = copy_tree(&source, &tmp).and_then(|()| {
            let settings = tmp.join(new_rel.settings_file().last());
            let _ = fs::remove_file(&settings);
            super::atomic::write_synced(&settings, to_yaml(&file).as_bytes(), false)?;
            fs::rename(&tmp, &target).map_err(|e| StoreError::io(&target, e))
        });
        if let Err(e) = built {
            let _ = remove_tree(&tmp);
            return Err(e);
        }
        sync_dir(&parent_abs)?;
        self.recent.dir(&target);
        Ok(new_rel)
    }

    /// Sets the order of a collection's or folder's children (file and folder names). Names not
    /// listed come after, sorted by name.
    pub fn set_order(&self, dir: &str, order: &[String]) -> Result<Saved, StoreError> {
        let rel = self.existing_folder(dir)?;
        let (mut file, _) = self.read_folder_file(&rel)?;
        file.order = order.to_vec();
        let revision = self.write_folder_file(&rel, &file)?;
        Ok(Saved {
            path: rel.settings_file().to_string(),
            revision,
        })
    }

    fn replace_in_order(&self, dir: &Rel, old: &str, new: &str) -> Result<(), StoreError> {
        self.edit_order(dir, |order| {
            let mut changed = false;
            for name in order.iter_mut().filter(|n| *n == old) {
                *name = new.to_string();
                changed = true;
            }
            changed
        })
    }

    /// Applies `edit` to a folder's order list and saves when it reports a change. A settings
    /// file that does not parse is left alone: the order is cosmetic, the file is not ours to fix.
    fn edit_order(
        &self,
        dir: &Rel,
        edit: impl FnOnce(&mut Vec<String>) -> bool,
    ) -> Result<(), StoreError> {
        let Ok((mut file, _)) = self.read_folder_file(dir) else {
            return Ok(());
        };
        if edit(&mut file.order) {
            self.write_folder_file(dir, &file)?;
        }
        Ok(())
    }

    pub(crate) fn recent_any(&self, rel: &Rel, is_dir: bool) {
        let abs = self.abs(rel);
        if is_dir {
            self.recent.dir(&abs);
        } else if let Ok(bytes) = fs::read(&abs) {
            self.recent.file(&abs, &super::revision_of(&bytes));
        }
    }
}

/// `("get-item", ".yaml")` for a request file, `("items", "")` for a folder.
pub(crate) fn split_name(name: &str, is_dir: bool) -> (&str, &'static str) {
    match name.strip_suffix(EXT) {
        Some(stem) if !is_dir => (stem, EXT),
        _ => (name, ""),
    }
}
