//! Paths, operations, parameters, request bodies and responses in their OpenAPI 3.x shapes.

use std::collections::HashSet;
use std::sync::Arc;

use serde_json::Value;

use crate::model::{
    MediaType, Operation, Parameter, ParameterLocation, RequestBodySpec, ResponseHeader,
    ResponseSpec, Schema, SecurityRequirement, SpecVersion,
};
use crate::pointer::Loc;
use crate::store::{DocId, MAIN};
use crate::tree::{Map, Node};

use super::{Ctx, RawParam, METHODS};

impl<'s> Ctx<'s> {
    pub(crate) fn operations(
        &mut self,
        root: &'s Node<'s>,
        top: &Loc,
        global_security: &[Vec<SecurityRequirement>],
    ) -> Vec<Operation> {
        let Some(paths) = root.get("paths").and_then(Node::as_object) else {
            return Vec::new();
        };
        let paths_at = top.key("paths");
        let mut operations = Vec::new();
        let mut ids: HashSet<String> = HashSet::new();
        for (path, item) in paths.iter() {
            let written = paths_at.key(path);
            let Some(item) = self.reach(MAIN, item, &written, "path item") else {
                continue;
            };
            let item_at = item.at(written);
            let Some(item_map) = item.node.as_object() else {
                self.warn(&item_at, "a path item must be an object; skipped");
                continue;
            };
            let shared = self.raw_params(item.doc, item_map.get("parameters"), &item_at);
            let item_servers = match self.version {
                SpecVersion::Swagger2 => Vec::new(),
                _ => self.servers(item_map.get("servers"), &item_at.key("servers")),
            };
            for (method, op) in item_map.iter() {
                if !METHODS.contains(&method) {
                    continue;
                }
                let op_at = item_at.key(method);
                let Some(op_map) = op.as_object() else {
                    self.warn(&op_at, "an operation must be an object; skipped");
                    continue;
                };
                let own = self.raw_params(item.doc, op_map.get("parameters"), &op_at);
                let params = merge_params(&shared, own);
                let mut operation = self.operation_head(path, method, op_map);
                match self.version {
                    SpecVersion::Swagger2 => {
                        self.operation2(root, item.doc, op_map, &op_at, params, &mut operation)
                    }
                    _ => self.operation3(item.doc, op_map, &op_at, params, &mut operation),
                }
                self.add_missing_path_params(&mut operation, &op_at);
                operation.security = self
                    .security(op_map.get("security"), &op_at.key("security"))
                    .unwrap_or_else(|| global_security.to_vec());
                if self.version != SpecVersion::Swagger2 {
                    let own_servers = self.servers(op_map.get("servers"), &op_at.key("servers"));
                    operation.servers = if own_servers.is_empty() {
                        item_servers.clone()
                    } else {
                        own_servers
                    };
                }
                if !ids.insert(operation.id.clone()) {
                    let at = op_at.key("operationId");
                    let message = format!("operationId {:?} is used more than once", operation.id);
                    self.warn(&at, message);
                }
                operations.push(operation);
            }
        }
        operations
    }

    /// The parts of an operation that read the same in every version.
    pub(crate) fn operation_head(&self, path: &str, method: &str, op: &'s Map<'s>) -> Operation {
        let method = method.to_ascii_uppercase();
        let text = |key: &str| op.get(key).and_then(Node::as_str).map(str::to_owned);
        Operation {
            id: text("operationId").unwrap_or_else(|| format!("{method} {path}")),
            method,
            path: path.to_owned(),
            summary: text("summary"),
            description: text("description"),
            tags: op
                .get("tags")
                .and_then(Node::as_array)
                .map(|tags| tags.iter().filter_map(Node::scalar_text).collect())
                .unwrap_or_default(),
            deprecated: op
                .get("deprecated")
                .and_then(Node::as_bool)
                .unwrap_or(false),
            parameters: Vec::new(),
            request_body: None,
            responses: Vec::new(),
            security: Vec::new(),
            servers: Vec::new(),
        }
    }

    /// Resolves a `parameters` list into raw parameters (refs followed, nameless ones dropped).
    pub(crate) fn raw_params(
        &mut self,
        doc: DocId,
        list: Option<&'s Node<'s>>,
        owner: &Loc,
    ) -> Vec<RawParam<'s>> {
        let Some(list) = list.and_then(Node::as_array) else {
            return Vec::new();
        };
        let at = owner.key("parameters");
        let mut params = Vec::with_capacity(list.len());
        for (i, node) in list.iter().enumerate() {
            let written = at.index(i);
            let Some(reached) = self.reach(doc, node, &written, "parameter") else {
                continue;
            };
            let here = reached.at(written);
            let (Some(map), Some(name)) = (reached.node.as_object(), reached.node.get_str("name"))
            else {
                self.warn(&here, "parameter without a name; skipped");
                continue;
            };
            params.push(RawParam {
                doc: reached.doc,
                node: map,
                pointer: here.render(),
                name,
                location: reached.node.get_str("in").unwrap_or_default(),
            });
        }
        params
    }

    /// Declares `{name}`s of the path template that no parameter describes (as strings).
    pub(crate) fn add_missing_path_params(&mut self, operation: &mut Operation, loc: &Loc) {
        let mut rest = operation.path.as_str();
        let mut missing = Vec::new();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            let name = &rest[open + 1..open + close];
            if !name.is_empty()
                && !operation
                    .parameters
                    .iter()
                    .any(|p| p.location == ParameterLocation::Path && p.name == name)
            {
                missing.push(name.to_owned());
            }
            rest = &rest[open + close + 1..];
        }
        for name in missing {
            self.warn(
                loc,
                format!("path parameter {name:?} is not declared; assumed to be a string"),
            );
            operation.parameters.push(Parameter {
                name,
                location: ParameterLocation::Path,
                required: true,
                description: None,
                deprecated: false,
                schema: Arc::new(Schema {
                    types: vec!["string".to_owned()],
                    ..Schema::default()
                }),
                example: None,
                style: None,
                explode: None,
            });
        }
    }

    pub(crate) fn operation3(
        &mut self,
        doc: DocId,
        op: &'s Map<'s>,
        op_at: &Loc,
        params: Vec<RawParam<'s>>,
        operation: &mut Operation,
    ) {
        for param in params {
            if let Some(parameter) = self.parameter3(&param) {
                operation.parameters.push(parameter);
            }
        }
        if let Some(body) = op.get("requestBody") {
            let written = op_at.key("requestBody");
            if let Some(reached) = self.reach(doc, body, &written, "request body") {
                let here = reached.at(written);
                let content_at = here.key("content");
                operation.request_body = Some(RequestBodySpec {
                    required: reached.node.get_bool("required").unwrap_or(false),
                    description: reached.node.get_str("description").map(str::to_owned),
                    content: self.content3(reached.doc, reached.node.get("content"), &content_at),
                });
            }
        }
        if let Some(responses) = op.get("responses").and_then(Node::as_object) {
            let at = op_at.key("responses");
            for (status, node) in responses.iter() {
                let written = at.key(status);
                let Some(reached) = self.reach(doc, node, &written, "response") else {
                    continue;
                };
                let here = reached.at(written);
                let headers = self.headers(reached.doc, reached.node.get("headers"), &here);
                let content_at = here.key("content");
                operation.responses.push(ResponseSpec {
                    status: status.to_owned(),
                    description: reached
                        .node
                        .get_str("description")
                        .unwrap_or_default()
                        .to_owned(),
                    headers,
                    content: self.content3(reached.doc, reached.node.get("content"), &content_at),
                });
            }
        }
    }

    pub(crate) fn parameter3(&mut self, param: &RawParam<'s>) -> Option<Parameter> {
        let here = Loc::Root(&param.pointer);
        let location = self.location(Some(param.location), &here)?;
        let node = param.node;
        let schema = self.parameter_schema(param.doc, node, &here);
        let example = match node.get("example") {
            Some(example) => Some(example.to_json()),
            None => self
                .first_example(param.doc, node.get("examples"), &here)
                .or_else(|| {
                    let (media, _) = node.get("content")?.as_object()?.iter().next()?;
                    let content = here.key("content");
                    let media_at = content.key(media);
                    let media_node = node.get("content")?.get(media)?.as_object()?;
                    self.media_example(param.doc, media_node, &media_at)
                }),
        };
        Some(Parameter {
            name: param.name.to_owned(),
            location,
            required: location == ParameterLocation::Path
                || node
                    .get("required")
                    .and_then(Node::as_bool)
                    .unwrap_or(false),
            description: node
                .get("description")
                .and_then(Node::as_str)
                .map(str::to_owned),
            deprecated: node
                .get("deprecated")
                .and_then(Node::as_bool)
                .unwrap_or(false),
            schema,
            example,
            style: node.get("style").and_then(Node::as_str).map(str::to_owned),
            explode: node.get("explode").and_then(Node::as_bool),
        })
    }

    /// A 3.x parameter's or header's schema: `schema`, else the first `content` entry's.
    pub(crate) fn parameter_schema(
        &mut self,
        doc: DocId,
        node: &'s Map<'s>,
        here: &Loc,
    ) -> Arc<Schema> {
        if let Some(schema) = node.get("schema") {
            let at = here.key("schema");
            return self.schema(doc, schema, &at);
        }
        if let Some((media, media_node)) = node
            .get("content")
            .and_then(Node::as_object)
            .and_then(|content| content.iter().next())
        {
            if let Some(schema) = media_node.get("schema") {
                let content = here.key("content");
                let media_at = content.key(media);
                let at = media_at.key("schema");
                return self.schema(doc, schema, &at);
            }
        }
        Arc::new(Schema::default())
    }

    pub(crate) fn headers(
        &mut self,
        doc: DocId,
        node: Option<&'s Node<'s>>,
        owner: &Loc,
    ) -> Vec<ResponseHeader> {
        let Some(map) = node.and_then(Node::as_object) else {
            return Vec::new();
        };
        let at = owner.key("headers");
        let mut headers = Vec::new();
        for (name, header) in map.iter() {
            let written = at.key(name);
            let Some(reached) = self.reach(doc, header, &written, "header") else {
                continue;
            };
            let here = reached.at(written);
            let Some(header_map) = reached.node.as_object() else {
                continue;
            };
            let schema = match self.version {
                // A Swagger 2.0 header describes its value inline, like a schema.
                SpecVersion::Swagger2 => {
                    let mut schema =
                        Arc::unwrap_or_clone(self.schema(reached.doc, reached.node, &here));
                    schema.description = None;
                    Arc::new(schema)
                }
                _ => self.parameter_schema(reached.doc, header_map, &here),
            };
            headers.push(ResponseHeader {
                name: name.to_owned(),
                description: reached.node.get_str("description").map(str::to_owned),
                required: reached.node.get_bool("required").unwrap_or(false),
                schema,
            });
        }
        headers
    }

    pub(crate) fn content3(
        &mut self,
        doc: DocId,
        node: Option<&'s Node<'s>>,
        loc: &Loc,
    ) -> Vec<MediaType> {
        let Some(map) = node.and_then(Node::as_object) else {
            return Vec::new();
        };
        let mut content = Vec::with_capacity(map.len());
        for (media_type, media) in map.iter() {
            let here = loc.key(media_type);
            let Some(media_map) = media.as_object() else {
                continue;
            };
            let schema = match media_map.get("schema") {
                Some(schema) => {
                    let at = here.key("schema");
                    self.schema(doc, schema, &at)
                }
                None => Arc::new(Schema::default()),
            };
            content.push(MediaType {
                media_type: media_type.to_owned(),
                schema,
                example: self.media_example(doc, media_map, &here),
            });
        }
        content
    }

    /// `example`, else the value of the first of `examples` (following `$ref`s).
    pub(crate) fn media_example(
        &mut self,
        doc: DocId,
        node: &'s Map<'s>,
        loc: &Loc,
    ) -> Option<Value> {
        match node.get("example") {
            Some(example) => Some(example.to_json()),
            None => self.first_example(doc, node.get("examples"), loc),
        }
    }

    pub(crate) fn first_example(
        &mut self,
        doc: DocId,
        examples: Option<&'s Node<'s>>,
        loc: &Loc,
    ) -> Option<Value> {
        let (name, example) = examples?.as_object()?.iter().next()?;
        let list = loc.key("examples");
        let written = list.key(name);
        let reached = self.reach(doc, example, &written, "example")?;
        reached.node.get("value").map(Node::to_json)
    }
}

/// Path-level parameters with the operation's merged in: same name and location replaces in
/// place, anything else is appended.
fn merge_params<'s>(shared: &[RawParam<'s>], own: Vec<RawParam<'s>>) -> Vec<RawParam<'s>> {
    let mut merged: Vec<RawParam<'s>> = shared
        .iter()
        .map(|p| RawParam {
            doc: p.doc,
            node: p.node,
            pointer: p.pointer.clone(),
            name: p.name,
            location: p.location,
        })
        .collect();
    for param in own {
        match merged
            .iter_mut()
            .find(|m| m.name == param.name && m.location == param.location)
        {
            Some(slot) => *slot = param,
            None => merged.push(param),
        }
    }
    merged
}
