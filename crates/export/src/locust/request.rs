//! One request as a Locust task: the variables in scope, the call through Locust's client
//! (`requests` arguments: params, headers, auth, body, redirects, timeout), and its assertions
//! and captures as checks that mark the request failed with the assertion as written.

use serde_json::Value;
use sextant_model::{
    variables_in, CaptureSource, ConversionWarning, PartValue, RequestBody, TokenPlacement,
};

use super::file::Uses;
use crate::plan::{Step, StepAuth, VarDef};
use crate::pyassert::{self, Needs};
use crate::pylit::{self, string, template};

/// The name a request's statistics are grouped under: its URL as written, variables and all,
/// so `/items/{{itemId}}` is one row however many ids it is sent with.
pub(crate) fn stats_name(step: &Step) -> String {
    step.url.clone()
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

/// The lines of one request's task: the variables in scope, the request through Locust's
/// client (`requests` arguments), its checks and captures.
pub(super) fn request(
    step: &Step,
    variables: &str,
    folder_const: Option<&str>,
    with_outcome: bool,
    uses_all: &mut Uses,
    warnings: &mut Vec<ConversionWarning>,
) -> Vec<String> {
    let mut needs = Needs::default();
    let mut used_scope = false;
    let mut t = |text: &str| {
        if !variables_in(text).is_empty() {
            used_scope = true;
        }
        template(text)
    };
    let mut args = vec![string(&step.method), t(&step.url)];
    args.push(format!("name={}", string(&stats_name(step))));
    let mut headers: Vec<(String, String)> =
        step.headers.iter().map(|(n, v)| (t(n), t(v))).collect();
    let mut params: Vec<String> = step
        .query
        .iter()
        .map(|(n, v)| format!("({}, {})", t(n), t(v)))
        .collect();
    let has_header = |name: &str| {
        step.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    };
    let mut extra = Vec::new();
    match &step.auth {
        StepAuth::None => {}
        StepAuth::Basic { username, password } => {
            extra.push(format!("auth=({}, {})", t(username), t(password)));
        }
        StepAuth::Digest { username, password } => {
            extra.push(format!(
                "auth=HTTPDigestAuth({}, {})",
                t(username),
                t(password)
            ));
            needs.helpers.insert("digest");
        }
        StepAuth::OAuth2 { placement, .. } => {
            uses_all.access_token = true;
            warnings.push(ConversionWarning {
                location: step.name.clone(),
                message: "the load test does not fetch OAuth 2.0 tokens: the token is read from the variable {{accessToken}}".into(),
            });
            match placement {
                TokenPlacement::Header { prefix } => {
                    let text = if prefix.is_empty() {
                        "{{accessToken}}".to_owned()
                    } else {
                        format!("{prefix} {{{{accessToken}}}}")
                    };
                    headers.push(("\"Authorization\"".into(), t(&text)));
                }
                TokenPlacement::Query { name } => {
                    params.push(format!("({}, {})", string(name), t("{{accessToken}}")));
                }
            }
        }
    }
    let content_type = |ct: &str, headers: &mut Vec<(String, String)>| {
        if !ct.is_empty() && !has_header("content-type") {
            headers.push(("\"Content-Type\"".into(), string(ct)));
        }
    };
    match &step.body {
        RequestBody::None => {}
        RequestBody::Json { text } => match (
            variables_in(text).is_empty(),
            serde_json::from_str::<Value>(text),
        ) {
            (true, Ok(v)) => extra.push(format!("json={}", pylit::json(&v))),
            _ => {
                extra.push(format!("data={}.encode()", t(text)));
                content_type("application/json", &mut headers);
            }
        },
        RequestBody::Text {
            content_type: ct,
            text,
        } => {
            extra.push(format!("data={}.encode()", t(text)));
            content_type(ct, &mut headers);
        }
        RequestBody::Form { fields } => {
            let items: Vec<String> = fields
                .iter()
                .filter(|f| f.enabled)
                .map(|f| format!("({}, {})", string(&f.name), t(&f.value)))
                .collect();
            extra.push(format!("data=[{}]", items.join(", ")));
        }
        RequestBody::Multipart { parts } => {
            let mut files = Vec::new();
            for p in parts.iter().filter(|p| p.enabled) {
                match &p.value {
                    PartValue::Text { text } => {
                        files.push(format!("({}, (None, {}))", string(&p.name), t(text)))
                    }
                    PartValue::File {
                        path: file,
                        filename,
                        content_type,
                    } => {
                        uses_all.path = true;
                        let name = filename.clone().unwrap_or_else(|| {
                            std::path::Path::new(file)
                                .file_name()
                                .map(|n| n.to_string_lossy().into_owned())
                                .unwrap_or_default()
                        });
                        files.push(format!(
                            "({}, ({}, Path({}).read_bytes(), {}))",
                            string(&p.name),
                            string(&name),
                            string(file),
                            string(
                                content_type
                                    .as_deref()
                                    .unwrap_or("application/octet-stream")
                            )
                        ));
                        warnings.push(ConversionWarning {
                            location: step.name.clone(),
                            message: format!(
                                "the file {file} is read from the same path when the load test runs"
                            ),
                        });
                    }
                }
            }
            extra.push(format!("files=[{}]", files.join(", ")));
        }
        RequestBody::Binary {
            path: file,
            content_type: ct,
        } => {
            uses_all.path = true;
            extra.push(format!("data=Path({}).read_bytes()", string(file)));
            content_type(
                ct.as_deref().unwrap_or("application/octet-stream"),
                &mut headers,
            );
            warnings.push(ConversionWarning {
                location: step.name.clone(),
                message: format!(
                    "the file {file} is read from the same path when the load test runs"
                ),
            });
        }
    }
    if !params.is_empty() {
        args.push(format!("params=[{}]", params.join(", ")));
    }
    if !headers.is_empty() {
        let items: Vec<String> = headers.iter().map(|(n, v)| format!("{n}: {v}")).collect();
        args.push(format!("headers={{{}}}", items.join(", ")));
    }
    args.extend(extra);
    if !step.follow_redirects {
        args.push("allow_redirects=False".into());
    }
    if let Some(ms) = step.timeout_ms {
        args.push(format!("timeout={}", f64::from(ms) / 1000.0));
    }

    let mut checks = Vec::new();
    for a in &step.assertions {
        match pyassert::assertion(a, &mut needs) {
            Ok(line) => {
                let message = string(&pyassert::describe(a));
                let expr = line
                    .strip_prefix("assert ")
                    .and_then(|l| l.strip_suffix(&format!(", {message}")))
                    .unwrap_or("False");
                checks.push(format!("expect({expr}, {message})"));
            }
            Err(why) => {
                checks.push(format!("# not exported ({why}): {}", pyassert::describe(a)));
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
    for c in &step.captures {
        let value = match &c.source {
            CaptureSource::Body { path } => pyassert::json_path(path, &mut needs),
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
        checks.push(format!(
            "{variables}.capture({}, {value})",
            string(&c.variable)
        ));
    }
    if needs.scope {
        used_scope = true;
    }
    if used_scope {
        needs.helpers.insert("render");
    }

    let mut lines = Vec::new();
    if needs.helpers.remove("digest") {
        lines.push("from requests.auth import HTTPDigestAuth".into());
        lines.push(String::new());
    }
    if used_scope {
        let mut kw = Vec::new();
        if let Some(c) = folder_const {
            kw.push(format!("folder={c}"));
        }
        if !step.variables.is_empty() {
            kw.push(format!("request={}", dict_entries(&step.variables)));
        }
        lines.push(format!("v = {variables}.scope({})", kw.join(", ")));
    }
    let real_checks = checks.iter().any(|c| !c.starts_with('#'));
    if real_checks {
        args.push("catch_response=True".into());
        lines.push("with self.client.request(".into());
    } else {
        // Without checks Locust's own rule holds: a 4xx or 5xx status is a failure.
        lines.push("self.client.request(".into());
    }
    for a in args {
        lines.push(format!("    {a},"));
    }
    if real_checks {
        lines.push(if with_outcome {
            ") as response, checks(response) as outcome:".into()
        } else {
            ") as response, checks(response):".into()
        });
        if needs.body {
            lines.push("    body = json_body(response)".into());
        }
        lines.extend(checks.into_iter().map(|c| format!("    {c}")));
    } else {
        lines.push(")".into());
        lines.extend(checks);
    }
    uses_all.needs.re |= needs.re;
    uses_all.needs.body |= needs.body;
    uses_all.needs.helpers.extend(needs.helpers.iter().copied());
    if lines.iter().any(|l| l.contains("from_env(")) {
        uses_all.needs.helpers.insert("from_env");
    }
    lines
}
