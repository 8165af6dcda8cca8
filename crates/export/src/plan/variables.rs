//! The export's variables: which are written with their defaults and which are secret (read
//! from the environment only), the names the requests use that nothing defines, and the
//! README's table of them. Every generator reads the result from the [`Plan`].

use std::collections::BTreeSet;
use std::fmt::Write as _;

use sextant_model::{is_secret_param, variables_in, Variable};

use super::{Group, Plan, VarDef};
use crate::names::env_var;

/// The collection's and the environment's variables as the export writes them; secret ones
/// (marked so, named like a secret, or holding a credential found in `secrets`) lose their
/// default, in the folders' and requests' variables too. Every other name `texts` use that
/// nothing defines is added to the environment's, to be read from the environment.
pub(super) fn resolve(
    collection: &[Variable],
    environment: Option<&[Variable]>,
    secrets: &BTreeSet<String>,
    groups: &mut [Group],
    texts: Vec<String>,
) -> (Vec<VarDef>, Vec<VarDef>) {
    let mut secrets = secrets.clone();
    let mut defs = |vars: &[Variable]| -> Vec<VarDef> {
        vars.iter()
            .filter(|v| v.enabled)
            .map(|v| {
                let secret = v.secret || is_secret_param(&v.name) || secrets.contains(&v.name);
                if secret {
                    secrets.insert(v.name.clone());
                }
                VarDef {
                    name: v.name.clone(),
                    default: (!secret).then(|| v.value.clone()),
                }
            })
            .collect()
    };
    let collection_vars = defs(collection);
    let mut environment_vars = environment.map(&mut defs).unwrap_or_default();
    // Folder and request variables that are secret are read from the environment too.
    for g in groups.iter_mut() {
        mark_secret(&mut g.variables, &secrets);
        for s in &mut g.steps {
            mark_secret(&mut s.variables, &secrets);
        }
    }

    let mut defined: BTreeSet<String> = collection_vars
        .iter()
        .chain(&environment_vars)
        .filter(|v| v.default.is_some())
        .map(|v| v.name.clone())
        .collect();
    for g in groups.iter() {
        defined.extend(g.variables.iter().map(|v| v.name.clone()));
        for s in &g.steps {
            defined.extend(s.variables.iter().map(|v| v.name.clone()));
            defined.extend(s.captures.iter().map(|c| c.variable.clone()));
        }
    }
    let listed: BTreeSet<String> = environment_vars.iter().map(|v| v.name.clone()).collect();
    let mut used = BTreeSet::new();
    for text in texts {
        used.extend(variables_in(&text).into_iter().map(|s| s.name));
    }
    used.extend(secrets.iter().cloned());
    for name in used {
        if !name.starts_with('$') && !defined.contains(&name) && !listed.contains(&name) {
            environment_vars.push(VarDef {
                name,
                default: None,
            });
        }
    }
    (collection_vars, environment_vars)
}

fn mark_secret(vars: &mut [VarDef], secrets: &BTreeSet<String>) {
    for v in vars {
        if secrets.contains(&v.name) || is_secret_param(&v.name) {
            v.default = None;
        }
    }
}

impl Plan {
    /// Every secret variable the export reads from the environment, by name.
    pub(crate) fn secret_names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .collection_vars
            .iter()
            .chain(&self.environment_vars)
            .chain(self.groups.iter().flat_map(|g| &g.variables))
            .chain(
                self.groups
                    .iter()
                    .flat_map(|g| g.steps.iter().flat_map(|s| &s.variables)),
            )
            .filter(|v| v.default.is_none())
            .map(|v| v.name.as_str())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The README's table of variables (Markdown): each collection and environment variable
    /// and each secret, with the environment variable that sets it and its default.
    pub(crate) fn variables_table(&self) -> String {
        let mut out =
            String::from("| variable | environment variable | default |\n|---|---|---|\n");
        let mut seen = BTreeSet::new();
        for v in self.collection_vars.iter().chain(&self.environment_vars) {
            if seen.insert(v.name.as_str()) {
                let default = match &v.default {
                    Some(d) => format!("`{}`", d.replace('|', "\\|").replace('`', "'")),
                    None => "secret: set it".into(),
                };
                let _ = writeln!(
                    out,
                    "| `{}` | `{}` | {default} |",
                    v.name,
                    env_var(&self.prefix, &v.name)
                );
            }
        }
        for name in self.secret_names() {
            if seen.insert(name) {
                let _ = writeln!(
                    out,
                    "| `{name}` | `{}` | secret: set it |",
                    env_var(&self.prefix, name)
                );
            }
        }
        out
    }
}
