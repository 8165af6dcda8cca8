//! `sextant`: the command-line face of Sextant. It builds an `HttpRequest` from the command line
//! and sends it through the same command layer (`sextant-app`) and engine as the desktop app.

mod args;
mod auth;
mod follow;
mod history;
mod interchange;
mod openapi;
mod output;
mod records;
mod run;
mod send_saved;
mod signin;
mod ws;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Parser;
use sextant_app::{App, AppConfig, SendContext, Source};
use sextant_model::{ErrorCode, SendEvent};

use args::{Cli, Command, SendArgs};
use output::Style;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("sextant: cannot start: {e}");
            return ExitCode::from(1);
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Send(args) => send(args).await,
            Command::Openapi(args::OpenapiCommand::Inspect { source, json }) => {
                openapi::inspect(&source, json).await
            }
            Command::Openapi(args::OpenapiCommand::Diff {
                old,
                new,
                fail_on_breaking,
            }) => openapi::diff(&old, &new, fail_on_breaking).await,
            Command::History(args) => history::run(args).await,
            Command::Import(args) => interchange::import(args).await,
            Command::Export(args) => interchange::export(args).await,
            Command::Auth(command) => signin::run(command).await,
            Command::Ws(args) => ws::run(args).await,
            // On a worker, beside the connection tasks it wakes, not on the blocked main thread.
            Command::Run(args) => match tokio::spawn(run::run(args)).await {
                Ok(done) => done,
                Err(e) => Err(anyhow::anyhow!("the run stopped: {e}")),
            },
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("sextant: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// With --output the body is stored next to its destination, so saving it is a rename.
fn scratch_dir(args: &SendArgs) -> Result<tempfile::TempDir> {
    match args
        .output
        .as_deref()
        .map(|d| d.parent().unwrap_or(Path::new(".")))
    {
        Some(parent) => tempfile::tempdir_in(if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        }),
        None => tempfile::tempdir(),
    }
    .context("cannot create a temporary directory")
}

/// What `sextant send` sends: a request typed on the command line, or a saved one.
enum Target {
    Typed(Box<sextant_model::HttpRequest>),
    Saved(Box<send_saved::Saved>),
}

async fn send(args: SendArgs) -> Result<ExitCode> {
    let located = match send_saved::locate(&args).await {
        Ok(located) => located,
        Err(e) => {
            eprintln!("sextant: {e:#}");
            return Ok(ExitCode::from(2));
        }
    };
    let (app, target, _scratch) = match located {
        Some((app, saved)) => (Arc::new(app), Target::Saved(Box::new(saved)), None),
        None => {
            let request = args.to_request()?;
            let scratch = scratch_dir(&args)?;
            // Bodies go to the scratch directory and are gone when the command ends, so the
            // history (shared with the desktop app) records their leading text but no file path.
            let mut config = AppConfig::new(scratch.path());
            config.history = !args.no_history;
            config.history_source = Source::Cli;
            if config.history {
                config.history_db = Some(history::database()?);
            }
            let app = Arc::new(App::new(config).map_err(sextant_model::ApiError::from)?);
            (app, Target::Typed(Box::new(request)), Some(scratch))
        }
    };

    let stdout = std::io::stdout();
    let tty = stdout.is_terminal();
    let style = Style {
        color: tty && !args.no_color && std::env::var_os("NO_COLOR").is_none(),
    };
    let err_style = Style {
        color: std::io::stderr().is_terminal()
            && !args.no_color
            && std::env::var_os("NO_COLOR").is_none(),
    };
    let verbose = args.verbose;
    // Without --output the body is printed as it arrives when it should be (see `follow`).
    let follower = args.output.is_none().then(|| {
        follow::Follower::start(
            Arc::clone(&app),
            follow::Plan {
                tty,
                body_only: args.body_only,
                style,
            },
        )
    });
    let to_follower = std::sync::Mutex::new(follower.as_ref().map(|f| f.tx.clone()));
    let on_event = move |event: SendEvent| {
        if let (true, SendEvent::Redirect { hop }) = (verbose, &event) {
            let _ = output::hop(&mut std::io::stderr(), hop, err_style);
        }
        if let Some(tx) = to_follower
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
        {
            let _ = tx.send(follow::Msg::Event(event));
        }
    };

    // The Ctrl+C listener is registered when first polled: that happens here, before the request
    // starts, so an interrupt from then on cancels it instead of killing the process.
    let mut ctrl_c = Box::pin(tokio::signal::ctrl_c());
    let first = std::future::Future::poll(
        ctrl_c.as_mut(),
        &mut std::task::Context::from_waker(std::task::Waker::noop()),
    );
    let interrupt = {
        let app = Arc::clone(&app);
        tokio::spawn(async move {
            let caught = match first {
                std::task::Poll::Ready(caught) => caught,
                std::task::Poll::Pending => ctrl_c.await,
            };
            if caught.is_ok() {
                app.cancel_request("cli");
            }
        })
    };
    let sent = match &target {
        Target::Typed(request) => app.send_request("cli", request, &on_event).await,
        Target::Saved(saved) => {
            let context = SendContext::new(Some(saved.path.clone()), args.env.clone());
            app.send("cli", &saved.request, Some(context), &on_event)
                .await
        }
    };
    let saved = match &target {
        Target::Saved(saved) => Some(saved),
        Target::Typed(_) => None,
    };
    interrupt.abort();
    let printed = match follower {
        Some(f) => f.join(sent.as_ref().ok().map(|r| r.body.size))?,
        None => false,
    };
    let response = match sent {
        Ok(r) => r,
        Err(e) => {
            eprintln!("sextant: {:?}: {}", e.code, e.message);
            return Ok(ExitCode::from(if e.code == ErrorCode::Cancelled {
                130
            } else {
                2
            }));
        }
    };

    let body_path = app.body_path(&response.id)?;
    let mut out = stdout.lock();
    // When `printed`, the head and body went out as they arrived.
    if !printed && !args.body_only {
        output::status_line(&mut out, &response, style)?;
        output::headers(&mut out, &response, style)?;
    }
    if let Some(dest) = &args.output {
        // A saved request's body stays where the history points at it.
        let moved = saved.is_none() && std::fs::rename(&body_path, dest).is_ok();
        (if moved {
            Ok(())
        } else {
            std::fs::copy(&body_path, dest).map(drop)
        })
        .with_context(|| format!("cannot write the body to {}", dest.display()))?;
        if !args.body_only {
            writeln!(
                out,
                "[body saved to {} ({} bytes)]",
                dest.display(),
                response.body.size
            )?;
        }
    } else if !printed {
        output::body(&mut out, &response, &body_path, style, tty)?;
    }
    if args.timings {
        output::timings(&mut out, &response, style)?;
    }
    out.flush()?;

    if let Some(error) = &response.error {
        eprintln!(
            "sextant: {:?}: {} ({} bytes of body kept)",
            error.code, error.message, response.body.size
        );
        return Ok(ExitCode::from(if error.code == ErrorCode::Cancelled {
            130
        } else {
            2
        }));
    }
    if let Some(saved) = &saved {
        if let Some(code) = send_saved::report(saved, &response, app.workspace_root(), err_style)? {
            return Ok(ExitCode::from(code));
        }
    }
    if args.check_status && response.status >= 300 {
        return Ok(ExitCode::from((response.status / 100) as u8));
    }
    Ok(ExitCode::SUCCESS)
}
