//! Builds the [`ApiSpec`] from a parsed document: the parts every version shares, and the
//! OpenAPI 3.x shapes of operations (Swagger 2.0's differ and live in `swagger2.rs`).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::model::{
    ApiSpec, NamedSchema, Schema, Server, ServerVariable, SpecVersion, Tag, Warning,
};
use crate::pointer::{pointer_of, Loc};
use crate::store::{DocId, RefError, Store, MAIN};
use crate::swagger2;
use crate::tree::{Map, Node};

mod operations;
mod outline;
mod security;

pub(crate) use outline::outline;
pub(crate) use security::oauth_flow;

/// The HTTP methods a path item may hold, lowercase as the documents write them.
pub(crate) const METHODS: [&str; 8] = [
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

/// The document's own description of itself.
struct Head {
    title: String,
    description: Option<String>,
    api_version: String,
    servers: Vec<Server>,
}

/// Appends the tags operations use but the document does not declare, in order of first use.
fn add_operation_tags<'t>(tags: &mut Vec<Tag>, used: impl Iterator<Item = &'t Vec<String>>) {
    let mut known: HashSet<String> = tags.iter().map(|t| t.name.clone()).collect();
    for tag in used.flatten() {
        if known.insert(tag.clone()) {
            tags.push(Tag {
                name: tag.clone(),
                description: None,
            });
        }
    }
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
    Ctx::new(store, version, warnings).spec(raw_version)
}

impl<'s> Ctx<'s> {
    fn new(store: &'s Store<'s>, version: SpecVersion, warnings: Vec<Warning>) -> Ctx<'s> {
        Ctx {
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
        }
    }
}

impl<'s> Ctx<'s> {
    pub(crate) fn warn(&mut self, loc: &Loc, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: loc.render(),
            message: message.into(),
        });
    }

    /// What the document says about itself: title, description, version and servers.
    fn head(&mut self) -> Head {
        let store: &'s Store<'s> = self.store;
        let root = &store.docs[MAIN].root;
        let top = Loc::Root("");
        let info = root.get("info");
        let info_text = |key: &str| info.and_then(|i| i.get_str(key)).map(str::to_owned);
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
        Head {
            title: info_text("title").unwrap_or_default(),
            description: info_text("description"),
            api_version: info
                .and_then(|i| i.get("version"))
                .and_then(Node::scalar_text)
                .unwrap_or_default(),
            servers,
        }
    }

    fn spec(&mut self, raw_version: String) -> ApiSpec {
        let store: &'s Store<'s> = self.store;
        let root = &store.docs[MAIN].root;
        let top = Loc::Root("");
        let Head {
            title,
            description,
            api_version,
            servers,
        } = self.head();

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

        add_operation_tags(&mut tags, operations.iter().map(|o| &o.tags));
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

    /// Where the document keeps its named schemas, and the map there if it has one.
    fn schema_section(&self, root: &'s Node<'s>) -> (&'static [&'static str], Option<&'s Map<'s>>) {
        let section: &'static [&'static str] = match self.version {
            SpecVersion::Swagger2 => &["definitions"],
            _ => &["components", "schemas"],
        };
        let mut node = Some(root);
        for key in section {
            node = node.and_then(|n| n.get(key));
        }
        (section, node.and_then(Node::as_object))
    }

    fn component_schemas(&mut self, root: &'s Node<'s>) -> Vec<NamedSchema> {
        let (section, map) = self.schema_section(root);
        let Some(map) = map else {
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
                        RefError::File(reason) => reason.to_string(),
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
}
