//! Reading Postman v2.0/v2.1 collections and environment files into the model: the item
//! tree's walk and the fields collections, folders and requests share (variables,
//! descriptions). A request's own fields are read in `request` and `body`, auth in `auth`,
//! script events in `scripts`.

mod auth;
mod body;
mod request;
mod scripts;

use serde_json::Value;
use sextant_model::{Collection, CollectionItem, Environment, Folder, FolderSettings, Variable};

use crate::files::warn_file_references;
use crate::json::{array, flag, parse, scalar, string, string_or_empty};
use crate::limits::{check_depth, Budget};
use crate::text::short;
use crate::warning::{join_path, Warnings};
use crate::{Imported, InterchangeError};

use auth::auth;
use request::request;
use scripts::scripts;

/// Reads a Postman collection (v2.1 or v2.0, also wrapped as `{"collection": ...}` the way
/// Postman's API returns it).
pub fn import_postman(text: &str) -> Result<Imported<Collection>, InterchangeError> {
    let root = parse(text)?;
    let root = match root.get("collection") {
        Some(inner) if root.get("info").is_none() && inner.get("info").is_some() => inner,
        _ => &root,
    };
    let Some(info) = root.get("info").filter(|i| i.is_object()) else {
        if root.get("requests").is_some() && root.get("order").is_some() {
            return Err(InterchangeError::UnsupportedVersion {
                format: "Postman collection",
                version: "1".into(),
                supported: "Postman collections v2.0 and v2.1 (re-export it from Postman)",
            });
        }
        return Err(InterchangeError::WrongFormat {
            expected: "Postman collection",
            reason: "there is no `info` object".into(),
        });
    };
    if let Some(schema) = string(info, "schema") {
        if !schema.contains("/v2.1") && !schema.contains("/v2.0") {
            return Err(InterchangeError::UnsupportedVersion {
                format: "Postman collection",
                version: short(&schema),
                supported: "Postman collections v2.0 and v2.1",
            });
        }
    }
    let name = string(info, "name").unwrap_or_else(|| "Postman import".to_owned());
    let mut w = Warnings::default();
    let here = name.as_str();
    scripts(root, here, &mut w);
    if !description(info).is_empty() || !description(root).is_empty() {
        w.push(
            here,
            "the collection's description is not imported (only requests have notes)",
        );
    }
    let settings = FolderSettings {
        base_url: None,
        headers: Vec::new(),
        auth: auth(root.get("auth"), here, &mut w),
        variables: variables(array(root, "variable")),
        client_certificates: Vec::new(),
        sequential: false,
    };
    let mut walk = Walk {
        w: &mut w,
        budget: Budget::default(),
    };
    let items = walk.items(array(root, "item"), "", 0)?;
    Ok(Imported {
        value: Collection {
            name,
            settings,
            items,
            environments: Vec::new(),
        },
        warnings: w.0,
    })
}

/// The item tree's walk, with the import's budget.
struct Walk<'w> {
    w: &'w mut Warnings,
    budget: Budget,
}

impl Walk<'_> {
    /// The items of a folder at `depth` (0 = the collection).
    fn items(
        &mut self,
        list: &[Value],
        parent: &str,
        depth: usize,
    ) -> Result<Vec<CollectionItem>, InterchangeError> {
        let mut out = Vec::with_capacity(list.len().min(crate::limits::MAX_ITEMS));
        for item in list {
            self.budget.item()?;
            let name = string_or_empty(item, "name");
            let path = join_path(parent, &name);
            out.push(match item.get("item").and_then(Value::as_array) {
                Some(children) => {
                    CollectionItem::Folder(self.folder(item, name, children, &path, depth + 1)?)
                }
                None => {
                    let saved = request(item, name, &path, self.w);
                    warn_file_references(&saved, &path, self.w);
                    CollectionItem::Request(saved)
                }
            });
        }
        Ok(out)
    }

    fn folder(
        &mut self,
        item: &Value,
        name: String,
        children: &[Value],
        path: &str,
        depth: usize,
    ) -> Result<Folder, InterchangeError> {
        check_depth(depth)?;
        let w = &mut *self.w;
        scripts(item, path, w);
        if !description(item).is_empty() {
            w.push(
                path,
                "the folder's description is not imported (only requests have notes)",
            );
        }
        let settings = FolderSettings {
            base_url: None,
            headers: Vec::new(),
            auth: auth(item.get("auth"), path, w),
            variables: variables(array(item, "variable")),
            client_certificates: Vec::new(),
            sequential: false,
        };
        Ok(Folder {
            name,
            settings,
            items: self.items(children, path, depth)?,
        })
    }
}

fn variables(list: &[Value]) -> Vec<Variable> {
    list.iter()
        .filter_map(|v| {
            let name = string(v, "key").or_else(|| string(v, "id"))?;
            Some(Variable {
                name,
                value: value_text(v.get("value")),
                secret: string(v, "type").as_deref() == Some("secret"),
                enabled: !flag(v, "disabled")
                    && v.get("enabled").and_then(Value::as_bool) != Some(false),
            })
        })
        .collect()
}

/// A variable's value as text: strings as they are, anything else as its JSON.
fn value_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(v) => scalar(v).unwrap_or_else(|| v.to_string()),
    }
}

/// `description` is a string or `{content, type}`.
fn description(v: &Value) -> String {
    match v.get("description") {
        Some(Value::String(s)) => s.clone(),
        Some(obj @ Value::Object(_)) => string_or_empty(obj, "content"),
        _ => String::new(),
    }
}

/// Reads a Postman environment (or globals) file. Values of `secret` type are secret variables.
pub fn import_postman_environment(text: &str) -> Result<Imported<Environment>, InterchangeError> {
    let root = parse(text)?;
    let Some(values) = root.get("values").and_then(Value::as_array) else {
        return Err(InterchangeError::WrongFormat {
            expected: "Postman environment",
            reason: "there is no `values` list".into(),
        });
    };
    if let Some(scope) = string(&root, "_postman_variable_scope") {
        if scope != "environment" && scope != "globals" {
            return Err(InterchangeError::WrongFormat {
                expected: "Postman environment",
                reason: format!("its scope is {:?}", short(&scope)),
            });
        }
    }
    Ok(Imported {
        value: Environment {
            name: string(&root, "name").unwrap_or_else(|| "Postman environment".to_owned()),
            variables: variables(values),
        },
        warnings: Vec::new(),
    })
}
