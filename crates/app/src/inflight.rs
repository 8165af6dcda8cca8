//! The requests currently in flight, by the id their caller gave them, so a cancel command that
//! arrives on another IPC call can reach them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sextant_engine::CancellationToken;

use crate::AppError;

#[derive(Default)]
pub(crate) struct InFlight {
    tokens: Arc<Mutex<HashMap<String, CancellationToken>>>,
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
        tokens.insert(id.to_string(), token);
        Ok(Registration {
            tokens: Arc::clone(&self.tokens),
            id: id.to_string(),
        })
    }

    pub fn cancel(&self, id: &str) -> bool {
        match self
            .tokens
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(id)
        {
            Some(token) => {
                token.cancel();
                true
            }
            None => false,
        }
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
}
