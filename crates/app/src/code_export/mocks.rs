//! Mock modules (respx for httpx, responses for requests) made from what the history recorded,
//! so a user's own client library is tested offline against answers a real server gave.
//! `sextant-export` writes the module; this gathers the exchanges.
//!
//! For a collection, folder or request PATH each request's latest recorded answer is taken:
//! an entry belongs to a request when its request as written (`HistoryEntry::written`) was sent
//! from that request's file. The file is what the window, the runner and `sextant send PATH`
//! record, and it survives edits to the URL or method that would defeat matching by URL (a
//! request sent from an unsaved tab or as a bare URL is not matched). The newest entry with a
//! status and no error wins; the body is read from the body store when its file is still there,
//! else from the text kept in the history (its first 256 KiB). An explicit list of entry ids is
//! exported as given.

use std::collections::HashMap;

use sextant_export::{generate_mocks, CodeFormat, Generated, RecordedExchange, Recording};
use sextant_model::{ApiError, ConversionWarning, ErrorCode};
use sextant_store::workspace::{NodeKind, TreeNode, Workspace};
use sextant_store::HistoryQuery;

use crate::history_ipc::HistoryEntry;
use crate::App;

/// How many history entries of a collection are looked through for its requests' answers,
/// newest first: a budget, so a long history cannot make an export slow.
const MOCK_SCAN_LIMIT: u32 = 5_000;

/// Entries listed per page while looking.
const PAGE: u32 = 500;

/// A request of the exported tree: its file and name.
struct Wanted {
    path: String,
    name: String,
}

impl App {
    /// The respx or responses module replaying the latest recorded answer of every request
    /// under `path` (a collection, folder or request file). A request with no recorded answer
    /// is left out with a warning naming it.
    pub(crate) async fn export_mocks(
        &self,
        path: String,
        format: CodeFormat,
    ) -> Result<Generated, ApiError> {
        let path = path.trim_matches('/').to_owned();
        let wanted = {
            let path = path.clone();
            self.with_workspace(move |ws| requests_under(ws, &path))
                .await?
        };
        let collection = path.split('/').next().unwrap_or_default().to_owned();
        let found = self.latest_answers(&collection, &wanted).await?;
        let mut warnings = Vec::new();
        let mut exchanges = Vec::new();
        for request in &wanted {
            match found.get(&request.path) {
                Some(entry) => {
                    let label = format!("{} ({})", request.name, request.path);
                    exchanges.push(self.recorded(entry, label, &mut warnings).await);
                }
                None => warnings.push(ConversionWarning {
                    location: request.path.clone(),
                    message: format!(
                        "{} has no recorded answer among the latest {MOCK_SCAN_LIMIT} entries of its collection: send it, then export again (it is left out)",
                        request.name
                    ),
                }),
            }
        }
        if exchanges.is_empty() {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                format!("no request under {path} has a recorded answer in the history: send them, then export again"),
            ));
        }
        finish(&path, exchanges, warnings, format)
    }

    /// The respx or responses module replaying the history entries `ids`, in that order. An
    /// entry without an answer (a failed send) is left out with a warning.
    pub async fn export_mocks_from_entries(
        &self,
        ids: Vec<i64>,
        format: CodeFormat,
    ) -> Result<Generated, ApiError> {
        let mut warnings = Vec::new();
        let mut exchanges = Vec::new();
        for id in &ids {
            let entry = self.history_entry(*id).await?;
            if entry.status.is_none() {
                warnings.push(ConversionWarning {
                    location: format!("history entry {id}"),
                    message: format!(
                        "{} {} got no answer ({}): it is left out",
                        entry.method,
                        entry.url,
                        entry.error_message.as_deref().unwrap_or("no status")
                    ),
                });
                continue;
            }
            let label = match &entry.written {
                Some(w) if !w.saved.name.is_empty() => {
                    format!("{} (history entry {id})", w.saved.name)
                }
                _ => format!("history entry {id}"),
            };
            exchanges.push(self.recorded(&entry, label, &mut warnings).await);
        }
        let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
        let source = format!("history entries {}", ids.join(", "));
        if exchanges.is_empty() {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                format!("none of {source} has a recorded answer"),
            ));
        }
        finish(&source, exchanges, warnings, format)
    }

    /// The newest answered entry of each wanted request, by the file it was sent from.
    async fn latest_answers(
        &self,
        collection: &str,
        wanted: &[Wanted],
    ) -> Result<HashMap<String, HistoryEntry>, ApiError> {
        let mut found: HashMap<String, HistoryEntry> = HashMap::new();
        let mut scanned = 0;
        let mut before_id = None;
        while found.len() < wanted.len() && scanned < MOCK_SCAN_LIMIT {
            let page = self
                .history_list(HistoryQuery {
                    before_id,
                    limit: PAGE.min(MOCK_SCAN_LIMIT - scanned),
                    collection: Some(collection.to_owned()),
                    ..HistoryQuery::default()
                })
                .await?;
            let Some(last) = page.last() else { break };
            before_id = Some(last.id);
            scanned += u32::try_from(page.len()).unwrap_or(u32::MAX);
            for summary in page {
                if summary.status.is_none() || summary.error_code.is_some() {
                    continue;
                }
                let entry = self.history_entry(summary.id).await?;
                let Some(from) = entry
                    .written
                    .as_ref()
                    .and_then(|w| w.path.as_deref())
                    .map(|p| p.trim_matches('/').to_owned())
                else {
                    continue;
                };
                if !found.contains_key(&from) && wanted.iter().any(|w| w.path == from) {
                    found.insert(from, entry);
                }
            }
        }
        Ok(found)
    }

    /// One entry as an exchange to replay, its body read in full when it fits the budget.
    async fn recorded(
        &self,
        entry: &HistoryEntry,
        label: String,
        warnings: &mut Vec<ConversionWarning>,
    ) -> RecordedExchange {
        let budget = sextant_export::MOCK_BODY_BUDGET;
        let mut body = Vec::new();
        if entry.body_size > 0 && entry.body_size <= budget {
            let stored = match &entry.response_id {
                Some(id) => self.read_body(id, 0, budget).await.ok(),
                None => None,
            };
            body = stored
                .filter(|b| b.len() as u64 == entry.body_size)
                .or_else(|| entry.response_body_text.clone().map(String::into_bytes))
                .unwrap_or_default();
        }
        if entry.url.contains(crate::MASK) {
            warnings.push(ConversionWarning {
                location: label.clone(),
                message: "its URL held a secret the history did not keep: the mock matches the masked URL".into(),
            });
        }
        RecordedExchange {
            label,
            history_id: Some(entry.id),
            at_ms: entry.at_ms,
            method: entry.method.clone(),
            url: entry.url.clone(),
            status: entry.status.unwrap_or_default(),
            headers: entry
                .response_headers
                .iter()
                .map(|h| (h.name.clone(), h.value.clone()))
                .collect(),
            body,
            body_size: entry.body_size,
        }
    }
}

fn finish(
    source: &str,
    exchanges: Vec<RecordedExchange>,
    mut warnings: Vec<ConversionWarning>,
    format: CodeFormat,
) -> Result<Generated, ApiError> {
    let recording = Recording {
        source: source.to_owned(),
        exchanges,
    };
    let mut generated = generate_mocks(&recording, format)?;
    warnings.append(&mut generated.warnings);
    generated.warnings = warnings;
    Ok(generated)
}

/// The requests at or under `path`, in the tree's order.
fn requests_under(ws: &Workspace, path: &str) -> Result<Vec<Wanted>, ApiError> {
    fn find<'a>(nodes: &'a [TreeNode], path: &str) -> Option<&'a TreeNode> {
        nodes.iter().find_map(|n| {
            if n.path.trim_matches('/') == path {
                Some(n)
            } else {
                find(&n.children, path)
            }
        })
    }
    fn collect(node: &TreeNode, out: &mut Vec<Wanted>) {
        if node.kind == NodeKind::Request {
            out.push(Wanted {
                path: node.path.trim_matches('/').to_owned(),
                name: node.name.clone(),
            });
        }
        for child in &node.children {
            collect(child, out);
        }
    }
    let tree = ws.list_tree()?;
    let node = find(&tree, path).ok_or_else(|| {
        ApiError::new(
            ErrorCode::NotFound,
            format!("no collection, folder or request {path} in the workspace"),
        )
    })?;
    let mut out = Vec::new();
    collect(node, &mut out);
    if out.is_empty() {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("{path} holds no requests"),
        ));
    }
    Ok(out)
}
