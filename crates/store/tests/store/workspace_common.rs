//! Helpers shared by the `workspace_*` tests: a workspace in a temp dir with its data dir beside
//! it (never inside), and requests to save.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use sextant_model::{HttpRequest, SavedRequest};
use sextant_store::Workspace;

pub struct TempWorkspace {
    pub dir: tempfile::TempDir,
    pub ws: Workspace,
}

impl TempWorkspace {
    pub fn root(&self) -> PathBuf {
        self.ws.root().to_path_buf()
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn reopen(&self) -> Workspace {
        Workspace::open(self.dir.path().join("ws"), self.data()).expect("reopen")
    }
}

pub fn temp_workspace() -> TempWorkspace {
    let dir = tempfile::tempdir().expect("temp dir");
    let ws = Workspace::open(dir.path().join("ws"), dir.path().join("data")).expect("open");
    TempWorkspace { dir, ws }
}

pub fn get(name: &str, url: &str) -> SavedRequest {
    SavedRequest::new(name, HttpRequest::get(url))
}

/// Every file under `dir`, recursively, hidden ones included.
pub fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(all_files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The path of the checked-in sample collection.
pub fn demo_collection() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../collections/demo-api")
}
