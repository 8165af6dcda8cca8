//! The k6 load test: `script.js`, an ES module for `k6 run`. Each iteration of a virtual user
//! sends the collection's requests in order, a `group` per folder, with what a request captures
//! kept for the ones after it (per iteration, so virtual users never share values); assertions
//! become named `check`s and a failed one ends its folder's chain. Virtual users, duration, think
//! time, variables and secrets come from `__ENV`. k6 has no weighted tasks: a request's
//! `weight:N` tag is not used here (the Locust export uses it).

mod assert;

use std::fmt::Write as _;

use serde_json::Value;
use sextant_model::{
    variables_in, CaptureSource, ConversionWarning, PartValue, RequestBody, TokenPlacement,
};

use crate::locust::{captured_names, chained};
use crate::names::{env_var, Unique};
use crate::plan::{Plan, Step, StepAuth, VarDef};
use crate::GeneratedFile;

const RUNTIME: &str = include_str!("runtime.js");

/// A JavaScript string literal (JSON's is one).
pub(crate) fn js_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// JavaScript for a text that may hold `{{variables}}`: a literal, or `render(literal, v)`.
fn template(text: &str) -> String {
    if variables_in(text).is_empty() {
        js_string(text)
    } else {
        format!("render({}, v)", js_string(text))
    }
}

pub(crate) fn generate(plan: &Plan, warnings: &mut Vec<ConversionWarning>) -> Vec<GeneratedFile> {
    vec![
        GeneratedFile {
            path: "script.js".into(),
            contents: script(plan, warnings),
            executable: false,
        },
        GeneratedFile {
            path: "README.md".into(),
            contents: readme(plan),
            executable: false,
        },
    ]
}

fn var_entries(out: &mut String, vars: &[VarDef], indent: &str) {
    for v in vars {
        match &v.default {
            Some(d) => {
                let _ = writeln!(
                    out,
                    "{indent}{}: fromEnv({}, {}),",
                    js_string(&v.name),
                    js_string(&v.name),
                    js_string(d)
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "{indent}{}: fromEnv({}), // secret",
                    js_string(&v.name),
                    js_string(&v.name)
                );
            }
        }
    }
}

/// What the script needs at its top: files opened in k6's init context, the base64 module.
#[derive(Default)]
struct Init {
    files: Vec<(String, String)>,
    encoding: bool,
    access_token: bool,
}

impl Init {
    fn file(&mut self, path: &str) -> String {
        if let Some((name, _)) = self.files.iter().find(|(_, p)| p == path) {
            return name.clone();
        }
        let name = format!("FILE_{}", self.files.len() + 1);
        self.files.push((name.clone(), path.to_owned()));
        name
    }
}

fn script(plan: &Plan, warnings: &mut Vec<ConversionWarning>) -> String {
    let captured = captured_names(plan);
    let mut init = Init::default();
    let mut folders = String::new();
    let mut body = String::new();
    for group in &plan.groups {
        let folder = if group.variables.is_empty() {
            "{}".to_owned()
        } else {
            let name = format!("FOLDER_{}", folders.matches("const FOLDER_").count() + 1);
            let _ = writeln!(
                folders,
                "// Folder {}\nconst {name} = {{",
                group.path.join(" / ")
            );
            var_entries(&mut folders, &group.variables, "  ");
            folders.push_str("};\n");
            name
        };
        let chain = chained(group, &captured);
        let title = if group.path.is_empty() {
            plan.collection.clone()
        } else {
            group.path.join(" / ")
        };
        let _ = writeln!(body, "\n  group({}, () => {{", js_string(&title));
        let mut names = Unique::default();
        for step in &group.steps {
            let lines = request(plan, step, &folder, chain, &mut names, &mut init, warnings);
            let _ = writeln!(body, "    // {}", step.name.replace(['\n', '\r'], " "));
            body.push_str("    {\n");
            for line in lines {
                let _ = writeln!(body, "      {line}");
            }
            body.push_str("    }\n");
        }
        body.push_str("  });\n");
    }

    let mut out = String::new();
    let _ = writeln!(
        out,
        "// Load test Sextant exported from the collection {}{}.\n//\n// Each iteration sends the requests in order (a group per folder), keeping what they capture\n// for the requests after them. Variables come from environment variables {}_<NAME>,\n// secrets only from there: k6 run -e {}=http://127.0.0.1:8000 script.js (see README.md).\n",
        js_string(&plan.collection),
        plan.environment
            .as_deref()
            .map(|e| format!(" (environment {})", js_string(e)))
            .unwrap_or_default(),
        plan.prefix,
        env_var(&plan.prefix, "baseUrl")
    );
    if init.encoding {
        out.push_str("import encoding from 'k6/encoding';\n");
    }
    out.push_str("import http from 'k6/http';\nimport { check, group, sleep } from 'k6';\n\n");
    let _ = writeln!(out, "const PREFIX = {};", js_string(&plan.prefix));
    let _ = writeln!(
        out,
        "\nexport const options = {{\n  vus: Number(fromEnv('vus', '10')),\n  duration: fromEnv('duration', '30s'),\n  // A failed check fails the run (k6 exits non-zero).\n  thresholds: {{ checks: ['rate==1'] }},\n}};\n\n// Think time between requests, in seconds: {} and {}.\nconst THINK_MIN = Number(fromEnv('thinkMin', '1'));\nconst THINK_MAX = Number(fromEnv('thinkMax', '2'));\n",
        env_var(&plan.prefix, "thinkMin"),
        env_var(&plan.prefix, "thinkMax")
    );
    out.push_str("const COLLECTION = {\n");
    var_entries(&mut out, &plan.collection_vars, "  ");
    out.push_str("};\n\n");
    if let Some(e) = &plan.environment {
        let _ = writeln!(
            out,
            "// The environment {}, and the names the requests use that nothing defines.",
            js_string(e)
        );
    }
    out.push_str("const ENVIRONMENT = {\n");
    var_entries(&mut out, &plan.environment_vars, "  ");
    if init.access_token
        && !plan
            .environment_vars
            .iter()
            .any(|v| v.name == "accessToken")
    {
        out.push_str("  accessToken: fromEnv('accessToken'), // secret\n");
    }
    out.push_str("};\n");
    if !folders.is_empty() {
        out.push('\n');
        out.push_str(&folders);
    }
    if !init.files.is_empty() {
        out.push_str("\n// Files are read once, when k6 starts (its init context).\n");
        for (name, path) in &init.files {
            let _ = writeln!(out, "const {name} = open({}, 'b');", js_string(path));
        }
    }
    out.push_str("\nexport default function () {\n  // What this iteration's requests capture, for the requests after them.\n  const captured = {};\n  const scope = (folder, request) =>\n    Object.assign({}, COLLECTION, folder, ENVIRONMENT, captured, request);\n");
    out.push_str(&body);
    out.push_str("}\n\n");
    out.push_str(RUNTIME);
    out
}

/// The full URL of a step, as a template.
fn url_text(plan: &Plan, step: &Step) -> String {
    match (&plan.base, step.relative) {
        (Some(base), true) => format!("{base}{}", step.url),
        _ => step.url.clone(),
    }
}

fn request(
    plan: &Plan,
    step: &Step,
    folder: &str,
    chain: bool,
    names: &mut Unique,
    init: &mut Init,
    warnings: &mut Vec<ConversionWarning>,
) -> Vec<String> {
    let mut warn = |message: String| {
        warnings.push(ConversionWarning {
            location: step.name.clone(),
            message,
        })
    };
    let request_vars: Vec<String> = step
        .variables
        .iter()
        .map(|v| match &v.default {
            Some(d) => format!("{}: {}", js_string(&v.name), js_string(d)),
            None => format!("{}: fromEnv({})", js_string(&v.name), js_string(&v.name)),
        })
        .collect();
    let mut lines = vec![format!(
        "const v = scope({folder}, {{{}}});",
        request_vars.join(", ")
    )];

    let mut headers: Vec<(String, String)> = step
        .headers
        .iter()
        .map(|(n, val)| (js_string(n), template(val)))
        .collect();
    let mut query: Vec<String> = step
        .query
        .iter()
        .map(|(n, val)| format!("[{}, {}]", template(n), template(val)))
        .collect();
    match &step.auth {
        StepAuth::None => {}
        StepAuth::Basic { username, password } => {
            init.encoding = true;
            headers.push((
                "\"Authorization\"".into(),
                format!(
                    "'Basic ' + encoding.b64encode({})",
                    template(&format!("{username}:{password}"))
                ),
            ));
        }
        StepAuth::Digest { .. } => {
            warn(
                "Digest authentication is not exported for k6: the request is sent without it"
                    .into(),
            );
        }
        StepAuth::OAuth2 { placement, .. } => {
            init.access_token = true;
            warn("the k6 script does not fetch OAuth 2.0 tokens: the token is read from the variable {{accessToken}}".into());
            match placement {
                TokenPlacement::Header { prefix } => {
                    let text = if prefix.is_empty() {
                        "{{accessToken}}".to_owned()
                    } else {
                        format!("{prefix} {{{{accessToken}}}}")
                    };
                    headers.push(("\"Authorization\"".into(), template(&text)));
                }
                TokenPlacement::Query { name } => {
                    query.push(format!(
                        "[{}, {}]",
                        js_string(name),
                        template("{{accessToken}}")
                    ));
                }
            }
        }
    }
    let content_type = |ct: &str, headers: &mut Vec<(String, String)>| {
        if !ct.is_empty() && !step.has_header("content-type") {
            headers.push(("\"Content-Type\"".into(), js_string(ct)));
        }
    };
    let body = match &step.body {
        RequestBody::None => "null".to_owned(),
        RequestBody::Json { text } => {
            content_type("application/json", &mut headers);
            match (
                variables_in(text).is_empty(),
                serde_json::from_str::<Value>(text),
            ) {
                (true, Ok(v)) => format!("JSON.stringify({v})"),
                _ => template(text),
            }
        }
        RequestBody::Text {
            content_type: ct,
            text,
        } => {
            content_type(ct, &mut headers);
            template(text)
        }
        RequestBody::Form { fields } => {
            content_type("application/x-www-form-urlencoded", &mut headers);
            let pairs: Vec<String> = fields
                .iter()
                .filter(|f| f.enabled)
                .map(|f| format!("[{}, {}]", js_string(&f.name), template(&f.value)))
                .collect();
            format!("form([{}])", pairs.join(", "))
        }
        RequestBody::Multipart { parts } => {
            let mut items = Vec::new();
            for p in parts.iter().filter(|p| p.enabled) {
                match &p.value {
                    PartValue::Text { text } => {
                        items.push(format!("{}: {}", js_string(&p.name), template(text)))
                    }
                    PartValue::File {
                        path,
                        filename,
                        content_type,
                    } => {
                        let name = filename.clone().unwrap_or_else(|| {
                            std::path::Path::new(path)
                                .file_name()
                                .map(|n| n.to_string_lossy().into_owned())
                                .unwrap_or_default()
                        });
                        let var = init.file(path);
                        items.push(format!(
                            "{}: http.file({var}, {}, {})",
                            js_string(&p.name),
                            js_string(&name),
                            js_string(
                                content_type
                                    .as_deref()
                                    .unwrap_or("application/octet-stream")
                            )
                        ));
                        warn(format!(
                            "the file {path} is read from the same path when k6 starts"
                        ));
                    }
                }
            }
            format!("{{{}}}", items.join(", "))
        }
        RequestBody::Binary {
            path,
            content_type: ct,
        } => {
            content_type(
                ct.as_deref().unwrap_or("application/octet-stream"),
                &mut headers,
            );
            warn(format!(
                "the file {path} is read from the same path when k6 starts"
            ));
            init.file(path)
        }
    };
    let url = template(&url_text(plan, step));
    let url = if query.is_empty() {
        url
    } else {
        format!("withQuery({url}, [{}])", query.join(", "))
    };
    let mut params = Vec::new();
    if !headers.is_empty() {
        let items: Vec<String> = headers.iter().map(|(n, v)| format!("{n}: {v}")).collect();
        params.push(format!("headers: {{ {} }}", items.join(", ")));
    }
    // Statistics grouped by the URL as written: `/items/{{itemId}}` is one row.
    params.push(format!("tags: {{ name: {} }}", js_string(&step.url)));
    if !step.follow_redirects {
        params.push("redirects: 0".into());
    }
    if let Some(ms) = step.timeout_ms {
        params.push(format!("timeout: '{ms}ms'"));
    }
    lines.push(format!(
        "const res = http.request({}, {url}, {body}, {{ {} }});",
        js_string(&step.method),
        params.join(", ")
    ));

    let mut checks = Vec::new();
    let mut uses_body = step
        .captures
        .iter()
        .any(|c| matches!(c.source, CaptureSource::Body { .. }));
    for a in &step.assertions {
        let described = crate::pyassert::describe(a);
        match assert::expression(a) {
            Ok((expr, body)) => {
                uses_body |= body;
                let name = names.take(&format!("{}: {described}", step.name));
                checks.push(format!("{}: () => {expr},", js_string(&name)));
            }
            Err(why) => {
                lines.push(format!("// not exported ({why}): {described}"));
                warn(format!(
                    "the assertion `{described}` is not exported: {why}"
                ));
            }
        }
    }
    if uses_body {
        lines.push("const body = jsonBody(res);".into());
    }
    if !checks.is_empty() {
        lines.push("const ok = check(res, {".into());
        lines.extend(checks.into_iter().map(|c| format!("  {c}")));
        lines.push("});".into());
        if chain {
            lines.push("if (!ok) return; // the folder's next requests need this one".into());
        }
    }
    for c in &step.captures {
        let value = match &c.source {
            CaptureSource::Body { path } => match assert::path(path) {
                Some(p) => format!("at(body, {p})"),
                None => {
                    warn(format!(
                        "the capture of {} reads a JSONPath the k6 script cannot ({path}): it is not exported",
                        c.variable
                    ));
                    continue;
                }
            },
            CaptureSource::Header { name } => format!("header(res, {})", js_string(name)),
            CaptureSource::Record { .. } => {
                warn(format!(
                    "the capture of {} from a stream record is not exported",
                    c.variable
                ));
                continue;
            }
        };
        lines.push(format!(
            "captured[{}] = asText({value});",
            js_string(&c.variable)
        ));
    }
    lines.push("sleep(think());".into());
    lines
}

fn readme(plan: &Plan) -> String {
    let mut out = format!(
        "# k6 load test for {}\n\nExported by Sextant from the collection **{}**",
        plan.collection, plan.collection
    );
    if let Some(e) = &plan.environment {
        let _ = write!(out, " with the environment **{e}**");
    }
    out.push_str(".\n\n");
    out.push_str("`script.js` sends the collection's requests in order in each iteration (a `group` per folder); what a request captures goes to the requests after it in the same iteration. Assertions are named `check`s; a failed one ends its folder's chain, and the threshold `checks: rate==1` makes `k6 run` exit non-zero. Requests are tagged with their URL as written, so `/items/{{itemId}}` is one row. (k6 has no weighted tasks: a request's `weight:N` tag is used by the Locust export only.)\n\n");
    let _ = writeln!(
        out,
        "## Run\n\n```sh\nk6 run -e {}=http://127.0.0.1:8000 -e {}=20 -e {}=1m script.js\n```\n",
        env_var(&plan.prefix, "baseUrl"),
        env_var(&plan.prefix, "vus"),
        env_var(&plan.prefix, "duration")
    );
    let _ = writeln!(
        out,
        "## Variables\n\nSet with `-e NAME=value` or in the environment; secrets can only be set so. Virtual users `{}` (10), duration `{}` (30s), think time `{}` and `{}` seconds (1 and 2).\n",
        env_var(&plan.prefix, "vus"),
        env_var(&plan.prefix, "duration"),
        env_var(&plan.prefix, "thinkMin"),
        env_var(&plan.prefix, "thinkMax")
    );
    out.push_str(&plan.variables_table());
    out
}
