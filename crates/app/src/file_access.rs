//! Which body files the window may send without asking.
//!
//! A request's body can name a file on disk (a binary body, a multipart file part) that Send
//! reads and posts wherever the request points, so a collection someone sent you could name
//! `~/.ssh/id_rsa`. Before the window sends, every such path is resolved (a relative one against
//! the request's collection folder, never the process's working directory) and canonicalised, so
//! a symlink counts as where it leads. A file outside the workspace or under a hidden folder is
//! refused with `FileNotAllowed` unless the user allowed that exact file once; a relative path in
//! a request that belongs to no collection is relative to nothing and always refused. What the
//! user allowed is kept per file in a 0600 file in the app's data dir, never in the workspace.
//!
//! The CLI's `sextant send` does not come through here: its paths are typed by the user.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sextant_model::{ApiError, ErrorCode, HttpRequest, PartValue, RequestBody};

/// The file in the data dir listing the body files the user allowed.
pub(crate) const CONSENT_FILE: &str = "allowed-body-files.json";

/// Why a file needs the user's say-so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reason {
    OutsideWorkspace,
    Hidden,
}

/// A body file the rule stopped: the canonical file and why.
#[derive(Debug, Clone)]
struct Stopped {
    file: PathBuf,
    reason: Reason,
}

/// Where a request's files are judged from.
pub(crate) struct Place<'a> {
    /// The workspace folder (need not be canonical or exist).
    pub workspace: &'a Path,
    /// The folder relative paths resolve against; `None` when the request belongs to no
    /// collection.
    pub base: Option<PathBuf>,
}

#[derive(Serialize, Deserialize, Default)]
struct ConsentDoc {
    files: BTreeSet<PathBuf>,
}

/// The body files the user allowed, read from the data dir the first time they are needed.
pub(crate) struct Consent {
    path: PathBuf,
    allowed: Mutex<Option<BTreeSet<PathBuf>>>,
}

impl Consent {
    pub(crate) fn new(data_dir: &Path) -> Self {
        Self {
            path: data_dir.join(CONSENT_FILE),
            allowed: Mutex::new(None),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut BTreeSet<PathBuf>) -> T) -> Result<T, ApiError> {
        let mut guard = self
            .allowed
            .lock()
            .map_err(|_| ApiError::new(ErrorCode::Internal, "the consent list lock is poisoned"))?;
        if guard.is_none() {
            *guard = Some(self.load()?);
        }
        Ok(f(guard.get_or_insert_with(BTreeSet::new)))
    }

    fn load(&self) -> Result<BTreeSet<PathBuf>, ApiError> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice::<ConsentDoc>(&bytes)
                .map(|d| d.files)
                .map_err(|e| {
                    ApiError::new(
                        ErrorCode::InvalidFile,
                        format!(
                            "{} is not a list of allowed files: {e}",
                            self.path.display()
                        ),
                    )
                }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeSet::new()),
            Err(e) => Err(io_error(&self.path, e)),
        }
    }

    pub(crate) fn contains(&self, file: &Path) -> Result<bool, ApiError> {
        self.with(|set| set.contains(file))
    }

    /// Adds `files` (canonical) and writes the list.
    fn allow(&self, files: Vec<PathBuf>) -> Result<(), ApiError> {
        let doc = self.with(|set| {
            set.extend(files);
            ConsentDoc { files: set.clone() }
        })?;
        let text = serde_json::to_vec_pretty(&doc)
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        write_private(&self.path, &text)
    }
}

/// Resolves every body file of `request` in place (to its canonical path) and refuses the ones
/// the user has not allowed.
pub(crate) fn vet(
    request: &mut HttpRequest,
    place: &Place<'_>,
    consent: &Consent,
) -> Result<(), ApiError> {
    let workspace = std::fs::canonicalize(place.workspace).ok();
    let mut refused = Vec::new();
    for path in body_paths(&mut request.body) {
        match judge(path.as_str(), place.base.as_deref(), workspace.as_deref())? {
            Judged::Fine(file) => *path = file.display().to_string(),
            Judged::Stopped(s) if consent.contains(&s.file)? => {
                *path = s.file.display().to_string();
            }
            Judged::Stopped(s) => refused.push(describe(&s)),
            Judged::RelativeToNothing => refused.push(format!(
                "{path} is a relative path in a request that is in no collection, so it is \
                 relative to nothing: give an absolute path or save the request in a collection"
            )),
        }
    }
    if refused.is_empty() {
        return Ok(());
    }
    Err(ApiError::new(
        ErrorCode::FileNotAllowed,
        format!(
            "not sent: the body {} {}",
            if refused.len() == 1 { "file" } else { "files" },
            refused.join("; ")
        ),
    ))
}

/// The canonical body files of `request` that wait for the user's say-so.
pub(crate) fn stopped(
    request: &mut HttpRequest,
    place: &Place<'_>,
    consent: &Consent,
) -> Vec<String> {
    let workspace = std::fs::canonicalize(place.workspace).ok();
    let mut out = Vec::new();
    for path in body_paths(&mut request.body) {
        if let Ok(Judged::Stopped(s)) =
            judge(path.as_str(), place.base.as_deref(), workspace.as_deref())
        {
            if !consent.contains(&s.file).unwrap_or(false) {
                out.push(s.file.display().to_string());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Remembers that the user allowed each of `files` to be sent; returns their canonical paths.
pub(crate) fn allow(files: &[String], consent: &Consent) -> Result<Vec<String>, ApiError> {
    let mut canonical = Vec::with_capacity(files.len());
    for file in files {
        let path = Path::new(file);
        if !path.is_absolute() {
            return Err(ApiError::new(
                ErrorCode::InvalidRequest,
                format!("only an absolute path can be allowed, not {file}"),
            ));
        }
        let resolved = existing_file(path)?;
        canonical.push(resolved);
    }
    let names = canonical.iter().map(|p| p.display().to_string()).collect();
    consent.allow(canonical)?;
    Ok(names)
}

enum Judged {
    Fine(PathBuf),
    Stopped(Stopped),
    RelativeToNothing,
}

fn judge(raw: &str, base: Option<&Path>, workspace: Option<&Path>) -> Result<Judged, ApiError> {
    let given = Path::new(raw);
    let joined = if given.is_absolute() {
        given.to_path_buf()
    } else {
        match base {
            Some(base) => base.join(given),
            None => return Ok(Judged::RelativeToNothing),
        }
    };
    let file = existing_file(&joined)?;
    let inside = workspace.and_then(|w| file.strip_prefix(w).ok());
    let reason = match inside {
        None => Some(Reason::OutsideWorkspace),
        Some(rel) if rel.components().any(hidden) => Some(Reason::Hidden),
        Some(_) => None,
    };
    Ok(match reason {
        None => Judged::Fine(file),
        Some(reason) => Judged::Stopped(Stopped { file, reason }),
    })
}

fn hidden(c: Component<'_>) -> bool {
    matches!(c, Component::Normal(name) if name.to_string_lossy().starts_with('.'))
}

fn existing_file(path: &Path) -> Result<PathBuf, ApiError> {
    let file = std::fs::canonicalize(path).map_err(|e| {
        ApiError::new(
            ErrorCode::Io,
            format!("cannot read body file {}: {e}", path.display()),
        )
    })?;
    if !file.is_file() {
        return Err(ApiError::new(
            ErrorCode::InvalidRequest,
            format!("body file {} is not a regular file", file.display()),
        ));
    }
    Ok(file)
}

fn describe(s: &Stopped) -> String {
    let why = match s.reason {
        Reason::OutsideWorkspace => "is outside the workspace",
        Reason::Hidden => "is under a hidden folder",
    };
    format!(
        "{} {why}; Sextant sends it only once you allow this file (\"Allow and send\")",
        s.file.display()
    )
}

/// The paths of the files `body` reads (enabled multipart parts only: the others are not sent).
fn body_paths(body: &mut RequestBody) -> Vec<&mut String> {
    match body {
        RequestBody::Binary { path, .. } => vec![path],
        RequestBody::Multipart { parts } => parts
            .iter_mut()
            .filter(|p| p.enabled)
            .filter_map(|p| match &mut p.value {
                PartValue::File { path, .. } => Some(path),
                PartValue::Text { .. } => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Writes `bytes` to `path` through a 0600 temporary file renamed over it, so a crash leaves the
/// old list or the new one, never half of one.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), ApiError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    let tmp = dir.join(format!(".{CONSENT_FILE}.{}.tmp", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(io_error(path, e));
    }
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn io_error(path: &Path, e: std::io::Error) -> ApiError {
    ApiError::new(ErrorCode::Io, format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_means_a_component_that_starts_with_a_dot() {
        assert!(Path::new("a/.ssh/k").components().any(hidden));
        assert!(Path::new(".env").components().any(hidden));
        assert!(!Path::new("a/b.c/k.txt").components().any(hidden));
    }

    #[test]
    fn only_enabled_file_parts_are_judged() {
        let mut body = RequestBody::Multipart {
            parts: vec![
                sextant_model::MultipartPart {
                    name: "on".into(),
                    enabled: true,
                    value: PartValue::File {
                        path: "a".into(),
                        filename: None,
                        content_type: None,
                    },
                },
                sextant_model::MultipartPart {
                    name: "off".into(),
                    enabled: false,
                    value: PartValue::File {
                        path: "b".into(),
                        filename: None,
                        content_type: None,
                    },
                },
            ],
        };
        let paths: Vec<String> = body_paths(&mut body)
            .into_iter()
            .map(|p| p.clone())
            .collect();
        assert_eq!(paths, ["a"]);
    }
}
