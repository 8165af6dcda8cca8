//! Which operation a request calls when it does not name one: the operation with the request's
//! method whose path template matches the URL's path (`/items/{id}` matches `/items/42`), below
//! one of the spec's servers' base paths. Literal segments compare percent-decoded, a trailing
//! slash does not count, and the most specific template wins: the fewest parameters, then the
//! first in the document.

use crate::model::{ApiSpec, Operation};

/// The operation of `spec` that a `method` request to `url` (absolute, or just its path) calls.
pub fn match_by_path<'a>(spec: &'a ApiSpec, method: &str, url: &str) -> Option<&'a Operation> {
    let path = segments(url_path(url));
    let mut bases: Vec<Vec<String>> = spec
        .servers
        .iter()
        .map(|s| segments(url_path(&s.url)))
        .collect();
    bases.push(Vec::new());
    let mut best: Option<(usize, usize, &Operation)> = None;
    for (order, op) in spec.operations.iter().enumerate() {
        if !op.method.eq_ignore_ascii_case(method) {
            continue;
        }
        let template: Vec<&str> = raw_segments(&op.path);
        let params = bases
            .iter()
            .filter_map(|base| rest_after(&path, base))
            .filter_map(|rest| matches(&template, rest))
            .min();
        if let Some(params) = params {
            if best.is_none_or(|(p, o, _)| (params, order) < (p, o)) {
                best = Some((params, order, op));
            }
        }
    }
    best.map(|(_, _, op)| op)
}

/// The path of `url`: after the scheme and host, without the query or fragment.
fn url_path(url: &str) -> &str {
    let url = url.split(['?', '#']).next().unwrap_or("");
    match url.find("://") {
        Some(i) => {
            let after = &url[i + 3..];
            after.find('/').map_or("", |j| &after[j..])
        }
        None => url,
    }
}

fn raw_segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

fn segments(path: &str) -> Vec<String> {
    raw_segments(path).into_iter().map(decode).collect()
}

/// `path` without the leading `base` segments (a `{variable}` of a server URL matches any one).
fn rest_after<'p>(path: &'p [String], base: &[String]) -> Option<&'p [String]> {
    if base.len() > path.len() {
        return None;
    }
    let fits = base
        .iter()
        .zip(path)
        .all(|(b, p)| b == p || (b.starts_with('{') && b.ends_with('}')));
    fits.then(|| &path[base.len()..])
}

/// The number of parameters `template` used to match `path`, or `None` when it does not.
fn matches(template: &[&str], path: &[String]) -> Option<usize> {
    if template.len() != path.len() {
        return None;
    }
    let mut params = 0;
    for (t, p) in template.iter().zip(path) {
        match t.find('{') {
            None => {
                if decode(t) != *p {
                    return None;
                }
            }
            Some(open) => {
                let close = t.rfind('}')?;
                let (prefix, suffix) = (decode(&t[..open]), decode(&t[close + 1..]));
                let fits = p.len() > prefix.len() + suffix.len()
                    && p.starts_with(&prefix)
                    && p.ends_with(&suffix);
                if !fits {
                    return None;
                }
                params += t.matches('{').count();
            }
        }
    }
    Some(params)
}

/// `%XX` escapes decoded (as UTF-8, invalid bytes replaced); anything else kept.
fn decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn spec(servers: serde_json::Value) -> ApiSpec {
        let op = |id: &str| json!({"operationId": id, "responses": {"200": {"description": "ok"}}});
        crate::parse_str(
            &json!({
                "openapi": "3.1.0",
                "info": {"title": "t", "version": "1"},
                "servers": servers,
                "paths": {
                    "/items": {"get": op("list"), "post": op("create")},
                    "/items/{id}": {"get": op("get")},
                    "/items/mine": {"get": op("mine")},
                    "/shops/{shop}/items/{id}": {"get": op("shopItem")},
                    "/shops/{shop}/items/{id}/notes/{note}": {"get": op("note")},
                    "/files/{name}.json": {"get": op("file")},
                    "/tags/caf\u{e9}": {"get": op("cafe")},
                }
            })
            .to_string(),
        )
        .unwrap()
    }

    fn id(spec: &ApiSpec, method: &str, url: &str) -> Option<String> {
        match_by_path(spec, method, url).map(|op| op.id.clone())
    }

    #[test]
    fn a_template_matches_by_method_and_the_most_specific_wins() {
        let s = spec(json!([{"url": "http://api.test"}]));
        assert_eq!(
            id(&s, "GET", "http://api.test/items/42").as_deref(),
            Some("get")
        );
        assert_eq!(
            id(&s, "get", "http://api.test/items").as_deref(),
            Some("list")
        );
        assert_eq!(
            id(&s, "POST", "http://api.test/items?x=1").as_deref(),
            Some("create")
        );
        // A literal segment beats a parameter.
        assert_eq!(
            id(&s, "GET", "http://api.test/items/mine").as_deref(),
            Some("mine")
        );
        // Several parameters.
        assert_eq!(
            id(&s, "GET", "/shops/7/items/42").as_deref(),
            Some("shopItem")
        );
        assert_eq!(
            id(&s, "GET", "/shops/7/items/42/notes/a1").as_deref(),
            Some("note")
        );
        // A parameter inside a segment.
        assert_eq!(id(&s, "GET", "/files/report.json").as_deref(), Some("file"));
        assert_eq!(id(&s, "GET", "/files/.json"), None);
    }

    #[test]
    fn trailing_slashes_and_encoded_segments_do_not_count() {
        let s = spec(json!([]));
        assert_eq!(id(&s, "GET", "http://h/items/").as_deref(), Some("list"));
        assert_eq!(
            id(&s, "GET", "http://h/items/42/#top").as_deref(),
            Some("get")
        );
        assert_eq!(
            id(&s, "GET", "http://h/tags/caf%C3%A9").as_deref(),
            Some("cafe")
        );
        assert_eq!(
            id(&s, "GET", "http://h/%69tems/a%2Fb").as_deref(),
            Some("get")
        );
    }

    #[test]
    fn a_servers_base_path_comes_first_and_no_match_is_none() {
        let s = spec(json!([{"url": "https://api.test/v1"}, {"url": "/{stage}/api"}]));
        assert_eq!(
            id(&s, "GET", "https://api.test/v1/items/9").as_deref(),
            Some("get")
        );
        assert_eq!(
            id(&s, "GET", "http://x/prod/api/items").as_deref(),
            Some("list")
        );
        assert_eq!(id(&s, "DELETE", "https://api.test/v1/items/9"), None);
        assert_eq!(id(&s, "GET", "https://api.test/v1/orders/9"), None);
        assert_eq!(id(&s, "GET", "https://api.test/v2/extra/items/9/x"), None);
        assert_eq!(id(&s, "GET", "https://api.test"), None);
    }
}
