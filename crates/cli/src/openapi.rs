//! `sextant openapi inspect`: import a spec through the command layer and summarise it.

use std::process::ExitCode;

use anyhow::Result;
use sextant_app::{App, AppConfig};

pub async fn inspect(source: &str, as_json: bool) -> Result<ExitCode> {
    let scratch = tempfile::tempdir()?;
    let app = App::new(AppConfig::new(scratch.path())).map_err(sextant_model::ApiError::from)?;
    let spec = match app.import_openapi(source).await {
        Ok(spec) => spec,
        Err(e) => {
            eprintln!("sextant: {:?}: {}", e.code, e.message);
            return Ok(ExitCode::from(1));
        }
    };
    let summary = sextant_openapi::summarize(&spec);
    if as_json {
        let warnings: Vec<_> = summary
            .warnings
            .iter()
            .map(|w| serde_json::json!({ "pointer": w.pointer, "message": w.message }))
            .collect();
        let out = serde_json::json!({
            "version": summary.version,
            "title": spec.title,
            "paths": summary.paths,
            "operations": summary.operations,
            "schemas": summary.schemas,
            "warnings": warnings,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("{} ({})", spec.title, summary.version);
    println!("  paths       {}", summary.paths);
    println!("  operations  {}", summary.operations);
    println!("  schemas     {}", summary.schemas);
    println!("  warnings    {}", summary.warnings.len());
    for w in &summary.warnings {
        println!(
            "    {}: {}",
            if w.pointer.is_empty() {
                "/"
            } else {
                &w.pointer
            },
            w.message
        );
    }
    Ok(ExitCode::SUCCESS)
}
