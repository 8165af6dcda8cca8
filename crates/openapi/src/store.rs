//! The documents of one import: the main one plus the files its `$ref`s point into.
//!
//! Other files are found and parsed up front, before the model is built, so the builder can
//! hold plain borrows into an immutable set of trees. Only an import from a file has a base
//! directory to resolve relative references against; from text, other files stay unread and
//! each reference to one becomes a warning where it is used. Only files in the main document's
//! folder or below it are read (see `contain.rs`).

mod contain;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::error::ImportError;
use crate::pointer::{follow, percent_decode};
use crate::tree::{self, Node};

pub(crate) type DocId = usize;

/// The main document.
pub(crate) const MAIN: DocId = 0;

/// How many other files one import may read.
const MAX_OTHER_FILES: usize = 200;

/// The largest file an import reads (the main one or another).
pub(crate) const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

pub(crate) struct Doc<'a> {
    /// Prefix of this document's pointers in warnings: empty for the main one, `file#` else.
    pub label: String,
    pub root: Node<'a>,
    path: Option<PathBuf>,
    /// File part of a `$ref` as written → the document it names, or why it could not be read.
    files: HashMap<String, Result<DocId, FileError>>,
}

pub(crate) struct Store<'a> {
    pub docs: Vec<Doc<'a>>,
}

/// A `$ref` that leads nowhere.
pub(crate) enum RefError {
    /// The file part could not be read or parsed.
    File(FileError),
    /// The fragment names no node.
    Missing,
}

/// Why the file part of a `$ref` was not read. It becomes a warning, never an import error.
#[derive(Debug, Clone, thiserror::Error)]
pub(crate) enum FileError {
    #[error("references to URLs are not followed")]
    Remote,
    /// Refused by the reference's text (or a symlink's) alone, so the message is the same
    /// whether or not such a file exists.
    #[error("it points outside the spec's folder; only files in that folder or below it are read")]
    Outside,
    #[error("other files are only read when the document is imported from a file")]
    FromText,
    #[error("more than {MAX_OTHER_FILES} files referenced; not reading more")]
    TooMany,
    /// The file as shown to the user, and what went wrong reading or parsing it.
    #[error("cannot read {file}: {reason}")]
    Unreadable { file: String, reason: String },
    #[error("{file}: {reason}")]
    Invalid { file: String, reason: String },
}

impl<'a> Store<'a> {
    /// A store for a document read from text: other files are never read.
    pub(crate) fn from_root(root: Node<'a>) -> Store<'a> {
        Store {
            docs: vec![Doc {
                label: String::new(),
                root,
                path: None,
                files: HashMap::new(),
            }],
        }
    }

    /// A store for a document read from `path`, with every file it (transitively) refers to.
    pub(crate) fn from_file(root: Node<'a>, path: &Path) -> Store<'a> {
        let mut store = Store {
            docs: vec![Doc {
                label: String::new(),
                root,
                path: Some(path.to_path_buf()),
                files: HashMap::new(),
            }],
        };
        store.load_other_files();
        store
    }

    fn load_other_files(&mut self) {
        // The main document's path is canonical, and so its folder.
        let root_dir = self.docs[MAIN]
            .path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let mut by_path: HashMap<PathBuf, DocId> = HashMap::new();
        if let Some(path) = &self.docs[MAIN].path {
            by_path.insert(path.clone(), MAIN);
        }
        let mut next = 0;
        while next < self.docs.len() {
            let mut wanted = FileRefs::default();
            collect_file_refs(&self.docs[next].root, &mut wanted);
            let wanted = wanted.order;
            let dir = self.docs[next]
                .path
                .as_deref()
                .and_then(Path::parent)
                .map(Path::to_path_buf)
                .unwrap_or_default();
            for file in wanted {
                if self.docs[next].files.contains_key(&file) {
                    continue;
                }
                let outcome = if is_remote(&file) {
                    Err(FileError::Remote)
                } else {
                    let decoded = percent_decode(&file);
                    match contain::resolve(&root_dir, &dir, &decoded) {
                        Err(contain::Refused::Outside) => Err(FileError::Outside),
                        Err(contain::Refused::Io(err)) => Err(FileError::Unreadable {
                            file: shown(&dir.join(&*decoded), &root_dir),
                            reason: err.to_string(),
                        }),
                        Ok(canonical) => match by_path.get(&canonical) {
                            Some(&id) => Ok(id),
                            None if self.docs.len() > MAX_OTHER_FILES => Err(FileError::TooMany),
                            None => match read_document(&canonical) {
                                Err(err) => Err(FileError::Invalid {
                                    file: shown(&canonical, &root_dir),
                                    reason: without_path(err),
                                }),
                                Ok(root) => {
                                    let id = self.docs.len();
                                    self.docs.push(Doc {
                                        label: format!("{}#", shown(&canonical, &root_dir)),
                                        root,
                                        path: Some(canonical.clone()),
                                        files: HashMap::new(),
                                    });
                                    by_path.insert(canonical, id);
                                    Ok(id)
                                }
                            },
                        },
                    }
                };
                self.docs[next].files.insert(file, outcome);
            }
            next += 1;
        }
    }

    /// Where `reference`, written in document `from`, points: the document and the decoded
    /// fragment (a JSON pointer, `""` for a whole file).
    pub(crate) fn locate<'r>(
        &self,
        from: DocId,
        reference: &'r str,
    ) -> Result<(DocId, Cow<'r, str>), RefError> {
        let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let doc = if file.is_empty() {
            from
        } else {
            match self.docs[from].files.get(file) {
                Some(Ok(id)) => *id,
                Some(Err(reason)) => return Err(RefError::File(reason.clone())),
                None if is_remote(file) => return Err(RefError::File(FileError::Remote)),
                None => return Err(RefError::File(FileError::FromText)),
            }
        };
        Ok((doc, percent_decode(fragment)))
    }

    /// Follows `reference` all the way to its node.
    pub(crate) fn resolve<'s, 'r>(
        &'s self,
        from: DocId,
        reference: &'r str,
    ) -> Result<(DocId, Cow<'r, str>, &'s Node<'a>), RefError> {
        let (doc, fragment) = self.locate(from, reference)?;
        match follow(&self.docs[doc].root, &fragment) {
            Some(node) => Ok((doc, fragment, node)),
            None => Err(RefError::Missing),
        }
    }
}

/// A path as shown in warnings: relative to the main document's directory when inside it, so
/// warnings read the same on every machine.
fn shown(path: &Path, root_dir: &Path) -> String {
    let ours: Vec<_> = path.components().collect();
    let base: Vec<_> = root_dir.components().collect();
    let common = ours.iter().zip(&base).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return path.to_string_lossy().into_owned();
    }
    let mut parts: Vec<String> = vec!["..".to_owned(); base.len() - common];
    parts.extend(
        ours[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// An error's text without the absolute path an I/O error would repeat.
fn without_path(err: ImportError) -> String {
    match err {
        ImportError::Io { source, .. } => source.to_string(),
        other => other.to_string(),
    }
}

/// A URL (`https:`, `file:`, any scheme of two letters or more; one letter is a drive).
fn is_remote(file: &str) -> bool {
    let Some((scheme, _)) = file.split_once(':') else {
        return false;
    };
    scheme.len() >= 2
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Reads and parses one file with the same limits as the main document.
pub(crate) fn read_document(path: &Path) -> Result<Node<'static>, ImportError> {
    let text = read_text(path)?;
    tree::parse(&text).map(Node::into_owned)
}

/// Reads a file as UTF-8 text, refusing huge files and pointing at the first invalid byte.
pub(crate) fn read_text(path: &Path) -> Result<String, ImportError> {
    let io = |source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        )));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    String::from_utf8(bytes).map_err(|err| {
        let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = valid
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |at| at + 1);
        let column = String::from_utf8_lossy(&valid[line_start..])
            .chars()
            .count()
            + 1;
        ImportError::Syntax {
            line,
            column,
            message: "the file is not valid UTF-8".to_owned(),
        }
    })
}

/// The distinct file parts of a document's `$ref`s, in the order first seen.
#[derive(Default)]
struct FileRefs<'a> {
    seen: HashSet<&'a str>,
    order: Vec<String>,
}

/// Collects the file parts of every `$ref` in the tree (`other.yaml` of `other.yaml#/a/b`), in
/// one pass: a spec with tens of thousands of distinct file refs must not compare each with all.
fn collect_file_refs<'a>(node: &'a Node, out: &mut FileRefs<'a>) {
    match node {
        Node::Object(map) => {
            for (key, value) in map.iter() {
                if key == "$ref" {
                    if let Some(reference) = value.as_str() {
                        let file = reference.split_once('#').map_or(reference, |(f, _)| f);
                        if !file.is_empty() && out.seen.insert(file) {
                            out.order.push(file.to_owned());
                        }
                    }
                } else {
                    collect_file_refs(value, out);
                }
            }
        }
        Node::Array(items) => items.iter().for_each(|item| collect_file_refs(item, out)),
        _ => {}
    }
}
