//! One request as the Python arguments of an HTTP call, shared by the pytest export (httpx) and
//! the Locust export (`requests`, through Locust's client): URL, query, headers, basic and digest
//! auth, body, redirects and timeout; then its assertions, captures and the variables in scope.
//! The two libraries differ only in how they spell a few arguments; what a request means is one
//! reading here, so the two exports cannot drift apart.

use serde_json::Value;
use sextant_model::{
    variables_in, Assertion, CaptureSource, ConversionWarning, PartValue, RequestBody,
    TokenPlacement,
};

use crate::plan::{Step, StepAuth, VarDef};
use crate::pyassert::{self, Needs};
use crate::pylit::{self, string, template};

/// The Python HTTP library the call is written for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Client {
    /// httpx (pytest): `content=`, form fields grouped by name, `follow_redirects`.
    Httpx,
    /// requests (Locust): `data=...encode()`, form fields as pairs, `allow_redirects`.
    Requests,
}

/// The arguments of one request's call, built in order: [`Call::new`] (query and headers),
/// [`Call::auth`], [`Call::body`], then [`Call::args`].
pub(crate) struct Call<'a> {
    step: &'a Step,
    client: Client,
    /// When a file is read, for the warning: "the tests run", "the load test runs".
    runs: &'static str,
    /// Whether any text refers to a variable (the call needs `v`, the variables in scope).
    pub used_scope: bool,
    /// Whether a file is read (`from pathlib import Path`).
    pub path: bool,
    /// Header names and values, as Python expressions.
    pub headers: Vec<(String, String)>,
    /// Query pairs, as Python tuples.
    pub params: Vec<String>,
    extra: Vec<String>,
}

impl<'a> Call<'a> {
    pub fn new(step: &'a Step, client: Client, runs: &'static str) -> Self {
        let mut call = Call {
            step,
            client,
            runs,
            used_scope: false,
            path: false,
            headers: Vec::new(),
            params: Vec::new(),
            extra: Vec::new(),
        };
        for (n, v) in &step.headers {
            let header = (call.t(n), call.t(v));
            call.headers.push(header);
        }
        for (n, v) in &step.query {
            let param = format!("({}, {})", call.t(n), call.t(v));
            call.params.push(param);
        }
        call
    }

    /// `text` as a Python expression, rendered with the variables in scope when it has any.
    pub fn t(&mut self, text: &str) -> String {
        if !variables_in(text).is_empty() {
            self.used_scope = true;
        }
        template(text)
    }

    /// Basic and digest auth as an argument; an OAuth 2.0 token is the caller's to place (each
    /// export gets its token its own way), so it is handed back.
    pub fn auth(&mut self, needs: &mut Needs) -> Option<(usize, &'a TokenPlacement)> {
        let step = self.step;
        match &step.auth {
            StepAuth::None => {}
            StepAuth::Basic { username, password } => {
                let arg = format!("auth=({}, {})", self.t(username), self.t(password));
                self.extra.push(arg);
            }
            StepAuth::Digest { username, password } => {
                // Digest auth is the library's own, imported where it is used.
                let (helper, class) = match self.client {
                    Client::Httpx => ("httpx", "httpx.DigestAuth"),
                    Client::Requests => ("digest", "HTTPDigestAuth"),
                };
                needs.helpers.insert(helper);
                let arg = format!("auth={class}({}, {})", self.t(username), self.t(password));
                self.extra.push(arg);
            }
            StepAuth::OAuth2 { index, placement } => return Some((*index, placement)),
        }
        None
    }

    fn content_type(&mut self, ct: &str) {
        if !ct.is_empty() && !self.step.has_header("content-type") {
            self.headers.push(("\"Content-Type\"".into(), string(ct)));
        }
    }

    /// Text sent as the body.
    fn text_body(&mut self, text: &str) {
        let expr = self.t(text);
        self.extra.push(match self.client {
            Client::Httpx => format!("content={expr}"),
            Client::Requests => format!("data={expr}.encode()"),
        });
    }

    fn read_warning(&self, file: &str, warnings: &mut Vec<ConversionWarning>) {
        warnings.push(ConversionWarning {
            location: self.step.name.clone(),
            message: format!(
                "the file {file} is read from the same path when {}",
                self.runs
            ),
        });
    }

    pub fn body(&mut self, warnings: &mut Vec<ConversionWarning>) {
        let step = self.step;
        match &step.body {
            RequestBody::None => {}
            RequestBody::Json { text } => match (
                variables_in(text).is_empty(),
                serde_json::from_str::<Value>(text),
            ) {
                (true, Ok(v)) => self.extra.push(format!("json={}", pylit::json(&v))),
                _ => {
                    self.text_body(text);
                    self.content_type("application/json");
                }
            },
            RequestBody::Text {
                content_type: ct,
                text,
            } => {
                self.text_body(text);
                self.content_type(ct);
            }
            RequestBody::Form { fields } => {
                let fields: Vec<(&str, String)> = fields
                    .iter()
                    .filter(|f| f.enabled)
                    .map(|f| (f.name.as_str(), self.t(&f.value)))
                    .collect();
                let arg = match self.client {
                    Client::Httpx => format!("data={{{}}}", grouped(fields).join(", ")),
                    Client::Requests => {
                        let items: Vec<String> = fields
                            .iter()
                            .map(|(n, v)| format!("({}, {v})", string(n)))
                            .collect();
                        format!("data=[{}]", items.join(", "))
                    }
                };
                self.extra.push(arg);
            }
            RequestBody::Multipart { parts } => {
                let mut data = Vec::new();
                let mut files = Vec::new();
                for p in parts.iter().filter(|p| p.enabled) {
                    let name = string(&p.name);
                    match &p.value {
                        PartValue::Text { text } => {
                            let value = self.t(text);
                            match self.client {
                                Client::Httpx => data.push(format!("{name}: {value}")),
                                Client::Requests => {
                                    files.push(format!("({name}, (None, {value}))"))
                                }
                            }
                        }
                        PartValue::File {
                            path: file,
                            filename,
                            content_type,
                        } => {
                            self.path = true;
                            let file_name = filename.clone().unwrap_or_else(|| {
                                std::path::Path::new(file)
                                    .file_name()
                                    .map(|n| n.to_string_lossy().into_owned())
                                    .unwrap_or_default()
                            });
                            let content = format!(
                                "({}, Path({}).read_bytes(), {})",
                                string(&file_name),
                                string(file),
                                string(
                                    content_type
                                        .as_deref()
                                        .unwrap_or("application/octet-stream")
                                )
                            );
                            files.push(match self.client {
                                Client::Httpx => format!("{name}: {content}"),
                                Client::Requests => format!("({name}, {content})"),
                            });
                            self.read_warning(file, warnings);
                        }
                    }
                }
                match self.client {
                    Client::Httpx => {
                        if !data.is_empty() {
                            self.extra.push(format!("data={{{}}}", data.join(", ")));
                        }
                        self.extra.push(format!("files={{{}}}", files.join(", ")));
                    }
                    Client::Requests => self.extra.push(format!("files=[{}]", files.join(", "))),
                }
            }
            RequestBody::Binary {
                path: file,
                content_type: ct,
            } => {
                self.path = true;
                let keyword = match self.client {
                    Client::Httpx => "content",
                    Client::Requests => "data",
                };
                self.extra
                    .push(format!("{keyword}=Path({}).read_bytes()", string(file)));
                self.content_type(ct.as_deref().unwrap_or("application/octet-stream"));
                self.read_warning(file, warnings);
            }
        }
    }

    /// The call's arguments: `lead` (method, URL and what the caller puts before the rest), the
    /// query, the headers, auth and body, redirects and timeout.
    pub fn args(&mut self, mut lead: Vec<String>) -> Vec<String> {
        if !self.params.is_empty() {
            lead.push(format!("params=[{}]", self.params.join(", ")));
        }
        if !self.headers.is_empty() {
            lead.push(match self.client {
                Client::Httpx => {
                    let items: Vec<String> = self
                        .headers
                        .iter()
                        .map(|(n, v)| format!("({n}, {v})"))
                        .collect();
                    format!("headers=[{}]", items.join(", "))
                }
                Client::Requests => {
                    let items: Vec<String> = self
                        .headers
                        .iter()
                        .map(|(n, v)| format!("{n}: {v}"))
                        .collect();
                    format!("headers={{{}}}", items.join(", "))
                }
            });
        }
        lead.append(&mut self.extra);
        if !self.step.follow_redirects {
            lead.push(match self.client {
                Client::Httpx => "follow_redirects=False".into(),
                Client::Requests => "allow_redirects=False".into(),
            });
        }
        if let Some(ms) = self.step.timeout_ms {
            lead.push(format!("timeout={}", f64::from(ms) / 1000.0));
        }
        lead
    }
}

/// Form fields as httpx takes them: a dict, a repeated name's values as a list.
fn grouped(fields: Vec<(&str, String)>) -> Vec<String> {
    let mut seen: Vec<(&str, Vec<String>)> = Vec::new();
    for (name, v) in fields {
        match seen.iter_mut().find(|(n, _)| *n == name) {
            Some((_, vs)) => vs.push(v),
            None => seen.push((name, vec![v])),
        }
    }
    seen.iter()
        .map(|(n, vs)| {
            if vs.len() == 1 {
                format!("{}: {}", string(n), vs[0])
            } else {
                format!("{}: [{}]", string(n), vs.join(", "))
            }
        })
        .collect()
}

/// The step's assertions, each through `write` (the `assert` line and the assertion), or as a
/// comment and a warning when it cannot be exported.
pub(crate) fn assertions(
    step: &Step,
    needs: &mut Needs,
    warnings: &mut Vec<ConversionWarning>,
    write: impl Fn(&Assertion, String) -> String,
) -> Vec<String> {
    let mut lines = Vec::new();
    for a in &step.assertions {
        match pyassert::assertion(a, needs) {
            Ok(line) => lines.push(write(a, line)),
            Err(why) => {
                lines.push(format!("# not exported ({why}): {}", pyassert::describe(a)));
                warnings.push(ConversionWarning {
                    location: step.name.clone(),
                    message: format!(
                        "the assertion `{}` is not exported: {why}",
                        pyassert::describe(a)
                    ),
                });
            }
        }
    }
    lines
}

/// The step's captures as `<variables>.capture(name, value)` lines.
pub(crate) fn captures(
    step: &Step,
    variables: &str,
    needs: &mut Needs,
    warnings: &mut Vec<ConversionWarning>,
) -> Vec<String> {
    let mut lines = Vec::new();
    for c in &step.captures {
        let value = match &c.source {
            CaptureSource::Body { path } => pyassert::json_path(path, needs),
            CaptureSource::Header { name } => format!("response.headers.get({})", string(name)),
            CaptureSource::Record { .. } => {
                warnings.push(ConversionWarning {
                    location: step.name.clone(),
                    message: format!(
                        "the capture of {} from a stream record is not exported",
                        c.variable
                    ),
                });
                continue;
            }
        };
        lines.push(format!(
            "{variables}.capture({}, {value})",
            string(&c.variable)
        ));
    }
    lines
}

/// `v = <variables>.scope(...)`: the variables in scope for the step (its folder's and its own).
/// A request variable without a default is read with `from_env`.
pub(crate) fn scope_line(variables: &str, folder_const: Option<&str>, step: &Step) -> String {
    let mut kw = Vec::new();
    if let Some(c) = folder_const {
        kw.push(format!("folder={c}"));
    }
    if !step.variables.is_empty() {
        kw.push(format!("request={}", dict_entries(&step.variables)));
    }
    format!("v = {variables}.scope({})", kw.join(", "))
}

fn dict_entries(vars: &[VarDef]) -> String {
    let items: Vec<String> = vars
        .iter()
        .map(|v| match &v.default {
            Some(d) => format!("{}: {}", string(&v.name), string(d)),
            None => format!("{}: from_env(PREFIX, {})", string(&v.name), string(&v.name)),
        })
        .collect();
    format!("{{{}}}", items.join(", "))
}
