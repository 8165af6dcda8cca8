//! `sextant run PATH`: a collection, folder or request run as a test suite through the app's
//! runner, for a terminal or a CI job. Results print as they finish (failures as Hurl prints
//! them: the request file, the assertion, expected and actual), reporters write JSON, JUnit XML
//! and an offline HTML page, and the exit status says how it went: 0 every request passed, 1 a
//! request failed (a refused connection is a failed request), 2 the run could not start.

mod report;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Args;
use sextant_app::{App, AppConfig, Source};
use sextant_model::{RunEvent, RunOptions, RunResult, RunSummary};

use crate::output::Style;

pub const EXAMPLES: &str = "\
Examples:
  sextant run 'Shop API' --env local --workspace collections/
  sextant run 'Shop API/checkout' --data users.csv --parallel 4 --retry 2 --retry-interval 500
  sextant run 'Shop API' --tag smoke --exclude-tag slow --bail
  sextant run 'Shop API' --reporter cli,junit,html --out reports/

Exit status: 0 when every request passed, 1 when one failed (an assertion, or no response),
2 when the run could not start (no such path, a bad data file).";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Reporter {
    Cli,
    Json,
    Junit,
    Html,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// A collection, folder or request file, relative to the workspace.
    pub path: String,
    /// The collection's environment.
    #[arg(long, value_name = "NAME")]
    pub env: Option<String>,
    /// A CSV (header row) or JSON (array of objects) file: one iteration per row.
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    #[arg(long, short = 'n', default_value_t = 1, value_name = "N")]
    pub iterations: u32,
    /// Requests sent at once; a folder marked sequential keeps its order.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub parallel: u32,
    /// Send a failed request again up to N times.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub retry: u32,
    #[arg(long, default_value_t = 0, value_name = "MS")]
    pub retry_interval: u32,
    /// A pause after each request.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    pub delay: u32,
    /// Stop at the first failed request.
    #[arg(long)]
    pub bail: bool,
    /// Run only requests with this tag (repeatable).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Skip requests with this tag (repeatable).
    #[arg(long = "exclude-tag", value_name = "TAG")]
    pub exclude_tags: Vec<String>,
    #[arg(long, value_delimiter = ',', default_value = "cli")]
    pub reporter: Vec<Reporter>,
    /// Where the json, junit and html reporters write (report.json, junit.xml, report.html).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out: PathBuf,
    /// The workspace folder. Default: the desktop app's workspace.
    #[arg(long, value_name = "DIR")]
    pub workspace: Option<PathBuf>,
    #[arg(long)]
    pub no_color: bool,
    /// Do not record the run (its requests and its results) in the history.
    #[arg(long)]
    pub no_history: bool,
}

fn app(workspace: Option<PathBuf>, history: bool) -> Result<App> {
    let mut config = AppConfig::new(crate::history::data_dir()?);
    config.history_source = Source::Cli;
    config.history = history;
    config.workspace_dir = workspace;
    App::new(config)
        .map_err(sextant_model::ApiError::from)
        .context("cannot start")
}

fn run_id() -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    format!("cli-{ms}-{}", std::process::id())
}

/// One result as a line: a mark, method, path, status, time.
fn result_line(r: &RunResult, style: Style) -> String {
    let mark = match (&r.skipped, r.passed) {
        (Some(_), _) => style.paint("33", "-"),
        (None, true) => style.paint("32", "✔"),
        (None, false) => style.paint("31", "✘"),
    };
    let status = match (&r.skipped, r.status) {
        (Some(why), _) => format!("skipped: {why}"),
        (None, Some(s)) => s.to_string(),
        (None, None) => r
            .error
            .as_ref()
            .map(|e| format!("{:?}", e.code))
            .unwrap_or_default(),
    };
    let retried = if r.attempts > 1 {
        format!(" ({} attempts)", r.attempts)
    } else {
        String::new()
    };
    format!(
        "{mark} [{}] {} {} {status} {:.0} ms{retried}",
        r.iteration, r.method, r.path, r.duration_ms
    )
}

/// A failed result the way Hurl shows one: where the request is, what it sent, each failed
/// assertion with expected and actual (or why no response came).
pub fn failure_text(r: &RunResult, workspace: &Path, style: Style) -> String {
    let mut out = String::new();
    let file = workspace.join(&r.path);
    if let Some(e) = &r.error {
        out.push_str(&format!(
            "{}: {:?}: {}\n",
            style.paint("1;31", "error"),
            e.code,
            e.message
        ));
    } else {
        out.push_str(&format!(
            "{}: assert failure\n",
            style.paint("1;31", "error")
        ));
    }
    out.push_str(&format!("  --> {}\n", file.display()));
    out.push_str(&format!(
        "   | {} {} (iteration {}{})\n",
        r.method,
        r.url,
        r.iteration,
        r.status
            .map(|s| format!(", status {s}"))
            .unwrap_or_default()
    ));
    for a in r.assertions.iter().filter(|a| !a.passed) {
        out.push_str(&format!("   | assertion {}: {}\n", a.index + 1, a.message));
        out.push_str(&format!("   |   expected: {}\n", a.expected));
        out.push_str(&format!("   |   actual:   {}\n", a.actual));
        if let Some(diff) = &a.diff {
            for line in diff.lines() {
                out.push_str(&format!("   |   {line}\n"));
            }
        }
    }
    out
}

fn summary_line(s: &RunSummary, style: Style) -> String {
    let verdict = if s.failed == 0 {
        style.paint("1;32", "PASSED")
    } else {
        style.paint("1;31", "FAILED")
    };
    format!(
        "{verdict}: {} requests, {} passed, {} failed ({} without a response){} in {:.0} ms",
        s.total,
        s.passed,
        s.failed,
        s.errors,
        if s.stopped { ", stopped early" } else { "" },
        s.duration_ms
    )
}

pub async fn run(args: RunArgs) -> Result<ExitCode> {
    let app = match app(args.workspace.clone(), !args.no_history) {
        Ok(app) => Arc::new(app),
        Err(e) => {
            eprintln!("sextant: {e:#}");
            return Ok(ExitCode::from(2));
        }
    };
    let style = Style {
        color: std::io::stdout().is_terminal()
            && !args.no_color
            && std::env::var_os("NO_COLOR").is_none(),
    };
    let data = args.data.as_ref().map(|file| {
        std::path::absolute(file)
            .unwrap_or_else(|_| file.clone())
            .display()
            .to_string()
    });
    let options = RunOptions {
        environment: args.env.clone(),
        data,
        iterations: args.iterations.max(1),
        delay_ms: args.delay,
        bail: args.bail,
        retries: args.retry,
        retry_interval_ms: args.retry_interval,
        parallel: args.parallel.max(1),
        include_tags: args.tags.clone(),
        exclude_tags: args.exclude_tags.clone(),
        only: Vec::new(),
    };
    let live = args.reporter.contains(&Reporter::Cli);
    let on_event = Arc::new(move |event: RunEvent| {
        if let (true, RunEvent::RequestFinished { result }) = (live, &event) {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{}", result_line(result, style));
        }
    });
    let id = run_id();
    let interrupt = {
        let app = Arc::clone(&app);
        let id = id.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                app.cancel_run(&id);
            }
        })
    };
    let outcome = app.run_typed(&id, &args.path, options, on_event).await;
    interrupt.abort();
    let summary = match outcome {
        Ok(summary) => summary,
        Err(e) => {
            eprintln!(
                "sextant: cannot run {}: {:?}: {}",
                args.path, e.code, e.message
            );
            return Ok(ExitCode::from(2));
        }
    };
    if live {
        let mut err = std::io::stderr().lock();
        for r in summary.results.iter().filter(|r| !r.passed) {
            writeln!(err, "\n{}", failure_text(r, app.workspace_root(), style))?;
        }
        println!("{}", summary_line(&summary, style));
    }
    let wants_files = args
        .reporter
        .iter()
        .any(|r| matches!(r, Reporter::Json | Reporter::Junit | Reporter::Html));
    if wants_files {
        std::fs::create_dir_all(&args.out)
            .with_context(|| format!("cannot create {}", args.out.display()))?;
    }
    let title = format!("sextant run {}", args.path);
    for reporter in &args.reporter {
        let (name, text) = match reporter {
            Reporter::Cli => continue,
            Reporter::Json => ("report.json", serde_json::to_string_pretty(&summary)?),
            Reporter::Junit => ("junit.xml", report::junit(&title, &summary)),
            Reporter::Html => (
                "report.html",
                report::html(&title, &summary, app.workspace_root()),
            ),
        };
        let file = args.out.join(name);
        std::fs::write(&file, text).with_context(|| format!("cannot write {}", file.display()))?;
        if live {
            println!("{} written", file.display());
        }
    }
    Ok(ExitCode::from(if summary.failed == 0 { 0 } else { 1 }))
}
