//! Workspace-relative paths: what the UI and the watcher pass around (`demo-api/items/get-item.yaml`,
//! always `/`-separated), how they are checked so no call can reach outside the workspace or into
//! hidden files, what kind of entry each names, and how names become file names (slugs).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::StoreError;

/// The file holding a collection's name and settings, at the collection's root.
pub const COLLECTION_FILE: &str = "collection.yaml";
/// The file holding a folder's name, settings and order.
pub const FOLDER_FILE: &str = "folder.yaml";
/// The folder of environment files at a collection's root.
pub const ENVIRONMENTS_DIR: &str = "environments";
/// The extension of every file the store reads and writes.
pub const EXT: &str = ".yaml";

/// What a workspace-relative path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EntryKind {
    Collection,
    Folder,
    Request,
    Environment,
}

/// A checked workspace-relative path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rel {
    parts: Vec<String>,
}

impl Rel {
    /// Checks `path`: relative, `/`-separated, no empty, `.`, `..` or hidden (`.x`) component, no
    /// backslash or NUL, no reserved file name as a request.
    pub(crate) fn parse(path: &str) -> Result<Self, StoreError> {
        let invalid = |reason: &str| StoreError::InvalidPath {
            path: path.to_string(),
            reason: reason.to_string(),
        };
        if path.is_empty() {
            return Err(invalid("the path is empty"));
        }
        if path.starts_with('/') || path.contains('\\') || path.contains('\0') {
            return Err(invalid("paths are relative to the workspace and use `/`"));
        }
        let mut parts = Vec::new();
        for part in path.split('/') {
            if part.is_empty() || part == "." || part == ".." {
                return Err(invalid("empty, `.` and `..` components are not allowed"));
            }
            if part.starts_with('.') {
                return Err(invalid(
                    "hidden files and folders are not part of a collection",
                ));
            }
            if part.contains(':') {
                return Err(invalid("`:` is not allowed in file names"));
            }
            parts.push(part.to_string());
        }
        Ok(Self { parts })
    }

    pub(crate) fn from_parts(parts: Vec<String>) -> Self {
        Self { parts }
    }

    pub(crate) fn parts(&self) -> &[String] {
        &self.parts
    }

    pub(crate) fn collection(&self) -> &str {
        &self.parts[0]
    }

    pub(crate) fn last(&self) -> &str {
        self.parts.last().map(String::as_str).unwrap_or_default()
    }

    pub(crate) fn depth(&self) -> usize {
        self.parts.len()
    }

    /// The containing folder (or collection); `None` for a collection.
    pub(crate) fn parent(&self) -> Option<Rel> {
        (self.parts.len() > 1).then(|| Rel {
            parts: self.parts[..self.parts.len() - 1].to_vec(),
        })
    }

    pub(crate) fn child(&self, name: &str) -> Rel {
        let mut parts = self.parts.clone();
        parts.push(name.to_string());
        Rel { parts }
    }

    pub(crate) fn starts_with(&self, other: &Rel) -> bool {
        self.parts.len() >= other.parts.len() && self.parts[..other.parts.len()] == other.parts[..]
    }

    pub(crate) fn to_path(&self, root: &Path) -> PathBuf {
        let mut path = root.to_path_buf();
        path.extend(&self.parts);
        path
    }

    pub(crate) fn kind(&self) -> EntryKind {
        match self.parts.len() {
            1 => EntryKind::Collection,
            3 if self.parts[1] == ENVIRONMENTS_DIR => EntryKind::Environment,
            _ if self.last().ends_with(EXT) => EntryKind::Request,
            _ => EntryKind::Folder,
        }
    }

    /// The settings file of a collection or folder path.
    pub(crate) fn settings_file(&self) -> Rel {
        self.child(if self.depth() == 1 {
            COLLECTION_FILE
        } else {
            FOLDER_FILE
        })
    }

    /// Checks that this names a request file (not a settings file or an environment).
    pub(crate) fn expect_request(&self) -> Result<(), StoreError> {
        let ok = self.kind() == EntryKind::Request
            && self.last() != FOLDER_FILE
            && self.last() != COLLECTION_FILE;
        self.expect(ok, "not a request file (`<collection>/.../<name>.yaml`)")
    }

    /// Checks that this names a collection or a folder.
    pub(crate) fn expect_folder(&self) -> Result<(), StoreError> {
        let ok = matches!(self.kind(), EntryKind::Collection | EntryKind::Folder)
            && !(self.depth() == 2 && self.parts[1] == ENVIRONMENTS_DIR);
        self.expect(ok, "not a collection or folder")
    }

    pub(crate) fn expect_environment(&self) -> Result<(), StoreError> {
        let ok = self.kind() == EntryKind::Environment && self.last().ends_with(EXT);
        self.expect(
            ok,
            "not an environment file (`<collection>/environments/<name>.yaml`)",
        )
    }

    fn expect(&self, ok: bool, reason: &str) -> Result<(), StoreError> {
        if ok {
            Ok(())
        } else {
            Err(StoreError::InvalidPath {
                path: self.to_string(),
                reason: reason.to_string(),
            })
        }
    }
}

impl std::fmt::Display for Rel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.parts.join("/"))
    }
}

/// The file-name stem for a display name: lowercase ASCII letters and digits, every other run of
/// characters one `-`, at most 60 characters; `untitled` when nothing is left.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    let mut gap = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !slug.is_empty() {
                slug.push('-');
            }
            gap = false;
            slug.push(c.to_ascii_lowercase());
        } else if c != '\'' {
            gap = true;
        }
        if slug.len() >= 60 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "untitled".to_string()
    } else {
        slug.to_string()
    }
}

/// Names that may not be used for a child of a folder at `depth` (1 = collection root).
fn reserved(depth: usize) -> &'static [&'static str] {
    if depth == 1 {
        &[COLLECTION_FILE, FOLDER_FILE, ENVIRONMENTS_DIR]
    } else {
        &[COLLECTION_FILE, FOLDER_FILE]
    }
}

/// A child name `<stem><ext>` of `dir` that is free: `stem`, else `stem-2`, `stem-3`, ...
/// Compared case-insensitively, so it is also unique on macOS and Windows file systems.
/// `keep` is a name that counts as free (the entry being renamed itself).
pub(crate) fn unique_child(
    dir: &Path,
    depth: usize,
    stem: &str,
    ext: &str,
    keep: Option<&str>,
) -> Result<String, StoreError> {
    let mut names = ChildNames::read(dir, depth)?;
    if let Some(keep) = keep {
        names.taken.remove(&keep.to_lowercase());
    }
    Ok(names.claim(stem, ext))
}

/// The names taken in one folder, for giving many children unique names in one pass (an
/// import of thousands of same-named requests). Each base name remembers its next free suffix,
/// so claiming `n` names costs `O(n)` rather than re-reading the folder and re-trying every
/// suffix from 2 for each one.
#[derive(Debug)]
pub(crate) struct ChildNames {
    /// Lower-cased names in use, reserved ones included.
    taken: HashSet<String>,
    /// Lower-cased `<stem><ext>` → the next suffix worth trying.
    next: HashMap<String, u64>,
}

impl ChildNames {
    /// The names of a folder that does not exist yet or is empty (at `depth`).
    pub(crate) fn empty(depth: usize) -> Self {
        Self {
            taken: reserved(depth).iter().map(|n| (*n).to_string()).collect(),
            next: HashMap::new(),
        }
    }

    /// The names already in `dir` (a folder at `depth`); a missing folder has none.
    pub(crate) fn read(dir: &Path, depth: usize) -> Result<Self, StoreError> {
        let mut names = Self::empty(depth);
        match std::fs::read_dir(dir) {
            Ok(entries) => {
                for entry in entries {
                    let entry = entry.map_err(|e| StoreError::io(dir, e))?;
                    names
                        .taken
                        .insert(entry.file_name().to_string_lossy().to_lowercase());
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::io(dir, e)),
        }
        Ok(names)
    }

    /// A free name `<stem><ext>` (else `<stem>-N<ext>`), now taken.
    pub(crate) fn claim(&mut self, stem: &str, ext: &str) -> String {
        let base = format!("{stem}{ext}").to_lowercase();
        let mut n = self.next.get(&base).copied().unwrap_or(1);
        loop {
            let candidate = if n == 1 {
                format!("{stem}{ext}")
            } else {
                format!("{stem}-{n}{ext}")
            };
            n += 1;
            if self.taken.insert(candidate.to_lowercase()) {
                self.next.insert(base, n);
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_short_lowercase_and_dashed() {
        assert_eq!(slugify("Create an item!"), "create-an-item");
        assert_eq!(slugify("  GET /items/{id} "), "get-items-id");
        assert_eq!(slugify("Don't panic"), "dont-panic");
        assert_eq!(slugify("日本"), "untitled");
        assert_eq!(slugify(&"a".repeat(100)).len(), 60);
    }

    #[test]
    fn paths_outside_or_hidden_are_refused() {
        for bad in [
            "",
            "/abs",
            "a/../b",
            "a//b",
            "a/.git",
            ".sextant-trash",
            "a\\b",
            "c:/x",
        ] {
            assert!(Rel::parse(bad).is_err(), "{bad:?} should be refused");
        }
        let rel = Rel::parse("demo/items/get.yaml").unwrap();
        assert_eq!(rel.kind(), EntryKind::Request);
        assert_eq!(rel.parent().unwrap().to_string(), "demo/items");
        assert_eq!(
            Rel::parse("demo/environments/local.yaml").unwrap().kind(),
            EntryKind::Environment
        );
        assert!(Rel::parse("demo/folder.yaml")
            .unwrap()
            .expect_request()
            .is_err());
    }

    #[test]
    fn claimed_names_are_distinct_and_skip_names_in_use() {
        let mut names = ChildNames::empty(2);
        let mut seen = HashSet::new();
        names.taken.insert("get-3.yaml".to_string());
        for _ in 0..5000 {
            let name = names.claim("get", EXT);
            assert!(seen.insert(name.to_lowercase()), "{name} given twice");
        }
        assert!(!seen.contains("get-3.yaml"));
        assert!(seen.contains("get-5001.yaml"));
        // A name that looks like a suffixed one is still free for its own stem, once.
        assert_eq!(names.claim("get-2", EXT), "get-2-2.yaml");
        assert_eq!(names.claim("Folder", EXT), "Folder-2.yaml");
    }

    #[test]
    fn an_import_of_4000_same_named_requests_writes_4000_files() {
        use sextant_model::{Collection, CollectionItem, HttpRequest, SavedRequest};
        let root = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        let ws = crate::workspace::Workspace::open(root.path(), data.path()).unwrap();
        let collection = Collection {
            name: "Many".into(),
            settings: Default::default(),
            items: (0..4000)
                .map(|_| {
                    CollectionItem::Request(SavedRequest::new(
                        "Same name",
                        HttpRequest::get("http://127.0.0.1/x"),
                    ))
                })
                .collect(),
            environments: Vec::new(),
        };
        let path = ws.write_collection(&collection).unwrap();
        let files: HashSet<String> = std::fs::read_dir(root.path().join(&path))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("same-name"))
            .collect();
        assert_eq!(files.len(), 4000);
        assert!(files.contains("same-name.yaml") && files.contains("same-name-4000.yaml"));
        let loaded = ws.load_collection(&path).unwrap();
        assert_eq!(loaded.items.len(), 4000);
    }

    #[test]
    fn unique_names_skip_taken_and_reserved_ones() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("get.yaml"), "x").unwrap();
        std::fs::write(dir.path().join("Get-2.yaml"), "x").unwrap();
        assert_eq!(
            unique_child(dir.path(), 2, "get", EXT, None).unwrap(),
            "get-3.yaml"
        );
        assert_eq!(
            unique_child(dir.path(), 2, "get", EXT, Some("get.yaml")).unwrap(),
            "get.yaml"
        );
        assert_eq!(
            unique_child(dir.path(), 1, "environments", "", None).unwrap(),
            "environments-2"
        );
        assert_eq!(
            unique_child(dir.path(), 2, "folder", EXT, None).unwrap(),
            "folder-2.yaml"
        );
    }
}
