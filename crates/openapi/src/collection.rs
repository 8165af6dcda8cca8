//! An imported API as a collection the user keeps: one saved request per operation, in a
//! folder per tag, all pointing at `{{baseUrl}}` so that switching environments switches
//! servers. `sextant import openapi --out DIR` and the window's import write it to files.
//!
//! What Try it fills with examples becomes variables here: the server's own `{variables}` become
//! collection variables with their defaults, each path parameter a request variable holding its
//! example, and credentials an [`Auth`] over `{{apiKey}}`/`{{token}}`/`{{clientId}}`-style
//! variables that the collection defines (empty; secret but for the client id) for the user to
//! fill in. An OAuth 2.0 scheme's relative token URL is written over `{{baseUrl}}` when it lies
//! under the server. Every `{{name}}` the collection
//! uses is defined in it, so none is filled from the user's globals: the spec does not get to
//! pick which of them is sent to its server.

use sextant_model::{
    Auth, Collection, CollectionItem, ContractRef, Folder, FolderSettings, SavedRequest, Variable,
};

use crate::example::ExampleBudget;
use crate::model::{ApiSpec, Operation, Warning};
use crate::pointer::pointer_of;
use crate::try_it::oauth::rebase;
use crate::try_it::scope::{needs_defining, references};
use crate::try_it::{request_within, TryItOptions};

/// The variable every request's URL starts with.
pub const BASE_URL_VARIABLE: &str = "baseUrl";

/// Bytes of generated examples a whole import may write: each request has its own budget too,
/// and this one keeps a document of many operations from multiplying it.
const COLLECTION_EXAMPLE_BYTES: usize = 16 * 1024 * 1024;

/// Values (and schema nodes visited) of generated examples a whole import may make.
const COLLECTION_EXAMPLE_NODES: usize = 1_000_000;

/// Builds the collection for `spec`. `base_url_for_relative` resolves a relative server URL
/// (normally the URL the document was fetched from).
pub fn to_collection(spec: &ApiSpec, base_url_for_relative: Option<&str>) -> Collection {
    collection_for(spec, base_url_for_relative).0
}

/// [`to_collection`], with a warning for each operation whose examples were cut short by their
/// budget (pointing at the operation).
pub fn collection_for(
    spec: &ApiSpec,
    base_url_for_relative: Option<&str>,
) -> (Collection, Vec<Warning>) {
    let mut budget = ExampleBudget::new(
        COLLECTION_EXAMPLE_BYTES,
        COLLECTION_EXAMPLE_NODES,
        "for the whole import",
    );
    let mut warnings = Vec::new();
    let mut variables = Vec::new();
    let base_url = base_url(spec, base_url_for_relative, &mut variables);
    variables.insert(0, Variable::new(BASE_URL_VARIABLE, base_url.clone()));

    let options = TryItOptions {
        server_url: Some(format!("{{{{{BASE_URL_VARIABLE}}}}}")),
        base_url_for_relative: None,
        path_params_as_variables: true,
        credentials_as_auth: true,
        defined_variables: variables.iter().map(|v| v.name.clone()).collect(),
    };
    let mut root: Vec<CollectionItem> = Vec::new();
    let mut folders: Vec<Folder> = Vec::new();
    for op in &spec.operations {
        let (mut saved, cut) = saved_request(spec, op, &options, &mut budget, &mut variables);
        rebase(&mut saved.auth, BASE_URL_VARIABLE, &base_url);
        let pointer = pointer_of(&["paths", &op.path, &op.method.to_ascii_lowercase()]);
        warnings.extend(cut.into_iter().map(|message| Warning {
            pointer: pointer.clone(),
            message,
        }));
        match op.tags.first() {
            Some(tag) => match folders.iter_mut().find(|f| &f.name == tag) {
                Some(folder) => folder.items.push(CollectionItem::Request(saved)),
                None => folders.push(Folder {
                    name: tag.clone(),
                    settings: FolderSettings::default(),
                    items: vec![CollectionItem::Request(saved)],
                }),
            },
            None => root.push(CollectionItem::Request(saved)),
        }
    }
    // Folders in the order the document declares its tags.
    folders.sort_by_key(|f| {
        spec.tags
            .iter()
            .position(|t| t.name == f.name)
            .unwrap_or(usize::MAX)
    });
    let mut items: Vec<CollectionItem> = folders.into_iter().map(CollectionItem::Folder).collect();
    items.extend(root);

    define_strays(&mut variables);
    let collection = Collection {
        name: if spec.title.trim().is_empty() {
            "Imported API".into()
        } else {
            spec.title.trim().to_owned()
        },
        settings: FolderSettings {
            variables,
            ..FolderSettings::default()
        },
        items,
        environments: Vec::new(),
    };
    (collection, warnings)
}

/// Points the contract of every request `collection_for` made at the document's `source` (a URL
/// or a file path); `None` (a pasted document, which cannot be read again) drops them.
pub fn with_contract_source(collection: &mut Collection, source: Option<&str>) {
    fn walk(items: &mut [CollectionItem], source: Option<&str>) {
        for item in items {
            match item {
                CollectionItem::Request(saved) => match source {
                    Some(source) => {
                        if let Some(contract) = &mut saved.contract {
                            source.clone_into(&mut contract.spec);
                        }
                    }
                    None => saved.contract = None,
                },
                CollectionItem::Folder(folder) => walk(&mut folder.items, source),
            }
        }
    }
    walk(&mut collection.items, source);
}

fn saved_request(
    spec: &ApiSpec,
    op: &Operation,
    options: &TryItOptions,
    budget: &mut ExampleBudget,
    collection_variables: &mut Vec<Variable>,
) -> (SavedRequest, Vec<String>) {
    let (tried, cut) = request_within(spec, op, options, budget);
    let name = op
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| format!("{} {}", op.method, op.path));
    let mut docs = op.description.clone().unwrap_or_default();
    for note in tried.notes.iter().filter(|n| !n.contains("is relative")) {
        if !docs.is_empty() {
            docs.push_str("\n\n");
        }
        docs.push_str("> ");
        docs.push_str(note);
    }
    let mut saved = SavedRequest::new(name, tried.request);
    saved.auth = tried.auth.unwrap_or_default();
    saved.variables = tried
        .path_params
        .into_iter()
        .map(|(name, value)| Variable::new(name, value))
        .collect();
    // Credentials (secret, or named by the auth, like `clientId`) belong to the collection,
    // filled in once; the rest stays with the request.
    let credentials = auth_references(&saved.auth);
    for variable in tried.variables {
        if !variable.secret && !credentials.contains(&variable.name) {
            saved.variables.push(variable);
        } else if !collection_variables.iter().any(|v| v.name == variable.name) {
            collection_variables.push(variable);
        }
    }
    saved.docs = docs;
    // The spec's location is the caller's to fill in (see [`with_contract_source`]).
    saved.contract = Some(ContractRef {
        spec: String::new(),
        operation: op.id.clone(),
    });
    (saved, cut)
}

/// The names an OAuth 2.0 auth's client and user fields refer to.
fn auth_references(auth: &Auth) -> Vec<String> {
    match auth {
        Auth::OAuth2(config) => [
            &config.client_id,
            &config.client_secret,
            &config.username,
            &config.password,
        ]
        .into_iter()
        .flat_map(|text| references(text))
        .collect(),
        _ => Vec::new(),
    }
}

/// Defines, empty, each name the collection's variables refer to that none of them defines
/// (a server URL's undeclared `{variable}`, a default holding `{{name}}`).
fn define_strays(variables: &mut Vec<Variable>) {
    let mut strays: Vec<String> = Vec::new();
    for name in variables.iter().flat_map(|v| references(&v.value)) {
        if needs_defining(&name)
            && !variables.iter().any(|v| v.name == name)
            && !strays.contains(&name)
        {
            strays.push(name);
        }
    }
    variables.extend(strays.into_iter().map(|name| Variable::new(name, "")));
}

/// The first server's URL, its `{variables}` turned into `{{variables}}` defined with their
/// defaults, resolved against `base` when relative.
fn base_url(spec: &ApiSpec, base: Option<&str>, variables: &mut Vec<Variable>) -> String {
    let Some(server) = spec.servers.first() else {
        return String::new();
    };
    let mut url = String::with_capacity(server.url.len());
    let mut rest = server.url.as_str();
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + len];
        url.push_str(&rest[..open]);
        url.push_str(&format!("{{{{{name}}}}}"));
        if let Some(var) = server.variables.iter().find(|v| v.name == name) {
            if !variables.iter().any(|v| v.name == name) {
                variables.push(Variable::new(name, var.default.clone()));
            }
        }
        rest = &rest[open + len + 1..];
    }
    url.push_str(rest);
    let url = url.trim_end_matches('/').to_owned();
    if url.contains("://") || url.starts_with("{{") {
        return url;
    }
    match base.and_then(|b| url::Url::parse(b).ok()) {
        Some(b) => b
            .join(if url.is_empty() { "/" } else { &url })
            .map(|u| u.as_str().trim_end_matches('/').to_owned())
            .unwrap_or(url),
        None => url,
    }
}
