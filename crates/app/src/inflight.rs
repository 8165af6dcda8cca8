//! The requests currently in flight, by the id their caller gave them, so a cancel command that
//! arrives on another IPC call can reach them. The cancel and the send are separate calls that
//! may be handled in either order, so a cancel for an id not registered yet is remembered for a
//! while and applies when the send registers.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sextant_engine::CancellationToken;

use crate::AppError;

/// How long a cancel for an unknown id waits for its send, and how many such cancels are kept.
const EARLY_CANCEL_FOR: Duration = Duration::from_secs(10);
const EARLY_CANCELS_KEPT: usize = 256;

#[derive(Default)]
pub(crate) struct InFlight {
    tokens: Arc<Mutex<HashMap<String, CancellationToken>>>,
    early: Mutex<HashMap<String, Instant>>,
}

/// Removes the request from the table when the send ends, however it ends.
pub(crate) struct Registration {
    tokens: Arc<Mutex<HashMap<String, CancellationToken>>>,
    id: String,
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.tokens
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.id);
    }
}

impl InFlight {
    pub fn register(&self, id: &str, token: CancellationToken) -> Result<Registration, AppError> {
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        if tokens.contains_key(id) {
            return Err(AppError::DuplicateRequestId(id.to_string()));
        }
        let cancelled_before = self
            .early
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(id)
            .is_some_and(|at| at.elapsed() < EARLY_CANCEL_FOR);
        if cancelled_before {
            token.cancel();
        }
        tokens.insert(id.to_string(), token);
        Ok(Registration {
            tokens: Arc::clone(&self.tokens),
            id: id.to_string(),
        })
    }

    /// Cancels the request `id`; true when it was in flight. A cancel for an id that is not
    /// (yet) registered is kept for [`EARLY_CANCEL_FOR`] and applies when it registers.
    pub fn cancel(&self, id: &str) -> bool {
        let tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(token) = tokens.get(id) {
            token.cancel();
            return true;
        }
        let mut early = self.early.lock().unwrap_or_else(|p| p.into_inner());
        early.retain(|_, at| at.elapsed() < EARLY_CANCEL_FOR);
        if early.len() < EARLY_CANCELS_KEPT {
            early.insert(id.to_string(), Instant::now());
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registration_ends_with_its_guard() {
        let table = InFlight::default();
        let token = CancellationToken::new();
        let guard = table.register("a", token.clone()).unwrap();
        assert!(table.register("a", CancellationToken::new()).is_err());
        assert!(table.cancel("a"));
        assert!(token.is_cancelled());
        drop(guard);
        assert!(!table.cancel("a"));
    }

    #[test]
    fn a_cancel_that_arrives_before_its_send_still_cancels_it_once() {
        let table = InFlight::default();
        assert!(!table.cancel("b"), "nothing in flight yet");
        let token = CancellationToken::new();
        let guard = table.register("b", token.clone()).unwrap();
        assert!(token.is_cancelled());
        drop(guard);
        let again = CancellationToken::new();
        let _guard = table.register("b", again.clone()).unwrap();
        assert!(!again.is_cancelled(), "an early cancel applies once");
    }
}
