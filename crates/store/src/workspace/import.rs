//! Importing whole collections next to the ones already there. An imported collection whose
//! display name a top-level collection already has is never written beside it silently (two
//! "Shop API"s in the sidebar): the caller chooses to merge into it or to use another name, and
//! without a choice nothing at all is written.

use sextant_model::{Collection, CollectionItem, ImportConflict, ImportedCollection};

use super::Workspace;
use crate::StoreError;

impl Workspace {
    /// Writes each collection as a new collection; one named like an existing collection is
    /// merged into it ([`ImportConflict::Merge`], see [`Workspace::merge_collection`]), or
    /// written under the given name ([`ImportConflict::Rename`], for the first such collection;
    /// the name must be free too). Every name is checked before anything is written: a collision
    /// left without an answer is [`StoreError::CollectionExists`] and the workspace is unchanged.
    pub fn import_collections(
        &self,
        collections: &[Collection],
        conflict: Option<&ImportConflict>,
    ) -> Result<Vec<ImportedCollection>, StoreError> {
        let existing: Vec<(String, String)> = self
            .list_tree()?
            .into_iter()
            .map(|n| (n.name, n.path))
            .collect();
        let path_of = |name: &str| {
            existing
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, p)| p.clone())
        };
        let mut renamed = false;
        let mut plan = Vec::with_capacity(collections.len());
        for collection in collections {
            let Some(path) = path_of(&collection.name) else {
                plan.push((collection.clone(), None));
                continue;
            };
            match conflict {
                Some(ImportConflict::Merge) => plan.push((collection.clone(), Some(path))),
                Some(ImportConflict::Rename { name }) if !renamed => {
                    let name = name.trim();
                    if name.is_empty() {
                        return Err(StoreError::InvalidPath {
                            path: String::new(),
                            reason: "the new collection needs a name".to_string(),
                        });
                    }
                    if path_of(name).is_some() || collections.iter().any(|c| c.name == name) {
                        return Err(StoreError::CollectionExists {
                            name: name.to_string(),
                        });
                    }
                    renamed = true;
                    let mut collection = collection.clone();
                    collection.name = name.to_string();
                    plan.push((collection, None));
                }
                _ => {
                    return Err(StoreError::CollectionExists {
                        name: collection.name.clone(),
                    })
                }
            }
        }
        let mut out = Vec::with_capacity(plan.len());
        for (collection, into) in plan {
            let (requests, folders) = count(&collection.items);
            let (path, merged) = match into {
                Some(path) => {
                    self.merge_collection(&path, &collection)?;
                    (path, true)
                }
                None => (self.write_collection(&collection)?, false),
            };
            out.push(ImportedCollection {
                path,
                name: collection.name,
                requests,
                folders,
                merged,
            });
        }
        Ok(out)
    }
}

/// Requests and folders among `items`, nested ones included.
fn count(items: &[CollectionItem]) -> (u32, u32) {
    items.iter().fold((0, 0), |(r, f), item| match item {
        CollectionItem::Request(_) => (r + 1, f),
        CollectionItem::Folder(folder) => {
            let (nr, nf) = count(&folder.items);
            (r + nr, f + 1 + nf)
        }
    })
}
