//! From a request to a curl command a POSIX shell runs as is: every argument single-quoted when
//! it needs to be, one option per line, curl's own defaults left out. [`super::parse_curl`]
//! reads the result back to the same request (the round-trip tests hold both to that).

use sextant_model::{
    ApiKeyLocation, Auth, HttpRequest, HttpVersionPref, KeyValue, PartValue, ProxySetting,
    RequestBody, RequestSettings,
};

use crate::text::{curl_escape, url_with_query};

/// The request as a multi-line curl command. Disabled rows are left out; `auth`, when given, is
/// written as `-u`, `--oauth2-bearer`, an API key header, query parameter or `--cookie`,
/// `--digest -u`, or `--aws-sigv4` with `-u access:secret`.
pub fn to_curl(req: &HttpRequest, auth: Option<&Auth>) -> String {
    let mut query = req.query.clone();
    let mut headers: Vec<&KeyValue> = req.headers.iter().filter(|h| h.enabled).collect();
    let mut auth_args: Vec<String> = Vec::new();
    let api_key_header;
    match auth {
        Some(Auth::Basic { username, password }) => {
            auth_args.push(format!("-u {}", quote(&format!("{username}:{password}"))));
        }
        Some(Auth::Bearer { token }) => {
            auth_args.push(format!("--oauth2-bearer {}", quote(token)));
        }
        Some(Auth::ApiKey {
            name,
            value,
            location: ApiKeyLocation::Header,
        }) => {
            api_key_header = KeyValue::new(name.clone(), value.clone());
            headers.push(&api_key_header);
        }
        Some(Auth::ApiKey {
            name,
            value,
            location: ApiKeyLocation::Query,
        }) => query.push(KeyValue::new(name.clone(), value.clone())),
        Some(Auth::ApiKey {
            name,
            value,
            location: ApiKeyLocation::Cookie,
        }) => auth_args.push(format!("--cookie {}", quote(&format!("{name}={value}")))),
        Some(Auth::Digest {
            username, password, ..
        }) => {
            auth_args.push("--digest".to_owned());
            auth_args.push(format!("-u {}", quote(&format!("{username}:{password}"))));
        }
        Some(Auth::AwsSigV4 {
            access_key,
            secret_key,
            session_token,
            region,
            service,
        }) => {
            let provider = format!("aws:amz:{region}:{service}");
            auth_args.push(format!("--aws-sigv4 {}", quote(&provider)));
            auth_args.push(format!(
                "-u {}",
                quote(&format!("{access_key}:{secret_key}"))
            ));
            if !session_token.is_empty() {
                let header = format!("X-Amz-Security-Token: {session_token}");
                auth_args.push(format!("-H {}", quote(&header)));
            }
        }
        Some(Auth::OAuth2(_)) => {
            // The token lives in the secret store; `sextant auth token` prints a valid one.
            let header = "Authorization: Bearer {{oauth2AccessToken}}";
            auth_args.push(format!("-H {}", quote(header)));
        }
        Some(Auth::Inherit | Auth::None) | None => {}
    }

    let (body_args, body_type, default_method) = body(&req.body);
    let mut first = String::from("curl");
    if req.method.eq_ignore_ascii_case("HEAD") && body_args.is_empty() {
        first.push_str(" --head");
    } else if req.method != default_method {
        first.push_str(" -X ");
        first.push_str(&quote(&req.method));
    }
    first.push(' ');
    first.push_str(&quote(&url_with_query(&req.url, &query)));

    let mut lines = vec![first];
    for h in headers {
        let header = if h.value.is_empty() {
            format!("{};", h.name)
        } else {
            format!("{}: {}", h.name, h.value)
        };
        lines.push(format!("-H {}", quote(&header)));
    }
    if let Some(ct) = body_type {
        lines.push(format!("-H {}", quote(&format!("Content-Type: {ct}"))));
    }
    lines.extend(auth_args);
    lines.extend(body_args);
    lines.extend(settings(&req.settings));
    lines.join(" \\\n  ")
}

/// The body's arguments, the Content-Type header it needs, and the method curl picks for it.
fn body(body: &RequestBody) -> (Vec<String>, Option<String>, &'static str) {
    match body {
        RequestBody::None => (Vec::new(), None, "GET"),
        RequestBody::Text { content_type, text } => {
            let ct = (!content_type.eq_ignore_ascii_case("application/x-www-form-urlencoded"))
                .then(|| content_type.clone());
            (vec![format!("--data-raw {}", quote(text))], ct, "POST")
        }
        RequestBody::Json { text } => (
            vec![format!("--data-raw {}", quote(text))],
            Some("application/json".into()),
            "POST",
        ),
        RequestBody::Form { fields } => {
            let args = fields
                .iter()
                .filter(|f| f.enabled)
                .map(|f| {
                    let piece = format!("{}={}", curl_escape(&f.name), f.value);
                    format!("--data-urlencode {}", quote(&piece))
                })
                .collect();
            (args, None, "POST")
        }
        RequestBody::Multipart { parts } => {
            let args = parts
                .iter()
                .filter(|p| p.enabled)
                .map(|p| match &p.value {
                    PartValue::Text { text } => {
                        let plain = !text.starts_with(['@', '<', '"']) && !text.contains(';');
                        let flag = if plain { "-F" } else { "--form-string" };
                        format!("{flag} {}", quote(&format!("{}={text}", p.name)))
                    }
                    PartValue::File {
                        path,
                        filename,
                        content_type,
                    } => {
                        let mut spec = format!("{}=@{}", p.name, form_quote(path));
                        if let Some(ct) = content_type {
                            spec.push_str(";type=");
                            spec.push_str(&form_quote(ct));
                        }
                        if let Some(name) = filename {
                            spec.push_str(";filename=");
                            spec.push_str(&form_quote(name));
                        }
                        format!("-F {}", quote(&spec))
                    }
                })
                .collect();
            (args, None, "POST")
        }
        RequestBody::Binary { path, content_type } => (
            vec![format!("--data-binary {}", quote(&format!("@{path}")))],
            content_type.clone(),
            "POST",
        ),
    }
}

fn settings(s: &RequestSettings) -> Vec<String> {
    let defaults = RequestSettings::default();
    let mut out = Vec::new();
    if s.follow_redirects {
        out.push("-L".to_owned());
        if s.max_redirects != defaults.max_redirects {
            out.push(format!("--max-redirs {}", s.max_redirects));
        }
    }
    if !s.verify_tls {
        out.push("-k".to_owned());
    }
    if let Some(ms) = s.timeout_ms {
        out.push(format!("-m {}", seconds(ms)));
    }
    if let Some(ms) = s
        .connect_timeout_ms
        .filter(|&ms| Some(ms) != defaults.connect_timeout_ms)
    {
        out.push(format!("--connect-timeout {}", seconds(ms)));
    }
    match s.http_version {
        HttpVersionPref::Auto => {}
        HttpVersionPref::Http1 => out.push("--http1.1".to_owned()),
        HttpVersionPref::Http2PriorKnowledge => out.push("--http2-prior-knowledge".to_owned()),
    }
    if let ProxySetting::Url { url } = &s.proxy {
        out.push(format!("-x {}", quote(url)));
    }
    out
}

/// Milliseconds as curl's decimal seconds: `1500` → `1.5`.
fn seconds(ms: u32) -> String {
    let whole = ms / 1000;
    let frac = ms % 1000;
    if frac == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{frac:03}")
            .trim_end_matches('0')
            .to_owned()
    }
}

/// A word for a POSIX shell: bare when it only holds characters no shell treats specially,
/// otherwise single-quoted with each `'` written as `'\''`.
pub(crate) fn quote(word: &str) -> String {
    let safe = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:@%+=,".contains(&b));
    if safe {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// A value inside `-F name=@value;type=...`: double-quoted when curl would otherwise split it.
fn form_quote(value: &str) -> String {
    if value.contains([';', ',', '"', '\\']) || value.starts_with(char::is_whitespace) {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        value.to_owned()
    }
}
