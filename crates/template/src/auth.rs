//! Which auth a request ends up with (its own, or the nearest folder's) and how that auth becomes
//! a header, query or cookie row, or, for Digest and AWS SigV4 that cannot be rendered up front,
//! resolved credentials the engine answers or signs with.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use sextant_model::{ApiKeyLocation, Auth, FolderSettings, KeyValue, OAuth2Config, Signing};

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

/// What applying auth produced: the name of the row it added or extended (a credential the
/// engine must not carry to another origin) and the credentials the engine signs with.
#[derive(Default)]
pub(crate) struct Applied {
    pub(crate) credential: Option<String>,
    pub(crate) signing: Option<Signing>,
    /// An OAuth 2.0 config, rendered: the app gets the token and adds its row.
    pub(crate) oauth2: Option<OAuth2Config>,
}

/// Adds the auth to `headers` or `query`, unless a row of the same name is already there: what
/// the user wrote explicitly wins. A bearer token or API key name that renders empty adds nothing.
/// An API key in a cookie joins the `Cookie` header (added when there is none). Digest and SigV4
/// add no row: their resolved fields go to the engine, unless the user wrote an `Authorization`.
pub(crate) fn apply(
    auth: &Auth,
    headers: &mut Vec<KeyValue>,
    query: &mut Vec<KeyValue>,
    r: &mut Renderer<'_>,
) -> Applied {
    if let Auth::OAuth2(config) = auth {
        return Applied {
            oauth2: Some(crate::oauth::render(config, r)),
            ..Applied::default()
        };
    }
    if let Some(signing) = signing(auth, headers, r) {
        return Applied {
            signing: Some(signing),
            ..Applied::default()
        };
    }
    let before = (headers.len(), query.len());
    let extended = add(auth, headers, query, r);
    let credential = headers
        .get(before.0..)
        .into_iter()
        .chain(query.get(before.1..))
        .flatten()
        .map(|row| row.name.clone())
        .next()
        .or(extended);
    Applied {
        credential,
        ..Applied::default()
    }
}

fn signing(auth: &Auth, headers: &[KeyValue], r: &mut Renderer<'_>) -> Option<Signing> {
    let signing = match auth {
        Auth::Digest {
            username,
            password,
            algorithm,
        } => Signing::Digest {
            username: r.render(username, Field::Auth),
            password: r.render(password, Field::Auth),
            algorithm: *algorithm,
        },
        Auth::AwsSigV4 {
            access_key,
            secret_key,
            session_token,
            region,
            service,
        } => Signing::AwsSigV4 {
            access_key: r.render(access_key, Field::Auth),
            secret_key: r.render(secret_key, Field::Auth),
            session_token: r.render(session_token, Field::Auth),
            region: r.render(region, Field::Auth),
            service: r.render(service, Field::Auth),
        },
        _ => return None,
    };
    (!has_row(headers, "Authorization")).then_some(signing)
}

/// Adds `name=value` to the enabled `Cookie` row, or adds one. Returns `Cookie` when it extended
/// an existing row (a new row is found by the caller). A cookie of that name already there wins.
fn add_cookie(headers: &mut Vec<KeyValue>, name: &str, value: &str) -> Option<String> {
    let row = headers
        .iter_mut()
        .find(|h| h.enabled && h.name.trim().eq_ignore_ascii_case("Cookie"));
    let Some(row) = row else {
        headers.push(KeyValue::new("Cookie", format!("{name}={value}")));
        return None;
    };
    let present = row
        .value
        .split(';')
        .any(|pair| pair.split('=').next().map(str::trim) == Some(name.trim()));
    if !present {
        let sep = if row.value.trim().is_empty() {
            ""
        } else {
            "; "
        };
        row.value = format!("{}{sep}{name}={value}", row.value.trim_end());
    }
    Some(row.name.clone())
}

fn add(
    auth: &Auth,
    headers: &mut Vec<KeyValue>,
    query: &mut Vec<KeyValue>,
    r: &mut Renderer<'_>,
) -> Option<String> {
    match auth {
        Auth::Inherit
        | Auth::None
        | Auth::Digest { .. }
        | Auth::AwsSigV4 { .. }
        | Auth::OAuth2(_) => {}
        Auth::Basic { username, password } => {
            if has_row(headers, "Authorization") {
                return None;
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
                return None;
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
            if name.trim().is_empty() {
                return None;
            }
            let rows = match location {
                ApiKeyLocation::Header => headers,
                ApiKeyLocation::Query => query,
                ApiKeyLocation::Cookie => {
                    let value = r.render(value, Field::Auth);
                    return add_cookie(headers, &name, &value);
                }
            };
            if has_row(rows, &name) {
                return None;
            }
            let value = r.render(value, Field::Auth);
            rows.push(KeyValue::new(name, value));
        }
    }
    None
}
