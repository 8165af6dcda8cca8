//! Import into the workspace and export out of it, in other tools' formats (curl, Postman v2.1,
//! Insomnia v4, HAR 1.2) and from OpenAPI. The conversions are `sextant-interchange`'s and
//! `sextant-openapi`'s; this module reads the source, writes the result through the store and
//! keeps every warning.
//!
//! Exports never carry secrets in plain text: secret variables stay `{{name}}`, and a literal
//! password, token or API key in a request's auth, or a literal credential header, parameter,
//! form field or URL password (`export_secrets`), becomes a `{{variable}}` with a warning.

use std::io::Read;
use std::path::Path;

use sextant_interchange as ic;
use sextant_model::{
    ApiError, Auth, Collection, CollectionItem, ConversionWarning, ErrorCode, ExportResult,
    FolderSettings, HttpRequest, ImportConflict, ImportResult, InterchangeFormat, SavedRequest,
};
use sextant_store::workspace::Workspace;
use sextant_template::{Context, ResolveOptions, TemplateError};

use crate::{export_secrets, App};

/// The collection that single imported requests (a curl command) go to when no folder is given.
pub const IMPORTED_COLLECTION: &str = "Imported";

fn warnings(list: Vec<ic::Warning>) -> Vec<ConversionWarning> {
    list.into_iter()
        .map(|w| ConversionWarning {
            location: w.location,
            message: w.message,
        })
        .collect()
}

/// The largest file an import reads (a HAR with its responses can be big; nothing real is
/// bigger).
pub const MAX_IMPORT_BYTES: u64 = 256 * 1024 * 1024;

/// `source` is the document itself unless it names an existing file. A file over
/// [`MAX_IMPORT_BYTES`] is refused before it is read.
fn read_source(source: &str) -> Result<String, ApiError> {
    let trimmed = source.trim();
    if !crate::openapi::is_pasted_document(source) && Path::new(trimmed).is_file() {
        let io =
            |e: std::io::Error| ApiError::new(ErrorCode::Io, format!("cannot read {trimmed}: {e}"));
        let file = std::fs::File::open(trimmed).map_err(io)?;
        let mut bytes = Vec::new();
        file.take(MAX_IMPORT_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        if bytes.len() as u64 > MAX_IMPORT_BYTES {
            return Err(ApiError::new(
                ErrorCode::TooLarge,
                format!(
                    "{trimmed} is over Sextant's import limit of {} MiB",
                    MAX_IMPORT_BYTES / (1024 * 1024)
                ),
            ));
        }
        return String::from_utf8(bytes).map_err(|_| {
            ApiError::new(
                ErrorCode::InvalidFile,
                format!("{trimmed} is not UTF-8 text"),
            )
        });
    }
    Ok(source.to_owned())
}

/// Finds or creates the collection for loose imported requests.
fn imported_collection(ws: &Workspace) -> Result<String, ApiError> {
    let existing = ws
        .list_tree()?
        .into_iter()
        .find(|n| n.name == IMPORTED_COLLECTION);
    match existing {
        Some(node) => Ok(node.path),
        None => Ok(ws.create_collection(IMPORTED_COLLECTION)?),
    }
}

/// Writes each collection (or merges it, as `conflict` says: see
/// [`Workspace::import_collections`]); the result names them and what each holds.
fn write_all(
    ws: &Workspace,
    collections: &[Collection],
    conflict: Option<&ImportConflict>,
    warnings: Vec<ConversionWarning>,
) -> Result<ImportResult, ApiError> {
    let written = ws.import_collections(collections, conflict)?;
    Ok(ImportResult {
        paths: written.iter().map(|c| c.path.clone()).collect(),
        collections: written,
        warnings,
    })
}

impl App {
    /// Reads a curl command into a request, without saving it (the URL bar's paste).
    pub fn curl_parse(&self, command: &str) -> Result<SavedRequest, ApiError> {
        Ok(ic::parse_curl(command)?.value)
    }

    /// Imports `source` (the text itself, a file path, or for OpenAPI also a URL) into the
    /// workspace: a collection per imported collection, a request into `parent` (or the
    /// "Imported" collection) for curl, an environment into the `parent` collection. A collection
    /// named like one already there is a `Conflict` and nothing is written (see
    /// [`App::import_into_workspace_with`]).
    pub async fn import_into_workspace(
        &self,
        format: InterchangeFormat,
        source: String,
        parent: Option<String>,
    ) -> Result<ImportResult, ApiError> {
        self.import_into_workspace_with(format, source, parent, None)
            .await
    }

    /// [`App::import_into_workspace`], saying what to do with an imported collection whose name
    /// a collection in the workspace has: merge into it, or write it under another name.
    pub async fn import_into_workspace_with(
        &self,
        format: InterchangeFormat,
        source: String,
        parent: Option<String>,
        conflict: Option<ImportConflict>,
    ) -> Result<ImportResult, ApiError> {
        if format == InterchangeFormat::Openapi {
            let base = (source.starts_with("http://") || source.starts_with("https://"))
                .then(|| source.clone());
            let spec = self.import_openapi(&source).await?;
            let (mut collection, cut) = sextant_openapi::collection_for(&spec, base.as_deref());
            let contract_source = crate::spec_list::reopenable_source(&source);
            sextant_openapi::with_contract_source(&mut collection, contract_source.as_deref());
            let warns: Vec<ConversionWarning> = spec
                .warnings
                .iter()
                .chain(&cut)
                .map(|w| ConversionWarning {
                    location: w.pointer.clone(),
                    message: w.message.clone(),
                })
                .collect();
            return self
                .with_workspace_write(move |ws| {
                    write_all(ws, &[collection], conflict.as_ref(), warns)
                })
                .await;
        }
        let text = tokio::task::spawn_blocking(move || read_source(&source))
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))??;
        self.with_workspace_write(move |ws| {
            import_text(ws, format, &text, parent.as_deref(), conflict.as_ref())
        })
        .await
    }

    /// Exports the request or collection at `path` (or the unsaved `saved`) as `format`.
    pub async fn export_item(
        &self,
        path: Option<String>,
        saved: Option<SavedRequest>,
        format: InterchangeFormat,
    ) -> Result<ExportResult, ApiError> {
        self.with_workspace(move |ws| export(ws, path.as_deref(), saved, format))
            .await
    }
}

fn import_text(
    ws: &Workspace,
    format: InterchangeFormat,
    text: &str,
    parent: Option<&str>,
    conflict: Option<&ImportConflict>,
) -> Result<ImportResult, ApiError> {
    let (paths, warns) = match format {
        InterchangeFormat::Curl => {
            // Strict: a file chosen as a curl command must start with `curl`, and nothing of
            // one that does not is quoted back (it may be a key).
            let imported = ic::import_curl(text)?;
            let folder = match parent {
                Some(p) => p.to_owned(),
                None => imported_collection(ws)?,
            };
            let saved = ws.create_request(&folder, &imported.value)?;
            (vec![saved.path], imported.warnings)
        }
        InterchangeFormat::Postman => {
            let imported = ic::import_postman(text)?;
            return write_all(ws, &[imported.value], conflict, warnings(imported.warnings));
        }
        InterchangeFormat::Insomnia => {
            let imported = ic::import_insomnia(text)?;
            return write_all(ws, &imported.value, conflict, warnings(imported.warnings));
        }
        InterchangeFormat::Har => {
            let imported = ic::import_har(text)?;
            return write_all(ws, &[imported.value], conflict, warnings(imported.warnings));
        }
        InterchangeFormat::PostmanEnvironment => {
            let Some(collection) = parent else {
                return Err(ApiError::new(
                    ErrorCode::InvalidRequest,
                    "choose the collection the environment belongs to",
                ));
            };
            let collection = collection.split('/').next().unwrap_or(collection);
            let imported = ic::import_postman_environment(text)?;
            let saved = ws.create_environment(collection, &imported.value)?;
            (vec![saved.path], imported.warnings)
        }
        InterchangeFormat::Openapi => unreachable!("handled before reading the text"),
    };
    Ok(ImportResult {
        paths,
        collections: Vec::new(),
        warnings: warnings(warns),
    })
}

/// A request with the settings it inherits.
struct Placed {
    saved: SavedRequest,
    chain: Vec<FolderSettings>,
}

fn flatten(items: &[CollectionItem], chain: &mut Vec<FolderSettings>, out: &mut Vec<Placed>) {
    for item in items {
        match item {
            CollectionItem::Request(saved) => out.push(Placed {
                saved: saved.clone(),
                chain: chain.clone(),
            }),
            CollectionItem::Folder(folder) => {
                chain.push(folder.settings.clone());
                flatten(&folder.items, chain, out);
                chain.pop();
            }
        }
    }
}

/// The collection or folder at `path` as a collection of its own (a folder keeps the settings
/// it inherits by carrying them as its own).
pub(crate) fn load_subtree(ws: &Workspace, path: &str) -> Result<Collection, ApiError> {
    let mut parts = path.split('/');
    let root = parts.next().unwrap_or(path);
    let mut collection = ws.load_collection(root)?;
    let mut inherited = vec![collection.settings.clone()];
    let mut items = std::mem::take(&mut collection.items);
    let mut name = collection.name.clone();
    for part in parts.filter(|p| !p.is_empty()) {
        let folder = items.into_iter().find_map(|i| match i {
            CollectionItem::Folder(f) if slug_matches(&f.name, part) => Some(f),
            _ => None,
        });
        let Some(folder) = folder else {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                format!("no folder {path} in the workspace"),
            ));
        };
        inherited.push(folder.settings.clone());
        name = folder.name;
        items = folder.items;
    }
    collection.name = name;
    collection.items = items;
    collection.settings = merge_settings(&inherited);
    Ok(collection)
}

fn slug_matches(name: &str, dir: &str) -> bool {
    sextant_store::workspace::slugify(name) == dir || name == dir
}

/// One set of settings equivalent to a chain (inner wins; headers and variables accumulate).
fn merge_settings(chain: &[FolderSettings]) -> FolderSettings {
    let mut out = FolderSettings::default();
    for s in chain {
        if s.base_url.as_deref().is_some_and(|b| !b.is_empty()) {
            out.base_url = s.base_url.clone();
        }
        out.headers.extend(s.headers.iter().cloned());
        if s.auth != Auth::Inherit {
            out.auth = s.auth.clone();
        }
        out.variables.extend(s.variables.iter().cloned());
    }
    out
}

/// Replaces literal credentials by `{{variables}}`, saying so.
fn strip_literal_secrets(auth: &mut Auth, location: &str, warns: &mut Vec<ConversionWarning>) {
    let mut strip = |value: &mut String, var: &str, what: &str| {
        if !value.is_empty() && !sextant_store::workspace::is_plain_reference(value) {
            *value = format!("{{{{{var}}}}}");
            warns.push(ConversionWarning {
                location: location.to_owned(),
                message: format!(
                    "the {what} was replaced by {{{{{var}}}}}: secrets are never exported in \
                     plain text"
                ),
            });
        }
    };
    match auth {
        Auth::Basic { password, .. } => strip(password, "password", "password"),
        Auth::Bearer { token } => strip(token, "token", "bearer token"),
        Auth::ApiKey { value, .. } => strip(value, "apiKey", "API key"),
        Auth::Digest { password, .. } => strip(password, "password", "digest password"),
        Auth::AwsSigV4 {
            secret_key,
            session_token,
            ..
        } => {
            strip(secret_key, "awsSecretKey", "AWS secret access key");
            strip(session_token, "awsSessionToken", "AWS session token");
        }
        Auth::OAuth2(config) => {
            strip(
                &mut config.client_secret,
                "oauth2ClientSecret",
                "OAuth 2.0 client secret",
            );
            strip(&mut config.password, "oauth2Password", "OAuth 2.0 password");
        }
        Auth::Inherit | Auth::None => {}
    }
}

fn strip_collection_secrets(items: &mut [CollectionItem], warns: &mut Vec<ConversionWarning>) {
    for item in items {
        match item {
            CollectionItem::Request(r) => {
                let location = r.name.clone();
                strip_literal_secrets(&mut r.auth, &location, warns);
                export_secrets::strip_request(&mut r.request, &location, warns);
            }
            CollectionItem::Folder(f) => {
                let location = f.name.clone();
                strip_literal_secrets(&mut f.settings.auth, &location, warns);
                export_secrets::strip_settings(&mut f.settings, &location, warns);
                strip_collection_secrets(&mut f.items, warns);
            }
        }
    }
}

/// The request as it would be sent, secrets left as `{{name}}`; undefined variables stay as
/// written too (an export is not a send). Running out of the templating budget fails the export.
fn rendered(placed: &Placed, warns: &mut Vec<ConversionWarning>) -> Result<HttpRequest, ApiError> {
    let ctx = Context {
        chain: &placed.chain,
        ..Context::default()
    };
    match sextant_template::resolve(&placed.saved, &ctx, &ResolveOptions::default()) {
        Ok(resolved) => Ok(resolved.request),
        Err(e @ TemplateError::TooLarge { .. }) => Err(e.into()),
        Err(TemplateError::Undefined { .. }) => {
            // Fill in what is defined and keep the rest as `{{name}}`: an undefined name marked
            // secret is left as written when secrets are not revealed.
            let mut saved = placed.saved.clone();
            for u in sextant_template::undefined(&placed.saved, &ctx) {
                saved
                    .variables
                    .push(sextant_model::Variable::secret(&u.name, ""));
            }
            let ctx = Context {
                chain: &placed.chain,
                ..Context::default()
            };
            Ok(
                sextant_template::resolve(&saved, &ctx, &ResolveOptions::default())
                    .map(|r| r.request)
                    .unwrap_or_else(|_| placed.saved.request.clone()),
            )
        }
        Err(e) => {
            warns.push(ConversionWarning {
                location: placed.saved.name.clone(),
                message: format!("{e}; exported as written"),
            });
            Ok(placed.saved.request.clone())
        }
    }
}

fn export(
    ws: &Workspace,
    path: Option<&str>,
    saved: Option<SavedRequest>,
    format: InterchangeFormat,
) -> Result<ExportResult, ApiError> {
    let mut warns = Vec::new();
    let is_request = path.is_none_or(|p| p.ends_with(".yaml"));
    let mut collection = if is_request {
        let (saved, chain) = match (saved, path) {
            (Some(saved), Some(p)) => (saved, ws.inherited_settings(p)?),
            (Some(saved), None) => (saved, Vec::new()),
            (None, Some(p)) => (ws.read_request(p)?.request, ws.inherited_settings(p)?),
            (None, None) => {
                return Err(ApiError::new(
                    ErrorCode::InvalidRequest,
                    "nothing to export: give a path or a request",
                ))
            }
        };
        Collection {
            name: saved.name.clone(),
            settings: merge_settings(&chain),
            items: vec![CollectionItem::Request(saved)],
            environments: Vec::new(),
        }
    } else {
        load_subtree(ws, path.unwrap_or_default())?
    };
    let name = collection.name.clone();
    strip_literal_secrets(&mut collection.settings.auth, &name, &mut warns);
    export_secrets::strip_settings(&mut collection.settings, &name, &mut warns);
    strip_collection_secrets(&mut collection.items, &mut warns);

    let text = match format {
        InterchangeFormat::Postman => {
            let exported = ic::export_postman(&collection, &ic::ExportOptions::default());
            warns.extend(warnings(exported.warnings));
            exported.text
        }
        InterchangeFormat::Curl | InterchangeFormat::Har => {
            let mut placed = Vec::new();
            flatten(
                &collection.items,
                &mut vec![collection.settings.clone()],
                &mut placed,
            );
            let requests = placed
                .iter()
                .map(|p| Ok((p.saved.name.clone(), rendered(p, &mut warns)?)))
                .collect::<Result<Vec<(String, HttpRequest)>, ApiError>>()?;
            if format == InterchangeFormat::Curl {
                let single = requests.len() == 1;
                requests
                    .iter()
                    .map(|(name, r)| {
                        let curl = ic::to_curl(r, None);
                        if single {
                            curl
                        } else {
                            format!("# {name}\n{curl}")
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n\n")
            } else {
                let exchanges: Vec<ic::HarExchange> = requests
                    .into_iter()
                    .map(|(_, request)| ic::HarExchange {
                        request,
                        response: None,
                    })
                    .collect();
                ic::export_har(&exchanges)
            }
        }
        other => {
            return Err(ApiError::new(
                ErrorCode::InvalidRequest,
                format!("cannot export as {other:?}: choose curl, HAR or Postman"),
            ))
        }
    };
    Ok(ExportResult {
        text,
        warnings: warns,
    })
}
