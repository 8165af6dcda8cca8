//! Where the file part of a `$ref` may lead: to a file in the folder of the spec being imported
//! or below it, never anywhere else. A spec is a document someone sent; its `$ref`s must not
//! make Sextant read `~/.ssh/id_rsa` or `/etc/passwd` (and copy a JSON file's values into
//! requests sent to the spec's server).
//!
//! The path is walked one component at a time from the referring document's folder, reading
//! symlinks ourselves: `..` above the root folder, absolute paths and links that lead out are
//! refused on their text alone, so nothing outside the folder is ever opened or even looked up,
//! and the refusal reads the same whether or not the target exists.

use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

/// How many symlinks one reference may go through (as the kernel's own limit, 40).
const MAX_LINKS: usize = 40;

/// Why a reference was not resolved to a file inside the folder.
#[derive(Debug)]
pub(super) enum Refused {
    /// It leads outside the folder (by its text, or by a symlink's).
    Outside,
    /// Reading a path inside the folder failed (a missing file, a directory where a file was
    /// expected, a symlink loop).
    Io(std::io::Error),
}

/// Resolves `reference` (a percent-decoded relative path, `/` or `\` separated) written in a
/// document in `dir`, to a path with no symlinks inside `root`. `root` and `dir` are canonical,
/// and `dir` is inside `root`.
pub(super) fn resolve(root: &Path, dir: &Path, reference: &str) -> Result<PathBuf, Refused> {
    if is_absolute(reference) {
        return Err(Refused::Outside);
    }
    // A stack of the parts still to walk, next one last.
    let mut pending: Vec<OsString> = reference
        .split(['/', '\\'])
        .rev()
        .map(OsString::from)
        .collect();
    let mut current = dir.to_path_buf();
    let mut links = 0;
    while let Some(part) = pending.pop() {
        if part.is_empty() || part == "." {
            continue;
        }
        if part == ".." {
            if current == root || !current.pop() {
                return Err(Refused::Outside);
            }
            continue;
        }
        let next = current.join(&part);
        let meta = std::fs::symlink_metadata(&next).map_err(Refused::Io)?;
        if !meta.file_type().is_symlink() {
            current = next;
            continue;
        }
        links += 1;
        if links > MAX_LINKS {
            return Err(Refused::Io(std::io::Error::other(
                "too many levels of symlinks",
            )));
        }
        let target = std::fs::read_link(&next).map_err(Refused::Io)?;
        if target.has_root()
            || target
                .components()
                .any(|c| matches!(c, Component::Prefix(_)))
        {
            // An absolute link may still point inside: judge it by its text, then walk what
            // follows the root folder.
            let rest = lexically_normal(&target)
                .strip_prefix(root)
                .map(Path::to_path_buf)
                .map_err(|_| Refused::Outside)?;
            current = root.to_path_buf();
            push_parts(&mut pending, &rest);
        } else {
            push_parts(&mut pending, &target);
        }
    }
    Ok(current)
}

/// Absolute in any of the forms a spec might carry: `/x`, `//host/x`, `\\host\x`, `C:\x`,
/// `C:x`.
fn is_absolute(reference: &str) -> bool {
    let bytes = reference.as_bytes();
    matches!(bytes.first(), Some(b'/' | b'\\'))
        || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':')
        || Path::new(reference).has_root()
}

fn push_parts(pending: &mut Vec<OsString>, path: &Path) {
    let parts: Vec<OsString> = path
        .components()
        .filter_map(|c| match c {
            Component::CurDir => None,
            Component::ParentDir => Some(OsString::from("..")),
            Component::Normal(name) => Some(name.to_os_string()),
            Component::RootDir | Component::Prefix(_) => None,
        })
        .collect();
    pending.extend(parts.into_iter().rev());
}

/// `path` with `.` and `..` folded by text alone (no file system access).
fn lexically_normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    struct Dirs {
        _tmp: tempfile::TempDir,
        root: PathBuf,
        outside: PathBuf,
    }

    fn dirs() -> Dirs {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().canonicalize().unwrap();
        let root = base.join("spec");
        let outside = base.join("secret");
        std::fs::create_dir_all(root.join("schemas")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(root.join("schemas/a.yaml"), "a: 1").unwrap();
        std::fs::write(outside.join("id_rsa"), "key").unwrap();
        Dirs {
            _tmp: tmp,
            root,
            outside,
        }
    }

    fn outside(result: Result<PathBuf, Refused>) -> bool {
        matches!(result, Err(Refused::Outside))
    }

    #[test]
    fn paths_inside_the_folder_resolve() {
        let d = dirs();
        let at = resolve(&d.root, &d.root, "schemas/./a.yaml").unwrap();
        assert_eq!(at, d.root.join("schemas/a.yaml"));
        let from_below = resolve(&d.root, &d.root.join("schemas"), "../schemas/a.yaml").unwrap();
        assert_eq!(from_below, at);
        assert_eq!(resolve(&d.root, &d.root, "schemas\\a.yaml").unwrap(), at);
        assert!(matches!(
            resolve(&d.root, &d.root, "schemas/none.yaml"),
            Err(Refused::Io(_))
        ));
    }

    #[test]
    fn escapes_are_refused_alike_whether_the_target_exists_or_not() {
        let d = dirs();
        let secret = d.outside.join("id_rsa").to_string_lossy().into_owned();
        for reference in [
            secret.as_str(),
            "/etc/passwd",
            "/no/such/file",
            "../secret/id_rsa",
            "../secret/missing",
            "schemas/../../secret/id_rsa",
            "//host/share/x",
            "\\\\host\\share\\x",
            "..\\secret\\id_rsa",
            "C:\\Windows\\win.ini",
        ] {
            assert!(outside(resolve(&d.root, &d.root, reference)), "{reference}");
        }
    }

    #[test]
    fn symlinks_leading_out_are_refused_and_those_staying_in_are_followed() {
        let d = dirs();
        symlink(d.outside.join("id_rsa"), d.root.join("abs-file")).unwrap();
        symlink(d.outside.join("missing"), d.root.join("abs-missing")).unwrap();
        symlink("../secret", d.root.join("rel-dir")).unwrap();
        symlink("schemas/a.yaml", d.root.join("inside")).unwrap();
        symlink(d.root.join("schemas"), d.root.join("abs-inside")).unwrap();
        for reference in [
            "abs-file",
            "abs-missing",
            "rel-dir/id_rsa",
            "rel-dir/missing",
        ] {
            assert!(outside(resolve(&d.root, &d.root, reference)), "{reference}");
        }
        let a = d.root.join("schemas/a.yaml");
        assert_eq!(resolve(&d.root, &d.root, "inside").unwrap(), a);
        assert_eq!(resolve(&d.root, &d.root, "abs-inside/a.yaml").unwrap(), a);
    }

    #[test]
    fn symlink_loops_end() {
        let d = dirs();
        symlink("loop-b", d.root.join("loop-a")).unwrap();
        symlink("loop-a", d.root.join("loop-b")).unwrap();
        assert!(matches!(
            resolve(&d.root, &d.root, "loop-a"),
            Err(Refused::Io(_))
        ));
    }
}
