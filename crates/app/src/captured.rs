//! Values that captures pick out of responses, kept per collection (`""` for requests outside
//! any) while the app runs, like Postman's "current value": they feed the next requests'
//! templating and are never written into collection files. The captures that found nothing are
//! kept beside them, so the window can say why a `{{variable}}` stayed empty.
//!
//! A request carries its captured values with it when it changes collection: saved from an
//! unsaved tab into a collection, or moved into another, the values its captures set (and the
//! ones its `{{names}}` use, where the new collection has none) are copied into the new
//! collection's scope; a renamed collection keeps its scope. Without that a token captured
//! before the save is undefined after it.

use std::collections::HashMap;
use std::sync::Mutex;

use sextant_model::{CaptureProblem, CapturedValues, SavedRequest, Variable};
use sextant_template::{CaptureFailure, Context};

use crate::App;

#[derive(Default)]
pub(crate) struct RuntimeVariables {
    by_collection: Mutex<HashMap<String, CapturedValues>>,
}

impl RuntimeVariables {
    pub(crate) fn values(&self, collection: &str) -> Vec<Variable> {
        self.lock()
            .get(collection)
            .map(|c| c.values.clone())
            .unwrap_or_default()
    }

    /// Records one run of a request's captures: each value replaces the earlier one of its name
    /// (keeping its place) and clears that name's failure; each failure replaces the earlier one.
    pub(crate) fn record(
        &self,
        collection: &str,
        values: Vec<Variable>,
        failures: Vec<CaptureFailure>,
    ) {
        let mut map = self.lock();
        let entry = map.entry(collection.to_owned()).or_default();
        for value in values {
            entry.failures.retain(|f| f.variable != value.name);
            match entry.values.iter_mut().find(|v| v.name == value.name) {
                Some(old) => *old = value,
                None => entry.values.push(value),
            }
        }
        for failure in failures {
            entry.failures.retain(|f| f.variable != failure.variable);
            entry.failures.push(CaptureProblem {
                variable: failure.variable,
                code: failure.error.code(),
                message: failure.error.to_string(),
            });
        }
    }

    /// Copies what `saved` takes along from the scope `from` into the scope `to`: the values and
    /// failures of the names its captures set (replacing `to`'s), and the values of the other
    /// `{{names}}` it uses that `to` does not have. `from` keeps everything (other requests there
    /// may use the same values).
    pub(crate) fn carry(&self, from: &str, to: &str, saved: &SavedRequest) {
        if from == to {
            return;
        }
        let mut map = self.lock();
        let Some(source) = map.get(from).cloned() else {
            return;
        };
        let captured: Vec<&str> = saved.captures.iter().map(|c| c.variable.as_str()).collect();
        let used = used_names(saved);
        let entry = map.entry(to.to_owned()).or_default();
        for value in source.values {
            let mine = captured.contains(&value.name.as_str());
            let existing = entry.values.iter_mut().find(|v| v.name == value.name);
            match existing {
                Some(old) if mine => *old = value,
                Some(_) => {}
                None if mine || used.contains(&value.name) => {
                    if mine {
                        entry.failures.retain(|f| f.variable != value.name);
                    }
                    entry.values.push(value);
                }
                None => {}
            }
        }
        for failure in source.failures {
            if captured.contains(&failure.variable.as_str()) {
                entry.values.retain(|v| v.name != failure.variable);
                entry.failures.retain(|f| f.variable != failure.variable);
                entry.failures.push(failure);
            }
        }
    }

    /// A renamed collection keeps its captured values under its new name.
    pub(crate) fn rename_scope(&self, from: &str, to: &str) {
        let mut map = self.lock();
        if let Some(scope) = map.remove(from) {
            map.insert(to.to_owned(), scope);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, CapturedValues>> {
        self.by_collection.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The `{{names}}` `saved` uses outside its own request variables: what no scope defines when
/// there are none.
fn used_names(saved: &SavedRequest) -> Vec<String> {
    let empty = Context {
        globals: &[],
        chain: &[],
        environment: None,
        runtime: &[],
    };
    sextant_template::undefined(saved, &empty)
        .into_iter()
        .map(|u| u.name)
        .collect()
}

/// The collection a workspace path belongs to: its first segment.
pub(crate) fn collection_of(path: &str) -> &str {
    path.split('/').next().unwrap_or("")
}

impl App {
    /// What captures have stored for the collection of the request at `path` (outside any
    /// collection when `None`).
    pub fn captured_values(&self, path: Option<&str>) -> CapturedValues {
        let collection = path.map(collection_of).unwrap_or("");
        self.runtime
            .lock()
            .get(collection)
            .cloned()
            .unwrap_or_default()
    }

    /// After `saved` was saved as the new file `path` from an unsaved tab: the captured values it
    /// takes along go from the scope of requests outside any collection into its collection's.
    pub(crate) fn carry_captured_into(&self, path: &str, saved: &SavedRequest) {
        self.runtime.carry("", collection_of(path), saved);
    }

    /// After the item at `from` was moved to `to`: a request moved into another collection takes
    /// its captured values along (a moved folder's requests keep theirs in the old scope).
    pub(crate) async fn carry_captured_moved(&self, from: &str, to: &str) {
        let (old, new) = (collection_of(from), collection_of(to));
        if old == new {
            return;
        }
        let path = to.to_owned();
        let moved = self
            .with_workspace(move |ws| Ok(ws.read_request(&path)?.request))
            .await;
        if let Ok(saved) = moved {
            self.runtime.carry(old, new, &saved);
        }
    }

    /// After the item at `from` was renamed to `to`: a collection's captured values follow it.
    pub(crate) fn carry_captured_renamed(&self, from: &str, to: &str) {
        if !from.contains('/') && from != to {
            self.runtime.rename_scope(from, to);
        }
    }

    /// Forgets what captures have stored for the collection of the request at `path`.
    pub fn clear_captured(&self, path: Option<&str>) {
        let collection = path.map(collection_of).unwrap_or("");
        self.runtime.lock().remove(collection);
    }
}

#[cfg(test)]
mod tests {
    use sextant_model::{Capture, CaptureSource, HttpRequest, KeyValue};
    use sextant_template::CaptureError;

    use super::*;

    fn request(captures: &[&str], header: &str) -> SavedRequest {
        let mut request = HttpRequest::get("http://127.0.0.1:9/");
        request.headers.push(KeyValue::new("X-Uses", header));
        let mut saved = SavedRequest::new("r", request);
        saved.captures = captures
            .iter()
            .map(|name| Capture {
                variable: (*name).to_owned(),
                source: CaptureSource::Header { name: "X".into() },
            })
            .collect();
        saved
    }

    fn values(vars: &RuntimeVariables, scope: &str) -> Vec<(String, String)> {
        vars.values(scope)
            .into_iter()
            .map(|v| (v.name, v.value))
            .collect()
    }

    fn pair(name: &str, value: &str) -> (String, String) {
        (name.to_owned(), value.to_owned())
    }

    #[test]
    fn its_own_captures_replace_used_names_only_fill_gaps_and_the_rest_stays() {
        let vars = RuntimeVariables::default();
        vars.record(
            "",
            vec![
                Variable::new("token", "new"),
                Variable::new("userId", "7"),
                Variable::new("unrelated", "x"),
            ],
            Vec::new(),
        );
        vars.record(
            "shop",
            vec![Variable::new("token", "old"), Variable::new("userId", "1")],
            Vec::new(),
        );
        vars.carry(
            "",
            "shop",
            &request(&["token"], "{{userId}} {{unrelated2}}"),
        );
        assert_eq!(
            values(&vars, "shop"),
            [pair("token", "new"), pair("userId", "1")]
        );
        // The unsaved scope keeps everything for the other unsaved tabs.
        assert_eq!(values(&vars, "").len(), 3);

        vars.carry("", "empty", &request(&[], "{{userId}}"));
        assert_eq!(values(&vars, "empty"), [pair("userId", "7")]);
    }

    #[test]
    fn a_failed_capture_travels_with_its_request_and_replaces_the_value() {
        let vars = RuntimeVariables::default();
        vars.record("shop", vec![Variable::new("token", "old")], Vec::new());
        vars.record(
            "",
            Vec::new(),
            vec![CaptureFailure {
                variable: "token".into(),
                error: CaptureError::NoHeader { name: "X".into() },
            }],
        );
        vars.carry("", "shop", &request(&["token"], ""));
        let shop = vars.lock().get("shop").cloned().unwrap();
        assert!(shop.values.is_empty(), "{:?}", shop.values);
        assert_eq!(shop.failures.len(), 1);
        assert_eq!(shop.failures[0].variable, "token");
    }

    #[test]
    fn a_renamed_collection_keeps_its_values() {
        let vars = RuntimeVariables::default();
        vars.record("shop", vec![Variable::new("token", "t")], Vec::new());
        vars.rename_scope("shop", "store");
        assert!(vars.values("shop").is_empty());
        assert_eq!(values(&vars, "store"), [pair("token", "t")]);
    }

    #[test]
    fn nothing_moves_within_a_scope_or_from_an_empty_one() {
        let vars = RuntimeVariables::default();
        vars.carry("", "shop", &request(&["token"], "{{token}}"));
        assert!(vars.lock().is_empty());
        vars.record("shop", vec![Variable::new("token", "t")], Vec::new());
        vars.carry("shop", "shop", &request(&["token"], ""));
        assert_eq!(values(&vars, "shop"), [pair("token", "t")]);
    }
}
