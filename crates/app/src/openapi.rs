//! Importing an API description from a file or from a running server. A URL is fetched through
//! the engine, with the same TLS, proxy and redirect handling as any other request, within
//! budgets (decoded size, total time) so a hostile server cannot exhaust memory, disk or
//! patience, and its body file is deleted once read. Parsing runs on a blocking thread: a 13 MB
//! spec must not stall the runtime that serves the window.

use std::path::PathBuf;

use sextant_engine::SendLimits;
use sextant_model::{ApiError, ErrorCode, HttpRequest, KeyValue, RequestSettings};
use sextant_openapi::{ApiSpec, ImportError, SpecOverview};

use crate::{App, AppError};

/// The most decoded bytes a spec fetch reads (the limit files have too): a gzip bomb stops here.
pub const MAX_SPEC_BYTES: u64 = 256 * 1024 * 1024;

/// The total time a spec fetch gets when its settings set none: an endless body ends.
pub const SPEC_FETCH_TIMEOUT_MS: u32 = 60_000;

/// Deletes a fetched spec's body file when dropped: after the text is read, on every error, and
/// when the fetch's future is dropped (Watch, Reload and import leave nothing in `bodies/`).
struct FetchedBody(PathBuf);

impl Drop for FetchedBody {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A spec's text, once a URL source is fetched: the document itself, or a file to read (whose
/// `$ref`s to other files are followed relative to it).
pub(crate) enum SpecInput {
    Text(String),
    File(PathBuf),
}

impl SpecInput {
    /// Imports it, calling `outline` with the overview as soon as the document is parsed.
    pub(crate) fn parse_staged(
        &self,
        outline: impl FnOnce(SpecOverview),
    ) -> Result<ApiSpec, ImportError> {
        match self {
            SpecInput::Text(text) => sextant_openapi::parse_str_staged(text, outline),
            SpecInput::File(path) => sextant_openapi::parse_file_staged(path, outline),
        }
    }

    fn parse(&self) -> Result<ApiSpec, ImportError> {
        match self {
            SpecInput::Text(text) => sextant_openapi::parse_str(text),
            SpecInput::File(path) => sextant_openapi::parse_file(path),
        }
    }
}

impl App {
    /// Imports the spec at `source`: an `http(s)://` URL, a path to a JSON or YAML file, or the
    /// document itself, pasted (anything that spans lines or starts with `{`).
    pub async fn import_openapi(&self, source: &str) -> Result<ApiSpec, ApiError> {
        self.import_openapi_with(source, &RequestSettings::default())
            .await
    }

    /// [`App::import_openapi`] with the request settings a URL is fetched with (TLS
    /// verification, proxy, timeouts, redirects), as the user chose them.
    pub async fn import_openapi_with(
        &self,
        source: &str,
        settings: &RequestSettings,
    ) -> Result<ApiSpec, ApiError> {
        let input = self.spec_input(source, settings, None).await?;
        let spec = tokio::task::spawn_blocking(move || input.parse())
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        Ok(spec.map_err(AppError::from)?)
    }

    /// The text behind `source`, fetched through the engine when it is a URL: as `fetch_id` when
    /// given (so a cancel can reach it), else under an internal id.
    pub(crate) async fn spec_input(
        &self,
        source: &str,
        settings: &RequestSettings,
        fetch_id: Option<&str>,
    ) -> Result<SpecInput, ApiError> {
        if is_pasted_document(source) {
            return Ok(SpecInput::Text(source.to_string()));
        }
        if !(source.starts_with("http://") || source.starts_with("https://")) {
            return Ok(SpecInput::File(PathBuf::from(source)));
        }
        let mut request = HttpRequest::get(source);
        request.settings = settings.clone();
        request
            .settings
            .timeout_ms
            .get_or_insert(SPEC_FETCH_TIMEOUT_MS);
        request.headers.push(KeyValue::new(
            "Accept",
            "application/json, application/yaml;q=0.9, */*;q=0.5",
        ));
        let request_id = match fetch_id {
            Some(id) => id.to_owned(),
            None => format!("openapi-{}", self.next_internal_id()),
        };
        let limits = SendLimits {
            max_body_bytes: Some(MAX_SPEC_BYTES),
            purpose: "a spec".into(),
            ..SendLimits::default()
        };
        let response = self.send_internal(&request_id, &request, &limits).await?;
        let body = FetchedBody(self.body_path(&response.id)?);
        if let Some(error) = response.error {
            return Err(error);
        }
        if !(200..300).contains(&response.status) {
            return Err(AppError::SpecFetch {
                url: response.url,
                status: response.status,
            }
            .into());
        }
        let text = tokio::fs::read_to_string(&body.0).await.map_err(|e| {
            ApiError::new(
                ErrorCode::InvalidSpec,
                format!("the spec from {source} is not UTF-8 text: {e}"),
            )
        })?;
        Ok(SpecInput::Text(text))
    }
}

/// A source that is the document itself rather than where to find it.
pub(crate) fn is_pasted_document(source: &str) -> bool {
    let trimmed = source.trim_start();
    trimmed.starts_with('{') || source.trim().contains('\n')
}
