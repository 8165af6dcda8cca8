//! Literal credentials typed outside the auth block: the value of a credential-named header,
//! query parameter, form field or multipart text part, and a URL's user-info password. Like a
//! literal auth secret, each goes to the secret store and the file holds [`SECRET_MARKER`] in
//! its place, so logging in through an OAuth2 password form and saving the request never writes
//! the password into a collection file.
//!
//! Which names are credentials is the model's rule ([`is_secret_name`] for headers,
//! [`is_secret_param`] for parameters), the same one the history masks by. Scopes carry the
//! row's index and name (`headers/0/Authorization`, `query/1/api_key`, `body/form/1/password`,
//! `body/multipart/0/token`, `url/password`), so an unchanged save stores the same scopes and
//! rewrites the same bytes, and two rows of one name never share a value.

use std::ops::Range;

use sextant_model::{is_secret_name, is_secret_param, variables_in, KeyValue};

use super::{is_plain_reference, Row, SecretsIn, SecretsOut, SECRET_MARKER};

/// Where a row sits in a file, which names in it are credentials, and which values may stay.
#[derive(Clone, Copy)]
pub(super) struct RowKind {
    prefix: &'static str,
    credential: fn(&str) -> bool,
    stays: fn(&str) -> bool,
}

/// Headers: a value that holds a `{{reference}}` anywhere stays as written (`Bearer {{token}}`).
pub(super) const HEADERS: RowKind = RowKind {
    prefix: "headers",
    credential: is_secret_name,
    stays: holds_reference,
};

/// Query parameters: only an empty value or one lone `{{reference}}` stays.
pub(super) const QUERY: RowKind = RowKind {
    prefix: "query",
    credential: is_secret_param,
    stays: is_plain_reference,
};

/// Form URL-encoded fields, the same rule as query parameters.
pub(super) const FORM: RowKind = RowKind {
    prefix: "body/form",
    credential: is_secret_param,
    stays: is_plain_reference,
};

/// Multipart text parts, the same rule as query parameters.
pub(super) const MULTIPART: RowKind = RowKind {
    prefix: "body/multipart",
    credential: is_secret_param,
    stays: is_plain_reference,
};

fn holds_reference(value: &str) -> bool {
    value.trim().is_empty() || !variables_in(value).is_empty()
}

fn scope(kind: RowKind, index: usize, name: &str) -> String {
    format!("{}/{index}/{name}", kind.prefix)
}

/// The value written for the row at `index`: the value itself, or [`SECRET_MARKER`] with the
/// value handed to `secrets`.
pub(super) fn value_out(
    kind: RowKind,
    index: usize,
    name: &str,
    value: &str,
    secrets: &mut SecretsOut,
) -> String {
    if (kind.credential)(name) && !(kind.stays)(value) {
        secrets
            .values
            .push((scope(kind, index, name), value.to_string()));
        SECRET_MARKER.to_string()
    } else {
        value.to_string()
    }
}

/// The value read for the row at `index`: the stored value in place of [`SECRET_MARKER`]; a
/// literal (a file from before credentials moved, or typed by hand) is read as it is.
pub(super) fn value_in(
    kind: RowKind,
    index: usize,
    name: &str,
    value: String,
    secrets: &mut SecretsIn,
) -> String {
    if value == SECRET_MARKER && (kind.credential)(name) {
        secrets.take(scope(kind, index, name))
    } else {
        value
    }
}

pub(super) fn rows_out(kind: RowKind, rows: &[KeyValue], secrets: &mut SecretsOut) -> Vec<Row> {
    rows.iter()
        .enumerate()
        .map(|(i, kv)| Row {
            name: kv.name.clone(),
            value: value_out(kind, i, &kv.name, &kv.value, secrets),
            enabled: kv.enabled,
        })
        .collect()
}

pub(super) fn rows_in(kind: RowKind, rows: Vec<Row>, secrets: &mut SecretsIn) -> Vec<KeyValue> {
    rows.into_iter()
        .enumerate()
        .map(|(i, r)| KeyValue {
            value: value_in(kind, i, &r.name, r.value, secrets),
            name: r.name,
            enabled: r.enabled,
        })
        .collect()
}

/// The byte range of the password in `scheme://user:password@host...`, when there is one.
fn password_span(url: &str) -> Option<Range<usize>> {
    let scheme_end = url.find("://")?;
    let scheme = &url[..scheme_end];
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    let start = scheme_end + 3;
    let rest = &url[start..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let at = authority.rfind('@')?;
    let colon = authority[..at].find(':')?;
    Some(start + colon + 1..start + at)
}

/// The URL as written: a literal user-info password replaced by [`SECRET_MARKER`] and handed to
/// `secrets` under `scope`; an empty password or a lone `{{reference}}` stays.
pub(super) fn url_out(scope: &str, url: &str, secrets: &mut SecretsOut) -> String {
    match password_span(url) {
        Some(span) if !is_plain_reference(&url[span.clone()]) => {
            secrets
                .values
                .push((scope.to_string(), url[span.clone()].to_string()));
            format!("{}{SECRET_MARKER}{}", &url[..span.start], &url[span.end..])
        }
        _ => url.to_string(),
    }
}

/// The URL as read: the stored password in place of [`SECRET_MARKER`].
pub(super) fn url_in(scope: &str, url: String, secrets: &mut SecretsIn) -> String {
    match password_span(&url) {
        Some(span) if &url[span.clone()] == SECRET_MARKER => {
            let password = secrets.take(scope.to_string());
            format!("{}{password}{}", &url[..span.start], &url[span.end..])
        }
        _ => url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_user_info_password_is_found() {
        let at = |url: &str| password_span(url).map(|s| url[s].to_string());
        assert_eq!(at("https://u:p@h/x").as_deref(), Some("p"));
        assert_eq!(at("https://u:p:q@h?x=1").as_deref(), Some("p:q"));
        assert_eq!(at("https://u:@h/").as_deref(), Some(""));
        assert_eq!(at("https://tok@h/"), None);
        assert_eq!(at("https://h/a@b:c"), None);
        assert_eq!(at("http://h?next=a:b@c"), None);
        assert_eq!(at("{{base}}/cb?next=https://u:p@h"), None);
        assert_eq!(at("{{baseUrl}}/me"), None);
    }

    #[test]
    fn headers_with_a_reference_anywhere_stay() {
        for stays in ["", " ", "Bearer {{token}}", "{{a}}{{b}}"] {
            assert!(holds_reference(stays), "{stays:?}");
        }
        for moves in ["Bearer abc", "abc", "{{}}"] {
            assert!(!holds_reference(moves), "{moves:?}");
        }
    }
}
