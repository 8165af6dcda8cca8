//! The request as the user wrote it, fit to be kept, and the check that stops a request still
//! holding a mask from being sent.
//!
//! The history keeps two copies of each send: the request as it went out, masked by
//! [`crate::mask_url`] and friends, and the request as the user wrote it ([`keep_as_written`]),
//! so that reopening an entry and sending it again resolves `{{token}}` against the variables and
//! auth of today instead of sending `Bearer •••`. The as-written copy keeps every
//! `{{reference}}` as typed; a credential typed literally where a credential sits (an auth
//! password, token or API key, a credential-named header, query, form or multipart value, a URL's
//! user info, a secret request variable) is replaced by [`MASK`], which reads "secret not kept".
//! Whatever is left is redacted like the as-sent copy, so the as-written copy never keeps a
//! secret the as-sent one hides.
//!
//! A mask is never sent: [`mask_left_in_saved`] and [`mask_left_in`] name the first field that
//! still holds one, for the app to refuse the send with an error the user can act on.

use sextant_model::{
    is_secret_name, variables_in, Auth, HttpRequest, KeyValue, PartValue, RequestBody, SavedRequest,
};

use crate::mask::{decode_param_name, is_secret_param};
use crate::redact::{redact, MASK};

/// `saved` as it may be kept: references as written, literal credentials replaced by [`MASK`],
/// and each of `secrets` (resolved secret values) masked wherever it still occurs.
pub fn keep_as_written(saved: &SavedRequest, secrets: &[String]) -> SavedRequest {
    let mut kept = saved.clone();
    let r = &mut kept.request;
    r.url = keep_url(&r.url);
    for q in &mut r.query {
        if is_secret_param(&q.name) {
            q.value = keep(&q.value);
        }
    }
    for h in &mut r.headers {
        h.value = keep_header(&h.name, &h.value);
    }
    match &mut r.body {
        RequestBody::Form { fields } => {
            for f in fields.iter_mut().filter(|f| is_secret_param(&f.name)) {
                f.value = keep(&f.value);
            }
        }
        RequestBody::Multipart { parts } => {
            for p in parts.iter_mut().filter(|p| is_secret_param(&p.name)) {
                if let PartValue::Text { text } = &mut p.value {
                    *text = keep(text);
                }
            }
        }
        _ => {}
    }
    match &mut kept.auth {
        Auth::Basic { password, .. } => *password = keep(password),
        Auth::Bearer { token } => *token = keep(token),
        Auth::ApiKey { value, .. } => *value = keep(value),
        Auth::Digest { password, .. } => *password = keep(password),
        Auth::AwsSigV4 {
            secret_key,
            session_token,
            ..
        } => {
            *secret_key = keep(secret_key);
            *session_token = keep(session_token);
        }
        Auth::OAuth2(config) => {
            config.client_secret = keep(&config.client_secret);
            config.password = keep(&config.password);
        }
        Auth::Inherit | Auth::None => {}
    }
    for v in &mut kept.variables {
        if v.secret || is_secret_name(&v.name) {
            v.value = keep(&v.value);
        }
    }
    redact_all(&mut kept, secrets);
    kept
}

/// Whether `value` is only references (and spaces): nothing typed in it is a literal secret.
fn templated(value: &str) -> bool {
    let mut literal = String::with_capacity(value.len());
    let mut from = 0;
    for span in variables_in(value) {
        literal.push_str(&value[from..span.start]);
        from = span.end;
    }
    literal.push_str(&value[from..]);
    literal.trim().is_empty()
}

/// A credential's value as it may be kept: as written when it is empty or only references,
/// else [`MASK`].
fn keep(value: &str) -> String {
    if value.is_empty() || templated(value) {
        value.to_owned()
    } else {
        MASK.to_owned()
    }
}

fn keep_header(name: &str, value: &str) -> String {
    let lower = name.trim().to_ascii_lowercase();
    if lower == "authorization" || lower == "proxy-authorization" {
        return match value.trim().split_once(' ') {
            Some((scheme, credentials)) if !templated(scheme) => {
                if templated(credentials) {
                    value.to_owned()
                } else {
                    format!("{scheme} {MASK}")
                }
            }
            _ => keep(value),
        };
    }
    if lower == "cookie" {
        return value
            .split(';')
            .map(|pair| match pair.split_once('=') {
                Some((n, v)) => format!("{n}={}", keep(v)),
                None => keep(pair),
            })
            .collect::<Vec<_>>()
            .join(";");
    }
    if is_secret_name(name) {
        keep(value)
    } else {
        value.to_owned()
    }
}

/// The URL with a literal password (or a lone user info, often a token) and literal values of
/// credential-named query or fragment parameters masked; references kept.
fn keep_url(url: &str) -> String {
    let (before_fragment, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let (base, query) = match before_fragment.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (before_fragment, None),
    };
    let mut out = keep_userinfo(base);
    if let Some(query) = query {
        out.push('?');
        out.push_str(&keep_params(query));
    }
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(&keep_params(fragment));
    }
    out
}

fn keep_userinfo(base: &str) -> String {
    let Some(scheme_end) = base.find("://").map(|i| i + 3) else {
        return base.to_owned();
    };
    let rest = &base[scheme_end..];
    let authority = &rest[..rest.find('/').unwrap_or(rest.len())];
    let Some(at) = authority.rfind('@') else {
        return base.to_owned();
    };
    let userinfo = match authority[..at].split_once(':') {
        Some((user, password)) => format!("{user}:{}", keep(password)),
        None => keep(&authority[..at]),
    };
    format!("{}{userinfo}{}", &base[..scheme_end], &rest[at..])
}

fn keep_params(params: &str) -> String {
    params
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) if is_secret_param(&decode_param_name(name)) => {
                format!("{name}={}", keep(value))
            }
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn redact_all(saved: &mut SavedRequest, secrets: &[String]) {
    if secrets.is_empty() {
        return;
    }
    let r = |text: &mut String| *text = redact(text, secrets);
    let rows = |rows: &mut Vec<KeyValue>| {
        for row in rows {
            row.value = redact(&row.value, secrets);
        }
    };
    let req = &mut saved.request;
    r(&mut req.url);
    rows(&mut req.query);
    rows(&mut req.headers);
    match &mut req.body {
        RequestBody::Text { text, .. } | RequestBody::Json { text } => r(text),
        RequestBody::Form { fields } => rows(fields),
        RequestBody::Multipart { parts } => {
            for p in parts {
                if let PartValue::Text { text } = &mut p.value {
                    r(text);
                }
            }
        }
        RequestBody::None | RequestBody::Binary { .. } => {}
    }
    match &mut saved.auth {
        Auth::Basic { username, password } => {
            r(username);
            r(password);
        }
        Auth::Bearer { token } => r(token),
        Auth::ApiKey { value, .. } => r(value),
        Auth::Digest {
            username, password, ..
        } => {
            r(username);
            r(password);
        }
        Auth::AwsSigV4 {
            access_key,
            secret_key,
            session_token,
            ..
        } => {
            r(access_key);
            r(secret_key);
            r(session_token);
        }
        Auth::OAuth2(config) => {
            r(&mut config.client_id);
            r(&mut config.client_secret);
            r(&mut config.username);
            r(&mut config.password);
        }
        Auth::Inherit | Auth::None => {}
    }
    for v in &mut saved.variables {
        r(&mut v.value);
    }
}

/// The first place of `saved`'s own auth or variables, then of its request (see
/// [`mask_left_in`]), that holds [`MASK`]: a secret the history did not keep. `None` when the
/// request can be sent.
pub fn mask_left_in_saved(saved: &SavedRequest) -> Option<String> {
    let has = |text: &str| text.contains(MASK);
    let auth = match &saved.auth {
        Auth::Basic { password, .. } if has(password) => Some("the Basic auth password".into()),
        Auth::Bearer { token } if has(token) => Some("the Bearer token".into()),
        Auth::ApiKey { name, value, .. } if has(value) => Some(format!("the API key {name}")),
        Auth::Digest { password, .. } if has(password) => Some("the Digest password".into()),
        Auth::AwsSigV4 { secret_key, .. } if has(secret_key) => {
            Some("the AWS secret access key".into())
        }
        Auth::AwsSigV4 { session_token, .. } if has(session_token) => {
            Some("the AWS session token".into())
        }
        Auth::OAuth2(config) if has(&config.client_secret) => {
            Some("the OAuth 2.0 client secret".into())
        }
        Auth::OAuth2(config) if has(&config.password) => Some("the OAuth 2.0 password".into()),
        _ => None,
    };
    auth.or_else(|| {
        saved
            .variables
            .iter()
            .find(|v| v.enabled && has(&v.value))
            .map(|v| format!("the request variable {}", v.name))
    })
    .or_else(|| mask_left_in(&saved.request))
}

/// The first enabled field of `request` that holds [`MASK`] (the URL, a query parameter, a
/// header, the body or one of its fields), named for an error message; `None` when there is
/// none.
pub fn mask_left_in(request: &HttpRequest) -> Option<String> {
    let has = |text: &str| text.contains(MASK);
    let row = |rows: &[KeyValue], what: &str| {
        rows.iter()
            .find(|r| r.enabled && (has(&r.value) || has(&r.name)))
            .map(|r| format!("the {what} {}", r.name.trim()))
    };
    if has(&request.url) {
        return Some("the URL".into());
    }
    row(&request.query, "query parameter")
        .or_else(|| row(&request.headers, "header"))
        .or_else(|| match &request.body {
            RequestBody::Text { text, .. } | RequestBody::Json { text } if has(text) => {
                Some("the body".into())
            }
            RequestBody::Form { fields } => row(fields, "form field"),
            RequestBody::Multipart { parts } => parts
                .iter()
                .find(|p| p.enabled && matches!(&p.value, PartValue::Text { text } if has(text)))
                .map(|p| format!("the multipart part {}", p.name)),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use sextant_model::{ApiKeyLocation, Variable};

    fn saved(request: HttpRequest, auth: Auth) -> SavedRequest {
        let mut s = SavedRequest::new("r", request);
        s.auth = auth;
        s
    }

    #[test]
    fn references_are_kept_as_written() {
        let mut req = HttpRequest::get("{{baseUrl}}/me?api_key={{key}}");
        req.headers
            .push(KeyValue::new("Authorization", "Bearer {{token}}"));
        req.headers.push(KeyValue::new("Cookie", "sid={{sid}}"));
        req.query.push(KeyValue::new("token", "{{ token }}"));
        let s = saved(
            req,
            Auth::Basic {
                username: "ann".into(),
                password: "{{pw}}".into(),
            },
        );
        let kept = keep_as_written(&s, &[]);
        assert_eq!(kept, s);
        assert_eq!(mask_left_in_saved(&kept), None);
    }

    #[test]
    fn literal_credentials_are_not_kept() {
        let mut req = HttpRequest::get("http://ann:hunter2@h/x?access_token=abc&page=2#sig=zz");
        req.headers
            .push(KeyValue::new("Authorization", "Bearer abc.def"));
        req.headers.push(KeyValue::new("X-API-Key", "k123"));
        req.headers
            .push(KeyValue::new("Cookie", "sid=s1; theme={{theme}}"));
        req.headers.push(KeyValue::new("Accept", "text/plain"));
        req.query.push(KeyValue::new("password", "pw"));
        req.body = RequestBody::Form {
            fields: vec![
                KeyValue::new("username", "ann"),
                KeyValue::new("password", "hunter2"),
            ],
        };
        let mut s = saved(
            req,
            Auth::Bearer {
                token: "t0k".into(),
            },
        );
        s.variables.push(Variable {
            name: "code".into(),
            value: "c0de".into(),
            secret: true,
            enabled: true,
        });
        let kept = keep_as_written(&s, &[]);
        let r = &kept.request;
        assert_eq!(r.url, "http://ann:•••@h/x?access_token=•••&page=2#sig=•••");
        let headers: Vec<_> = r.headers.iter().map(|h| h.value.as_str()).collect();
        assert_eq!(
            headers,
            [
                "Bearer •••",
                "•••",
                "sid=•••; theme={{theme}}",
                "text/plain"
            ]
        );
        assert_eq!(r.query[0].value, "•••");
        let RequestBody::Form { fields } = &r.body else {
            panic!("a form")
        };
        assert_eq!(
            (fields[0].value.as_str(), fields[1].value.as_str()),
            ("ann", "•••")
        );
        assert_eq!(
            kept.auth,
            Auth::Bearer {
                token: "•••".into()
            }
        );
        assert_eq!(kept.variables[0].value, "•••");
        let text = serde_json::to_string(&kept).unwrap();
        for secret in ["hunter2", "abc", "k123", "t0k", "c0de", "s1", "zz"] {
            assert!(!text.contains(secret), "{secret} kept: {text}");
        }
        assert_eq!(
            mask_left_in_saved(&kept).as_deref(),
            Some("the Bearer token")
        );
    }

    #[test]
    fn resolved_secret_values_are_redacted_anywhere() {
        let mut req = HttpRequest::get("http://h/x");
        req.body = RequestBody::Json {
            text: r#"{"note":"s3cret-value"}"#.into(),
        };
        let s = saved(
            req,
            Auth::ApiKey {
                name: "X-Key".into(),
                value: "{{k}}".into(),
                location: ApiKeyLocation::Header,
            },
        );
        let kept = keep_as_written(&s, &["s3cret-value".into()]);
        assert_eq!(
            kept.request.body,
            RequestBody::Json {
                text: r#"{"note":"•••"}"#.into()
            }
        );
        assert_eq!(mask_left_in(&kept.request).as_deref(), Some("the body"));
    }

    #[test]
    fn a_mask_left_anywhere_is_named() {
        let mut req = HttpRequest::get("http://h/x");
        assert_eq!(mask_left_in(&req), None);
        req.headers
            .push(KeyValue::new("Authorization", "Bearer •••"));
        assert_eq!(
            mask_left_in(&req).as_deref(),
            Some("the header Authorization")
        );
        req.headers[0].enabled = false;
        assert_eq!(mask_left_in(&req), None, "a disabled row is not sent");
        req.url = "http://•••:•••@h/".into();
        assert_eq!(mask_left_in(&req).as_deref(), Some("the URL"));
        let s = saved(
            HttpRequest::get("http://h/"),
            Auth::ApiKey {
                name: "key".into(),
                value: "•••".into(),
                location: ApiKeyLocation::Query,
            },
        );
        assert_eq!(mask_left_in_saved(&s).as_deref(), Some("the API key key"));
    }
}
