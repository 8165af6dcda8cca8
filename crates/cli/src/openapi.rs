//! `sextant openapi inspect` and `diff`: import specs through the command layer, summarise one
//! or compare two.

use std::process::ExitCode;

use anyhow::Result;
use sextant_app::{App, AppConfig};

pub async fn inspect(source: &str, as_json: bool) -> Result<ExitCode> {
    let scratch = tempfile::tempdir()?;
    let mut config = AppConfig::new(scratch.path());
    config.history = false;
    let app = App::new(config).map_err(sextant_model::ApiError::from)?;
    let spec = match app.import_openapi(source).await {
        Ok(spec) => spec,
        Err(e) => {
            eprintln!("sextant: {:?}: {}", e.code, e.message);
            return Ok(ExitCode::from(1));
        }
    };
    let summary = sextant_openapi::summarize(&spec);
    // The process ends right after printing: freeing a big model node by node would only delay
    // the exit (a fifth of the run for GitHub's spec), so the OS takes it back instead.
    let spec = std::mem::ManuallyDrop::new(spec);
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

pub async fn diff(old: &str, new: &str, fail_on_breaking: bool) -> Result<ExitCode> {
    let scratch = tempfile::tempdir()?;
    let mut config = AppConfig::new(scratch.path());
    config.history = false;
    let app = App::new(config).map_err(sextant_model::ApiError::from)?;
    let mut specs = Vec::new();
    for source in [old, new] {
        match app.import_openapi(source).await {
            Ok(spec) => specs.push(spec),
            Err(e) => {
                eprintln!("sextant: {source}: {:?}: {}", e.code, e.message);
                return Ok(ExitCode::from(1));
            }
        }
    }
    let d = sextant_openapi::diff(&specs[0], &specs[1]);
    if d.is_empty() {
        println!("no changes");
        return Ok(ExitCode::SUCCESS);
    }
    for op in &d.added {
        println!("+ {} {}", op.method, op.path);
    }
    for op in &d.removed {
        println!("- {} {}  [breaking]", op.method, op.path);
    }
    for op in &d.changed {
        println!("~ {} {}", op.method, op.path);
        for c in &op.changes {
            let mark = if c.breaking { "  [breaking]" } else { "" };
            println!("    {}{mark}", c.description);
        }
    }
    let breaking = d.breaking_count();
    println!(
        "\n{} added, {} removed, {} changed; {breaking} breaking",
        d.added.len(),
        d.removed.len(),
        d.changed.len()
    );
    Ok(if fail_on_breaking && breaking > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
