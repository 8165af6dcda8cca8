//! Values that captures pick out of responses, kept per collection (`""` for requests outside
//! any) while the app runs, like Postman's "current value": they feed the next requests'
//! templating and are never written into collection files. The captures that found nothing are
//! kept beside them, so the window can say why a `{{variable}}` stayed empty.

use std::collections::HashMap;
use std::sync::Mutex;

use sextant_model::{CaptureProblem, CapturedValues, Variable};
use sextant_template::CaptureFailure;

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

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, CapturedValues>> {
        self.by_collection.lock().unwrap_or_else(|p| p.into_inner())
    }
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

    /// Forgets what captures have stored for the collection of the request at `path`.
    pub fn clear_captured(&self, path: Option<&str>) {
        let collection = path.map(collection_of).unwrap_or("");
        self.runtime.lock().remove(collection);
    }
}
