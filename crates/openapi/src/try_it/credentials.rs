//! Credentials in a body are the user's to type: a made-up `password=password` is sent as if it
//! were real and fails at the server with nothing said. A required parameter, form field or
//! JSON property that looks like a credential and has no value in the document (example, default, const,
//! enum) is left empty, and one note names every such field ("Fill in: username, password.").

use crate::model::Schema;

/// Whether a field named `name` with `schema` holds a credential: `format: password`, or a name
/// such as `password`, `client_secret`, `api_key`, `access_token` or `username`.
pub(super) fn is_credential(name: &str, schema: Option<&Schema>) -> bool {
    if schema.is_some_and(|s| s.format.as_deref() == Some("password")) {
        return true;
    }
    let key: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    matches!(
        key.as_str(),
        "username" | "user" | "login" | "pass" | "passwd"
    ) || ["password", "secret", "token", "apikey"]
        .iter()
        .any(|word| key.ends_with(word))
}

/// Whether the document gives `schema` a value of its own (Try it uses it, credential or not).
pub(super) fn has_document_value(schema: &Schema) -> bool {
    !schema.examples.is_empty()
        || schema.default.as_ref().is_some_and(|d| !d.is_null())
        || schema.const_value.is_some()
        || !schema.enum_values.is_empty()
}

/// The note that names the credentials left empty, if any.
pub(super) fn fill_in_note(names: &[String]) -> Option<String> {
    (!names.is_empty()).then(|| format!("Fill in: {}.", names.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_names_and_the_password_format() {
        for name in [
            "username",
            "password",
            "client_secret",
            "api_key",
            "X-API-Key",
            "access_token",
            "refreshToken",
        ] {
            assert!(is_credential(name, None), "{name}");
        }
        for name in [
            "name",
            "grant_type",
            "scope",
            "client_id",
            "tokens_used",
            "note",
        ] {
            assert!(!is_credential(name, None), "{name}");
        }
        let password = Schema {
            format: Some("password".to_owned()),
            ..Schema::default()
        };
        assert!(is_credential("pin", Some(&password)));
    }

    #[test]
    fn the_note_lists_the_fields_in_order() {
        assert_eq!(fill_in_note(&[]), None);
        assert_eq!(
            fill_in_note(&["username".to_owned(), "password".to_owned()]).as_deref(),
            Some("Fill in: username, password.")
        );
    }
}
