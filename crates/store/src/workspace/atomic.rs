//! Crash-safe file writes. A save goes to a temp file in the same folder, is flushed to disk,
//! renamed over the target and the folder is flushed: a reader (or a crash at any moment) sees
//! either the old file or the new one, never a mix or an empty file. Temp files are hidden
//! (`.<name>.<pid>.<n>.sextant-tmp`), so loading skips them, and leftovers from a crash are
//! removed by [`clean_stale_temps`].

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};

use crate::StoreError;

/// The suffix of every temp file or folder the store writes.
pub const TEMP_SUFFIX: &str = ".sextant-tmp";

/// Temp files younger than this may belong to a save in progress in another process.
pub const STALE_TEMP_AGE: Duration = Duration::from_secs(60);

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The content revision of a file: the first 128 bits of the SHA-256 of its bytes, in hex.
pub fn revision_of(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether a file name is one of the store's temp files or folders.
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(TEMP_SUFFIX)
}

/// A fresh hidden temp path beside `target`.
pub(crate) fn temp_path_for(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    target.with_file_name(format!(".{name}.{}.{n}{TEMP_SUFFIX}", std::process::id()))
}

/// How a file is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Replace whatever is there.
    Replace,
    /// Fail with `AlreadyExists` if the target exists.
    CreateNew,
}

/// Writes `bytes` to `target` atomically. `private` makes the file readable by its owner only
/// (Unix); `display` is the path named in errors.
pub(crate) fn write_atomic(
    target: &Path,
    bytes: &[u8],
    mode: Mode,
    private: bool,
    display: &str,
) -> Result<(), StoreError> {
    let tmp = temp_path_for(target);
    write_synced(&tmp, bytes, private)?;
    let placed = match mode {
        Mode::Replace => fs::rename(&tmp, target).map_err(|e| StoreError::io(target, e)),
        Mode::CreateNew => link_new(&tmp, target, display),
    };
    if placed.is_err() || mode == Mode::CreateNew {
        let _ = fs::remove_file(&tmp);
    }
    placed?;
    sync_dir(target.parent().unwrap_or(Path::new(".")))
}

/// Places `tmp` at `target` only if nothing is there: a hard link fails atomically on an existing
/// target. File systems without hard links fall back to check-then-rename.
fn link_new(tmp: &Path, target: &Path, display: &str) -> Result<(), StoreError> {
    let exists = || StoreError::AlreadyExists {
        path: display.to_string(),
    };
    match fs::hard_link(tmp, target) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(exists()),
        Err(_) => {
            if target.symlink_metadata().is_ok() {
                return Err(exists());
            }
            fs::rename(tmp, target).map_err(|e| StoreError::io(target, e))
        }
    }
}

/// Creates `path` (which must not exist), writes `bytes` and flushes the file to disk.
pub(crate) fn write_synced(path: &Path, bytes: &[u8], private: bool) -> Result<(), StoreError> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    let result = options.open(path).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    result.map_err(|e| {
        let _ = fs::remove_file(path);
        StoreError::io(path, e)
    })
}

/// Flushes a folder's entries (a rename into it) to disk. A no-op where folders cannot be opened.
pub(crate) fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        let synced = File::open(dir).and_then(|d| d.sync_all());
        match synced {
            Ok(()) => Ok(()),
            Err(e) if matches!(e.kind(), ErrorKind::InvalidInput | ErrorKind::Unsupported) => {
                Ok(())
            }
            Err(e) => Err(StoreError::io(dir, e)),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Reads a file, mapping "not there" to `NotFound` with the workspace-relative `display` path.
pub(crate) fn read_file(path: &Path, display: &str) -> Result<Vec<u8>, StoreError> {
    fs::read(path).map_err(|e| match e.kind() {
        ErrorKind::NotFound => StoreError::NotFound {
            path: display.to_string(),
        },
        _ => StoreError::io(path, e),
    })
}

/// Moves a file or folder, copying across file systems when a rename cannot.
pub(crate) fn move_path(from: &Path, to: &Path) -> Result<(), StoreError> {
    match fs::rename(from, to) {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::CrossesDevices => {
            copy_tree(from, to)?;
            remove_tree(from)?;
        }
        Err(e) => return Err(StoreError::io(from, e)),
    }
    if let Some(parent) = to.parent() {
        sync_dir(parent)?;
    }
    if let Some(parent) = from.parent() {
        sync_dir(parent)?;
    }
    Ok(())
}

/// Copies a file, or a folder with everything in it except the store's temp files. Links are
/// copied as links (never followed, so a link to `.` or out of the workspace copies nothing
/// more); the walk keeps its own stack, so depth cannot overflow the thread's.
pub(crate) fn copy_tree(from: &Path, to: &Path) -> Result<(), StoreError> {
    let mut pending = vec![(from.to_path_buf(), to.to_path_buf())];
    let mut made = Vec::new();
    while let Some((from, to)) = pending.pop() {
        let meta = fs::symlink_metadata(&from).map_err(|e| StoreError::io(&from, e))?;
        if meta.file_type().is_symlink() {
            copy_link(&from, &to)?;
        } else if meta.is_dir() {
            fs::create_dir(&to).map_err(|e| StoreError::io(&to, e))?;
            for entry in fs::read_dir(&from).map_err(|e| StoreError::io(&from, e))? {
                let entry = entry.map_err(|e| StoreError::io(&from, e))?;
                if is_temp_name(&entry.file_name().to_string_lossy()) {
                    continue;
                }
                pending.push((entry.path(), to.join(entry.file_name())));
            }
            made.push(to);
        } else {
            let bytes = fs::read(&from).map_err(|e| StoreError::io(&from, e))?;
            write_synced(&to, &bytes, false)?;
        }
    }
    for dir in made.iter().rev() {
        sync_dir(dir)?;
    }
    Ok(())
}

#[cfg(unix)]
fn copy_link(from: &Path, to: &Path) -> Result<(), StoreError> {
    let target = fs::read_link(from).map_err(|e| StoreError::io(from, e))?;
    std::os::unix::fs::symlink(target, to).map_err(|e| StoreError::io(to, e))
}

#[cfg(not(unix))]
fn copy_link(_from: &Path, _to: &Path) -> Result<(), StoreError> {
    Ok(())
}

pub(crate) fn remove_tree(path: &Path) -> Result<(), StoreError> {
    let meta = fs::symlink_metadata(path).map_err(|e| StoreError::io(path, e))?;
    let removed = if meta.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    };
    removed.map_err(|e| StoreError::io(path, e))
}

/// Removes the store's temp files and folders older than `min_age` under `dir`, at any depth
/// (hidden folders such as `.git` are not entered, nor are links). Returns how many were removed.
/// The walk keeps its own stack: a deep tree cannot overflow the thread's.
pub fn clean_stale_temps(dir: &Path, min_age: Duration) -> Result<usize, StoreError> {
    let now = SystemTime::now();
    let mut removed = 0;
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == ErrorKind::NotFound => continue,
            Err(e) => return Err(StoreError::io(&dir, e)),
        };
        for entry in entries {
            let entry = entry.map_err(|e| StoreError::io(&dir, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            // `DirEntry::metadata` does not follow links.
            let Ok(meta) = entry.metadata() else { continue };
            if is_temp_name(&name) {
                let age = meta
                    .modified()
                    .ok()
                    .and_then(|m| now.duration_since(m).ok())
                    .unwrap_or_default();
                if age >= min_age && remove_tree(&path).is_ok() {
                    removed += 1;
                }
            } else if meta.is_dir() && !name.starts_with('.') {
                pending.push(path);
            }
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_and_create_new() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.yaml");
        write_atomic(&target, b"one", Mode::CreateNew, false, "a.yaml").unwrap();
        let again = write_atomic(&target, b"two", Mode::CreateNew, false, "a.yaml");
        assert!(matches!(again, Err(StoreError::AlreadyExists { .. })));
        assert_eq!(fs::read(&target).unwrap(), b"one");
        write_atomic(&target, b"three", Mode::Replace, false, "a.yaml").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"three");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec!["a.yaml"], "no temp file is left behind");
    }

    #[cfg(unix)]
    #[test]
    fn private_files_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("key");
        write_atomic(&target, b"k", Mode::CreateNew, true, "key").unwrap();
        let mode = fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn a_failed_rename_keeps_the_old_file_and_removes_the_temp() {
        let dir = tempfile::tempdir().unwrap();
        // A non-empty folder where the file should go: the final rename fails.
        let target = dir.path().join("busy");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("inside"), b"old").unwrap();
        let err = write_atomic(&target, b"new", Mode::Replace, false, "busy");
        assert!(err.is_err());
        assert_eq!(fs::read(target.join("inside")).unwrap(), b"old");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec!["busy"], "the temp file is removed");
    }

    #[test]
    fn revisions_follow_content() {
        assert_eq!(revision_of(b"a"), revision_of(b"a"));
        assert_ne!(revision_of(b"a"), revision_of(b"b"));
        assert_eq!(revision_of(b"a").len(), 32);
    }
}
