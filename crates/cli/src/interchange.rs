//! `sextant import` and `sextant export`: collections in and out of a workspace folder, through
//! the same command layer as the window's Import and Export.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use sextant_app::{App, AppConfig, CodeFormat, CodeOptions};
use sextant_model::{ConversionWarning, ErrorCode, ImportConflict, InterchangeFormat};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ImportFormat {
    Openapi,
    Curl,
    Postman,
    PostmanEnvironment,
    Insomnia,
    Har,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// curl command lines; with --out DIR, a bash script (run.sh) with status checks and
    /// captures through jq.
    Curl,
    Har,
    Postman,
    /// A pytest project sending through httpx to a live server (needs --out).
    Pytest,
    /// A pytest project running a FastAPI app in-process through TestClient (needs --out, --app).
    Testclient,
    /// A pytest project running a Flask app in-process through its test client (needs --out,
    /// --app).
    Flask,
    /// A respx module replaying the latest recorded answer of each request, for testing httpx
    /// clients offline (needs --out; --entries picks history entries instead).
    Respx,
    /// A responses module replaying the latest recorded answer of each request, for testing
    /// requests clients offline (needs --out; --entries picks history entries instead).
    Responses,
    /// A Locust load test (locustfile.py) that runs alone or distributed, one master and N
    /// workers (needs --out).
    Locust,
    /// A k6 load test (script.js; needs --out).
    K6,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// What SOURCE is.
    #[arg(value_enum)]
    pub format: ImportFormat,
    /// A file, a URL (openapi), or `-` for standard input.
    pub source: String,
    /// The workspace folder to write into (a project's `collections/`, say). Default: the
    /// desktop app's workspace.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The collection or folder (relative to the workspace) for a curl request or an
    /// environment.
    #[arg(long, value_name = "PATH")]
    pub into: Option<String>,
    /// When a collection of the same name exists: merge into it (folders matched by name,
    /// requests of the same name updated, nothing deleted, your edits kept).
    #[arg(long, conflicts_with = "as_name")]
    pub merge: bool,
    /// When a collection of the same name exists: import as a new collection with this name.
    #[arg(long = "as", value_name = "NAME")]
    pub as_name: Option<String>,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[arg(value_enum)]
    pub format: ExportFormat,
    /// A request file, folder or collection, relative to the workspace.
    pub path: String,
    /// The workspace folder. Default: the desktop app's workspace.
    #[arg(long, value_name = "DIR")]
    pub workspace: Option<PathBuf>,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE", conflicts_with = "out")]
    pub output: Option<PathBuf>,
    /// Export as code (pytest, testclient, flask, curl, locust, k6): write the project into this folder.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Export as code: the environment whose values become the defaults (default: the
    /// collection's first).
    #[arg(long = "env", value_name = "NAME")]
    pub environment: Option<String>,
    /// testclient, flask: the application as module:attribute (myproject.main:app).
    #[arg(long, value_name = "MODULE:APP")]
    pub app: Option<String>,
    /// respx, responses: replay these history entries (ids as `sextant history` lists them)
    /// instead of the latest answers of the requests under PATH (which is then not read).
    #[arg(long, value_name = "ID,ID", value_delimiter = ',')]
    pub entries: Vec<i64>,
}

fn app(workspace: Option<PathBuf>) -> Result<App> {
    let data_dir = crate::history::data_dir()?;
    let mut config = AppConfig::new(&data_dir);
    config.history = false;
    config.workspace_dir = workspace;
    App::new(config)
        .map_err(sextant_model::ApiError::from)
        .context("cannot start")
}

/// The app with the history shared with the desktop app open: the mock modules replay what it
/// recorded, bodies included while their files are in the desktop app's body store.
fn app_with_history(workspace: Option<PathBuf>) -> Result<App> {
    let mut config = AppConfig::new(crate::history::data_dir()?);
    config.history_source = sextant_app::Source::Cli;
    config.workspace_dir = workspace;
    App::new(config)
        .map_err(sextant_model::ApiError::from)
        .context("cannot start")
}

fn print_warnings(warnings: &[ConversionWarning]) {
    for w in warnings {
        eprintln!("warning: {}: {}", w.location, w.message);
    }
}

pub async fn import(args: ImportArgs) -> Result<ExitCode> {
    let format = match args.format {
        ImportFormat::Openapi => InterchangeFormat::Openapi,
        ImportFormat::Curl => InterchangeFormat::Curl,
        ImportFormat::Postman => InterchangeFormat::Postman,
        ImportFormat::PostmanEnvironment => InterchangeFormat::PostmanEnvironment,
        ImportFormat::Insomnia => InterchangeFormat::Insomnia,
        ImportFormat::Har => InterchangeFormat::Har,
    };
    let is_file = std::path::Path::new(&args.source).is_file();
    let source = if args.source == "-" {
        std::io::read_to_string(std::io::stdin()).context("cannot read standard input")?
    } else if is_file {
        std::fs::canonicalize(&args.source)
            .with_context(|| format!("cannot read {}", args.source))?
            .display()
            .to_string()
    } else if format == InterchangeFormat::Curl
        || args.source.starts_with("http://")
        || args.source.starts_with("https://")
    {
        args.source.clone()
    } else {
        anyhow::bail!("{} is not a file", args.source);
    };
    let app = app(args.out)?;
    let conflict = match (args.merge, args.as_name) {
        (true, _) => Some(ImportConflict::Merge),
        (false, Some(name)) => Some(ImportConflict::Rename { name }),
        (false, None) => None,
    };
    match app
        .import_into_workspace_with(format, source, args.into, conflict)
        .await
    {
        Ok(result) => {
            print_warnings(&result.warnings);
            for path in &result.paths {
                println!("{}", app.workspace_root().join(path).display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("sextant: {:?}: {}", e.code, e.message);
            if e.code == ErrorCode::Conflict && e.message.starts_with("a collection named") {
                eprintln!("sextant: pass --merge, or --as NAME for a new collection");
            }
            Ok(ExitCode::from(2))
        }
    }
}

pub async fn export(args: ExportArgs) -> Result<ExitCode> {
    let code = match args.format {
        ExportFormat::Pytest => Some(CodeFormat::Pytest),
        ExportFormat::Testclient => Some(CodeFormat::TestClient),
        ExportFormat::Flask => Some(CodeFormat::Flask),
        ExportFormat::Curl if args.out.is_some() => Some(CodeFormat::Curl),
        ExportFormat::Respx => Some(CodeFormat::Respx),
        ExportFormat::Responses => Some(CodeFormat::Responses),
        ExportFormat::Locust => Some(CodeFormat::Locust),
        ExportFormat::K6 => Some(CodeFormat::K6),
        _ => None,
    };
    if let Some(code) = code {
        return export_code(args, code).await;
    }
    if args.out.is_some()
        || args.environment.is_some()
        || args.app.is_some()
        || !args.entries.is_empty()
    {
        anyhow::bail!(
            "--out, --env, --app and --entries are for exports as code (pytest, testclient, flask, curl, respx, responses, locust, k6)"
        );
    }
    let format = match args.format {
        ExportFormat::Har => InterchangeFormat::Har,
        ExportFormat::Postman => InterchangeFormat::Postman,
        _ => InterchangeFormat::Curl,
    };
    let app = app(args.workspace)?;
    match app.export_item(Some(args.path), None, format).await {
        Ok(result) => {
            print_warnings(&result.warnings);
            match &args.output {
                Some(file) => std::fs::write(file, &result.text)
                    .with_context(|| format!("cannot write {}", file.display()))?,
                None => println!("{}", result.text),
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("sextant: {:?}: {}", e.code, e.message);
            Ok(ExitCode::from(2))
        }
    }
}

/// `sextant export pytest|testclient|flask|curl PATH --out DIR`: the files are generated, then
/// written; the paths written are printed, warnings go to standard error.
async fn export_code(args: ExportArgs, format: CodeFormat) -> Result<ExitCode> {
    let Some(out) = args.out else {
        anyhow::bail!("an export as code is a folder of files: give it with --out DIR");
    };
    let out = std::path::absolute(&out).with_context(|| format!("cannot use {}", out.display()))?;
    let mocks = matches!(format, CodeFormat::Respx | CodeFormat::Responses);
    if !args.entries.is_empty() && !mocks {
        anyhow::bail!("--entries is for the mock modules (respx, responses)");
    }
    let app = if mocks {
        app_with_history(args.workspace)?
    } else {
        app(args.workspace)?
    };
    let options = CodeOptions {
        environment: args.environment,
        app: args.app,
    };
    let generated = if args.entries.is_empty() {
        app.export_code(args.path, format, options).await
    } else {
        app.export_mocks_from_entries(args.entries, format).await
    };
    let generated = match generated {
        Ok(g) => g,
        Err(e) => {
            eprintln!("sextant: {:?}: {}", e.code, e.message);
            return Ok(ExitCode::from(2));
        }
    };
    print_warnings(&generated.warnings);
    match app.write_code(out, generated.files).await {
        Ok(paths) => {
            for p in paths {
                println!("{}", p.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("sextant: {:?}: {}", e.code, e.message);
            Ok(ExitCode::from(2))
        }
    }
}
