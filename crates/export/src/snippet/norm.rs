//! The request in the one shape every language writes: the query's literal pairs appended to
//! the URL, auth turned into headers, parameters or a login, the body's `Content-Type` made
//! explicit, and every secret read from an environment variable.

use sextant_model::{
    is_secret_name, is_secret_param, variables_in, ApiKeyLocation, Auth, PartValue, RequestBody,
    TokenPlacement,
};

use super::text::{form_encode, Part, Text};
use super::{SnippetRequest, SNIPPET_ENV_PREFIX};
use crate::names::{env_var, variable_for};

/// An environment variable the snippet reads, and what it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EnvVar {
    pub var: String,
    pub what: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MPart {
    Text {
        name: String,
        value: Text,
    },
    File {
        name: String,
        path: String,
        /// The file name sent: the one set, else the path's last part.
        filename: String,
        content_type: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Body {
    None,
    /// JSON or raw text, its `Content-Type` among the headers.
    Text(Text),
    Form(Vec<(String, Text)>),
    Multipart(Vec<MPart>),
    /// The bytes of a file, its `Content-Type` among the headers.
    File(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Login {
    Basic,
    Digest,
}

pub(crate) struct Norm {
    pub method: String,
    /// The URL with the literal query pairs appended.
    pub url: Text,
    /// Whether `url` already has a `?`.
    pub url_has_query: bool,
    /// Query pairs whose value reads an environment variable: encoded at run time.
    pub env_query: Vec<(String, Text)>,
    pub headers: Vec<(String, Text)>,
    pub body: Body,
    pub login: Option<(Login, Text, Text)>,
    pub timeout_ms: Option<u32>,
    pub verify_tls: bool,
    pub follow_redirects: bool,
    pub env: Vec<EnvVar>,
    /// What the snippet does not do that the request does, as comment lines.
    pub notes: Vec<String>,
}

impl Norm {
    /// The comment lines and statements a snippet opens with: the secrets it reads from the
    /// environment under `heading` (`read` writes one variable's line, given what it stands for
    /// on one line), a blank line after them when `gap`, then the notes as `comment` lines.
    pub(crate) fn opening(
        &self,
        comment: &str,
        heading: &str,
        gap: bool,
        read: impl Fn(&EnvVar, &str) -> String,
    ) -> Vec<String> {
        let mut lines = Vec::new();
        if !self.env.is_empty() {
            lines.push(format!("{comment} {heading}"));
            for e in &self.env {
                lines.push(read(e, &e.what.replace('\n', " ")));
            }
            if gap {
                lines.push(String::new());
            }
        }
        for note in &self.notes {
            lines.push(format!("{comment} {note}"));
        }
        lines
    }
}

struct Vars(Vec<EnvVar>);

impl Vars {
    fn var(&mut self, name: &str, what: String) -> String {
        let mut var = env_var(SNIPPET_ENV_PREFIX, name);
        if var == SNIPPET_ENV_PREFIX || var.ends_with('_') {
            var = format!("{SNIPPET_ENV_PREFIX}_SECRET");
        }
        if !self.0.iter().any(|v| v.var == var) {
            self.0.push(EnvVar {
                var: var.clone(),
                what,
            });
        }
        var
    }

    /// `value` with each `{{name}}` left in it (a secret or undefined variable) read from the
    /// environment.
    fn text(&mut self, value: &str) -> Text {
        let mut out = Text::default();
        let mut at = 0;
        for span in variables_in(value) {
            out.push(Part::Lit(value[at..span.start].to_owned()));
            let what = format!("the variable {{{{{}}}}}", span.name);
            out.push(Part::Env(self.var(&span.name, what)));
            at = span.end;
        }
        out.push(Part::Lit(value[at..].to_owned()));
        out
    }

    /// A credential: a literal one is read from the environment as a whole.
    fn secret(&mut self, value: &str, hint: &str) -> Text {
        if value.is_empty() || !variables_in(value).is_empty() {
            return self.text(value);
        }
        let what = format!("the {hint} (a credential, never written into code)");
        Text::env(&self.var(&variable_for(hint), what))
    }
}

fn has(rows: &[(String, Text)], name: &str) -> bool {
    rows.iter()
        .any(|(n, _)| n.trim().eq_ignore_ascii_case(name.trim()))
}

impl Norm {
    pub(crate) fn new(req: &SnippetRequest) -> Norm {
        let r = &req.request;
        let mut v = Vars(Vec::new());
        let mut notes = Vec::new();
        let mut url = v.text(r.url.trim());
        let mut query: Vec<(String, Text)> = r
            .query
            .iter()
            .filter(|q| q.enabled)
            .map(|q| {
                let value = if is_secret_param(&q.name) {
                    v.secret(&q.value, &q.name)
                } else {
                    v.text(&q.value)
                };
                (q.name.clone(), value)
            })
            .collect();
        let mut headers: Vec<(String, Text)> = r
            .headers
            .iter()
            .filter(|h| h.enabled && !h.name.trim().is_empty())
            .map(|h| {
                let value = if is_secret_name(&h.name) {
                    v.secret(&h.value, &h.name)
                } else {
                    v.text(&h.value)
                };
                (h.name.clone(), value)
            })
            .collect();

        let mut login = None;
        match &req.auth {
            Auth::Inherit | Auth::None => {}
            Auth::Basic { username, password }
            | Auth::Digest {
                username, password, ..
            } if !has(&headers, "Authorization") => {
                let kind = if matches!(req.auth, Auth::Basic { .. }) {
                    Login::Basic
                } else {
                    Login::Digest
                };
                login = Some((kind, v.text(username), v.secret(password, "password")));
            }
            Auth::Basic { .. } | Auth::Digest { .. } => {}
            Auth::Bearer { token } => {
                if !has(&headers, "Authorization") && !token.trim().is_empty() {
                    let value = Text::lit("Bearer ").concat(v.secret(token, "token"));
                    headers.push(("Authorization".into(), value));
                }
            }
            Auth::ApiKey {
                name,
                value,
                location,
            } if !name.trim().is_empty() => match location {
                ApiKeyLocation::Header if !has(&headers, name) => {
                    headers.push((name.clone(), v.secret(value, name)))
                }
                ApiKeyLocation::Query if !has(&query, name) => {
                    query.push((name.clone(), v.secret(value, name)))
                }
                ApiKeyLocation::Cookie => {
                    let pair = Text::lit(&format!("{name}=")).concat(v.secret(value, name));
                    match headers
                        .iter_mut()
                        .find(|(n, _)| n.trim().eq_ignore_ascii_case("Cookie"))
                    {
                        Some((_, cookie)) => {
                            let joined =
                                std::mem::take(cookie).concat(Text::lit("; ")).concat(pair);
                            *cookie = joined;
                        }
                        None => headers.push(("Cookie".into(), pair)),
                    }
                }
                _ => {}
            },
            Auth::ApiKey { .. } => {}
            Auth::AwsSigV4 { .. } => notes.push(
                "AWS Signature V4 is not written into snippets: this request is sent unsigned."
                    .into(),
            ),
            Auth::OAuth2(config) => {
                let mut token =
                    || {
                        Text::env(&v.var(
                        "accessToken",
                        "an OAuth 2.0 access token (sign in in Sextant, then copy the token)"
                            .into(),
                    ))
                    };
                match &config.placement {
                    TokenPlacement::Header { prefix } if !has(&headers, "Authorization") => {
                        let lead = if prefix.is_empty() {
                            String::new()
                        } else {
                            format!("{prefix} ")
                        };
                        headers.push(("Authorization".into(), Text::lit(&lead).concat(token())));
                    }
                    TokenPlacement::Query { name } => query.push((name.clone(), token())),
                    TokenPlacement::Header { .. } => {}
                }
            }
        }

        let mut url_has_query = url
            .0
            .iter()
            .any(|p| matches!(p, Part::Lit(s) if s.contains('?')));
        let mut env_query = Vec::new();
        for (name, value) in query {
            match value.literal() {
                Some(lit) => {
                    let sep = if url_has_query { "&" } else { "?" };
                    url_has_query = true;
                    url.push(Part::Lit(format!(
                        "{sep}{}={}",
                        form_encode(&name),
                        form_encode(&lit)
                    )));
                }
                None => env_query.push((name, value)),
            }
        }

        let content_type = |headers: &mut Vec<(String, Text)>, ct: &str| {
            if !ct.is_empty() && !has(headers, "Content-Type") {
                headers.push(("Content-Type".into(), Text::lit(ct)));
            }
        };
        let body = match &r.body {
            RequestBody::None => Body::None,
            RequestBody::Json { text } => {
                content_type(&mut headers, "application/json");
                Body::Text(v.text(text))
            }
            RequestBody::Text {
                content_type: ct,
                text,
            } => {
                content_type(&mut headers, ct);
                Body::Text(v.text(text))
            }
            RequestBody::Form { fields } => Body::Form(
                fields
                    .iter()
                    .filter(|f| f.enabled)
                    .map(|f| {
                        let value = if is_secret_param(&f.name) {
                            v.secret(&f.value, &f.name)
                        } else {
                            v.text(&f.value)
                        };
                        (f.name.clone(), value)
                    })
                    .collect(),
            ),
            RequestBody::Multipart { parts } => Body::Multipart(
                parts
                    .iter()
                    .filter(|p| p.enabled)
                    .map(|p| match &p.value {
                        PartValue::Text { text } => MPart::Text {
                            name: p.name.clone(),
                            value: if is_secret_param(&p.name) {
                                v.secret(text, &p.name)
                            } else {
                                v.text(text)
                            },
                        },
                        PartValue::File {
                            path,
                            filename,
                            content_type,
                        } => MPart::File {
                            name: p.name.clone(),
                            path: path.clone(),
                            filename: filename
                                .clone()
                                .filter(|f| !f.is_empty())
                                .unwrap_or_else(|| super::text::base_name(path).to_owned()),
                            content_type: content_type.clone().filter(|c| !c.is_empty()),
                        },
                    })
                    .collect(),
            ),
            RequestBody::Binary { path, content_type } => {
                let ct = content_type
                    .as_deref()
                    .filter(|c| !c.is_empty())
                    .unwrap_or("application/octet-stream");
                if !has(&headers, "Content-Type") {
                    headers.push(("Content-Type".into(), Text::lit(ct)));
                }
                Body::File(path.clone())
            }
        };

        Norm {
            method: r.method.trim().to_ascii_uppercase(),
            url,
            url_has_query,
            env_query,
            headers,
            body,
            login,
            timeout_ms: r.settings.timeout_ms,
            verify_tls: r.settings.verify_tls,
            follow_redirects: r.settings.follow_redirects,
            env: v.0,
            notes,
        }
    }

    /// The method, `GET` when none was set.
    pub(crate) fn method(&self) -> &str {
        if self.method.is_empty() {
            "GET"
        } else {
            &self.method
        }
    }
}
