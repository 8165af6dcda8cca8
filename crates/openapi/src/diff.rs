//! What changed between two imports of the same API, for re-sync: operations added, removed and
//! changed (parameters, request body, responses), each change marked breaking when a client
//! written against the old document could fail against the new one.
//!
//! Operations are matched by method and path. Schemas are compared at the level clients feel
//! first: a body's or response's top-level properties, their types and which are required.
//! Every match goes through a hash map, so the time grows with the size of the documents, not
//! its square: Watch diffs a re-fetched spec every few seconds, and big APIs have tens of
//! thousands of operations.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::Hash;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{
    ApiSpec, MediaType, Operation, OperationSummary, Parameter, ParameterLocation, Schema,
};

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct SpecDiff {
    pub added: Vec<OperationSummary>,
    pub removed: Vec<OperationSummary>,
    pub changed: Vec<OperationChange>,
}

impl SpecDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// Removed operations and breaking changes.
    pub fn breaking_count(&self) -> usize {
        self.removed.len()
            + self
                .changed
                .iter()
                .flat_map(|c| &c.changes)
                .filter(|c| c.breaking)
                .count()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct OperationChange {
    /// The operation's id in the new document.
    pub id: String,
    pub method: String,
    pub path: String,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct Change {
    /// One sentence: `query parameter "limit" is now required`.
    pub description: String,
    pub breaking: bool,
}

fn summary(op: &Operation) -> OperationSummary {
    OperationSummary {
        id: op.id.clone(),
        method: op.method.clone(),
        path: op.path.clone(),
        summary: op.summary.clone(),
        tags: op.tags.clone(),
        deprecated: op.deprecated,
    }
}

fn key(op: &Operation) -> (&str, &str) {
    (op.method.as_str(), op.path.as_str())
}

/// The first item of `items` for each key (what a linear `find` would return).
fn first_by<'a, T, K: Eq + Hash>(items: &'a [T], key: impl Fn(&'a T) -> K) -> HashMap<K, &'a T> {
    let mut map = HashMap::with_capacity(items.len());
    for item in items {
        map.entry(key(item)).or_insert(item);
    }
    map
}

fn keys_of<'a, T, K: Eq + Hash>(items: &'a [T], key: impl Fn(&'a T) -> K) -> HashSet<K> {
    items.iter().map(key).collect()
}

/// Compares `old` and `new`. Changes come in document order of `new`.
pub fn diff(old: &ApiSpec, new: &ApiSpec) -> SpecDiff {
    let mut out = SpecDiff::default();
    let old_ops = first_by(&old.operations, key);
    let new_keys = keys_of(&new.operations, key);
    for op in &new.operations {
        match old_ops.get(&key(op)) {
            None => out.added.push(summary(op)),
            Some(before) => {
                let changes = operation_changes(before, op);
                if !changes.is_empty() {
                    out.changed.push(OperationChange {
                        id: op.id.clone(),
                        method: op.method.clone(),
                        path: op.path.clone(),
                        changes,
                    });
                }
            }
        }
    }
    for op in &old.operations {
        if !new_keys.contains(&key(op)) {
            out.removed.push(summary(op));
        }
    }
    out
}

fn change(breaking: bool, description: String) -> Change {
    Change {
        description,
        breaking,
    }
}

fn operation_changes(old: &Operation, new: &Operation) -> Vec<Change> {
    let mut changes = Vec::new();
    parameter_changes(&old.parameters, &new.parameters, &mut changes);
    body_changes(old, new, &mut changes);
    response_changes(old, new, &mut changes);
    if !old.deprecated && new.deprecated {
        changes.push(change(false, "the operation is now deprecated".into()));
    }
    changes
}

fn where_(p: &Parameter) -> String {
    format!("{:?} parameter \"{}\"", p.location, p.name).to_lowercase()
}

fn parameter_key(p: &Parameter) -> (&str, ParameterLocation) {
    (p.name.as_str(), p.location)
}

fn parameter_changes(old: &[Parameter], new: &[Parameter], out: &mut Vec<Change>) {
    let before = first_by(old, parameter_key);
    let after = keys_of(new, parameter_key);
    for p in new {
        match before.get(&parameter_key(p)) {
            None => out.push(change(
                p.required,
                format!(
                    "{} added{}",
                    where_(p),
                    if p.required { " (required)" } else { "" }
                ),
            )),
            Some(o) => {
                if p.required && !o.required {
                    out.push(change(true, format!("{} is now required", where_(p))));
                }
                if let Some(d) = type_change(&o.schema, &p.schema) {
                    out.push(change(true, format!("{} changed type: {d}", where_(p))));
                }
            }
        }
    }
    for o in old {
        if !after.contains(&parameter_key(o)) {
            out.push(change(false, format!("{} removed", where_(o))));
        }
    }
}

fn type_label(s: &Schema) -> String {
    let mut types: Vec<&str> = s.types.iter().map(String::as_str).collect();
    types.sort_unstable();
    let base = if types.is_empty() {
        "any".to_string()
    } else {
        types.join("|")
    };
    match &s.format {
        Some(f) => format!("{base} ({f})"),
        None => base,
    }
}

fn type_change(old: &Schema, new: &Schema) -> Option<String> {
    let (a, b) = (type_label(old), type_label(new));
    (a != b).then(|| format!("{a} → {b}"))
}

fn first_schema(content: &[MediaType]) -> Option<&Schema> {
    content.first().map(|m| m.schema.as_ref())
}

fn required_set(s: &Schema) -> BTreeSet<&str> {
    s.required.iter().map(String::as_str).collect()
}

/// Top-level property changes of a schema sent by the client (`request`) or read by it.
fn schema_changes(label: &str, old: &Schema, new: &Schema, request: bool, out: &mut Vec<Change>) {
    if let Some(d) = type_change(old, new) {
        out.push(change(true, format!("{label} changed type: {d}")));
        return;
    }
    let (old_req, new_req) = (required_set(old), required_set(new));
    let before = first_by(&old.properties, |p| p.name.as_str());
    let after = keys_of(&new.properties, |p| p.name.as_str());
    for p in &new.properties {
        match before.get(p.name.as_str()) {
            None => out.push(change(
                request && new_req.contains(p.name.as_str()),
                format!("{label}: property \"{}\" added", p.name),
            )),
            Some(o) => {
                if let Some(d) = type_change(&o.schema, &p.schema) {
                    out.push(change(
                        true,
                        format!("{label}: property \"{}\" changed type: {d}", p.name),
                    ));
                }
                if request
                    && new_req.contains(p.name.as_str())
                    && !old_req.contains(p.name.as_str())
                {
                    out.push(change(
                        true,
                        format!("{label}: property \"{}\" is now required", p.name),
                    ));
                }
            }
        }
    }
    for o in &old.properties {
        if !after.contains(o.name.as_str()) {
            out.push(change(
                !request,
                format!("{label}: property \"{}\" removed", o.name),
            ));
        }
    }
}

fn body_changes(old: &Operation, new: &Operation, out: &mut Vec<Change>) {
    match (&old.request_body, &new.request_body) {
        (None, Some(b)) => out.push(change(
            b.required,
            format!(
                "request body added{}",
                if b.required { " (required)" } else { "" }
            ),
        )),
        (Some(_), None) => out.push(change(false, "request body removed".into())),
        (Some(a), Some(b)) => {
            if b.required && !a.required {
                out.push(change(true, "request body is now required".into()));
            }
            if let (Some(sa), Some(sb)) = (first_schema(&a.content), first_schema(&b.content)) {
                schema_changes("request body", sa, sb, true, out);
            }
        }
        (None, None) => {}
    }
}

fn response_changes(old: &Operation, new: &Operation, out: &mut Vec<Change>) {
    let before = first_by(&old.responses, |r| r.status.as_str());
    let after = keys_of(&new.responses, |r| r.status.as_str());
    for r in &new.responses {
        match before.get(r.status.as_str()) {
            None => out.push(change(false, format!("response {} added", r.status))),
            Some(o) => {
                if let (Some(sa), Some(sb)) = (first_schema(&o.content), first_schema(&r.content)) {
                    schema_changes(&format!("response {}", r.status), sa, sb, false, out);
                }
            }
        }
    }
    for o in &old.responses {
        if !after.contains(o.status.as_str()) {
            out.push(change(true, format!("response {} removed", o.status)));
        }
    }
}
