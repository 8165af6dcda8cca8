//! The Locust load test: `locustfile.py` with one `HttpUser` for the collection, a weighted task
//! per request, and the folders whose requests chain through captures as one
//! `SequentialTaskSet` each, so what one request captures reaches the next. Nothing lives at
//! module level but constants read from environment variables, so the file runs unchanged on
//! Locust's distributed engine (each worker imports it and keeps its users' variables).
//! `sextant_support.py` (the same helpers as the pytest export), `requirements.txt` and a
//! `README.md` on single-machine and distributed runs come with it.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde_json::Value;
use sextant_model::{
    variables_in, CaptureSource, ConversionWarning, PartValue, RequestBody, TokenPlacement,
};

use crate::names::{camel, env_var, snake, Unique};
use crate::plan::{Group, Plan, Step, StepAuth, VarDef};
use crate::pyassert::{self, Needs};
use crate::pylit::{self, string, template};
use crate::GeneratedFile;

const SUPPORT: &str = include_str!("assets/sextant_support.py");
const LOCUST: &str = "locust==2.47.0";
const HTTPX: &str = "httpx==0.28.1";

/// Helpers written into the locustfile: a request's checks end it passed or failed.
const CHECKS: &str = r#"class CheckFailed(Exception):
    """A check of a response that does not hold."""


def expect(condition, message):
    """Fails the request with `message` (the check as written) unless `condition` holds."""
    if not condition:
        raise CheckFailed(message)


class Outcome:
    passed = False


@contextmanager
def checks(response):
    """Runs a request's checks and captures: the first that fails marks the response failed
    with a readable message; when all pass the response is a success, whatever its status."""
    outcome = Outcome()
    try:
        yield outcome
    except (CheckFailed, AssertionError) as error:
        response.failure(f"{error} (status {response.status_code})")
    except (LookupError, TypeError, ValueError, AttributeError) as error:
        response.failure(f"{type(error).__name__}: {error} (status {response.status_code})")
    else:
        outcome.passed = True
        response.success()
"#;

pub(crate) fn generate(plan: &Plan, warnings: &mut Vec<ConversionWarning>) -> Vec<GeneratedFile> {
    let file = |path: &str, contents: String| GeneratedFile {
        path: path.to_owned(),
        contents,
        executable: false,
    };
    vec![
        file("locustfile.py", locustfile(plan, warnings)),
        file("sextant_support.py", SUPPORT.to_owned()),
        file(
            "requirements.txt",
            format!("# What the load test Sextant exported needs.\n{LOCUST}\n{HTTPX}\n"),
        ),
        file("README.md", readme(plan)),
    ]
}

/// A request's weight among the user's tasks: its tag `weight:N` (or `weight=N`), else 1.
pub(crate) fn weight(tags: &[String]) -> u32 {
    tags.iter()
        .filter_map(|t| {
            let t = t.trim();
            t.strip_prefix("weight:")
                .or_else(|| t.strip_prefix("weight="))
        })
        .filter_map(|n| n.trim().parse::<u32>().ok())
        .find(|n| *n > 0)
        .unwrap_or(1)
}

/// The names a step's texts use.
pub(crate) fn uses(step: &Step) -> BTreeSet<String> {
    let mut texts = vec![step.url.clone()];
    texts.extend(step.query.iter().map(|(_, v)| v.clone()));
    texts.extend(
        step.headers
            .iter()
            .flat_map(|(n, v)| [n.clone(), v.clone()]),
    );
    texts.extend(step.assertions.iter().filter_map(|a| a.value.clone()));
    if let StepAuth::Basic { username, password } | StepAuth::Digest { username, password } =
        &step.auth
    {
        texts.extend([username.clone(), password.clone()]);
    }
    match &step.body {
        RequestBody::Text { text, .. } | RequestBody::Json { text } => texts.push(text.clone()),
        RequestBody::Form { fields } => texts.extend(fields.iter().map(|f| f.value.clone())),
        RequestBody::Multipart { parts } => {
            for p in parts {
                if let PartValue::Text { text } = &p.value {
                    texts.push(text.clone());
                }
            }
        }
        _ => {}
    }
    texts
        .iter()
        .flat_map(|t| variables_in(t).into_iter().map(|s| s.name))
        .collect()
}

/// Whether a group's requests must run in order: one captures, or uses what something captures.
pub(crate) fn chained(group: &Group, captured: &BTreeSet<String>) -> bool {
    group
        .steps
        .iter()
        .any(|s| !s.captures.is_empty() || uses(s).iter().any(|n| captured.contains(n)))
}

pub(crate) fn captured_names(plan: &Plan) -> BTreeSet<String> {
    plan.steps()
        .flat_map(|s| s.captures.iter().map(|c| c.variable.clone()))
        .collect()
}

fn non_empty(s: String, fallback: &str) -> String {
    if s.is_empty() {
        fallback.to_owned()
    } else {
        s
    }
}

fn docstring_text(text: &str) -> String {
    text.replace('\\', "\\\\").replace("\"\"\"", "\\\"\\\"\\\"")
}

fn var_entries(out: &mut String, vars: &[VarDef]) {
    for v in vars {
        match &v.default {
            Some(d) => {
                let _ = writeln!(
                    out,
                    "    {}: from_env(PREFIX, {}, {}),",
                    string(&v.name),
                    string(&v.name),
                    string(d)
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "    {}: from_env(PREFIX, {}),  # secret",
                    string(&v.name),
                    string(&v.name)
                );
            }
        }
    }
}

/// Everything the file needs, gathered while writing the requests.
#[derive(Default)]
struct Uses {
    needs: Needs,
    path: bool,
    access_token: bool,
}

fn locustfile(plan: &Plan, warnings: &mut Vec<ConversionWarning>) -> String {
    let captured = captured_names(plan);
    let mut uses_all = Uses::default();
    let mut constants = String::new();
    let mut chains = String::new();
    let mut user_tasks = String::new();
    let mut chain_weights: Vec<(String, u32)> = Vec::new();
    let mut classes = Unique::default();
    let user_class = classes.take(&format!(
        "{}User",
        non_empty(camel(&plan.collection), "Api")
    ));
    let mut user_methods = Unique::default();
    for group in &plan.groups {
        let folder_const = if group.variables.is_empty() {
            None
        } else {
            let name = format!(
                "{}_VARIABLES",
                non_empty(snake(&group.path.join(" ")), "folder").to_ascii_uppercase()
            );
            let _ = writeln!(constants, "\n{name} = {{");
            var_entries(&mut constants, &group.variables);
            constants.push_str("}\n");
            Some(name)
        };
        if chained(group, &captured) {
            let title = if group.path.is_empty() {
                "Requests".to_owned()
            } else {
                group.path.join(" ")
            };
            let class = classes.take(&format!("{}Chain", non_empty(camel(&title), "Requests")));
            let _ = write!(
                chains,
                "\n\nclass {class}(SequentialTaskSet):\n    \"\"\"{}: the requests run in this order and share what they capture; a failed one\n    ends the round.\"\"\"\n",
                docstring_text(&if group.path.is_empty() {
                    "The collection's requests".to_owned()
                } else {
                    format!("Folder {}", group.path.join(" / "))
                })
            );
            let mut methods = Unique::default();
            let last = group.steps.len() - 1;
            for (i, step) in group.steps.iter().enumerate() {
                let name =
                    methods.take(&format!("send_{}", non_empty(snake(&step.name), "request")));
                let mut lines = request(
                    step,
                    "self.user.variables",
                    folder_const.as_deref(),
                    i != last,
                    &mut uses_all,
                    warnings,
                );
                let checked = lines.iter().any(|l| l.ends_with(" as outcome:"));
                if i == last {
                    lines.push("self.interrupt()".into());
                } else if checked {
                    lines.push("if not outcome.passed:".into());
                    lines.push("    self.interrupt()".into());
                }
                method(&mut chains, "@task", &name, step, &lines);
            }
            let w = group
                .steps
                .iter()
                .map(|s| weight(&s.tags))
                .max()
                .unwrap_or(1);
            chain_weights.push((class, w));
        } else {
            for step in &group.steps {
                let name =
                    user_methods.take(&format!("send_{}", non_empty(snake(&step.name), "request")));
                let lines = request(
                    step,
                    "self.variables",
                    folder_const.as_deref(),
                    false,
                    &mut uses_all,
                    warnings,
                );
                let w = weight(&step.tags);
                let deco = if w == 1 {
                    "@task".to_owned()
                } else {
                    format!("@task({w})")
                };
                method(&mut user_tasks, &deco, &name, step, &lines);
            }
        }
    }

    let mut out = String::new();
    let _ = writeln!(
        out,
        "\"\"\"Load test Sextant exported from the collection {}{}.\n\nOne user class, a task per request (weights from the requests' `weight:N` tags); a folder\nwhose requests chain through captures runs in order. Each variable is read from the\nenvironment variable {}_<NAME>, secrets from environment variables only. Run it alone\n(`locust -f locustfile.py`) or distributed, unchanged (see README.md).\n\"\"\"\n",
        docstring_text(&format!("{:?}", plan.collection)),
        plan.environment
            .as_deref()
            .map(|e| format!(" (environment {})", docstring_text(&format!("{e:?}"))))
            .unwrap_or_default(),
        plan.prefix
    );
    if uses_all.needs.re {
        out.push_str("import re\n");
    }
    out.push_str("from contextlib import contextmanager\n");
    if uses_all.path {
        out.push_str("from pathlib import Path\n");
    }
    if !chain_weights.is_empty() {
        out.push_str("from typing import ClassVar\n");
    }
    let mut locust_names = vec!["HttpUser", "between", "task"];
    if !chain_weights.is_empty() {
        locust_names.insert(1, "SequentialTaskSet");
    }
    let _ = writeln!(out, "\nfrom locust import {}", locust_names.join(", "));
    let mut helpers: BTreeSet<&str> = uses_all.needs.helpers.clone();
    helpers.extend(["Variables", "from_env"]);
    if plan.base.is_some() {
        helpers.insert("render");
    }
    if uses_all.needs.body {
        helpers.insert("json_body");
    }
    let mut helpers: Vec<&str> = helpers.into_iter().collect();
    helpers.sort_unstable_by_key(|h| (h.starts_with(|c: char| c.is_ascii_lowercase()), *h));
    let _ = writeln!(out, "\n{}\n", import_line("sextant_support", &helpers));
    let _ = writeln!(out, "PREFIX = {}", string(&plan.prefix));
    if let Some(base) = &plan.base {
        let _ = writeln!(out, "BASE_URL = {}", string(base));
    }
    out.push_str("\nCOLLECTION = {\n");
    var_entries(&mut out, &plan.collection_vars);
    out.push_str("}\n\n");
    if let Some(e) = &plan.environment {
        let _ = writeln!(
            out,
            "# The environment {e:?}, and the names the requests use that nothing defines."
        );
    }
    out.push_str("ENVIRONMENT = {\n");
    var_entries(&mut out, &plan.environment_vars);
    if uses_all.access_token
        && !plan
            .environment_vars
            .iter()
            .any(|v| v.name == "accessToken")
    {
        out.push_str("    \"accessToken\": from_env(PREFIX, \"accessToken\"),  # secret\n");
    }
    out.push_str("}\n");
    out.push_str(&constants);
    let _ = writeln!(
        out,
        "\n# Think time between a user's requests, in seconds: {} and {}.\nTHINK_MIN = float(from_env(PREFIX, \"thinkMin\", \"1\"))\nTHINK_MAX = float(from_env(PREFIX, \"thinkMax\", \"2\"))",
        env_var(&plan.prefix, "thinkMin"),
        env_var(&plan.prefix, "thinkMax")
    );
    match &plan.base {
        Some(_) => out.push_str(
            "\n\ndef default_host():\n    \"\"\"The base URL from the variables; None when one is missing: then pass --host.\"\"\"\n    try:\n        return render(BASE_URL, Variables(COLLECTION, ENVIRONMENT, PREFIX).scope())\n    except LookupError:\n        return None\n",
        ),
        None => out.push_str(
            "\n\ndef default_host():\n    \"\"\"The requests' URLs are absolute: Locust only needs a host to start.\"\"\"\n    return from_env(PREFIX, \"host\", \"http://localhost\")\n",
        ),
    }
    out.push_str("\n\n");
    out.push_str(CHECKS);
    out.push_str(&chains);
    let _ = write!(
        out,
        "\n\nclass {user_class}(HttpUser):\n    \"\"\"A user of {}: picks a task by weight, waits THINK_MIN..THINK_MAX seconds, again.\"\"\"\n\n    host = default_host()\n    wait_time = between(THINK_MIN, THINK_MAX)\n",
        docstring_text(&plan.collection)
    );
    if !chain_weights.is_empty() {
        let items: Vec<String> = chain_weights
            .iter()
            .map(|(c, w)| format!("{c}: {w}"))
            .collect();
        let _ = writeln!(out, "    tasks: ClassVar = {{{}}}", items.join(", "));
    }
    out.push_str("\n    def on_start(self):\n        # Each user has its own variables: what its requests capture is its own.\n        self.variables = Variables(COLLECTION, ENVIRONMENT, PREFIX)\n");
    out.push_str(&user_tasks);
    out
}

/// `from module import a, b`, wrapped one name a line past 88 columns as ruff's isort wants.
fn import_line(module: &str, names: &[&str]) -> String {
    let line = format!("from {module} import {}", names.join(", "));
    if line.len() <= 88 {
        return line;
    }
    let mut out = format!("from {module} import (\n");
    for n in names {
        let _ = writeln!(out, "    {n},");
    }
    out.push(')');
    out
}

fn method(out: &mut String, deco: &str, name: &str, step: &Step, lines: &[String]) {
    let _ = write!(
        out,
        "\n    {deco}\n    def {name}(self):\n        \"\"{}\"\"\n",
        string(&step.name).replace('\n', " ")
    );
    for line in lines {
        let _ = writeln!(out, "        {line}");
    }
}

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
fn request(
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

fn readme(plan: &Plan) -> String {
    let mut out = format!(
        "# Load test for {}\n\nExported by Sextant from the collection **{}**",
        plan.collection, plan.collection
    );
    if let Some(e) = &plan.environment {
        let _ = write!(out, " with the environment **{e}**");
    }
    out.push_str(".\n\n");
    out.push_str("`locustfile.py` has one Locust user class with a task per request (its weight is the request's `weight:N` tag, else 1). A folder whose requests chain through captures is one `SequentialTaskSet`: its requests run in order, each user keeps what it captured, and a failed request ends the round. Statistics are grouped by the URL as written (`/items/{{itemId}}` is one row). Assertions are checks: the first that does not hold marks the request failed with the assertion as written.\n\n");
    let host = env_var(&plan.prefix, "baseUrl");
    let _ = writeln!(
        out,
        "## Run on one machine\n\n```sh\npython -m venv .venv && . .venv/bin/activate\npip install -r requirements.txt\nlocust -f locustfile.py --headless -u 10 -r 5 -t 1m --host http://127.0.0.1:8000\n```\n\nWithout `--headless`, Locust's web UI is on http://localhost:8089. Without `--host`, the host is the base URL from the variables (`{host}`).\n"
    );
    out.push_str("## Run distributed\n\nWhen one machine cannot make enough load, run one master and N workers, on as many machines as you like, with the same files on each (the file runs unchanged: every worker keeps its own users and their variables):\n\n```sh\n# on the master (N = the number of workers)\nlocust -f locustfile.py --master --expect-workers N --headless -u 100 -r 10 -t 5m --host http://api.example.com\n# on each worker machine\nlocust -f locustfile.py --worker --master-host HOST\n```\n\n`--master-bind-host` and `--master-port` (default 5557) choose where the master listens. Set the environment variables below on every worker: the workers run the requests.\n\n");
    let _ = writeln!(
        out,
        "## Variables\n\nEach variable can be set by an environment variable; secrets can only be. Think time between requests: `{}` and `{}` seconds (default 1 and 2).\n\n| variable | environment variable | default |\n|---|---|---|",
        env_var(&plan.prefix, "thinkMin"),
        env_var(&plan.prefix, "thinkMax")
    );
    let mut seen = BTreeSet::new();
    for v in plan.collection_vars.iter().chain(&plan.environment_vars) {
        if seen.insert(v.name.clone()) {
            let default = match &v.default {
                Some(d) => format!("`{}`", d.replace('|', "\\|").replace('`', "'")),
                None => "secret: set it".into(),
            };
            let _ = writeln!(
                out,
                "| `{}` | `{}` | {default} |",
                v.name,
                env_var(&plan.prefix, &v.name)
            );
        }
    }
    for name in plan.secret_names() {
        if seen.insert(name.to_owned()) {
            let _ = writeln!(
                out,
                "| `{name}` | `{}` | secret: set it |",
                env_var(&plan.prefix, name)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_weight_tag_weights_the_task() {
        let tags = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(weight(&tags(&[])), 1);
        assert_eq!(weight(&tags(&["smoke", "weight:5"])), 5);
        assert_eq!(weight(&tags(&["weight=2"])), 2);
        assert_eq!(weight(&tags(&["weight:0", "weight:x"])), 1);
    }

    #[test]
    fn long_imports_wrap_as_isort_does() {
        assert_eq!(import_line("m", &["a", "b"]), "from m import a, b");
        let names = [
            "NOTHING",
            "Variables",
            "from_env",
            "is_integer",
            "json_body",
            "query",
            "render",
            "value",
        ];
        assert!(import_line("sextant_support", &names)
            .starts_with("from sextant_support import (\n    NOTHING,\n"));
    }
}
