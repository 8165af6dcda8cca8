//! Insomnia v4 exports (`_type: export`, `__export_format: 4`): a flat list of resources tied
//! into a tree by `parentId`. Each workspace becomes a collection; request groups are folders
//! (their environment becomes folder variables); the workspace's base environment becomes
//! the collection's variables and its sub-environments the collection's environments.
//!
//! Insomnia's `{{ _.name }}` becomes `{{name}}`; nested environment objects are flattened to
//! dotted names so `{{ _.db.host }}` becomes `{{db.host}}` and still resolves. Template tags
//! (`{% uuid %}`, `{% response ... %}`, plugins' tags) have no equivalent: they are kept as text
//! with a warning. Siblings are ordered by `metaSortKey`, as Insomnia shows them. An
//! after-response script's chai checks become the request's assertions (as Postman's tests do).

mod auth;
mod request;
mod tree;
mod variables;

use std::collections::HashSet;

use sextant_model::{Collection, Environment, FolderSettings};

use crate::json::{array, parse, string, string_or_empty};
use crate::limits::Budget;
use crate::text::short;
use crate::warning::{join_path, Warnings};
use crate::{Imported, InterchangeError};

use tree::{description_of, kind, sort_key, tree_children, Children, Tree};
use variables::env_variables;

/// Reads an Insomnia v4 export: one collection per workspace, in file order.
///
/// The tree comes from `parentId` links written by whoever made the file, so it is walked
/// defensively: a resource whose `_id` an earlier one already has is skipped with a warning, a
/// folder reached a second time (a folder that is its own parent, or any other cycle) is
/// skipped with a warning, and folder depth and the number of requests and folders are capped
/// ([`crate::MAX_DEPTH`], [`crate::MAX_ITEMS`]).
pub fn import_insomnia(text: &str) -> Result<Imported<Vec<Collection>>, InterchangeError> {
    let root = parse(text)?;
    if string(&root, "_type").as_deref() != Some("export") {
        return Err(InterchangeError::WrongFormat {
            expected: "Insomnia export",
            reason: "`_type` is not \"export\"".into(),
        });
    }
    let version = string(&root, "__export_format").unwrap_or_default();
    if version != "4" {
        return Err(InterchangeError::UnsupportedVersion {
            format: "Insomnia export",
            version: short(&version),
            supported: "Insomnia exports in format 4 (Insomnia's \"Insomnia v4 (JSON)\" export)",
        });
    }
    let resources = array(&root, "resources");
    let mut w = Warnings::default();
    let mut children = Children::new();
    let mut ids = HashSet::new();
    let mut duplicates = 0;
    for (index, r) in resources.iter().enumerate() {
        let id = string_or_empty(r, "_id");
        if !id.is_empty() && !ids.insert(id.clone()) {
            duplicates += 1;
            w.push(
                &format!("resource {}", index + 1),
                format!(
                    "its id {:?} is already used by an earlier resource; skipped",
                    short(&id)
                ),
            );
            continue;
        }
        let parent = string(r, "parentId").unwrap_or_default();
        children.entry(parent).or_default().push((index, r));
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| sort_key(a).total_cmp(&sort_key(b)).then(a.0.cmp(&b.0)));
    }

    let mut tree = Tree {
        children: &children,
        visited: HashSet::new(),
        budget: Budget::default(),
    };
    let mut collections = Vec::new();
    let mut reached = duplicates;
    for workspace in resources.iter().filter(|r| kind(r) == "workspace") {
        let id = string_or_empty(workspace, "_id");
        if !tree.visited.insert(id.clone()) && !id.is_empty() {
            // A duplicate of an earlier workspace's id (already warned about) or a workspace
            // inside another one's tree that was walked there.
            continue;
        }
        let name = string(workspace, "name").unwrap_or_else(|| "Insomnia import".to_owned());
        reached += 1;
        let mut settings = FolderSettings::default();
        let mut environments = Vec::new();
        let items = tree.items(
            tree.children_of(&id),
            &name,
            0,
            &mut w,
            &mut reached,
            &mut |child, w, reached| match kind(child).as_str() {
                "environment" => {
                    *reached += 1;
                    if settings.variables.is_empty() {
                        settings.variables = env_variables(child, &name, w);
                    } else {
                        w.push(&name, "a second base environment is not imported");
                    }
                    let child_id = string_or_empty(child, "_id");
                    for (_, sub) in tree_children(&children, &child_id) {
                        *reached += 1;
                        let sub_name = string_or_empty(sub, "name");
                        let location = join_path(&name, &sub_name);
                        environments.push(Environment {
                            variables: env_variables(sub, &location, w),
                            name: sub_name,
                        });
                    }
                    true
                }
                "api_spec" => {
                    *reached += 1;
                    if !string_or_empty(child, "contents").trim().is_empty() {
                        w.push(&name, "the workspace's API design document is not imported (import it as OpenAPI)");
                    }
                    true
                }
                "cookie_jar" => {
                    *reached += 1;
                    let cookies = array(child, "cookies").len();
                    if cookies > 0 {
                        w.push(&name, format!("the cookie jar's {cookies} cookies are not imported"));
                    }
                    true
                }
                _ => false,
            },
        )?;
        if !description_of(workspace).is_empty() {
            w.push(
                &name,
                "the workspace's description is not imported (only requests have notes)",
            );
        }
        collections.push(Collection {
            name,
            settings,
            items,
            environments,
        });
    }
    if collections.is_empty() {
        return Err(InterchangeError::WrongFormat {
            expected: "Insomnia export",
            reason: "it holds no workspace".into(),
        });
    }
    if reached < resources.len() {
        w.push(
            "(export)",
            format!(
                "{} resources belong to no workspace and were not imported",
                resources.len() - reached
            ),
        );
    }
    Ok(Imported {
        value: collections,
        warnings: w.0,
    })
}
