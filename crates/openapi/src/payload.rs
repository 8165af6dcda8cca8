//! What the window gets for one operation or one component schema: the schemas with every node
//! that is used more than once written once, in a table, and referred to by its index elsewhere.
//!
//! The model shares schemas through `Arc`, so a document whose component A uses B twice, B uses
//! C twice, and so on 64 levels down, is a few kilobytes in memory; written out as a tree it is
//! 2^64 nodes and the IPC call would never end. Here each distinct node is written at most once,
//! so a payload grows with the model, not with the number of paths through it, and a budget on
//! distinct nodes ends anything still too big in [`PayloadTooLarge`]. Nodes used once stay inline,
//! so an ordinary schema reads exactly as before. A reference back into a schema being expanded
//! is still the importer's link node (`recursive: true`), so the table never has cycles.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{AdditionalProperties, Operation, Property, Schema};

/// The most distinct schema nodes one payload may hold.
pub const MAX_PAYLOAD_NODES: usize = 100_000;

/// One operation for the window. A schema node with a `shared_id` stands for entry `shared_id` of
/// `shared` (whose own children may be such nodes too).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct OperationPayload {
    pub operation: Operation,
    pub shared: Vec<Schema>,
}

/// One component schema for the window, shared nodes as in [`OperationPayload`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct SchemaPayload {
    pub schema: Schema,
    pub shared: Vec<Schema>,
}

/// A payload would hold more distinct schema nodes than its budget.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("its schemas have more than {limit} distinct parts (the most Sextant shows at once)")]
pub struct PayloadTooLarge {
    pub limit: usize,
}

/// The payload of `operation`, within [`MAX_PAYLOAD_NODES`].
pub fn operation_payload(operation: &Operation) -> Result<OperationPayload, PayloadTooLarge> {
    operation_payload_within(operation, MAX_PAYLOAD_NODES)
}

/// [`operation_payload`] with another budget.
pub fn operation_payload_within(
    operation: &Operation,
    limit: usize,
) -> Result<OperationPayload, PayloadTooLarge> {
    let mut roots: Vec<&Arc<Schema>> = operation.parameters.iter().map(|p| &p.schema).collect();
    if let Some(body) = &operation.request_body {
        roots.extend(body.content.iter().map(|m| &m.schema));
    }
    for response in &operation.responses {
        roots.extend(response.headers.iter().map(|h| &h.schema));
        roots.extend(response.content.iter().map(|m| &m.schema));
    }
    let mut writer = Writer::new(&roots, limit)?;
    let mut out = operation.clone();
    for p in &mut out.parameters {
        p.schema = writer.emit(&p.schema);
    }
    if let Some(body) = &mut out.request_body {
        for m in &mut body.content {
            m.schema = writer.emit(&m.schema);
        }
    }
    for response in &mut out.responses {
        for h in &mut response.headers {
            h.schema = writer.emit(&h.schema);
        }
        for m in &mut response.content {
            m.schema = writer.emit(&m.schema);
        }
    }
    Ok(OperationPayload {
        operation: out,
        shared: writer.finish(),
    })
}

/// The payload of one schema, within [`MAX_PAYLOAD_NODES`].
pub fn schema_payload(schema: &Arc<Schema>) -> Result<SchemaPayload, PayloadTooLarge> {
    schema_payload_within(schema, MAX_PAYLOAD_NODES)
}

/// [`schema_payload`] with another budget.
pub fn schema_payload_within(
    schema: &Arc<Schema>,
    limit: usize,
) -> Result<SchemaPayload, PayloadTooLarge> {
    let mut writer = Writer::new(&[schema], limit)?;
    let root = writer.emit(schema);
    Ok(SchemaPayload {
        schema: Arc::unwrap_or_clone(root),
        shared: writer.finish(),
    })
}

impl SchemaPayload {
    /// The schema with every shared node written out in full, as the model has it. Exponential
    /// for the documents this payload exists for: for tests and small schemas.
    pub fn expand(&self) -> Schema {
        expand(&self.schema, &self.shared)
    }
}

impl OperationPayload {
    /// The operation with every shared node written out in full (see [`SchemaPayload::expand`]).
    pub fn expand(&self) -> Operation {
        let full = |s: &Arc<Schema>| Arc::new(expand(s, &self.shared));
        let mut out = self.operation.clone();
        for p in &mut out.parameters {
            p.schema = full(&p.schema);
        }
        if let Some(body) = &mut out.request_body {
            for m in &mut body.content {
                m.schema = full(&m.schema);
            }
        }
        for response in &mut out.responses {
            for h in &mut response.headers {
                h.schema = full(&h.schema);
            }
            for m in &mut response.content {
                m.schema = full(&m.schema);
            }
        }
        out
    }
}

/// `schema` with its table references replaced by the entries they stand for, recursively.
fn expand(schema: &Schema, shared: &[Schema]) -> Schema {
    let node = match schema.shared_id {
        Some(id) => &shared[id as usize],
        None => schema,
    };
    map_children(node, &mut |c| Arc::new(expand(c, shared)))
}

/// The node's children: items, properties, additional properties, the branches and `not`.
fn children(s: &Schema) -> impl Iterator<Item = &Arc<Schema>> {
    let additional = match &s.additional_properties {
        Some(AdditionalProperties::Schema(a)) => Some(a),
        _ => None,
    };
    s.items
        .iter()
        .chain(s.properties.iter().map(|p| &p.schema))
        .chain(additional)
        .chain(&s.one_of)
        .chain(&s.any_of)
        .chain(&s.all_of)
        .chain(&s.not)
}

/// A copy of `s` whose children (the ones [`children`] lists) are `f` of the originals.
fn map_children(s: &Schema, f: &mut impl FnMut(&Arc<Schema>) -> Arc<Schema>) -> Schema {
    let mut out = s.clone();
    out.items = s.items.as_ref().map(&mut *f);
    out.properties = s
        .properties
        .iter()
        .map(|p| Property {
            name: p.name.clone(),
            schema: f(&p.schema),
        })
        .collect();
    if let Some(AdditionalProperties::Schema(a)) = &s.additional_properties {
        out.additional_properties = Some(AdditionalProperties::Schema(f(a)));
    }
    out.one_of = s.one_of.iter().map(&mut *f).collect();
    out.any_of = s.any_of.iter().map(&mut *f).collect();
    out.all_of = s.all_of.iter().map(&mut *f).collect();
    out.not = s.not.as_ref().map(&mut *f);
    out
}

/// Writes the nodes reachable from some roots, each used more than once into the table.
struct Writer {
    /// How many times each distinct node is reached (from a root or a parent), by address.
    uses: HashMap<*const Schema, usize>,
    /// Table index of each shared node already given one.
    ids: HashMap<*const Schema, u32>,
    table: Vec<Option<Schema>>,
}

impl Writer {
    /// Counts the uses of every node reachable from `roots`, each distinct node visited once.
    fn new(roots: &[&Arc<Schema>], limit: usize) -> Result<Self, PayloadTooLarge> {
        let mut uses: HashMap<*const Schema, usize> = HashMap::new();
        let mut stack: Vec<&Arc<Schema>> = roots.to_vec();
        while let Some(node) = stack.pop() {
            let count = uses.entry(Arc::as_ptr(node)).or_default();
            *count += 1;
            if *count == 1 {
                if uses.len() > limit {
                    return Err(PayloadTooLarge { limit });
                }
                stack.extend(children(node));
            }
        }
        Ok(Self {
            uses,
            ids: HashMap::new(),
            table: Vec::new(),
        })
    }

    /// The node as written in the payload: inline when used once, else a reference to its
    /// table entry (written the first time it is met).
    fn emit(&mut self, node: &Arc<Schema>) -> Arc<Schema> {
        let ptr = Arc::as_ptr(node);
        if self.uses.get(&ptr).copied().unwrap_or(0) < 2 {
            return Arc::new(map_children(node, &mut |c| self.emit(c)));
        }
        let id = match self.ids.get(&ptr) {
            Some(&id) => id,
            None => {
                // At most MAX_PAYLOAD_NODES entries, far below u32::MAX.
                let id = u32::try_from(self.table.len()).unwrap_or(u32::MAX);
                self.ids.insert(ptr, id);
                self.table.push(None);
                let written = map_children(node, &mut |c| self.emit(c));
                self.table[id as usize] = Some(written);
                id
            }
        };
        Arc::new(Schema {
            shared_id: Some(id),
            ..Schema::default()
        })
    }

    fn finish(self) -> Vec<Schema> {
        self.table
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(t: &str) -> Arc<Schema> {
        Arc::new(Schema {
            types: vec![t.into()],
            ..Schema::default()
        })
    }

    fn object(props: &[(&str, &Arc<Schema>)]) -> Arc<Schema> {
        Arc::new(Schema {
            types: vec!["object".into()],
            properties: props
                .iter()
                .map(|(n, s)| Property {
                    name: (*n).into(),
                    schema: Arc::clone(s),
                })
                .collect(),
            ..Schema::default()
        })
    }

    #[test]
    fn a_node_used_once_stays_inline_and_one_used_twice_goes_in_the_table() {
        let id = leaf("integer");
        let tag = leaf("string");
        let root = object(&[("a", &tag), ("b", &tag), ("id", &id)]);
        let payload = schema_payload(&root).unwrap();
        assert_eq!(payload.shared, vec![(*tag).clone()]);
        assert_eq!(payload.schema.properties[0].schema.shared_id, Some(0));
        assert_eq!(payload.schema.properties[1].schema.shared_id, Some(0));
        assert_eq!(*payload.schema.properties[2].schema, *id);
        assert_eq!(payload.expand(), *root);
    }

    #[test]
    fn too_many_distinct_nodes_is_an_error_not_a_cut() {
        let props: Vec<Arc<Schema>> = (0..10).map(|_| leaf("string")).collect();
        let named: Vec<(String, &Arc<Schema>)> = props
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("p{i}"), s))
            .collect();
        let borrowed: Vec<(&str, &Arc<Schema>)> =
            named.iter().map(|(n, s)| (n.as_str(), *s)).collect();
        let root = object(&borrowed);
        assert_eq!(
            schema_payload_within(&root, 5).unwrap_err(),
            PayloadTooLarge { limit: 5 }
        );
        assert!(schema_payload_within(&root, 11).is_ok());
    }
}
