//! Local files that an imported request refers to (Postman's `mode: file` and formdata `src`,
//! HAR's `_path`, Insomnia's `fileName`, curl's `-d @file`, `-F x=@file` and `-T file`).
//!
//! A collection someone sends you can name any file on your machine as a request body. Imports
//! keep each reference exactly as written (never read, never resolved: a relative path is
//! resolved against the collection's folder when the request is sent, not against the working
//! directory) and return one warning per reference, so the user sees which request would send
//! which file. Paths that leave the collection's folder are called out as such.

use sextant_model::{PartValue, RequestBody, SavedRequest};

use crate::text::short;
use crate::warning::Warnings;

/// Warns about every file `saved`'s body refers to, at `location` (the request's place in the
/// import).
pub(crate) fn warn_file_references(saved: &SavedRequest, location: &str, w: &mut Warnings) {
    match &saved.request.body {
        RequestBody::Binary { path, .. } => warn(path, location, "the body", w),
        RequestBody::Multipart { parts } => {
            for part in parts {
                if let PartValue::File { path, .. } = &part.value {
                    let what = format!("part {:?}", short(&part.name));
                    warn(path, location, &what, w);
                }
            }
        }
        _ => {}
    }
}

fn warn(path: &str, location: &str, what: &str, w: &mut Warnings) {
    if path.is_empty() {
        return;
    }
    let shown = short(path);
    let message = if leaves_folder(path) {
        format!(
            "{what} refers to a local file {shown} outside the collection's folder; Sextant will \
             ask before sending it"
        )
    } else {
        format!(
            "{what} refers to a local file {shown}, relative to the collection's folder; it is \
             read only when the request is sent"
        )
    };
    w.push(location, message);
}

/// Whether `path` can name a file outside the folder the collection is in: absolute (`/x`,
/// `C:\x`, `\\server\x`, `file://`), home-relative (`~`), climbing out (`..`), into a hidden
/// folder or file (`.ssh/...`), or built from variables whose value is not known yet.
pub(crate) fn leaves_folder(path: &str) -> bool {
    let p = path.trim();
    let bytes = p.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    p.starts_with(['/', '\\', '~'])
        || drive
        || p.contains("://")
        || p.contains("{{")
        || p.contains('$')
        || p.split(['/', '\\'])
            .any(|c| c == ".." || (c.starts_with('.') && c != "."))
}

#[cfg(test)]
mod tests {
    use super::leaves_folder;

    #[test]
    fn paths_that_leave_the_folder() {
        for outside in [
            "/etc/passwd",
            "~/.ssh/id_rsa",
            "~",
            "../../x/.kube/config",
            "a/../../b",
            ".ssh/id_rsa",
            "keys/.secret",
            "C:\\Users\\me\\key",
            "c:/x",
            "\\\\server\\share",
            "file:///etc/passwd",
            "{{home}}/x",
            "$HOME/x",
        ] {
            assert!(leaves_folder(outside), "{outside:?}");
        }
        for inside in ["body.json", "./body.json", "data/photo.png", "a..b/c"] {
            assert!(!leaves_folder(inside), "{inside:?}");
        }
    }
}
