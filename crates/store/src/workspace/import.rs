//! Importing whole collections next to the ones already there. An imported collection whose
//! display name a top-level collection already has, or one this import brings before it, is
//! never written beside it silently (two "Shop API"s in the sidebar): the caller answers each
//! clash with merge into it or another name, and without an answer nothing at all is written.

use sextant_model::{Collection, CollectionItem, ImportConflict, ImportedCollection};

use super::Workspace;
use crate::StoreError;

/// Where one imported collection goes.
enum Target {
    New,
    /// Merged into the collection already at this path.
    Existing(String),
    /// Merged into the collection this import writes at this index of the plan.
    Earlier(usize),
}

impl Workspace {
    /// Writes each collection as a new collection, unless its name clashes with an existing
    /// collection or with one written earlier by this import. Each clash takes the next answer of
    /// `conflict` ([`ImportConflict::Each`], in order; a lone [`ImportConflict::Rename`] answers
    /// the first clash, [`ImportConflict::Merge`] every one): merged into the collection of that
    /// name (see [`Workspace::merge_collection`]), or written under the given name, which must
    /// be free too. Every name is checked before anything is written: a clash left without an
    /// answer is [`StoreError::CollectionExists`] naming it, and the workspace is unchanged.
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
        let merge_all = matches!(conflict, Some(ImportConflict::Merge));
        let mut answers: &[ImportConflict] = match conflict {
            Some(ImportConflict::Each { answers }) => answers,
            Some(rename @ ImportConflict::Rename { .. }) => std::slice::from_ref(rename),
            _ => &[],
        };
        let mut plan: Vec<(Collection, Target)> = Vec::with_capacity(collections.len());
        for collection in collections {
            let earlier = plan.iter().position(|(c, _)| c.name == collection.name);
            let target = match (path_of(&collection.name), earlier) {
                (Some(path), _) => Target::Existing(path),
                (None, Some(i)) => Target::Earlier(i),
                (None, None) => {
                    plan.push((collection.clone(), Target::New));
                    continue;
                }
            };
            let answer = if merge_all {
                Some(&ImportConflict::Merge)
            } else {
                let (first, rest) = answers.split_first().unzip();
                answers = rest.unwrap_or_default();
                first
            };
            match answer {
                Some(ImportConflict::Merge) => plan.push((collection.clone(), target)),
                Some(ImportConflict::Rename { name }) => {
                    let name = name.trim();
                    if name.is_empty() {
                        return Err(StoreError::InvalidPath {
                            path: String::new(),
                            reason: "the new collection needs a name".to_string(),
                        });
                    }
                    let taken = path_of(name).is_some()
                        || plan.iter().any(|(c, _)| c.name == name)
                        || collections.iter().any(|c| c.name == name);
                    if taken {
                        return Err(StoreError::CollectionExists {
                            name: name.to_string(),
                        });
                    }
                    let mut collection = collection.clone();
                    collection.name = name.to_string();
                    plan.push((collection, Target::New));
                }
                Some(ImportConflict::Each { .. }) | None => {
                    return Err(StoreError::CollectionExists {
                        name: collection.name.clone(),
                    })
                }
            }
        }
        let mut out: Vec<ImportedCollection> = Vec::with_capacity(plan.len());
        for (collection, target) in plan {
            let (requests, folders) = count(&collection.items);
            let into = match target {
                Target::New => None,
                Target::Existing(path) => Some(path),
                Target::Earlier(i) => Some(out[i].path.clone()),
            };
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
