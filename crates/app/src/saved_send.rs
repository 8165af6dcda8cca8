//! Sending a saved request: gather what it inherits (collection and folder settings, the chosen
//! environment, values captured earlier), template it, send it, record it with its secrets
//! masked, and store the values its captures pick out of the response for the next request.
//!
//! Captured values live in memory per collection while the app runs (like Postman's "current
//! value"): they are never written into collection files.

use std::collections::HashMap;
use std::sync::Mutex;

use sextant_model::{
    ApiError, Environment, ErrorCode, FolderSettings, HttpResponse, SavedRequest, SendEvent,
    UndefinedVariable, Variable,
};
use sextant_store::workspace::Workspace;
use sextant_template::{Context, ResolveOptions};

use crate::history::SendMeta;
use crate::App;

/// How much of a response body captures read: JSONPath needs the whole document in memory.
const MAX_CAPTURE_BODY: u64 = 32 * 1024 * 1024;

/// Values captured from responses, per collection (`""` for requests outside any).
#[derive(Default)]
pub(crate) struct RuntimeVariables {
    by_collection: Mutex<HashMap<String, Vec<Variable>>>,
}

impl RuntimeVariables {
    fn get(&self, collection: &str) -> Vec<Variable> {
        self.lock().get(collection).cloned().unwrap_or_default()
    }

    fn set(&self, collection: &str, values: Vec<Variable>) {
        let mut map = self.lock();
        let list = map.entry(collection.to_owned()).or_default();
        for value in values {
            list.retain(|v| v.name != value.name);
            list.push(value);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<Variable>>> {
        self.by_collection.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Everything around a request, read from the workspace.
struct Surroundings {
    globals: Vec<Variable>,
    collection: String,
    chain: Vec<FolderSettings>,
    environment: Option<Environment>,
}

/// The collection a workspace path belongs to: its first segment.
fn collection_of(path: &str) -> &str {
    path.split('/').next().unwrap_or("")
}

fn surroundings(
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
    })
}

impl App {
    async fn surroundings(
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
        let runtime = self.runtime.get(&around.collection);
        let ctx = Context {
            globals: &around.globals,
            chain: &around.chain,
            environment: around.environment.as_ref(),
            runtime: &runtime,
        };
        Ok(sextant_template::undefined(&saved, &ctx))
    }

    /// Templates and sends `saved` (from the file at `path`, if any) in `environment`, records
    /// it in the history with secret values masked, and runs its captures.
    pub async fn send_saved(
        &self,
        request_id: &str,
        path: Option<String>,
        saved: &SavedRequest,
        environment: Option<String>,
        on_event: &(dyn Fn(SendEvent) + Send + Sync),
    ) -> Result<HttpResponse, ApiError> {
        let around = self.surroundings(path, environment).await?;
        let runtime = self.runtime.get(&around.collection);
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
        let meta = SendMeta {
            collection: (!around.collection.is_empty()).then(|| around.collection.clone()),
            secrets: resolved.secret_values,
        };
        let response = self
            .send_request_with(request_id, &resolved.request, &meta, on_event)
            .await?;
        if !saved.captures.is_empty() && response.error.is_none() {
            let captured = self.capture(saved, &response).await;
            self.runtime.set(&around.collection, captured);
        }
        Ok(response)
    }

    async fn capture(&self, saved: &SavedRequest, response: &HttpResponse) -> Vec<Variable> {
        let headers: Vec<(String, String)> = response
            .headers
            .iter()
            .map(|h| (h.name.clone(), h.value.clone()))
            .collect();
        let body = if response.body.size > MAX_CAPTURE_BODY {
            Vec::new()
        } else {
            match self.body_path(&response.id) {
                Ok(path) => tokio::fs::read(path).await.unwrap_or_default(),
                Err(_) => Vec::new(),
            }
        };
        let (values, failures) = sextant_template::capture(&saved.captures, &headers, &body);
        for failure in failures {
            eprintln!(
                "sextant: capture into {{{{{}}}}} failed: {}",
                failure.variable, failure.reason
            );
        }
        values
    }
}
