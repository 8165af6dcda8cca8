//! Whole collections in one call: writing an in-memory [`Collection`] (what an importer produces)
//! into a new collection folder, and loading a collection folder back into one (what an exporter
//! or a runner needs). Writing builds the folder under a hidden temp name and renames it into
//! place at the end, so a crash never leaves half an import in the sidebar.

use std::fs;
use std::path::Path;

use sextant_model::{Collection, CollectionItem, FolderSettings, SavedRequest};

use super::atomic::{remove_tree, sync_dir, temp_path_for, write_synced};
use super::contain::Visited;
use super::format::{to_yaml, EnvironmentFile, FolderFile, RequestFile, SecretsOut};
use super::paths::{slugify, unique_child, ChildNames, Rel, ENVIRONMENTS_DIR, EXT};
use super::tree::{by_name, children, ordered};
use super::Workspace;
use crate::StoreError;

/// Secret values gathered while writing, with their full store keys.
type Gathered = Vec<(String, String)>;

impl Workspace {
    /// Creates an empty collection named `name`. Returns its folder path.
    pub fn create_collection(&self, name: &str) -> Result<String, StoreError> {
        self.write_collection(&Collection {
            name: name.to_string(),
            settings: FolderSettings::default(),
            items: Vec::new(),
            environments: Vec::new(),
        })
    }

    /// Writes `collection` into a new collection folder named after it (`-2`, ... when taken),
    /// with its folders, requests and environments; secrets go to the secret store. Returns the
    /// collection's folder path.
    pub fn write_collection(&self, collection: &Collection) -> Result<String, StoreError> {
        let slug = unique_child(&self.root, 0, &slugify(&collection.name), "", None)?;
        let rel = Rel::from_parts(vec![slug]);
        let target = self.abs(&rel);
        let tmp = temp_path_for(&target);
        let mut gathered = Gathered::new();
        let built = self.build_collection(&tmp, &rel, collection, &mut gathered);
        let placed = built.and_then(|()| {
            if target.symlink_metadata().is_ok() {
                return Err(StoreError::AlreadyExists {
                    path: rel.to_string(),
                });
            }
            self.secrets.update(|map| map.extend(gathered))?;
            fs::rename(&tmp, &target).map_err(|e| StoreError::io(&target, e))
        });
        if let Err(e) = placed {
            let _ = remove_tree(&tmp);
            return Err(e);
        }
        sync_dir(&self.root)?;
        self.recent.dir(&target);
        Ok(rel.to_string())
    }

    fn build_collection(
        &self,
        tmp: &Path,
        rel: &Rel,
        collection: &Collection,
        gathered: &mut Gathered,
    ) -> Result<(), StoreError> {
        fs::create_dir(tmp).map_err(|e| StoreError::io(tmp, e))?;
        write_dir(
            tmp,
            rel,
            &collection.name,
            &collection.settings,
            &collection.items,
            gathered,
        )?;
        if collection.environments.is_empty() {
            return Ok(());
        }
        let env_rel = rel.child(ENVIRONMENTS_DIR);
        let env_abs = tmp.join(ENVIRONMENTS_DIR);
        fs::create_dir(&env_abs).map_err(|e| StoreError::io(&env_abs, e))?;
        let mut taken = ChildNames::empty(env_rel.depth());
        for env in &collection.environments {
            let name = taken.claim(&slugify(&env.name), EXT);
            let mut secrets = SecretsOut::default();
            let text = to_yaml(&EnvironmentFile::from_model(env, &mut secrets));
            write_synced(&env_abs.join(&name), text.as_bytes(), false)?;
            gather(gathered, &env_rel.child(&name), secrets);
        }
        sync_dir(&env_abs)
    }

    /// Loads a whole collection folder, secrets filled in. Strict: a file that does not parse
    /// is an `InvalidFile` error rather than a gap in the result.
    pub fn load_collection(&self, path: &str) -> Result<Collection, StoreError> {
        let rel = Rel::parse(path)?;
        if rel.depth() != 1 {
            return Err(StoreError::InvalidPath {
                path: path.to_string(),
                reason: "not a collection".to_string(),
            });
        }
        let settings = self.read_folder_settings(path)?;
        let mut visited = Visited::default();
        visited.enter(&self.root);
        visited.enter(&self.check_inside(&rel)?);
        let items = self.load_items(&rel, &settings.order, &mut visited)?;
        let mut environments = Vec::new();
        for entry in self.list_environments(path)? {
            environments.push(self.read_environment(&entry.path)?.environment);
        }
        Ok(Collection {
            name: settings.name,
            settings: settings.settings,
            items,
            environments,
        })
    }

    /// The items of `dir` (already in `visited`); links back to a folder already loaded are
    /// left out, and recursion stops with `TooDeep` past [`super::MAX_TREE_DEPTH`] levels.
    fn load_items(
        &self,
        dir: &Rel,
        order: &[String],
        visited: &mut Visited,
    ) -> Result<Vec<CollectionItem>, StoreError> {
        let mut items = Vec::new();
        for child in ordered(children(&self.abs(dir), dir.depth(), &self.root)?, order) {
            let rel = dir.child(&child.name);
            let path = rel.to_string();
            if child.is_dir {
                Self::check_depth(&rel)?;
                if !visited.enter(&self.abs(&rel)) && child.link {
                    continue;
                }
                let folder = self.read_folder_settings(&path)?;
                items.push(CollectionItem::Folder(sextant_model::Folder {
                    items: self.load_items(&rel, &folder.order, visited)?,
                    name: folder.name,
                    settings: folder.settings,
                }));
            } else {
                items.push(CollectionItem::Request(self.read_request(&path)?.request));
            }
        }
        Ok(items)
    }
}

/// Writes a collection's or folder's settings file and its items into the new folder `abs`
/// (which will become `rel`).
fn write_dir(
    abs: &Path,
    rel: &Rel,
    name: &str,
    settings: &FolderSettings,
    items: &[CollectionItem],
    gathered: &mut Gathered,
) -> Result<(), StoreError> {
    let mut names = Vec::with_capacity(items.len());
    let mut taken = ChildNames::read(abs, rel.depth())?;
    for item in items {
        match item {
            CollectionItem::Folder(folder) => {
                let dir_name = taken.claim(&slugify(&folder.name), "");
                let child_abs = abs.join(&dir_name);
                fs::create_dir(&child_abs).map_err(|e| StoreError::io(&child_abs, e))?;
                write_dir(
                    &child_abs,
                    &rel.child(&dir_name),
                    &folder.name,
                    &folder.settings,
                    &folder.items,
                    gathered,
                )?;
                names.push(dir_name);
            }
            CollectionItem::Request(request) => {
                let file_name = taken.claim(&slugify(&request.name), EXT);
                write_request(abs, rel, &file_name, request, gathered)?;
                names.push(file_name);
            }
        }
    }
    let mut sorted = names.clone();
    sorted.sort_by(|a, b| by_name(a, b));
    let mut file = FolderFile::new(name);
    if sorted != names {
        file.order = names;
    }
    let mut secrets = SecretsOut::default();
    file.set_settings(settings, &mut secrets);
    let settings_rel = rel.settings_file();
    write_synced(
        &abs.join(settings_rel.last()),
        to_yaml(&file).as_bytes(),
        false,
    )?;
    gather(gathered, &settings_rel, secrets);
    sync_dir(abs)
}

fn write_request(
    abs: &Path,
    rel: &Rel,
    file_name: &str,
    request: &SavedRequest,
    gathered: &mut Gathered,
) -> Result<(), StoreError> {
    let mut secrets = SecretsOut::default();
    let text = to_yaml(&RequestFile::from_model(request, &mut secrets));
    write_synced(&abs.join(file_name), text.as_bytes(), false)?;
    gather(gathered, &rel.child(file_name), secrets);
    Ok(())
}

fn gather(gathered: &mut Gathered, file: &Rel, secrets: SecretsOut) {
    let file = file.to_string();
    gathered.extend(
        secrets
            .values
            .into_iter()
            .map(|(scope, value)| (format!("{file}#{scope}"), value)),
    );
}
