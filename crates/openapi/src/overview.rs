//! A light view of an imported spec for the explorer's sidebar: every operation without its
//! schemas. A GitHub-sized spec's full model is tens of megabytes once shared schemas are written
//! out at each use; the overview is what crosses IPC up front, and operations and schemas are
//! fetched one at a time as the user opens them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{ApiSpec, SecurityScheme, Server, Tag, Warning};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct SpecOverview {
    /// The id the app gave this imported spec.
    pub spec_id: String,
    /// Where it came from: a URL or a file path.
    pub source: String,
    pub title: String,
    /// `"2.0"`, `"3.0.3"`, `"3.1.0"`, ...
    pub version: String,
    pub api_version: String,
    pub description: Option<String>,
    pub servers: Vec<Server>,
    /// The document's security schemes (empty until `complete`).
    pub security_schemes: Vec<SecurityScheme>,
    pub tags: Vec<Tag>,
    pub operations: Vec<OperationSummary>,
    pub schema_names: Vec<String>,
    pub warnings: Vec<Warning>,
    /// False while the full model is still being built: warnings are not known yet, and
    /// schemas from other files may still be added.
    pub complete: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct OperationSummary {
    pub id: String,
    pub method: String,
    pub path: String,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub deprecated: bool,
}

impl OperationSummary {
    /// What the sidebar shows of `op`.
    pub(crate) fn of(op: &crate::Operation) -> OperationSummary {
        OperationSummary {
            id: op.id.clone(),
            method: op.method.clone(),
            path: op.path.clone(),
            summary: op.summary.clone(),
            tags: op.tags.clone(),
            deprecated: op.deprecated,
        }
    }
}

/// The overview of `spec`, as imported from `source` under `spec_id`.
pub fn overview(spec: &ApiSpec, spec_id: &str, source: &str) -> SpecOverview {
    SpecOverview {
        spec_id: spec_id.to_string(),
        source: source.to_string(),
        title: spec.title.clone(),
        version: spec.raw_version.clone(),
        api_version: spec.api_version.clone(),
        description: spec.description.clone(),
        servers: spec.servers.clone(),
        security_schemes: spec.security_schemes.clone(),
        tags: spec.tags.clone(),
        operations: spec.operations.iter().map(OperationSummary::of).collect(),
        schema_names: spec.schemas.iter().map(|s| s.name.clone()).collect(),
        warnings: spec.warnings.clone(),
        complete: true,
    }
}

/// The result of re-importing a spec from its source: the new overview (same id) and what
/// changed since the previous import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct SpecReload {
    pub overview: SpecOverview,
    pub diff: crate::SpecDiff,
}
