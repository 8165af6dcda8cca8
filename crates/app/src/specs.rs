//! Imported specs, kept in memory by id while the app runs: the UI gets a light overview first
//! and fetches operations and schemas one at a time, so a 13 MB spec never crosses IPC whole.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sextant_model::{ApiError, ErrorCode, RequestSettings};
use sextant_openapi::{
    ApiSpec, Operation, Schema, SpecOverview, SpecReload, TryItOptions, TryItRequest,
};

use crate::App;

struct Imported {
    spec: Arc<ApiSpec>,
    source: String,
    /// How a URL source is fetched again on reload.
    settings: RequestSettings,
}

#[derive(Default)]
pub(crate) struct Specs {
    by_id: Mutex<HashMap<String, Imported>>,
}

impl Specs {
    fn get(&self, spec_id: &str) -> Result<(Arc<ApiSpec>, String), ApiError> {
        self.get_with_settings(spec_id)
            .map(|(spec, source, _)| (spec, source))
    }

    fn get_with_settings(
        &self,
        spec_id: &str,
    ) -> Result<(Arc<ApiSpec>, String, RequestSettings), ApiError> {
        self.by_id
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(spec_id)
            .map(|i| (Arc::clone(&i.spec), i.source.clone(), i.settings.clone()))
            .ok_or_else(|| {
                ApiError::new(ErrorCode::NotFound, format!("no imported spec {spec_id}"))
            })
    }
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

impl App {
    /// Imports a spec from a URL or file and keeps it; returns its overview.
    pub async fn open_spec(&self, source: &str) -> Result<SpecOverview, ApiError> {
        self.open_spec_with(source, RequestSettings::default())
            .await
    }

    /// [`App::open_spec`], fetching a URL with `settings` (kept for reloads).
    pub async fn open_spec_with(
        &self,
        source: &str,
        settings: RequestSettings,
    ) -> Result<SpecOverview, ApiError> {
        let spec = self.import_openapi_with(source, &settings).await?;
        let spec_id = format!("spec-{}", self.next_internal_id());
        let overview = sextant_openapi::overview(&spec, &spec_id, shown_source(source));
        self.specs
            .by_id
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(
                spec_id,
                Imported {
                    spec: Arc::new(spec),
                    source: source.to_string(),
                    settings,
                },
            );
        Ok(overview)
    }

    /// Imports the spec again from where it came from (a dev server that changed, a file that
    /// was edited), keeps the new one under the same id, and says what changed.
    pub async fn reload_spec(&self, spec_id: &str) -> Result<SpecReload, ApiError> {
        let (old, source, settings) = self.specs.get_with_settings(spec_id)?;
        let new = self.import_openapi_with(&source, &settings).await?;
        let diff = sextant_openapi::diff(&old, &new);
        let overview = sextant_openapi::overview(&new, spec_id, shown_source(&source));
        self.specs
            .by_id
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(
                spec_id.to_string(),
                Imported {
                    spec: Arc::new(new),
                    source,
                    settings,
                },
            );
        Ok(SpecReload { overview, diff })
    }

    /// One operation of an imported spec, with its parameters, bodies and responses.
    pub fn spec_operation(&self, spec_id: &str, operation_id: &str) -> Result<Operation, ApiError> {
        let (spec, _) = self.specs.get(spec_id)?;
        find_operation(&spec, operation_id).cloned()
    }

    /// One named component schema of an imported spec.
    pub fn spec_schema(&self, spec_id: &str, name: &str) -> Result<Schema, ApiError> {
        let (spec, _) = self.specs.get(spec_id)?;
        spec.schemas
            .iter()
            .find(|s| s.name == name)
            .map(|s| (*s.schema).clone())
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::NotFound,
                    format!("the spec has no schema {name}"),
                )
            })
    }

    /// A request prefilled for one operation ("Try it"). Relative servers resolve against the
    /// URL the spec came from; path parameters stay `{{name}}` (their examples are in
    /// `path_params`, for request variables) and credentials come as `auth`.
    pub fn try_operation(
        &self,
        spec_id: &str,
        operation_id: &str,
        server_url: Option<String>,
    ) -> Result<TryItRequest, ApiError> {
        let (spec, source) = self.specs.get(spec_id)?;
        let op = find_operation(&spec, operation_id)?;
        let base = source.starts_with("http://") || source.starts_with("https://");
        let options = TryItOptions {
            server_url,
            base_url_for_relative: base.then_some(source),
            path_params_as_variables: true,
            credentials_as_auth: true,
        };
        Ok(sextant_openapi::request_for(&spec, op, &options))
    }
}
