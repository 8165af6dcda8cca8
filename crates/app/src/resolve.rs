//! Turning a saved request into the request to send: gather what it inherits (collection and
//! folder settings, the chosen environment, values captured earlier), template it, and vet its
//! body files; after the send, pick out what its captures store for the next request. `send`
//! runs these around the exchange. What captures store is kept by `captured`; which body files
//! may be sent, by `file_access`.

use sextant_model::{
    ApiError, Capture, CaptureSource, Environment, ErrorCode, FolderSettings, HttpRequest,
    HttpResponse, OAuth2Config, SavedRequest, UndefinedVariable, Variable,
};
use sextant_store::workspace::Workspace;
use sextant_template::{CaptureError, CaptureFailure, Context, ResolveOptions, Resolved};

use crate::assertions::Checks;
use crate::captured::collection_of;
use crate::file_access::{self, Place};
use crate::history_ipc::WrittenRequest;
use crate::send::{SendContext, SendMeta};
use crate::App;

/// How much of a response body captures read: JSONPath needs the whole document in memory.
const MAX_CAPTURE_BODY: u64 = 32 * 1024 * 1024;

/// A request ready for the engine, with what its record and its captures need.
pub(crate) struct Prepared {
    pub request: HttpRequest,
    pub meta: SendMeta,
    /// The collection whose runtime values the captures fill (`""`: none); `None` when the
    /// request was sent without a collection context and runs no captures.
    pub captures_for: Option<String>,
    /// The client certificates (mTLS) its collection and folders configure, read.
    pub identities: Vec<sextant_engine::ClientIdentity>,
    /// The OAuth 2.0 sign-in its auth names, resolved: `send` adds the token.
    pub oauth2: Option<OAuth2Config>,
    /// Its enabled assertions, their values templated in the same scope.
    pub checks: Checks,
}

/// Templates the values of `saved`'s enabled assertions in `ctx`.
fn checks(saved: &SavedRequest, ctx: &Context<'_>) -> Checks {
    let (list, secrets) = if saved.assertions.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        sextant_template::assert::prepare(&saved.assertions, ctx, &saved.variables)
    };
    Checks {
        list,
        secrets,
        contract: saved.contract.clone(),
        base: None,
        by_path: false,
    }
}

/// Everything around a request, read from the workspace. A run reads it once per folder and
/// hands the same copy to each of the folder's sends ([`App::prepare_with`]).
#[derive(Debug, Clone)]
pub(crate) struct Surroundings {
    pub(crate) globals: Vec<Variable>,
    pub(crate) collection: String,
    pub(crate) chain: Vec<FolderSettings>,
    pub(crate) environment: Option<Environment>,
    /// The spec the collection's requests name, when already looked up (a run's snapshot,
    /// for contracts matched by path); `None`: look it up at the send.
    pub(crate) collection_spec: Option<Option<String>>,
}

pub(crate) fn surroundings(
    ws: &Workspace,
    path: Option<&str>,
    environment: Option<&str>,
) -> Result<Surroundings, ApiError> {
    let globals = ws.read_globals()?.variables;
    let Some(path) = path else {
        return Ok(Surroundings {
            globals,
            collection: String::new(),
            chain: Vec::new(),
            environment: None,
            collection_spec: None,
        });
    };
    let collection = collection_of(path).to_owned();
    let chain = ws.inherited_settings(path)?;
    let environment = match environment {
        None => None,
        Some(name) => {
            let entry = ws
                .list_environments(&collection)?
                .into_iter()
                .find(|e| e.name == name)
                .ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::NotFound,
                        format!("the collection {collection} has no environment {name}"),
                    )
                })?;
            Some(ws.read_environment(&entry.path)?.environment)
        }
    };
    Ok(Surroundings {
        globals,
        collection,
        chain,
        environment,
        collection_spec: None,
    })
}

impl App {
    pub(crate) async fn surroundings(
        &self,
        path: Option<String>,
        environment: Option<String>,
    ) -> Result<Surroundings, ApiError> {
        self.with_workspace(move |ws| surroundings(ws, path.as_deref(), environment.as_deref()))
            .await
    }

    /// The `{{variables}}` `saved` uses that no scope defines, for the composer to mark.
    pub async fn variables_check(
        &self,
        path: Option<String>,
        saved: SavedRequest,
        environment: Option<String>,
    ) -> Result<Vec<UndefinedVariable>, ApiError> {
        let around = self.surroundings(path, environment).await?;
        let runtime = self.runtime.values(&around.collection);
        let ctx = Context {
            globals: &around.globals,
            chain: &around.chain,
            environment: around.environment.as_ref(),
            runtime: &runtime,
        };
        Ok(sextant_template::undefined(&saved, &ctx))
    }

    /// Templates `saved` (from the file at `path`, if any) in `environment`.
    async fn resolve_saved(
        &self,
        path: Option<String>,
        saved: &SavedRequest,
        environment: Option<String>,
    ) -> Result<(Surroundings, Resolved), ApiError> {
        let around = self.surroundings(path, environment).await?;
        self.resolve_around(around, saved)
    }

    /// Templates `saved` in surroundings already read.
    fn resolve_around(
        &self,
        around: Surroundings,
        saved: &SavedRequest,
    ) -> Result<(Surroundings, Resolved), ApiError> {
        let runtime = self.runtime.values(&around.collection);
        let ctx = Context {
            globals: &around.globals,
            chain: &around.chain,
            environment: around.environment.as_ref(),
            runtime: &runtime,
        };
        let resolved = sextant_template::resolve(
            saved,
            &ctx,
            &ResolveOptions {
                reveal_secrets: true,
            },
        )?;
        Ok((around, resolved))
    }

    /// The OAuth 2.0 sign-in `saved` names in `context` (its own auth or inherited), resolved.
    pub(crate) async fn oauth_config(
        &self,
        saved: &SavedRequest,
        context: &SendContext,
    ) -> Result<Option<OAuth2Config>, ApiError> {
        let (_, resolved) = self
            .resolve_saved(context.path.clone(), saved, context.environment.clone())
            .await?;
        Ok(resolved.oauth2)
    }

    /// Where the body files of a request in `collection` (empty: none) are judged from.
    fn file_place(&self, collection: &str) -> Place<'_> {
        Place {
            workspace: self.workspace_root(),
            base: (!collection.is_empty()).then(|| self.workspace_root().join(collection)),
        }
    }

    /// `saved` as the engine will send it: templated in `context` (none: as composed) with its
    /// body files vetted. Relative body files resolve against the collection folder, and one
    /// outside the workspace or under a hidden folder needs the user's say-so.
    pub(crate) async fn prepare(
        &self,
        saved: &SavedRequest,
        context: Option<SendContext>,
    ) -> Result<Prepared, ApiError> {
        self.prepare_with(saved, context, None).await
    }

    /// [`App::prepare`] with the surroundings of `context` already read (a run's snapshot);
    /// `None` reads them now.
    pub(crate) async fn prepare_with(
        &self,
        saved: &SavedRequest,
        context: Option<SendContext>,
        around: Option<Surroundings>,
    ) -> Result<Prepared, ApiError> {
        let Some(context) = context else {
            let mut request = saved.request.clone();
            file_access::vet(&mut request, &self.file_place(""), &self.file_consent)?;
            return Ok(Prepared {
                request,
                meta: SendMeta {
                    written: Some(WrittenRequest {
                        saved: saved.clone(),
                        path: None,
                        environment: None,
                    }),
                    ..SendMeta::default()
                },
                captures_for: None,
                identities: Vec::new(),
                oauth2: None,
                checks: checks(
                    saved,
                    &Context {
                        globals: &[],
                        chain: &[],
                        environment: None,
                        runtime: &[],
                    },
                ),
            });
        };
        let written = WrittenRequest {
            saved: saved.clone(),
            path: context.path.clone(),
            environment: context.environment.clone(),
        };
        let (around, mut resolved) = match around {
            Some(around) => self.resolve_around(around, saved)?,
            None => {
                self.resolve_saved(context.path, saved, context.environment)
                    .await?
            }
        };
        file_access::vet(
            &mut resolved.request,
            &self.file_place(&around.collection),
            &self.file_consent,
        )?;
        let runtime = self.runtime.values(&around.collection);
        let ctx = Context {
            globals: &around.globals,
            chain: &around.chain,
            environment: around.environment.as_ref(),
            runtime: &runtime,
        };
        let identities = match around.collection.as_str() {
            "" => Vec::new(),
            collection => crate::client_certs::identities(
                &around.chain,
                &self.workspace_root().join(collection),
                &self.file_consent,
                &ctx,
            )?,
        };
        let mut checks = Checks {
            base: (!around.collection.is_empty())
                .then(|| self.workspace_root().join(&around.collection)),
            ..checks(saved, &ctx)
        };
        if checks.contract.is_none() && !around.collection.is_empty() {
            let (method, url) = (&resolved.request.method, &resolved.request.url);
            checks.contract = self
                .contract_by_path(
                    &around.collection,
                    around.collection_spec.clone(),
                    method,
                    url,
                )
                .await;
            checks.by_path = checks.contract.is_some();
        }
        Ok(Prepared {
            request: resolved.request,
            meta: SendMeta {
                collection: (!around.collection.is_empty()).then(|| around.collection.clone()),
                secrets: resolved.secret_values,
                written: Some(written),
                run: None,
            },
            checks,
            captures_for: Some(around.collection),
            identities,
            oauth2: resolved.oauth2,
        })
    }

    /// The canonical body files of `saved` that wait for the user's say-so before
    /// [`App::send`] sends it in `context`, for the window to list with "Allow and send".
    pub async fn body_files_stopped(
        &self,
        saved: &SavedRequest,
        context: Option<SendContext>,
    ) -> Result<Vec<String>, ApiError> {
        let (collection, mut request) = match context {
            None => (String::new(), saved.request.clone()),
            Some(context) => {
                let (around, resolved) = self
                    .resolve_saved(context.path, saved, context.environment)
                    .await?;
                (around.collection, resolved.request)
            }
        };
        Ok(file_access::stopped(
            &mut request,
            &self.file_place(&collection),
            &self.file_consent,
        ))
    }

    /// Remembers that the user allowed each of `files` (absolute paths) to be sent as a body
    /// file; returns their canonical paths.
    pub async fn allow_body_files(&self, files: Vec<String>) -> Result<Vec<String>, ApiError> {
        file_access::allow(&files, &self.file_consent)
    }

    /// The values `saved`'s captures pick out of `response`, and the captures that found none.
    pub(crate) async fn capture(
        &self,
        saved: &SavedRequest,
        response: &HttpResponse,
    ) -> (Vec<Variable>, Vec<CaptureFailure>) {
        let headers: Vec<(String, String)> = response
            .headers
            .iter()
            .map(|h| (h.name.clone(), h.value.clone()))
            .collect();
        if response.body.size > MAX_CAPTURE_BODY {
            // Header captures still run; body ones say why they did not.
            let (body, header): (Vec<Capture>, Vec<Capture>) =
                saved.captures.iter().cloned().partition(|c| {
                    matches!(
                        c.source,
                        CaptureSource::Body { .. } | CaptureSource::Record { .. }
                    )
                });
            let (values, mut failures) = sextant_template::capture(&header, &headers, &[]);
            failures.extend(body.into_iter().map(|c| CaptureFailure {
                variable: c.variable,
                error: CaptureError::BodyTooLarge {
                    size: response.body.size,
                    limit: MAX_CAPTURE_BODY,
                },
            }));
            return (values, failures);
        }
        let body = self
            .engine
            .bodies()
            .read_all(&response.id, MAX_CAPTURE_BODY)
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        let records = crate::stream_records::records_for_captures(
            &saved.captures,
            response.body.content_type.as_deref(),
            &body,
        );
        sextant_template::capture_with_records(&saved.captures, &headers, &body, records.as_deref())
    }
}
