//! `sextant send PATH`: one saved request sent the way `sextant run` sends it (templated in its
//! collection with the chosen environment, its auth applied, its assertions judged), printed the
//! way `sextant send URL` prints a response. This module decides whether the first word names a
//! saved request, finds its file in the workspace and reports its assertions; the sending and
//! printing are `send`'s.
//!
//! The first word is a saved request when it has no `scheme://`, ends in `.yaml` and names a
//! request file: relative to the workspace, or a path (absolute or relative to the working
//! directory) inside it. A `.yaml` word that names no file is still taken as a saved request
//! (and reported missing) unless its first part looks like a host (`localhost`, a dot, a port),
//! or when `--env`/`--workspace` is given; anything else is `[METHOD] URL [ITEM]...`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use sextant_app::{App, AppConfig, Source};
use sextant_model::{HttpResponse, RunResult, SavedRequest};

use crate::args::SendArgs;
use crate::output::Style;

/// A saved request found in the workspace, ready to send (with the [`App`] that found it).
pub struct Saved {
    /// The file as the workspace tree names it (`shop/items/list.yaml`).
    pub path: String,
    pub request: SavedRequest,
}

/// The workspace folder `args` names, or the desktop app's.
fn workspace_dir(args: &SendArgs) -> Result<PathBuf> {
    match &args.workspace {
        Some(dir) => Ok(dir.clone()),
        None => Ok(crate::history::data_dir()?.join("workspace")),
    }
}

/// Whether the first part of `word` (before any `/`) reads as a host: `localhost`, a name with
/// a dot, or anything with a port.
fn looks_like_host(word: &str) -> bool {
    let first = word.split('/').next().unwrap_or("");
    first.contains(':')
        || first == "localhost"
        || (first.contains('.')
            && !first.starts_with('.')
            && !first.contains(' ')
            && !first.ends_with(".yaml"))
}

/// `file` as a path relative to `root`, when it is inside it.
fn inside(root: &Path, file: &Path) -> Option<String> {
    let root = std::fs::canonicalize(root).ok()?;
    let file = std::fs::canonicalize(file).ok()?;
    let rel = file.strip_prefix(&root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// The saved request the first word of `args` names, `None` when it is a URL. `Err` (the
/// caller exits 2) for a saved request that cannot be found or read.
pub async fn locate(args: &SendArgs) -> Result<Option<(App, Saved)>> {
    let Some(first) = args.words.first() else {
        return Ok(None);
    };
    if first.contains("://") || !first.ends_with(".yaml") {
        if args.env.is_some() || args.workspace.is_some() {
            bail!("--env and --workspace apply to a saved request (a .yaml file in the workspace), not to {first:?}");
        }
        return Ok(None);
    }
    let root = workspace_dir(args)?;
    let given = Path::new(first);
    let rel =
        if given.is_absolute() {
            if !given.is_file() {
                bail!("no request file {first}");
            }
            Some(inside(&root, given).with_context(|| {
                format!("{first} is not inside the workspace {}", root.display())
            })?)
        } else if root.join(given).is_file() {
            inside(&root, &root.join(given))
        } else if given.is_file() {
            Some(inside(&root, given).with_context(|| {
                format!("{first} is not inside the workspace {}", root.display())
            })?)
        } else {
            None
        };
    let Some(rel) = rel else {
        if looks_like_host(first) && args.env.is_none() && args.workspace.is_none() {
            return Ok(None);
        }
        bail!(
            "no request file {first} in the workspace {} (a saved request is named by its path in the workspace; use --workspace DIR for another folder)",
            root.display()
        );
    };
    if args.words.len() > 1 {
        bail!(
            "a saved request takes no request items ({} given after {first})",
            args.words.len() - 1
        );
    }
    let mut config = AppConfig::new(crate::history::data_dir()?);
    config.history = !args.no_history;
    config.history_source = Source::Cli;
    config.workspace_dir = Some(root);
    let app = App::new(config)
        .map_err(sextant_model::ApiError::from)
        .context("cannot start")?;
    let opened = app
        .request_open(rel.clone())
        .await
        .map_err(|e| anyhow::anyhow!("cannot read {rel}: {:?}: {}", e.code, e.message))?;
    if opened.saved.websocket.is_some() {
        bail!("{rel} is a WebSocket request: open it with `sextant ws`");
    }
    Ok(Some((
        app,
        Saved {
            path: opened.path,
            request: opened.saved,
        },
    )))
}

/// Prints the assertions' outcome to stderr (each failure as `sextant run` prints it) and
/// returns exit status 1 when one failed.
pub fn report(
    saved: &Saved,
    response: &HttpResponse,
    workspace: &Path,
    style: Style,
) -> Result<Option<u8>> {
    if response.assertions.is_empty() {
        return Ok(None);
    }
    let failed = response.assertions.iter().filter(|a| !a.passed).count();
    let mut err = std::io::stderr().lock();
    if failed > 0 {
        let result = RunResult {
            iteration: 1,
            path: saved.path.clone(),
            name: saved.request.name.clone(),
            method: response.method.clone(),
            // The URL as written: the one sent may carry a secret (an API key in the query).
            url: saved.request.request.url.clone(),
            status: Some(response.status),
            duration_ms: response.timings.total_ms,
            attempts: 1,
            assertions: response.assertions.clone(),
            passed: false,
            error: None,
            history_id: None,
            skipped: None,
        };
        writeln!(
            err,
            "\n{}",
            crate::run::failure_text(&result, workspace, style)
        )?;
    }
    let passed = response.assertions.len() - failed;
    let verdict = if failed == 0 {
        style.paint("1;32", "PASSED")
    } else {
        style.paint("1;31", "FAILED")
    };
    writeln!(
        err,
        "{verdict}: {} assertions, {passed} passed, {failed} failed",
        response.assertions.len()
    )?;
    Ok((failed > 0).then_some(1))
}

#[cfg(test)]
mod tests {
    use super::looks_like_host;

    #[test]
    fn host_like_first_parts() {
        assert!(looks_like_host("localhost:8000/spec.yaml"));
        assert!(looks_like_host("api.example.com/openapi.yaml"));
        assert!(looks_like_host("127.0.0.1/x.yaml"));
        assert!(!looks_like_host("Shop API/items/List.yaml"));
        assert!(!looks_like_host("./shop/list.yaml"));
        assert!(!looks_like_host("list.yaml"));
    }
}
