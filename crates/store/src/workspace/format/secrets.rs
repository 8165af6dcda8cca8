//! Secret values on their way out of and back into files. A file never holds a secret: it
//! holds [`SECRET_MARKER`] (or a plain `{{variable}}` reference, which may stay) and the value
//! travels through [`SecretsOut`] / [`SecretsIn`] under a scope such as `auth/password`. Kept
//! apart because every other part of the format (auth, variables, credentials, TLS) uses it.

/// What a file holds in place of a literal auth secret (Basic password, Bearer token, API key
/// value) whose value is in the secret store.
pub const SECRET_MARKER: &str = "<secret>";

/// Secret values taken out of a model value while converting it to a file: `(scope, value)`.
#[derive(Debug, Default)]
pub(crate) struct SecretsOut {
    pub(crate) values: Vec<(String, String)>,
}

/// Secret values to fill back while converting a file to the model.
pub(crate) struct SecretsIn<'a> {
    lookup: &'a dyn Fn(&str) -> Option<String>,
    /// Scopes that the file refers to but the store does not have (a fresh clone of the folder).
    pub(crate) missing: Vec<String>,
}

impl<'a> SecretsIn<'a> {
    pub(crate) fn new(lookup: &'a dyn Fn(&str) -> Option<String>) -> Self {
        Self {
            lookup,
            missing: Vec::new(),
        }
    }

    pub(super) fn take(&mut self, scope: String) -> String {
        match (self.lookup)(&scope) {
            Some(value) => value,
            None => {
                self.missing.push(scope);
                String::new()
            }
        }
    }
}

/// Whether a value may stay in a file: empty, or nothing but one `{{variable}}` reference.
pub fn is_plain_reference(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() {
        return true;
    }
    match v.strip_prefix("{{").and_then(|r| r.strip_suffix("}}")) {
        Some(inner) => {
            let inner = inner.trim();
            !inner.is_empty() && !inner.contains(['{', '}', '\n', '\r'])
        }
        None => false,
    }
}

pub(super) fn secret_out(scope: &str, value: &str, secrets: &mut SecretsOut) -> String {
    if is_plain_reference(value) {
        value.to_string()
    } else {
        secrets.values.push((scope.to_string(), value.to_string()));
        SECRET_MARKER.to_string()
    }
}

pub(super) fn secret_in(scope: &str, value: String, secrets: &mut SecretsIn) -> String {
    if value == SECRET_MARKER {
        secrets.take(scope.to_string())
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_references_count_as_plain() {
        for plain in ["", "  ", "{{token}}", " {{ token }} "] {
            assert!(is_plain_reference(plain), "{plain:?}");
        }
        for literal in [
            "abc",
            "Bearer {{token}}",
            "{{a}}{{b}}",
            "{{}}",
            "{{a\nb}}",
            "{{token",
        ] {
            assert!(!is_plain_reference(literal), "{literal:?}");
        }
    }
}
