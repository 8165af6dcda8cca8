//! "Export as code": a collection or folder as a runnable pytest project (httpx, FastAPI's
//! TestClient, Flask's test client) or a curl script. `sextant-export` writes the text; this
//! module loads what to export from the workspace, hands the files back for a preview, and
//! writes them into the folder the user chose, each atomically (temporary file, fsync, rename)
//! and never outside it.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use sextant_export::{safe_relative_path, CodeFormat, CodeOptions, Generated, GeneratedFile};
use sextant_model::{ApiError, Collection, CollectionItem, ErrorCode};
use sextant_store::workspace::Workspace;

use crate::App;

mod mocks;

impl App {
    /// The files of `format` for the collection, folder or request at `path` (relative to the
    /// workspace), with what could not be carried as warnings. Nothing is written.
    pub async fn export_code(
        &self,
        path: String,
        format: CodeFormat,
        options: CodeOptions,
    ) -> Result<Generated, ApiError> {
        if matches!(format, CodeFormat::Respx | CodeFormat::Responses) {
            return self.export_mocks(path, format).await;
        }
        let folder = path.trim_matches('/').split('/').next().unwrap_or("");
        let base = (!folder.is_empty()).then(|| self.workspace_root().join(folder));
        let collection = self.with_workspace(move |ws| to_export(ws, &path)).await?;
        let (contracts, contract_warnings) = match format {
            CodeFormat::Pytest | CodeFormat::TestClient | CodeFormat::Flask => {
                self.export_contracts(&collection, base.as_deref()).await
            }
            _ => Default::default(),
        };
        let mut generated = tokio::task::spawn_blocking(move || {
            sextant_export::generate_with_contracts(&collection, format, &options, &contracts)
        })
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))??;
        generated.warnings.extend(contract_warnings);
        Ok(generated)
    }

    /// Writes `files` into `dir` (created when missing); a file of the same name is replaced.
    /// Returns the paths written.
    pub async fn write_code(
        &self,
        dir: PathBuf,
        files: Vec<GeneratedFile>,
    ) -> Result<Vec<PathBuf>, ApiError> {
        tokio::task::spawn_blocking(move || write_files(&dir, &files))
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?
    }

    /// Every export format, in the order the enum declares them (the dialog's list).
    pub fn code_formats(&self) -> Vec<CodeFormat> {
        CodeFormat::ALL.to_vec()
    }

    /// Which of `paths` (relative, as in [`GeneratedFile::path`]) already exist in `dir`, so
    /// the window asks before replacing them.
    pub async fn existing_code_files(
        &self,
        dir: PathBuf,
        paths: Vec<String>,
    ) -> Result<Vec<String>, ApiError> {
        tokio::task::spawn_blocking(move || existing_files(&dir, &paths))
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?
    }
}

fn existing_files(dir: &Path, paths: &[String]) -> Result<Vec<String>, ApiError> {
    if let Some(bad) = paths.iter().find(|p| !safe_relative_path(p)) {
        return Err(ApiError::new(
            ErrorCode::FileNotAllowed,
            format!("{bad:?} is outside {}", dir.display()),
        ));
    }
    Ok(paths
        .iter()
        .filter(|p| dir.join(p).symlink_metadata().is_ok())
        .cloned()
        .collect())
}

/// The collection or folder at `path` as a collection (a folder carries what it inherits); a
/// request file as a collection of that one request.
fn to_export(ws: &Workspace, path: &str) -> Result<Collection, ApiError> {
    let path = path.trim_matches('/');
    if let Some(parent) = path
        .strip_suffix(".yaml")
        .map(|_| path.rsplit_once('/').map_or("", |(parent, _)| parent))
    {
        if parent.is_empty() {
            return Err(ApiError::new(
                ErrorCode::InvalidRequest,
                format!("{path} is not a request of a collection"),
            ));
        }
        let saved = ws.read_request(path)?.request;
        let mut collection = crate::interchange::load_subtree(ws, parent)?;
        collection.items = vec![CollectionItem::Request(saved)];
        return Ok(collection);
    }
    crate::interchange::load_subtree(ws, path)
}

fn io_error(path: &Path, e: std::io::Error) -> ApiError {
    ApiError::new(
        ErrorCode::Io,
        format!("cannot write {}: {e}", path.display()),
    )
}

fn write_files(dir: &Path, files: &[GeneratedFile]) -> Result<Vec<PathBuf>, ApiError> {
    if let Some(bad) = files.iter().find(|f| !safe_relative_path(&f.path)) {
        return Err(ApiError::new(
            ErrorCode::FileNotAllowed,
            format!("{:?} would be written outside {}", bad.path, dir.display()),
        ));
    }
    if !dir.is_absolute() {
        return Err(ApiError::new(
            ErrorCode::InvalidRequest,
            format!(
                "write the files into a full path (this one is relative: {})",
                dir.display()
            ),
        ));
    }
    fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    let mut written = Vec::new();
    for file in files {
        let dest = dir.join(&file.path);
        let parent = dest.parent().unwrap_or(dir);
        fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
        let name = dest.file_name().map(|n| n.to_string_lossy().into_owned());
        let tmp = parent.join(format!(
            ".{}.tmp-{}",
            name.unwrap_or_default(),
            std::process::id()
        ));
        let result = (|| {
            let mut out = OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .open(&tmp)?;
            out.write_all(file.contents.as_bytes())?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = if file.executable { 0o755 } else { 0o644 };
                out.set_permissions(fs::Permissions::from_mode(mode))?;
            }
            out.sync_all()?;
            fs::rename(&tmp, &dest)
        })();
        if let Err(e) = result {
            let _ = fs::remove_file(&tmp);
            return Err(io_error(&dest, e));
        }
        written.push(dest);
    }
    // The renames are durable once the folders holding them are.
    let mut synced: Vec<&Path> = written.iter().filter_map(|p| p.parent()).collect();
    synced.dedup();
    for d in synced {
        if let Ok(f) = File::open(d) {
            let _ = f.sync_all();
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str, executable: bool) -> GeneratedFile {
        GeneratedFile {
            path: path.into(),
            contents: contents.into(),
            executable,
        }
    }

    #[test]
    fn files_are_written_and_replaced_inside_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        let written = write_files(
            &dir,
            &[
                file("run.sh", "#!/bin/sh\n", true),
                file("sub/a.py", "x = 1\n", false),
            ],
        )
        .unwrap();
        assert_eq!(written, [dir.join("run.sh"), dir.join("sub/a.py")]);
        write_files(&dir, &[file("sub/a.py", "x = 2\n", false)]).unwrap();
        assert_eq!(fs::read_to_string(dir.join("sub/a.py")).unwrap(), "x = 2\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.join("run.sh"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o755);
        }
        let left: Vec<_> = fs::read_dir(dir.join("sub")).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left");
    }

    #[test]
    fn existing_files_are_named_before_a_write() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let paths = vec!["conftest.py".to_owned(), "tests/test_a.py".to_owned()];
        assert!(existing_files(&dir.join("missing"), &paths)
            .unwrap()
            .is_empty());
        write_files(dir, &[file("tests/test_a.py", "", false)]).unwrap();
        assert_eq!(
            existing_files(dir, &paths).unwrap(),
            ["tests/test_a.py".to_owned()]
        );
        let err = existing_files(dir, &["../x".to_owned()]).unwrap_err();
        assert_eq!(err.code, ErrorCode::FileNotAllowed);
    }

    #[test]
    fn a_path_out_of_the_folder_writes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        let err = write_files(
            &dir,
            &[file("ok.py", "", false), file("../escape.py", "", false)],
        )
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::FileNotAllowed);
        assert!(!dir.exists());
        assert!(!tmp.path().join("escape.py").exists());
    }
}
