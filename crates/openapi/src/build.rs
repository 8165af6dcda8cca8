//! Builds the [`ApiSpec`] from a parsed document: the parts every version shares, and the
//! OpenAPI 3.x shapes of operations (Swagger 2.0's differ and live in `swagger2.rs`).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde_json::Value;

use crate::model::{
    ApiSpec, MediaType, NamedSchema, OAuthFlow, OAuthFlowKind, OAuthScope, Operation, Parameter,
    ParameterLocation, RequestBodySpec, ResponseHeader, ResponseSpec, Schema, SecurityRequirement,
    SecurityScheme, SecuritySchemeKind, Server, ServerVariable, SpecVersion, Tag, Warning,
};
use crate::pointer::{pointer_of, Loc};
use crate::store::{DocId, RefError, Store, MAIN};
use crate::swagger2;
use crate::tree::{Map, Node};

/// The HTTP methods a path item may hold, lowercase as the documents write them.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// How many `$ref`s in a row we follow for one parameter, response, body...
const MAX_HOPS: usize = 32;

/// State of one build: the documents, what was already expanded, and what went wrong.
pub(crate) struct Ctx<'s> {
    pub(crate) store: &'s Store<'s>,
    pub(crate) version: SpecVersion,
    pub(crate) warnings: Vec<Warning>,
    /// Expanded schemas per document, by decoded fragment.
    pub(crate) schema_cache: Vec<HashMap<String, Arc<Schema>>>,
    /// Schema references being expanded right now (document, fragment).
    pub(crate) in_progress: Vec<(DocId, String)>,
    pub(crate) unresolved_warned: HashSet<(DocId, String)>,
    pub(crate) depth: usize,
    pub(crate) depth_warned: bool,
    /// Named schemas of other files (document, fragment, name), in the order first used.
    pub(crate) other_file_schemas: Vec<(DocId, String, String)>,
    /// Security scheme names declared by the document (for checking requirements).
    scheme_names: HashSet<String>,
    undeclared_schemes_warned: HashSet<String>,
}

/// A node reached through zero or more `$ref`s.
pub(crate) struct Reached<'s> {
    pub(crate) doc: DocId,
    pub(crate) node: &'s Node<'s>,
    /// Set when a reference was followed: where the node really is.
    pointer: Option<String>,
}

impl Reached<'_> {
    /// Where the node is: the followed reference's target, or `written` (where it was met).
    pub(crate) fn at<'a>(&'a self, written: Loc<'a>) -> Loc<'a> {
        match &self.pointer {
            Some(pointer) => Loc::Root(pointer),
            None => written,
        }
    }
}

/// A parameter before conversion, kept raw so path- and operation-level lists can be merged
/// (and so Swagger 2.0 can pull body and form parameters out of it).
pub(crate) struct RawParam<'s> {
    pub(crate) doc: DocId,
    pub(crate) node: &'s Map<'s>,
    pub(crate) pointer: String,
    pub(crate) name: &'s str,
    pub(crate) location: &'s str,
}

pub(crate) fn build(
    store: &Store<'_>,
    version: SpecVersion,
    raw_version: String,
    warnings: Vec<Warning>,
) -> ApiSpec {
    let mut ctx = Ctx {
        store,
        version,
        warnings,
        schema_cache: vec![HashMap::new(); store.docs.len()],
        in_progress: Vec::new(),
        unresolved_warned: HashSet::new(),
        depth: 0,
        depth_warned: false,
        other_file_schemas: Vec::new(),
        scheme_names: HashSet::new(),
        undeclared_schemes_warned: HashSet::new(),
    };
    ctx.spec(raw_version)
}

impl<'s> Ctx<'s> {
    pub(crate) fn warn(&mut self, loc: &Loc, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: loc.render(),
            message: message.into(),
        });
    }

    fn spec(&mut self, raw_version: String) -> ApiSpec {
        let store: &'s Store<'s> = self.store;
        let root = &store.docs[MAIN].root;
        let top = Loc::Root("");
        let info = root.get("info");
        let info_text = |key: &str| info.and_then(|i| i.get_str(key)).map(str::to_owned);
        let title = info_text("title").unwrap_or_default();
        let description = info_text("description");
        let api_version = info
            .and_then(|i| i.get("version"))
            .and_then(Node::scalar_text)
            .unwrap_or_default();

        let servers = match self.version {
            SpecVersion::Swagger2 => swagger2::servers(root),
            _ => {
                let servers = self.servers(root.get("servers"), &top.key("servers"));
                if servers.is_empty() {
                    vec![Server {
                        url: "/".to_owned(),
                        description: None,
                        variables: Vec::new(),
                    }]
                } else {
                    servers
                }
            }
        };

        let security_schemes = match self.version {
            SpecVersion::Swagger2 => self.security_schemes2(root),
            _ => self.security_schemes3(root),
        };
        self.scheme_names = security_schemes.iter().map(|s| s.name.clone()).collect();
        let global_security = self
            .security(root.get("security"), &top.key("security"))
            .unwrap_or_default();

        let mut tags = self.declared_tags(root, &top);

        // Components first, in document order, so cycles are cut at the same place every time.
        let mut schemas = self.component_schemas(root);
        let operations = self.operations(root, &top, &global_security);

        let mut known: HashSet<String> = tags.iter().map(|t| t.name.clone()).collect();
        for operation in &operations {
            for tag in &operation.tags {
                if known.insert(tag.clone()) {
                    tags.push(Tag {
                        name: tag.clone(),
                        description: None,
                    });
                }
            }
        }
        let names: HashSet<String> = schemas.iter().map(|s| s.name.clone()).collect();
        for (doc, fragment, name) in std::mem::take(&mut self.other_file_schemas) {
            let Some(schema) = self.schema_cache[doc].get(&fragment) else {
                continue;
            };
            if !names.contains(&name) && !schemas.iter().any(|s| s.name == name) {
                schemas.push(NamedSchema {
                    name,
                    schema: schema.clone(),
                });
            }
        }

        ApiSpec {
            version: self.version,
            raw_version,
            title,
            description,
            api_version,
            servers,
            operations,
            schemas,
            security_schemes,
            tags,
            warnings: std::mem::take(&mut self.warnings),
        }
    }

    fn component_schemas(&mut self, root: &'s Node<'s>) -> Vec<NamedSchema> {
        let section: &[&str] = match self.version {
            SpecVersion::Swagger2 => &["definitions"],
            _ => &["components", "schemas"],
        };
        let mut node = Some(root);
        for key in section {
            node = node.and_then(|n| n.get(key));
        }
        let Some(map) = node.and_then(Node::as_object) else {
            return Vec::new();
        };
        let top = Loc::Root("");
        map.iter()
            .map(|(name, _)| {
                let mut segments = section.to_vec();
                segments.push(name);
                let reference = format!("#{}", pointer_of(&segments));
                NamedSchema {
                    name: name.to_owned(),
                    schema: self.schema_ref(MAIN, &reference, &top),
                }
            })
            .collect()
    }

    fn declared_tags(&mut self, root: &'s Node<'s>, top: &Loc) -> Vec<Tag> {
        let Some(list) = root.get("tags").and_then(Node::as_array) else {
            return Vec::new();
        };
        let at = top.key("tags");
        let mut tags: Vec<Tag> = Vec::new();
        for (i, tag) in list.iter().enumerate() {
            match tag.get_str("name") {
                Some(name) if !tags.iter().any(|t| t.name == name) => tags.push(Tag {
                    name: name.to_owned(),
                    description: tag.get_str("description").map(str::to_owned),
                }),
                Some(_) => {}
                None => self.warn(&at.index(i), "tag without a name; skipped"),
            }
        }
        tags
    }

    /// Follows `$ref`s from `node` (at most [`MAX_HOPS`]); warns and gives `None` on a dead end.
    pub(crate) fn reach(
        &mut self,
        doc: DocId,
        node: &'s Node<'s>,
        loc: &Loc,
        what: &str,
    ) -> Option<Reached<'s>> {
        let store: &'s Store<'s> = self.store;
        let mut reached = Reached {
            doc,
            node,
            pointer: None,
        };
        for _ in 0..MAX_HOPS {
            let Some(reference) = reached.node.get_str("$ref") else {
                return Some(reached);
            };
            match store.resolve(reached.doc, reference) {
                Ok((target, fragment, node)) => {
                    reached = Reached {
                        doc: target,
                        node,
                        pointer: Some(format!("{}{}", store.docs[target].label, fragment)),
                    };
                }
                Err(err) => {
                    let reason = match err {
                        RefError::File(reason) => reason,
                        RefError::Missing => format!("no such {what}"),
                    };
                    let here = reached.at(*loc);
                    let at = here.key("$ref");
                    self.warn(&at, format!("$ref {reference:?} not followed: {reason}"));
                    return None;
                }
            }
        }
        self.warn(
            loc,
            format!("more than {MAX_HOPS} chained $refs; {what} skipped"),
        );
        None
    }

    fn servers(&mut self, node: Option<&'s Node<'s>>, loc: &Loc) -> Vec<Server> {
        let Some(list) = node.and_then(Node::as_array) else {
            return Vec::new();
        };
        let mut servers = Vec::new();
        for (i, server) in list.iter().enumerate() {
            let Some(url) = server.get_str("url") else {
                self.warn(&loc.index(i), "server without a url; skipped");
                continue;
            };
            let variables = server
                .get("variables")
                .and_then(Node::as_object)
                .map(|vars| {
                    vars.iter()
                        .map(|(name, var)| ServerVariable {
                            name: name.to_owned(),
                            default: var
                                .get("default")
                                .and_then(Node::scalar_text)
                                .unwrap_or_default(),
                            enum_values: var
                                .get("enum")
                                .and_then(Node::as_array)
                                .map(|values| values.iter().filter_map(Node::scalar_text).collect())
                                .unwrap_or_default(),
                            description: var.get_str("description").map(str::to_owned),
                        })
                        .collect()
                })
                .unwrap_or_default();
            servers.push(Server {
                url: url.to_owned(),
                description: server.get_str("description").map(str::to_owned),
                variables,
            });
        }
        servers
    }

    fn security_schemes3(&mut self, root: &'s Node<'s>) -> Vec<SecurityScheme> {
        let Some(map) = root
            .get("components")
            .and_then(|c| c.get("securitySchemes"))
            .and_then(Node::as_object)
        else {
            return Vec::new();
        };
        let top = Loc::Root("");
        let components = top.key("components");
        let at = components.key("securitySchemes");
        let mut schemes = Vec::new();
        for (name, node) in map.iter() {
            let written = at.key(name);
            let Some(reached) = self.reach(MAIN, node, &written, "security scheme") else {
                continue;
            };
            let here = reached.at(written);
            let node = reached.node;
            let text = |key: &str| node.get_str(key).map(str::to_owned);
            let kind = match node.get_str("type").unwrap_or_default() {
                "apiKey" => {
                    let Some(location) = self.location(node.get_str("in"), &here) else {
                        continue;
                    };
                    SecuritySchemeKind::ApiKey {
                        param_name: text("name").unwrap_or_default(),
                        location,
                    }
                }
                "http" => SecuritySchemeKind::Http {
                    scheme: text("scheme").unwrap_or_default().to_ascii_lowercase(),
                    bearer_format: text("bearerFormat"),
                },
                "oauth2" => {
                    let mut flows = Vec::new();
                    if let Some(map) = node.get("flows").and_then(Node::as_object) {
                        for (key, flow) in map.iter() {
                            let kind = match key {
                                "implicit" => OAuthFlowKind::Implicit,
                                "password" => OAuthFlowKind::Password,
                                "clientCredentials" => OAuthFlowKind::ClientCredentials,
                                "authorizationCode" => OAuthFlowKind::AuthorizationCode,
                                _ => continue,
                            };
                            flows.push(oauth_flow(kind, flow));
                        }
                    }
                    SecuritySchemeKind::OAuth2 { flows }
                }
                "openIdConnect" => SecuritySchemeKind::OpenIdConnect {
                    url: text("openIdConnectUrl").unwrap_or_default(),
                },
                "mutualTLS" => SecuritySchemeKind::MutualTls,
                other => {
                    let at = here.key("type");
                    self.warn(&at, format!("unknown security scheme type {other:?}"));
                    SecuritySchemeKind::Other {
                        raw_type: other.to_owned(),
                    }
                }
            };
            schemes.push(SecurityScheme {
                name: name.to_owned(),
                description: text("description"),
                kind,
            });
        }
        schemes
    }

    /// Reads a parameter/API key location; warns and gives `None` for anything else.
    pub(crate) fn location(&mut self, name: Option<&str>, loc: &Loc) -> Option<ParameterLocation> {
        match name {
            Some("path") => Some(ParameterLocation::Path),
            Some("query") => Some(ParameterLocation::Query),
            Some("header") => Some(ParameterLocation::Header),
            Some("cookie") => Some(ParameterLocation::Cookie),
            other => {
                let at = loc.key("in");
                self.warn(
                    &at,
                    format!("unknown parameter location {other:?}; skipped"),
                );
                None
            }
        }
    }

    /// Reads a list of security requirements; `None` when the node is absent.
    pub(crate) fn security(
        &mut self,
        node: Option<&'s Node<'s>>,
        loc: &Loc,
    ) -> Option<Vec<Vec<SecurityRequirement>>> {
        let list = node?.as_array()?;
        let mut alternatives = Vec::new();
        for (i, requirement) in list.iter().enumerate() {
            let Some(map) = requirement.as_object() else {
                continue;
            };
            let mut all = Vec::new();
            for (scheme, scopes) in map.iter() {
                if !self.scheme_names.contains(scheme)
                    && self.undeclared_schemes_warned.insert(scheme.to_owned())
                {
                    let at = loc.index(i);
                    self.warn(&at, format!("security scheme {scheme:?} is not declared"));
                }
                all.push(SecurityRequirement {
                    scheme: scheme.to_owned(),
                    scopes: scopes
                        .as_array()
                        .map(|s| s.iter().filter_map(Node::scalar_text).collect())
                        .unwrap_or_default(),
                });
            }
            alternatives.push(all);
        }
        Some(alternatives)
    }

    fn operations(
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
    fn operation_head(&self, path: &str, method: &str, op: &'s Map<'s>) -> Operation {
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
    fn raw_params(
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
    fn add_missing_path_params(&mut self, operation: &mut Operation, loc: &Loc) {
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

    fn operation3(
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

    fn parameter3(&mut self, param: &RawParam<'s>) -> Option<Parameter> {
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
    fn parameter_schema(&mut self, doc: DocId, node: &'s Map<'s>, here: &Loc) -> Arc<Schema> {
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

    fn content3(&mut self, doc: DocId, node: Option<&'s Node<'s>>, loc: &Loc) -> Vec<MediaType> {
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
    fn media_example(&mut self, doc: DocId, node: &'s Map<'s>, loc: &Loc) -> Option<Value> {
        match node.get("example") {
            Some(example) => Some(example.to_json()),
            None => self.first_example(doc, node.get("examples"), loc),
        }
    }

    fn first_example(
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

pub(crate) fn oauth_flow(kind: OAuthFlowKind, flow: &Node) -> OAuthFlow {
    let text = |key: &str| flow.get_str(key).map(str::to_owned);
    OAuthFlow {
        kind,
        authorization_url: text("authorizationUrl"),
        token_url: text("tokenUrl"),
        refresh_url: text("refreshUrl"),
        scopes: flow
            .get("scopes")
            .and_then(Node::as_object)
            .map(|scopes| {
                scopes
                    .iter()
                    .map(|(name, description)| OAuthScope {
                        name: name.to_owned(),
                        description: description.as_str().unwrap_or_default().to_owned(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
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
