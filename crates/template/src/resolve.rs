//! Turning a saved request and its context into the `HttpRequest` the engine sends: inherited
//! base URL, headers and auth first, then `{{variables}}` in every field.

use std::collections::HashSet;

use sextant_model::{
    Environment, FolderSettings, HttpRequest, KeyValue, MultipartPart, OAuth2Config, PartValue,
    RequestBody, SavedRequest, UndefinedVariable, Variable,
};

use crate::auth;
use crate::error::TemplateError;
use crate::scope::{Field, Renderer, Scope};

/// Everything around a request that can define variables or hand settings down.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// Variables shared by every collection.
    pub globals: &'a [Variable],
    /// The collection's settings, then each folder down to the request's own, outer → inner.
    pub chain: &'a [FolderSettings],
    /// The selected environment.
    pub environment: Option<&'a Environment>,
    /// Values captured from earlier responses or set while the app runs.
    pub runtime: &'a [Variable],
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResolveOptions {
    /// `false` keeps references to secret variables as `{{name}}` text: for exports and generated
    /// code that must not carry secrets. Sending needs `true`.
    pub reveal_secrets: bool,
}

/// A request ready for the engine.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// Only enabled rows, every reference substituted, auth applied.
    pub request: HttpRequest,
    /// Values of secret variables that were substituted (and a Basic credential built from
    /// them, base64-encoded), for [`crate::redact`] before history stores the request.
    pub secret_values: Vec<String>,
    /// Names of the variables substituted, nested ones included, in order of first use.
    pub used: Vec<String>,
    /// The OAuth 2.0 sign-in the request's auth (own or inherited) names, every field rendered:
    /// the caller gets the token and adds it.
    pub oauth2: Option<OAuth2Config>,
}

/// Resolves `saved` in `ctx`. Fails when a reference is defined nowhere (all such names are
/// reported at once) or when variables refer to each other in a cycle.
pub fn resolve(
    saved: &SavedRequest,
    ctx: &Context<'_>,
    opts: &ResolveOptions,
) -> Result<Resolved, TemplateError> {
    let scope = Scope::build(ctx, &saved.variables);
    let mut r = Renderer::new(&scope, opts.reveal_secrets);
    let (request, oauth2) = build(saved, ctx.chain, &mut r);
    if let Some(err) = r.error {
        return Err(err);
    }
    if !r.undefined.is_empty() {
        let mut names: Vec<String> = r.undefined.into_iter().map(|(n, _)| n).collect();
        names.sort();
        names.dedup();
        return Err(TemplateError::Undefined { names });
    }
    Ok(Resolved {
        request,
        secret_values: r.secret_values,
        used: r.used,
        oauth2,
    })
}

/// Every reference `saved` makes that no scope defines, once per name and field, in the order
/// they occur (URL, query, headers, body, auth). Inherited base URL, headers and auth count.
pub fn undefined(saved: &SavedRequest, ctx: &Context<'_>) -> Vec<UndefinedVariable> {
    let scope = Scope::build(ctx, &saved.variables);
    let mut r = Renderer::new(&scope, true);
    build(saved, ctx.chain, &mut r);
    let mut seen = HashSet::new();
    r.undefined
        .into_iter()
        .filter(|(name, field)| seen.insert((name.clone(), *field)))
        .map(|(name, field)| UndefinedVariable {
            name,
            field: field.as_str().to_owned(),
        })
        .collect()
}

fn build(
    saved: &SavedRequest,
    chain: &[FolderSettings],
    r: &mut Renderer<'_>,
) -> (HttpRequest, Option<OAuth2Config>) {
    let req = &saved.request;
    let url = r.render(&with_base_url(&req.url, chain), Field::Url);
    let mut query = rows(&req.query, Field::Query, r);
    let mut levels: Vec<Vec<KeyValue>> = chain
        .iter()
        .map(|s| rows(&s.headers, Field::Header, r))
        .collect();
    levels.push(rows(&req.headers, Field::Header, r));
    let mut headers = merge_headers(levels);
    let body = body(&req.body, r);
    let applied = auth::apply(
        auth::effective(&saved.auth, chain),
        &mut headers,
        &mut query,
        r,
    );
    let request = HttpRequest {
        method: req.method.clone(),
        url,
        query,
        headers,
        body,
        settings: req.settings.clone(),
        credentials: applied.credential.into_iter().collect(),
        signing: applied.signing,
    };
    (request, applied.oauth2)
}

/// Prefixes the innermost non-empty base URL to a relative request URL with exactly one `/`
/// between them. A URL with a scheme (`https://`, `ws://`, ...) or starting with `{{` is kept.
pub(crate) fn with_base_url(url: &str, chain: &[FolderSettings]) -> String {
    let base = chain
        .iter()
        .rev()
        .filter_map(|s| s.base_url.as_deref())
        .map(str::trim)
        .find(|b| !b.is_empty());
    let Some(base) = base else {
        return url.to_owned();
    };
    if url.trim_start().starts_with("{{") || has_scheme(url.trim_start()) {
        return url.to_owned();
    }
    let url = url.trim();
    if url.is_empty() || url.starts_with(['?', '#']) {
        return format!("{base}{url}");
    }
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        url.trim_start_matches('/')
    )
}

fn has_scheme(url: &str) -> bool {
    let Some((scheme, _)) = url.split_once("://") else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn rows(rows: &[KeyValue], field: Field, r: &mut Renderer<'_>) -> Vec<KeyValue> {
    rows.iter()
        .filter(|row| row.enabled)
        .map(|row| KeyValue::new(r.render(&row.name, field), r.render(&row.value, field)))
        .collect()
}

/// Joins header levels outer → inner: a level's header replaces every same-named
/// (case-insensitive) header of the levels before it; duplicates within one level stay.
fn merge_headers(levels: Vec<Vec<KeyValue>>) -> Vec<KeyValue> {
    let key = |h: &KeyValue| h.name.trim().to_ascii_lowercase();
    let mut merged: Vec<KeyValue> = Vec::new();
    for level in levels {
        let names: HashSet<String> = level.iter().map(key).collect();
        merged.retain(|h| !names.contains(&key(h)));
        merged.extend(level);
    }
    merged
}

fn body(body: &RequestBody, r: &mut Renderer<'_>) -> RequestBody {
    let f = Field::Body;
    match body {
        RequestBody::None => RequestBody::None,
        RequestBody::Text { content_type, text } => RequestBody::Text {
            content_type: r.render(content_type, f),
            text: r.render(text, f),
        },
        RequestBody::Json { text } => RequestBody::Json {
            text: r.render(text, f),
        },
        RequestBody::Form { fields } => RequestBody::Form {
            fields: rows(fields, f, r),
        },
        RequestBody::Multipart { parts } => RequestBody::Multipart {
            parts: parts
                .iter()
                .filter(|p| p.enabled)
                .map(|p| MultipartPart {
                    name: r.render(&p.name, f),
                    enabled: true,
                    value: match &p.value {
                        PartValue::Text { text } => PartValue::Text {
                            text: r.render(text, f),
                        },
                        PartValue::File {
                            path,
                            filename,
                            content_type,
                        } => PartValue::File {
                            path: r.render(path, f),
                            filename: filename.as_deref().map(|n| r.render(n, f)),
                            content_type: content_type.as_deref().map(|c| r.render(c, f)),
                        },
                    },
                })
                .collect(),
        },
        RequestBody::Binary { path, content_type } => RequestBody::Binary {
            path: r.render(path, f),
            content_type: content_type.as_deref().map(|c| r.render(c, f)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(bases: &[Option<&str>]) -> Vec<FolderSettings> {
        bases
            .iter()
            .map(|b| FolderSettings {
                base_url: b.map(str::to_owned),
                ..FolderSettings::default()
            })
            .collect()
    }

    #[test]
    fn scheme_detection() {
        assert!(has_scheme("https://x"));
        assert!(has_scheme("ws://x"));
        assert!(has_scheme("svn+ssh://x"));
        assert!(!has_scheme("/users?next=http://x"));
        assert!(!has_scheme("users"));
        assert!(!has_scheme("://x"));
    }

    #[test]
    fn base_url_edge_cases() {
        let c = chain(&[Some("http://h/api/")]);
        assert_eq!(with_base_url("", &c), "http://h/api/");
        assert_eq!(with_base_url("?q=1", &c), "http://h/api/?q=1");
        assert_eq!(with_base_url("//x", &c), "http://h/api/x");
        assert_eq!(with_base_url("{{host}}/x", &c), "{{host}}/x");
        assert_eq!(with_base_url("users", &chain(&[None, Some("  ")])), "users");
    }
}
