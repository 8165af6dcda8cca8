//! Which auth a request ends up with (its own, or the nearest folder's) and how that auth becomes
//! a header or query row.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use sextant_model::{ApiKeyLocation, Auth, FolderSettings, KeyValue};

use crate::scope::{Field, Renderer};

/// The request's own auth unless it is `Inherit`; then the innermost folder's (or the
/// collection's) that is not `Inherit`; `None` when every level inherits.
pub(crate) fn effective<'a>(own: &'a Auth, chain: &'a [FolderSettings]) -> &'a Auth {
    std::iter::once(own)
        .chain(chain.iter().rev().map(|s| &s.auth))
        .find(|a| !matches!(a, Auth::Inherit))
        .unwrap_or(&Auth::None)
}

fn has_row(rows: &[KeyValue], name: &str) -> bool {
    rows.iter()
        .any(|r| r.enabled && r.name.trim().eq_ignore_ascii_case(name.trim()))
}

/// Adds the auth to `headers` or `query`, unless a row of the same name is already there: what
/// the user wrote explicitly wins. A bearer token or API key name that renders empty adds nothing.
/// Returns the name of the row it added: a credential the engine must not carry to another origin.
pub(crate) fn apply(
    auth: &Auth,
    headers: &mut Vec<KeyValue>,
    query: &mut Vec<KeyValue>,
    r: &mut Renderer<'_>,
) -> Option<String> {
    let before = (headers.len(), query.len());
    add(auth, headers, query, r);
    headers
        .get(before.0..)
        .into_iter()
        .chain(query.get(before.1..))
        .flatten()
        .map(|row| row.name.clone())
        .next()
}

fn add(auth: &Auth, headers: &mut Vec<KeyValue>, query: &mut Vec<KeyValue>, r: &mut Renderer<'_>) {
    match auth {
        Auth::Inherit | Auth::None => {}
        Auth::Basic { username, password } => {
            if has_row(headers, "Authorization") {
                return;
            }
            let secrets_before = r.secret_values.len();
            let user = r.render(username, Field::Auth);
            let pass = r.render(password, Field::Auth);
            let encoded = STANDARD.encode(format!("{user}:{pass}"));
            if r.secret_values.len() > secrets_before {
                r.add_secret(encoded.clone());
            }
            headers.push(KeyValue::new("Authorization", format!("Basic {encoded}")));
        }
        Auth::Bearer { token } => {
            if has_row(headers, "Authorization") {
                return;
            }
            let token = r.render(token, Field::Auth);
            if !token.trim().is_empty() {
                headers.push(KeyValue::new("Authorization", format!("Bearer {token}")));
            }
        }
        Auth::ApiKey {
            name,
            value,
            location,
        } => {
            let name = r.render(name, Field::Auth);
            let rows = match location {
                ApiKeyLocation::Header => headers,
                ApiKeyLocation::Query => query,
            };
            if name.trim().is_empty() || has_row(rows, &name) {
                return;
            }
            let value = r.render(value, Field::Auth);
            rows.push(KeyValue::new(name, value));
        }
    }
}
