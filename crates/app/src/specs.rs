//! Imported specs, kept in memory by id while the app runs: the UI gets a light overview first
//! and fetches operations and schemas one at a time, so a 13 MB spec never crosses IPC whole.
//!
//! Opening a spec answers as soon as the document is parsed, with an outline of its operations;
//! the model (every schema resolved) is built behind it on the same thread, which steps back in
//! priority so the window draws the list first; the calls that need the model wait for it. A
//! big spec's operation list is on screen in a fraction of the time its model takes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sextant_model::{ApiError, ErrorCode, RequestSettings};
use sextant_openapi::{
    ApiSpec, Operation, OperationPayload, PayloadTooLarge, SchemaPayload, SpecOverview, SpecReload,
    TryItOptions, TryItRequest,
};
use tokio::sync::{oneshot, watch};

use crate::spec_list::RememberedSpec;
use crate::{App, AppError};

/// The model of an imported spec, or why building it failed; `None` while it is being built.
type Model = Option<Result<Arc<ApiSpec>, ApiError>>;

struct Imported {
    model: watch::Receiver<Model>,
    source: String,
    /// How a URL source is fetched again on reload.
    settings: RequestSettings,
}

#[derive(Default)]
pub(crate) struct Specs {
    by_id: Mutex<HashMap<String, Imported>>,
}

/// What an imported spec's model was built from.
struct Ready {
    spec: Arc<ApiSpec>,
    source: String,
    settings: RequestSettings,
}

fn stopped() -> ApiError {
    ApiError::new(
        ErrorCode::Internal,
        "the spec's import stopped unexpectedly",
    )
}

/// Waits until `model` holds the built model (or its failure).
async fn wait(mut model: watch::Receiver<Model>) -> Result<Arc<ApiSpec>, ApiError> {
    let built = model
        .wait_for(Option::is_some)
        .await
        .map_err(|_| stopped())?;
    built.clone().unwrap_or_else(|| Err(stopped()))
}

impl Specs {
    /// The spec's model, once built.
    async fn ready(&self, spec_id: &str) -> Result<Ready, ApiError> {
        let (model, source, settings) = {
            let by_id = self.by_id.lock().unwrap_or_else(|p| p.into_inner());
            let imported = by_id.get(spec_id).ok_or_else(|| {
                ApiError::new(ErrorCode::NotFound, format!("no imported spec {spec_id}"))
            })?;
            (
                imported.model.clone(),
                imported.source.clone(),
                imported.settings.clone(),
            )
        };
        Ok(Ready {
            spec: wait(model).await?,
            source,
            settings,
        })
    }

    fn insert(&self, spec_id: String, imported: Imported) {
        self.by_id
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(spec_id, imported);
    }
}

/// Lowers the calling thread's scheduling priority (Linux keeps a nice value per thread), so the
/// window's processes come first on a busy machine while this thread goes on.
fn yield_to_the_window() {
    // Best effort: at worst the model is built at normal priority.
    #[cfg(target_os = "linux")]
    let _ = rustix::process::setpriority_process(None, 10);
}

/// What the overview says a spec came from: the URL or path, or "pasted text".
fn shown_source(source: &str) -> &str {
    if crate::openapi::is_pasted_document(source) {
        "pasted text"
    } else {
        source
    }
}

fn find_operation<'a>(spec: &'a ApiSpec, operation_id: &str) -> Result<&'a Operation, ApiError> {
    spec.operations
        .iter()
        .find(|op| op.id == operation_id)
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                format!("the spec has no operation {operation_id}"),
            )
        })
}

fn too_large(error: PayloadTooLarge, what: &str) -> ApiError {
    ApiError::new(
        ErrorCode::TooLarge,
        format!("cannot show the {what}: {error}"),
    )
}

impl App {
    /// Imports a spec from a URL or file and keeps it; returns its outline (see
    /// [`App::open_spec_with`]).
    pub async fn open_spec(&self, source: &str) -> Result<SpecOverview, ApiError> {
        self.open_spec_with(source, RequestSettings::default())
            .await
    }

    /// [`App::open_spec`], fetching a URL with `settings` (kept for reloads). Answers with the
    /// outline (`complete: false`, no warnings) as soon as the document is parsed;
    /// [`App::spec_overview`] waits for the model and gives the whole overview.
    pub async fn open_spec_with(
        &self,
        source: &str,
        settings: RequestSettings,
    ) -> Result<SpecOverview, ApiError> {
        self.open_spec_as(source, settings, None).await
    }

    /// [`App::open_spec_with`], fetching a URL as `fetch_id` so that
    /// [`App::cancel_request`]`(fetch_id)` stops the transfer (the window's Cancel).
    pub async fn open_spec_as(
        &self,
        source: &str,
        settings: RequestSettings,
        fetch_id: Option<&str>,
    ) -> Result<SpecOverview, ApiError> {
        let input = self.spec_input(source, &settings, fetch_id).await?;
        let list_entry = self.spec_list_entry(source, &settings);
        let (outline_tx, outline_rx) = oneshot::channel();
        let (model_tx, model_rx) = watch::channel(None);
        // A thread of its own rather than the blocking pool: it lowers its priority once the
        // outline is out, so building the model does not slow the window drawing the list.
        std::thread::Builder::new()
            .name("spec-import".into())
            .spawn(move || {
                let model = input.parse_staged(|outline| {
                    let name = outline.title.clone();
                    let _ = outline_tx.send(outline);
                    yield_to_the_window();
                    // After the outline is out, before the model: `spec_overview` (which waits
                    // for the model) answers only once the list has it.
                    if let Some((file, spec)) = list_entry {
                        crate::spec_list::remember(&file, RememberedSpec { name, ..spec });
                    }
                });
                let model = model.map(Arc::new).map_err(|e| AppError::from(e).into());
                model_tx.send_replace(Some(model));
            })
            .map_err(|e| {
                ApiError::new(ErrorCode::Internal, format!("cannot start the import: {e}"))
            })?;
        let Ok(mut outline) = outline_rx.await else {
            // No outline: the document did not parse; the model's slot says why.
            return Err(wait(model_rx).await.err().unwrap_or_else(stopped));
        };
        let spec_id = format!("spec-{}", self.next_internal_id());
        outline.spec_id = spec_id.clone();
        outline.source = shown_source(source).to_string();
        self.specs.insert(
            spec_id,
            Imported {
                model: model_rx,
                source: source.to_string(),
                settings,
            },
        );
        Ok(outline)
    }

    /// The whole overview of an imported spec, warnings included, once its model is built.
    pub async fn spec_overview(&self, spec_id: &str) -> Result<SpecOverview, ApiError> {
        let ready = self.specs.ready(spec_id).await?;
        Ok(sextant_openapi::overview(
            &ready.spec,
            spec_id,
            shown_source(&ready.source),
        ))
    }

    /// Imports the spec again from where it came from (a dev server that changed, a file that
    /// was edited), keeps the new one under the same id, and says what changed.
    pub async fn reload_spec(&self, spec_id: &str) -> Result<SpecReload, ApiError> {
        let Ready {
            spec: old,
            source,
            settings,
        } = self.specs.ready(spec_id).await?;
        let new = Arc::new(self.import_openapi_with(&source, &settings).await?);
        let diff = sextant_openapi::diff(&old, &new);
        let overview = sextant_openapi::overview(&new, spec_id, shown_source(&source));
        let (_, model) = watch::channel(Some(Ok(new)));
        self.specs.insert(
            spec_id.to_string(),
            Imported {
                model,
                source,
                settings,
            },
        );
        Ok(SpecReload { overview, diff })
    }

    /// One operation of an imported spec, with its parameters, bodies and responses; schema
    /// nodes used more than once are written once, in the payload's table.
    pub async fn spec_operation(
        &self,
        spec_id: &str,
        operation_id: &str,
    ) -> Result<OperationPayload, ApiError> {
        let ready = self.specs.ready(spec_id).await?;
        let op = find_operation(&ready.spec, operation_id)?;
        sextant_openapi::operation_payload(op)
            .map_err(|e| too_large(e, &format!("operation {operation_id}")))
    }

    /// One named component schema of an imported spec, shared nodes as in
    /// [`App::spec_operation`].
    pub async fn spec_schema(&self, spec_id: &str, name: &str) -> Result<SchemaPayload, ApiError> {
        let ready = self.specs.ready(spec_id).await?;
        let named = ready
            .spec
            .schemas
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::NotFound,
                    format!("the spec has no schema {name}"),
                )
            })?;
        sextant_openapi::schema_payload(&named.schema)
            .map_err(|e| too_large(e, &format!("schema {name}")))
    }

    /// A request prefilled for one operation ("Try it"). Relative servers resolve against the
    /// URL the spec came from; path parameters stay `{{name}}` (their examples are in
    /// `path_params`, for request variables) and credentials come as `auth`.
    pub async fn try_operation(
        &self,
        spec_id: &str,
        operation_id: &str,
        server_url: Option<String>,
    ) -> Result<TryItRequest, ApiError> {
        let Ready { spec, source, .. } = self.specs.ready(spec_id).await?;
        let op = find_operation(&spec, operation_id)?;
        let base = source.starts_with("http://") || source.starts_with("https://");
        let options = TryItOptions {
            server_url,
            base_url_for_relative: base.then_some(source),
            path_params_as_variables: true,
            credentials_as_auth: true,
            defined_variables: Vec::new(),
        };
        Ok(sextant_openapi::request_for(&spec, op, &options))
    }
}

#[cfg(test)]
mod tests {
    use crate::{App, AppConfig};

    /// Row 17 of issue 10: 64 components each using the next one twice. Before payloads, the
    /// window's call wrote 2^32 and more nodes and never answered.
    #[tokio::test]
    async fn shared_subtrees_reach_the_window_as_small_payloads() {
        let dir = tempfile::tempdir().unwrap();
        let app = App::new(AppConfig::new(dir.path())).unwrap();
        let corpus = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/hostile/17-shared-subtrees.yaml"
        );
        let overview = app.open_spec(corpus).await.unwrap();
        let op = app
            .spec_operation(&overview.spec_id, "postTree")
            .await
            .unwrap();
        let json = serde_json::to_string(&op).unwrap();
        assert!(json.len() < 64 * 1024, "{} bytes", json.len());
        assert!(!op.shared.is_empty());
        let schema = app.spec_schema(&overview.spec_id, "L0").await.unwrap();
        let json = serde_json::to_string(&schema).unwrap();
        assert!(json.len() < 64 * 1024, "{} bytes", json.len());
        let missing = app
            .spec_schema(&overview.spec_id, "Nope")
            .await
            .unwrap_err();
        assert_eq!(missing.code, sextant_model::ErrorCode::NotFound);
    }

    /// One operation whose body has more distinct schema nodes than a payload may hold is
    /// refused with the budget named, not sent.
    #[tokio::test]
    async fn an_operation_over_the_payload_budget_is_too_large() {
        let dir = tempfile::tempdir().unwrap();
        let app = App::new(AppConfig::new(dir.path())).unwrap();
        let properties: serde_json::Map<String, serde_json::Value> = (0
            ..=sextant_openapi::MAX_PAYLOAD_NODES)
            .map(|i| (format!("p{i}"), serde_json::json!({})))
            .collect();
        let spec = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "Wide", "version": "1"},
            "paths": {"/wide": {"post": {
                "operationId": "wide",
                "requestBody": {"content": {"application/json": {"schema": {
                    "type": "object", "properties": properties
                }}}},
                "responses": {"200": {"description": "ok"}}
            }}}
        });
        let file = dir.path().join("wide.json");
        std::fs::write(&file, spec.to_string()).unwrap();
        let overview = app.open_spec(file.to_str().unwrap()).await.unwrap();
        let error = app
            .spec_operation(&overview.spec_id, "wide")
            .await
            .unwrap_err();
        assert_eq!(error.code, sextant_model::ErrorCode::TooLarge);
        assert!(
            error
                .message
                .contains(&sextant_openapi::MAX_PAYLOAD_NODES.to_string()),
            "{}",
            error.message
        );
    }
}
