//! One request as the body of its test: the `client.request(...)` call (headers, query,
//! body, auth), then its assertions as `assert` lines and its captures kept for the next tests.

use serde_json::Value;
use sextant_model::{
    variables_in, CaptureSource, ConversionWarning, PartValue, RequestBody, TokenPlacement,
};

use crate::plan::{Group, Plan, Step, StepAuth, VarDef};
use crate::pyassert::{self, Needs};
use crate::pylit::{self, string, template};

pub(super) struct TestCode {
    pub lines: Vec<String>,
    pub needs: Needs,
    pub path: bool,
    pub prefix: bool,
    pub oauth2: bool,
}

fn dict_entries(vars: &[VarDef], needs: &mut Needs, prefix: &mut bool) -> String {
    let items: Vec<String> = vars
        .iter()
        .map(|v| match &v.default {
            Some(d) => format!("{}: {}", string(&v.name), string(d)),
            None => {
                needs.helpers.insert("from_env");
                *prefix = true;
                format!("{}: from_env(PREFIX, {})", string(&v.name), string(&v.name))
            }
        })
        .collect();
    format!("{{{}}}", items.join(", "))
}

pub(super) fn test(
    _plan: &Plan,
    _group: &Group,
    step: &Step,
    folder_const: Option<&str>,
    contract: Option<&str>,
    warnings: &mut Vec<ConversionWarning>,
) -> TestCode {
    let mut needs = Needs::default();
    let mut prefix = false;
    let mut path = false;
    let mut oauth2 = false;
    let mut used_scope = false;
    let mut t = |text: &str| {
        if !variables_in(text).is_empty() {
            used_scope = true;
        }
        template(text)
    };

    let mut args = vec![string(&step.method), t(&step.url)];
    let mut headers: Vec<String> = step
        .headers
        .iter()
        .map(|(n, v)| format!("({}, {})", t(n), t(v)))
        .collect();
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
    match &step.auth {
        StepAuth::None => {}
        StepAuth::Basic { username, password } => {
            args.push(format!("auth=({}, {})", t(username), t(password)));
        }
        StepAuth::Digest { username, password } => {
            needs.helpers.insert("httpx");
            args.push(format!(
                "auth=httpx.DigestAuth({}, {})",
                t(username),
                t(password)
            ));
        }
        StepAuth::OAuth2 { index, placement } => {
            oauth2 = true;
            match placement {
                TokenPlacement::Header { prefix } if prefix.is_empty() => {
                    headers.push(format!("(\"Authorization\", oauth2({index}))"));
                }
                TokenPlacement::Header { prefix } => {
                    headers.push(format!(
                        "(\"Authorization\", {} + oauth2({index}))",
                        string(&format!("{prefix} "))
                    ));
                }
                TokenPlacement::Query { name } => {
                    params.push(format!("({}, oauth2({index}))", string(name)));
                }
            }
        }
    }
    let content_type = |ct: &str, headers: &mut Vec<String>| {
        if !ct.is_empty() && !has_header("content-type") {
            headers.push(format!("(\"Content-Type\", {})", string(ct)));
        }
    };
    match &step.body {
        RequestBody::None => {}
        RequestBody::Json { text } => {
            match (
                variables_in(text).is_empty(),
                serde_json::from_str::<Value>(text),
            ) {
                (true, Ok(v)) => args.push(format!("json={}", pylit::json(&v))),
                _ => {
                    args.push(format!("content={}", t(text)));
                    content_type("application/json", &mut headers);
                }
            }
        }
        RequestBody::Text {
            content_type: ct,
            text,
        } => {
            args.push(format!("content={}", t(text)));
            content_type(ct, &mut headers);
        }
        RequestBody::Form { fields } => {
            let mut seen: Vec<(String, Vec<String>)> = Vec::new();
            for f in fields.iter().filter(|f| f.enabled) {
                let v = t(&f.value);
                match seen.iter_mut().find(|(n, _)| *n == f.name) {
                    Some((_, vs)) => vs.push(v),
                    None => seen.push((f.name.clone(), vec![v])),
                }
            }
            let items: Vec<String> = seen
                .iter()
                .map(|(n, vs)| {
                    if vs.len() == 1 {
                        format!("{}: {}", string(n), vs[0])
                    } else {
                        format!("{}: [{}]", string(n), vs.join(", "))
                    }
                })
                .collect();
            args.push(format!("data={{{}}}", items.join(", ")));
        }
        RequestBody::Multipart { parts } => {
            let mut data = Vec::new();
            let mut files = Vec::new();
            for p in parts.iter().filter(|p| p.enabled) {
                match &p.value {
                    PartValue::Text { text } => {
                        data.push(format!("{}: {}", string(&p.name), t(text)))
                    }
                    PartValue::File {
                        path: file,
                        filename,
                        content_type,
                    } => {
                        path = true;
                        let name = filename.clone().unwrap_or_else(|| {
                            std::path::Path::new(file)
                                .file_name()
                                .map(|n| n.to_string_lossy().into_owned())
                                .unwrap_or_default()
                        });
                        files.push(format!(
                            "{}: ({}, Path({}).read_bytes(), {})",
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
                                "the file {file} is read from the same path when the tests run"
                            ),
                        });
                    }
                }
            }
            if !data.is_empty() {
                args.push(format!("data={{{}}}", data.join(", ")));
            }
            args.push(format!("files={{{}}}", files.join(", ")));
        }
        RequestBody::Binary {
            path: file,
            content_type: ct,
        } => {
            path = true;
            args.push(format!("content=Path({}).read_bytes()", string(file)));
            content_type(
                ct.as_deref().unwrap_or("application/octet-stream"),
                &mut headers,
            );
            warnings.push(ConversionWarning {
                location: step.name.clone(),
                message: format!("the file {file} is read from the same path when the tests run"),
            });
        }
    }
    if !params.is_empty() {
        args.insert(2, format!("params=[{}]", params.join(", ")));
    }
    if !headers.is_empty() {
        let at = if params.is_empty() { 2 } else { 3 };
        args.insert(at, format!("headers=[{}]", headers.join(", ")));
    }
    if !step.follow_redirects {
        args.push("follow_redirects=False".into());
    }
    if let Some(ms) = step.timeout_ms {
        args.push(format!("timeout={}", f64::from(ms) / 1000.0));
    }

    let mut checks = Vec::new();
    if let Some(name) = contract {
        // The response is what the spec documents before it is what the assertions expect.
        needs.helpers.insert("check_contract");
        checks.push(format!("check_contract(response, {})", string(name)));
    }
    for a in &step.assertions {
        match pyassert::assertion(a, &mut needs) {
            Ok(line) => checks.push(line),
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
            "variables.capture({}, {value})",
            string(&c.variable)
        ));
    }
    if needs.scope {
        used_scope = true;
    }
    if used_scope {
        needs.helpers.insert("render");
    }
    if needs.body {
        needs.helpers.insert("json_body");
    }

    let mut lines = Vec::new();
    if used_scope {
        let mut kw = Vec::new();
        if let Some(c) = folder_const {
            kw.push(format!("folder={c}"));
        }
        if !step.variables.is_empty() {
            kw.push(format!(
                "request={}",
                dict_entries(&step.variables, &mut needs, &mut prefix)
            ));
        }
        lines.push(format!("v = variables.scope({})", kw.join(", ")));
    }
    // Without checks the exchange itself is the test (as in a Sextant run).
    lines.push(if checks.is_empty() {
        "client.request(".into()
    } else {
        "response = client.request(".into()
    });
    for a in args {
        lines.push(format!("    {a},"));
    }
    lines.push(")".into());
    if needs.body {
        lines.push("body = json_body(response)".into());
    }
    lines.extend(checks);
    if needs.helpers.remove("httpx") {
        // Digest auth is httpx's own: imported where it is used.
        lines.insert(0, "import httpx".into());
        lines.insert(1, String::new());
    }
    TestCode {
        lines,
        needs,
        path,
        prefix,
        oauth2,
    }
}
