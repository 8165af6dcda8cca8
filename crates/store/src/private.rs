//! Owner-only files and folders for what Sextant keeps about the user: the history (URLs,
//! headers and bodies of every request), response bodies, keys, drafts. Modes are set
//! explicitly after creation, so a permissive umask (or a folder made by an older version)
//! cannot leave them readable by other users; an existing folder or file with looser bits is
//! tightened, never loosened. A no-op where Unix modes do not exist.

use std::io;
use std::path::Path;

/// The mode of private folders.
pub const DIR_MODE: u32 = 0o700;
/// The mode of private files.
pub const FILE_MODE: u32 = 0o600;

/// Creates `dir` (and missing parents) if needed and makes it owner-only.
pub fn ensure_private_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(DIR_MODE)
            .create(dir)?;
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)?;
    tighten(dir)
}

/// Creates the file at `path` empty and owner-only unless it exists; an existing one is left
/// as it is (see [`tighten`]).
pub fn create_private_file(path: &Path) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(FILE_MODE);
    }
    options.open(path)?;
    tighten(path)
}

/// Removes the group and other bits of `path` (file or folder) when it has any. A missing path
/// is not an error.
pub fn tighten(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        let mode = meta.permissions().mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(
                path,
                std::fs::Permissions::from_mode(mode & !0o077 & 0o7777),
            )?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn folders_and_files_end_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("a/b");
        ensure_private_dir(&data).unwrap();
        assert_eq!(mode(&data), 0o700);
        let file = data.join("f");
        create_private_file(&file).unwrap();
        assert_eq!(mode(&file), 0o600);

        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        ensure_private_dir(&data).unwrap();
        tighten(&file).unwrap();
        assert_eq!((mode(&data), mode(&file)), (0o700, 0o600));

        // Never loosened.
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o400)).unwrap();
        tighten(&file).unwrap();
        assert_eq!(mode(&file), 0o400);
        tighten(&data.join("missing")).unwrap();
    }
}
