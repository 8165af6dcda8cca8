//! The fallback of a contract matched by path ([`crate::contract_by_path`]): a request whose
//! collection names no spec is matched against the specs the workspace's other collections were
//! imported from, but only those with a server the request's URL is on. A server is matched
//! by scheme, host and port, and its base path must begin the URL's path, segment by segment:
//! `GET http://127.0.0.1:8000/items` is never checked against a spec served from
//! `api.example.com`. A server URL's `{variables}` take their defaults; a relative server URL
//! (a spec with no `servers` means `/`) is resolved against the URL the spec was read from,
//! and a spec read from a file with only relative servers is never a fallback (it says no host).
//!
//! The rule when several specs fit: the one whose matching server has the longest base path
//! (in segments) and has an operation whose template matches the URL; two specs tied at the
//! longest is ambiguous and nothing is checked.
//!
//! Budget: at most [`MAX_FALLBACK_SPECS`] distinct specs, found in the first
//! [`MAX_INDEXED_COLLECTIONS`] other collections (by folder name), are considered. The list of
//! collections and which spec each names are kept until the workspace changes, each spec by
//! [`App::contract_spec`] (a file until it changes, a URL for
//! [`crate::contract::URL_SPEC_TTL`]): a send of an unchanged workspace reads no file for them.
//! A spec that cannot be read is left out for [`UNREAD_SPEC_PAUSE`], so a hand-written request
//! to some host does not wait on a spec server that is down at each send.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sextant_model::ContractRef;
use sextant_openapi::contract::match_by_path;
use sextant_openapi::{ApiSpec, Server};
use url::Url;

use crate::contract::spec_location;
use crate::App;

/// Specs considered, at most, for a request whose collection names none.
pub(crate) const MAX_FALLBACK_SPECS: usize = 8;

/// Collections looked into, at most, for the specs they name.
pub(crate) const MAX_INDEXED_COLLECTIONS: usize = 64;

/// How long a spec that could not be read (a server down, a broken file) is left out of the
/// fallback: a send to an unrelated host must not wait on it each time.
const UNREAD_SPEC_PAUSE: Duration = crate::contract::URL_SPEC_TTL;

/// The workspace's collection folders, with the workspace generation they were listed at, and
/// the specs that could not be read lately.
#[derive(Default)]
pub(crate) struct CollectionFolders {
    collections: Mutex<Option<(u64, Arc<Vec<String>>)>>,
    unread: Mutex<HashMap<String, Instant>>,
}

impl CollectionFolders {
    fn unread_lately(&self, location: &str) -> bool {
        let mut unread = self.unread.lock().unwrap_or_else(|p| p.into_inner());
        unread.retain(|_, at| at.elapsed() < UNREAD_SPEC_PAUSE);
        unread.contains_key(location)
    }

    fn not_read(&self, location: &str) {
        self.unread
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(location.to_owned(), Instant::now());
    }
}

/// The folder names at the top of the workspace that may be collections (not hidden); the
/// store says which are when one is read.
fn collection_folders(root: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') && !n.contains(':'))
        .collect();
    names.sort();
    names
}

/// The first segments of `url`'s path that `server` (resolved against `source`) covers, when
/// `url` is on that server.
fn covered(server: &Server, source: &str, url: &Url) -> Option<usize> {
    let mut raw = server.url.clone();
    for var in &server.variables {
        raw = raw.replace(&format!("{{{}}}", var.name), &var.default);
    }
    let base = if raw.contains("://") {
        Url::parse(&raw).ok()?
    } else if source.starts_with("http://") || source.starts_with("https://") {
        Url::parse(source)
            .ok()?
            .join(if raw.is_empty() { "/" } else { &raw })
            .ok()?
    } else {
        return None;
    };
    let same_origin = base.scheme() == url.scheme()
        && base.host_str() == url.host_str()
        && base.port_or_known_default() == url.port_or_known_default();
    if !same_origin {
        return None;
    }
    let segments = |u: &Url| -> Vec<String> {
        u.path()
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let (base, path) = (segments(&base), segments(url));
    path.starts_with(&base).then_some(base.len())
}

/// The longest base path, in segments, of a server of `api` that `url` is on.
fn server_fit(api: &ApiSpec, source: &str, url: &Url) -> Option<usize> {
    let root = [Server {
        url: "/".to_owned(),
        description: None,
        variables: Vec::new(),
    }];
    let servers = if api.servers.is_empty() {
        &root[..]
    } else {
        &api.servers[..]
    };
    servers.iter().filter_map(|s| covered(s, source, url)).max()
}

impl App {
    /// The workspace's collection folders, kept until the workspace changes.
    async fn collection_folders(&self) -> Arc<Vec<String>> {
        let generation = self.workspace_generation();
        let cache = &self.contracts.folders.collections;
        if let Some((at, listed)) = &*cache.lock().unwrap_or_else(|p| p.into_inner()) {
            if *at == generation {
                return listed.clone();
            }
        }
        let listed = self
            .with_workspace(|ws| Ok(collection_folders(ws.root())))
            .await
            .unwrap_or_default();
        let listed = Arc::new(listed);
        *cache.lock().unwrap_or_else(|p| p.into_inner()) = Some((generation, listed.clone()));
        listed
    }

    /// Where each distinct spec the workspace's collections other than `own` name is read
    /// from, within the module's budget.
    async fn fallback_specs(&self, own: &str) -> Vec<String> {
        let mut locations = Vec::new();
        let collections = self.collection_folders().await;
        let others = collections.iter().filter(|c| c.as_str() != own);
        for collection in others.take(MAX_INDEXED_COLLECTIONS) {
            let Some(spec) = self.named_spec(collection).await else {
                continue;
            };
            let folder = self.workspace_root().join(collection);
            let location = spec_location(&spec, Some(&folder));
            if !locations.contains(&location) {
                locations.push(location);
                if locations.len() == MAX_FALLBACK_SPECS {
                    break;
                }
            }
        }
        locations
    }

    /// The operation of a spec of the workspace's other collections that a `method` request to
    /// `url` in `collection` (which names no spec) calls, chosen as the module says; `None` when
    /// no spec fits or two fit equally.
    pub(crate) async fn contract_by_origin(
        &self,
        collection: &str,
        method: &str,
        url: &str,
    ) -> Option<ContractRef> {
        let target = Url::parse(url).ok()?;
        if !matches!(target.scheme(), "http" | "https") {
            return None;
        }
        let mut fits = Vec::new();
        let folders = &self.contracts.folders;
        for location in &self.fallback_specs(collection).await {
            if folders.unread_lately(location) {
                continue;
            }
            let Ok(api) = self.contract_spec(location).await else {
                folders.not_read(location);
                continue;
            };
            let Some(fit) = server_fit(&api, location, &target) else {
                continue;
            };
            if let Some(op) = match_by_path(&api, method, url) {
                fits.push((
                    fit,
                    ContractRef {
                        spec: location.clone(),
                        operation: op.id.clone(),
                    },
                ));
            }
        }
        choose(fits)
    }
}

/// The fit with the longest base path; `None` when two specs share it (ambiguous).
fn choose(fits: Vec<(usize, ContractRef)>) -> Option<ContractRef> {
    let longest = fits.iter().map(|(fit, _)| *fit).max()?;
    let mut best = fits.into_iter().filter(|(fit, _)| *fit == longest);
    let (_, found) = best.next()?;
    best.next().is_none().then_some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(url: &str) -> Server {
        Server {
            url: url.to_owned(),
            description: None,
            variables: Vec::new(),
        }
    }

    fn fit(server_url: &str, source: &str, url: &str) -> Option<usize> {
        covered(&server(server_url), source, &Url::parse(url).unwrap())
    }

    #[test]
    fn a_server_covers_urls_on_its_origin_under_its_base_path() {
        let spec = "http://127.0.0.1:8000/openapi.json";
        assert_eq!(fit("/", spec, "http://127.0.0.1:8000/items/1"), Some(0));
        assert_eq!(fit("", spec, "http://127.0.0.1:8000/items"), Some(0));
        assert_eq!(fit("/v1", spec, "http://127.0.0.1:8000/v1/items"), Some(1));
        assert_eq!(fit("/v1", spec, "http://127.0.0.1:8000/v2/items"), None);
        assert_eq!(fit("/v1", spec, "http://127.0.0.1:8000/v10/items"), None);
        assert_eq!(
            fit(
                "https://api.example.com/api/",
                spec,
                "https://api.example.com:443/api/x"
            ),
            Some(1)
        );
    }

    #[test]
    fn another_host_port_or_scheme_is_not_covered() {
        let spec = "http://127.0.0.1:8000/openapi.json";
        assert_eq!(fit("/", spec, "http://api.example.com/items"), None);
        assert_eq!(fit("/", spec, "http://127.0.0.1:8001/items"), None);
        assert_eq!(fit("/", spec, "https://127.0.0.1:8000/items"), None);
        assert_eq!(
            fit("/", "/specs/api.yaml", "http://127.0.0.1:8000/items"),
            None
        );
    }

    #[test]
    fn the_longest_base_path_wins_and_a_tie_is_no_match() {
        let op = |spec: &str| ContractRef {
            spec: spec.to_owned(),
            operation: "op".to_owned(),
        };
        assert_eq!(choose(vec![(0, op("root")), (1, op("v1"))]), Some(op("v1")));
        assert_eq!(choose(vec![(1, op("a")), (1, op("b")), (0, op("c"))]), None);
        assert_eq!(choose(vec![(0, op("only"))]), Some(op("only")));
        assert_eq!(choose(Vec::new()), None);
    }

    #[test]
    fn server_variables_take_their_defaults() {
        let mut s = server("https://{env}.example.com/{version}");
        for (name, default) in [("env", "staging"), ("version", "v2")] {
            s.variables.push(sextant_openapi::ServerVariable {
                name: name.to_owned(),
                default: default.to_owned(),
                enum_values: Vec::new(),
                description: None,
            });
        }
        let url = |u: &str| Url::parse(u).unwrap();
        assert_eq!(
            covered(&s, "x.yaml", &url("https://staging.example.com/v2/items")),
            Some(1)
        );
        assert_eq!(
            covered(&s, "x.yaml", &url("https://prod.example.com/v2/items")),
            None
        );
    }
}
