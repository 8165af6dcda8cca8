//! The Swagger 2.0 structures that OpenAPI 3 replaced, mapped onto the same model.
//!
//! * `host` + `basePath` + `schemes` → servers.
//! * `in: body` → a request body, once per `consumes` media type (default `application/json`).
//! * `in: formData` → one object-schema request body: `multipart/form-data` when a parameter is
//!   a file (or only multipart is consumed), `application/x-www-form-urlencoded` otherwise.
//! * Other parameters describe their value inline (`type`, `items`, ...): read as schemas, with
//!   `collectionFormat` turned into 3.x `style`/`explode`.
//! * Response `schema` + `produces` → one media type per produced type; `examples` by media type.
//! * `securityDefinitions` → security schemes (`basic` is HTTP basic; oauth2 flow names mapped).

use std::sync::Arc;

use serde_json::Value;

use crate::build::{oauth_flow, Ctx, RawParam};
use crate::model::{
    MediaType, OAuthFlowKind, Operation, Parameter, ParameterLocation, Property, RequestBodySpec,
    ResponseSpec, Schema, SecurityScheme, SecuritySchemeKind, Server,
};
use crate::pointer::Loc;
use crate::store::DocId;
use crate::tree::{Map, Node};

const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";
const JSON: &str = "application/json";

/// `scheme://host/basePath` for each scheme; a relative `basePath` when there is no host.
pub(crate) fn servers(root: &Node) -> Vec<Server> {
    let base_path = root.get_str("basePath").unwrap_or("");
    let base_path = base_path.trim_end_matches('/');
    let Some(host) = root.get_str("host").filter(|h| !h.is_empty()) else {
        let url = if base_path.is_empty() { "/" } else { base_path };
        return vec![server(url.to_owned())];
    };
    let mut schemes: Vec<&str> = root
        .get("schemes")
        .and_then(Node::as_array)
        .map(|s| s.iter().filter_map(Node::as_str).collect())
        .unwrap_or_default();
    if schemes.is_empty() {
        // The spec says "the scheme the document was fetched with": unknown here, so guess
        // from the host.
        let local = ["localhost", "127.", "[::1]", "0.0.0.0"]
            .iter()
            .any(|prefix| host.starts_with(prefix));
        schemes.push(if local { "http" } else { "https" });
    }
    schemes
        .into_iter()
        .filter(|s| matches!(*s, "http" | "https" | "ws" | "wss"))
        .map(|scheme| server(format!("{scheme}://{host}{base_path}")))
        .collect()
}

fn server(url: String) -> Server {
    Server {
        url,
        description: None,
        variables: Vec::new(),
    }
}

/// A media type list (`consumes`/`produces`), if the node is one.
fn media_list(node: Option<&Node>) -> Option<Vec<String>> {
    let list: Vec<String> = node?
        .as_array()?
        .iter()
        .filter_map(Node::as_str)
        .map(str::to_owned)
        .collect();
    Some(list)
}

impl<'s> Ctx<'s> {
    pub(crate) fn security_schemes2(&mut self, root: &'s Node<'s>) -> Vec<SecurityScheme> {
        let Some(map) = root.get("securityDefinitions").and_then(Node::as_object) else {
            return Vec::new();
        };
        let top = Loc::Root("");
        let at = top.key("securityDefinitions");
        let mut schemes = Vec::new();
        for (name, node) in map.iter() {
            let here = at.key(name);
            let text = |key: &str| node.get_str(key).map(str::to_owned);
            let kind = match node.get_str("type").unwrap_or_default() {
                "basic" => SecuritySchemeKind::Http {
                    scheme: "basic".to_owned(),
                    bearer_format: None,
                },
                "apiKey" => {
                    let Some(location) = self.location(node.get_str("in"), &here) else {
                        continue;
                    };
                    SecuritySchemeKind::ApiKey {
                        param_name: text("name").unwrap_or_default(),
                        location,
                    }
                }
                "oauth2" => {
                    let kind = match node.get_str("flow").unwrap_or_default() {
                        "implicit" => OAuthFlowKind::Implicit,
                        "password" => OAuthFlowKind::Password,
                        "application" => OAuthFlowKind::ClientCredentials,
                        "accessCode" => OAuthFlowKind::AuthorizationCode,
                        other => {
                            let flow_at = here.key("flow");
                            self.warn(&flow_at, format!("unknown OAuth2 flow {other:?}"));
                            continue;
                        }
                    };
                    SecuritySchemeKind::OAuth2 {
                        flows: vec![oauth_flow(kind, node)],
                    }
                }
                other => {
                    let type_at = here.key("type");
                    self.warn(&type_at, format!("unknown security scheme type {other:?}"));
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

    pub(crate) fn operation2(
        &mut self,
        root: &'s Node<'s>,
        doc: DocId,
        op: &'s Map<'s>,
        op_at: &Loc,
        params: Vec<RawParam<'s>>,
        operation: &mut Operation,
    ) {
        let consumes = media_list(op.get("consumes"))
            .or_else(|| media_list(root.get("consumes")))
            .filter(|list| !list.is_empty())
            .unwrap_or_else(|| vec![JSON.to_owned()]);
        let produces = media_list(op.get("produces"))
            .or_else(|| media_list(root.get("produces")))
            .filter(|list| !list.is_empty())
            .unwrap_or_else(|| vec![JSON.to_owned()]);

        let mut body: Option<RequestBodySpec> = None;
        let mut form: Vec<(Property, bool)> = Vec::new();
        let mut form_has_file = false;
        for param in params {
            let here = Loc::Root(&param.pointer);
            match param.location {
                "body" => {
                    if body.is_some() {
                        self.warn(
                            &here,
                            "more than one body parameter; only the first is used",
                        );
                        continue;
                    }
                    let schema = match param.node.get("schema") {
                        Some(schema) => {
                            let at = here.key("schema");
                            self.schema(param.doc, schema, &at)
                        }
                        None => Arc::new(Schema::default()),
                    };
                    let example = param.node.get("x-example").map(Node::to_json);
                    body = Some(RequestBodySpec {
                        required: flag(param.node, "required"),
                        description: text(param.node, "description"),
                        content: consumes
                            .iter()
                            .map(|media_type| MediaType {
                                media_type: media_type.clone(),
                                schema: schema.clone(),
                                example: example.clone(),
                            })
                            .collect(),
                    });
                }
                "formData" => {
                    form_has_file |= param.node.get_str("type") == Some("file");
                    let schema = self.inline_schema(param.doc, param.node, &here, true);
                    let property = Property {
                        name: param.name.to_owned(),
                        schema,
                    };
                    form.push((property, flag(param.node, "required")));
                }
                other => {
                    let Some(location) = self.location(Some(other), &here) else {
                        continue;
                    };
                    operation
                        .parameters
                        .push(self.parameter2(&param, location, &here));
                }
            }
        }
        if body.is_some() && !form.is_empty() {
            self.warn(
                op_at,
                "both body and formData parameters; the formData ones are ignored",
            );
        } else if !form.is_empty() {
            let multipart = form_has_file
                || (consumes.iter().any(|m| m == MULTIPART) && !consumes.iter().any(|m| m == FORM));
            let required = form.iter().filter(|(_, r)| *r).map(|(p, _)| p.name.clone());
            let schema = Schema {
                types: vec!["object".to_owned()],
                required: required.collect(),
                properties: form.into_iter().map(|(p, _)| p).collect(),
                ..Schema::default()
            };
            body = Some(RequestBodySpec {
                required: !schema.required.is_empty(),
                description: None,
                content: vec![MediaType {
                    media_type: if multipart { MULTIPART } else { FORM }.to_owned(),
                    schema: Arc::new(schema),
                    example: None,
                }],
            });
        }
        operation.request_body = body;

        if let Some(responses) = op.get("responses").and_then(Node::as_object) {
            let at = op_at.key("responses");
            for (status, node) in responses.iter() {
                let written = at.key(status);
                let Some(reached) = self.reach(doc, node, &written, "response") else {
                    continue;
                };
                let here = reached.at(written);
                let response = reached.node;
                let mut content = Vec::new();
                if let Some(schema) = response.get("schema") {
                    let schema_at = here.key("schema");
                    let schema = self.schema(reached.doc, schema, &schema_at);
                    let examples = response.get("examples");
                    content = produces
                        .iter()
                        .map(|media_type| MediaType {
                            media_type: media_type.clone(),
                            schema: schema.clone(),
                            example: examples.and_then(|e| e.get(media_type)).map(Node::to_json),
                        })
                        .collect();
                }
                let headers = self.headers(reached.doc, response.get("headers"), &here);
                operation.responses.push(ResponseSpec {
                    status: status.to_owned(),
                    description: response
                        .get_str("description")
                        .unwrap_or_default()
                        .to_owned(),
                    headers,
                    content,
                });
            }
        }
    }

    fn parameter2(
        &mut self,
        param: &RawParam<'s>,
        location: ParameterLocation,
        here: &Loc,
    ) -> Parameter {
        let node = param.node;
        let schema = self.inline_schema(param.doc, node, here, false);
        let (style, explode) = if schema.types.iter().any(|t| t == "array") {
            collection_format(node.get_str("collectionFormat").unwrap_or("csv"), location)
        } else {
            (None, None)
        };
        Parameter {
            name: param.name.to_owned(),
            location,
            required: location == ParameterLocation::Path || flag(node, "required"),
            description: text(node, "description"),
            deprecated: flag(node, "deprecated"),
            schema,
            example: node.get("x-example").map(Node::to_json),
            style,
            explode,
        }
    }

    /// The schema a 2.0 non-body parameter describes inline (`type`, `format`, `items`, ...).
    fn inline_schema(
        &mut self,
        doc: DocId,
        node: &'s Map<'s>,
        here: &Loc,
        keep_description: bool,
    ) -> Arc<Schema> {
        let mut schema = Arc::unwrap_or_clone(self.schema_from_map(doc, node, here));
        if !keep_description {
            schema.description = None;
        }
        if let Some(example) = node.get("x-example") {
            let example: Value = example.to_json();
            if !schema.examples.contains(&example) {
                schema.examples.push(example);
            }
        }
        Arc::new(schema)
    }
}

/// 2.0 `collectionFormat` → 3.x `style` and `explode`.
fn collection_format(format: &str, location: ParameterLocation) -> (Option<String>, Option<bool>) {
    let simple_or_form = match location {
        ParameterLocation::Query | ParameterLocation::Cookie => "form",
        _ => "simple",
    };
    let (style, explode) = match format {
        "multi" => ("form", true),
        "ssv" => ("spaceDelimited", false),
        "pipes" => ("pipeDelimited", false),
        "tsv" => ("tabDelimited", false),
        _ => (simple_or_form, false),
    };
    (Some(style.to_owned()), Some(explode))
}

fn text(node: &Map, key: &str) -> Option<String> {
    node.get(key).and_then(Node::as_str).map(str::to_owned)
}

fn flag(node: &Map, key: &str) -> bool {
    node.get(key).and_then(Node::as_bool).unwrap_or(false)
}
