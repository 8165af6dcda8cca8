//! The specs the explorer imported, remembered across restarts: where each came from (a file
//! path or URL), how a URL is fetched (TLS verification, proxy: the import dialog's choice) and
//! the name to list it under. Only the list is kept, in `<data dir>/specs.json`, never the
//! document: the window shows the list at start and imports a spec again only when the user
//! picks it. Pasted documents have nowhere to be reopened from and are not remembered.
//!
//! A list that cannot be read is logged and treated as empty: the explorer must open anyway.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sextant_model::{ApiError, ErrorCode, RequestSettings};
use sextant_store::workspace::StateFile;
use sextant_store::StoreError;
use ts_rs::TS;

use crate::App;

/// The list's file name inside the data directory.
pub const SPEC_LIST_FILE: &str = "specs.json";

/// The most specs remembered; importing one more forgets the least recently imported.
pub const MAX_REMEMBERED_SPECS: usize = 50;

/// Read-modify-write of the list happens under this lock: two imports finishing together must
/// not lose one of them.
static LIST_LOCK: Mutex<()> = Mutex::new(());

/// One imported spec, as the explorer lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RememberedSpec {
    /// A URL, or an absolute file path.
    pub source: String,
    /// The document's title when it was last imported.
    pub name: String,
    /// How a URL source is fetched (TLS verification, proxy, timeouts).
    #[serde(default)]
    pub settings: RequestSettings,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct SpecList {
    #[serde(default)]
    specs: Vec<RememberedSpec>,
}

fn join_error(e: tokio::task::JoinError) -> ApiError {
    ApiError::new(ErrorCode::Internal, format!("spec list task failed: {e}"))
}

/// The list as stored; a damaged file reads as empty (and is logged).
fn load(file: &StateFile) -> SpecList {
    match file.load::<SpecList>() {
        Ok(list) => list.unwrap_or_default(),
        Err(e) => {
            eprintln!("sextant: warning: the list of imported specs was not read: {e}");
            SpecList::default()
        }
    }
}

/// Where a source is reopened from: URLs as they are, file paths made absolute (the app may be
/// started from another folder next time). `None` for a pasted document.
pub(crate) fn reopenable_source(source: &str) -> Option<String> {
    if crate::openapi::is_pasted_document(source) || source.trim().is_empty() {
        return None;
    }
    if source.starts_with("http://") || source.starts_with("https://") {
        return Some(source.to_string());
    }
    std::path::absolute(source)
        .ok()
        .map(|p| p.to_string_lossy().into_owned())
}

impl App {
    fn spec_list_file(&self) -> StateFile {
        StateFile::new(self.data_dir.join(SPEC_LIST_FILE))
    }

    /// The remembered specs, most recently imported first.
    pub async fn specs_remembered(&self) -> Result<Vec<RememberedSpec>, ApiError> {
        let file = self.spec_list_file();
        tokio::task::spawn_blocking(move || {
            let _guard = LIST_LOCK.lock().unwrap_or_else(|p| p.into_inner());
            load(&file).specs
        })
        .await
        .map_err(join_error)
    }

    /// Where [`remember`] writes, for the spec imported from `source` with `settings`; `None`
    /// when the source cannot be reopened (pasted text).
    pub(crate) fn spec_list_entry(
        &self,
        source: &str,
        settings: &RequestSettings,
    ) -> Option<(StateFile, RememberedSpec)> {
        let source = reopenable_source(source)?;
        let spec = RememberedSpec {
            source,
            name: String::new(),
            settings: settings.clone(),
        };
        Some((self.spec_list_file(), spec))
    }

    /// Removes the spec imported from `source` from the list; the explorer no longer offers it.
    pub async fn spec_forget(&self, source: String) -> Result<(), ApiError> {
        self.edit_spec_list(move |list| list.specs.retain(|s| s.source != source))
            .await
    }

    async fn edit_spec_list(
        &self,
        change: impl FnOnce(&mut SpecList) + Send + 'static,
    ) -> Result<(), ApiError> {
        let file = self.spec_list_file();
        tokio::task::spawn_blocking(move || edit(&file, change).map_err(ApiError::from))
            .await
            .map_err(join_error)?
    }
}

fn edit(file: &StateFile, change: impl FnOnce(&mut SpecList)) -> Result<(), StoreError> {
    let _guard = LIST_LOCK.lock().unwrap_or_else(|p| p.into_inner());
    let mut list = load(file);
    change(&mut list);
    file.save(&list)
}

/// Puts `spec` first in the list (replacing an entry of the same source). Blocking; a failure
/// is logged, never fails the import.
pub(crate) fn remember(file: &StateFile, spec: RememberedSpec) {
    let remembered = edit(file, move |list| {
        list.specs.retain(|s| s.source != spec.source);
        list.specs.insert(0, spec);
        list.specs.truncate(MAX_REMEMBERED_SPECS);
    });
    if let Err(e) = remembered {
        eprintln!("sextant: warning: the imported spec was not remembered: {e}");
    }
}
