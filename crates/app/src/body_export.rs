//! "Save body to file": a stored response body copied to a path the user chose, whatever its
//! size. The body is streamed from its file in the body store (never through IPC or memory) into
//! a temporary file next to the destination, fsynced and renamed over it, and the folder is
//! fsynced: an interrupted save leaves either the old file or the whole new one, never half.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sextant_model::{ApiError, ErrorCode};

use crate::App;

/// Why a body could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveBodyError {
    #[error("save the body to a full path (this one is relative: {0})")]
    RelativePath(PathBuf),
    #[error("{0} is a folder; choose a file name")]
    IsFolder(PathBuf),
    #[error("the body of this response is no longer stored (the history may have pruned it)")]
    BodyGone,
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: io::Error },
}

impl From<SaveBodyError> for ApiError {
    fn from(e: SaveBodyError) -> Self {
        let code = match &e {
            SaveBodyError::RelativePath(_) | SaveBodyError::IsFolder(_) => {
                ErrorCode::InvalidRequest
            }
            SaveBodyError::BodyGone => ErrorCode::NotFound,
            SaveBodyError::Write { .. } => ErrorCode::Io,
        };
        ApiError::new(code, e.to_string())
    }
}

impl App {
    /// Copies the stored body of `response_id` to `destination` (an absolute path, replaced if
    /// it exists) and returns the number of bytes written.
    pub async fn save_body(&self, response_id: &str, destination: &Path) -> Result<u64, ApiError> {
        let source = self.body_path(response_id)?;
        let destination = destination.to_path_buf();
        tokio::task::spawn_blocking(move || copy_atomically(&source, &destination))
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, format!("saving the body: {e}")))?
            .map_err(ApiError::from)
    }
}

/// Temporary names are unique within the process; `create_new` settles races with others.
static NEXT_TEMP: AtomicU64 = AtomicU64::new(0);

/// Streams `source` into a temporary file beside `destination`, fsyncs it, renames it over
/// `destination` and fsyncs the folder.
pub fn copy_atomically(source: &Path, destination: &Path) -> Result<u64, SaveBodyError> {
    if !destination.is_absolute() {
        return Err(SaveBodyError::RelativePath(destination.to_path_buf()));
    }
    if destination.is_dir() {
        return Err(SaveBodyError::IsFolder(destination.to_path_buf()));
    }
    let write_err = |source| SaveBodyError::Write {
        path: destination.to_path_buf(),
        source,
    };
    let mut input = File::open(source).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => SaveBodyError::BodyGone,
        _ => write_err(e),
    })?;
    let (parent, name) = match (destination.parent(), destination.file_name()) {
        (Some(parent), Some(name)) => (parent, name.to_string_lossy()),
        _ => return Err(SaveBodyError::IsFolder(destination.to_path_buf())),
    };
    let (temp_path, mut temp) = create_temp(parent, &name).map_err(write_err)?;
    let written = (|| {
        let n = io::copy(&mut input, &mut temp)?;
        temp.sync_all()?;
        drop(temp);
        std::fs::rename(&temp_path, destination)?;
        File::open(parent)?.sync_all()?;
        Ok(n)
    })();
    written.map_err(|e| {
        let _ = std::fs::remove_file(&temp_path);
        write_err(e)
    })
}

pub(crate) fn create_temp(parent: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    loop {
        let n = NEXT_TEMP.fetch_add(1, Ordering::Relaxed);
        let path = parent.join(format!(".{name}.{}-{n}.part", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_the_exact_bytes_and_replaces_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("a.body");
        let bytes: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&source, &bytes).unwrap();
        let dest = dir.path().join("out.bin");
        std::fs::write(&dest, b"old").unwrap();
        assert_eq!(copy_atomically(&source, &dest).unwrap(), bytes.len() as u64);
        assert_eq!(std::fs::read(&dest).unwrap(), bytes);
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".part"))
            .collect();
        assert!(left.is_empty(), "temporary files left: {left:?}");
    }

    #[test]
    fn refuses_relative_paths_folders_and_missing_bodies() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("a.body");
        std::fs::write(&source, b"x").unwrap();
        assert!(matches!(
            copy_atomically(&source, Path::new("out.bin")),
            Err(SaveBodyError::RelativePath(_))
        ));
        assert!(matches!(
            copy_atomically(&source, dir.path()),
            Err(SaveBodyError::IsFolder(_))
        ));
        assert!(matches!(
            copy_atomically(&dir.path().join("gone.body"), &dir.path().join("o")),
            Err(SaveBodyError::BodyGone)
        ));
        let missing_folder = dir.path().join("no/such/folder/out.bin");
        let err = ApiError::from(copy_atomically(&source, &missing_folder).unwrap_err());
        assert_eq!(err.code, ErrorCode::Io);
    }
}
