//! The pytest project: `conftest.py` (variables from environment variables, the client
//! fixture: httpx, FastAPI's `TestClient` or Flask's test client, OAuth 2.0 tokens fetched once),
//! one test module with a test per request (a class per folder, in order, sharing what they
//! capture), the bundled `sextant_support.py`, `requirements.txt` and `README.md`.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde_json::Value;
use sextant_model::{
    variables_in, CaptureSource, ConversionWarning, OAuth2ClientAuth, OAuth2Grant, PartValue,
    RequestBody, TokenPlacement,
};

use crate::names::{camel, env_var, snake, Unique};
use crate::plan::{Group, Plan, Step, StepAuth, VarDef};
use crate::pyassert::{self, Needs};
use crate::pylit::{self, string, template};
use crate::GeneratedFile;

const SUPPORT: &str = include_str!("assets/sextant_support.py");
const PYTEST: &str = "pytest==9.2.0";
const HTTPX: &str = "httpx==0.28.1";

/// Where the tests send their requests.
pub(crate) enum Target {
    Live,
    TestClient(String),
    Flask(String),
}

pub(crate) fn generate(
    plan: &Plan,
    target: &Target,
    warnings: &mut Vec<ConversionWarning>,
) -> Vec<GeneratedFile> {
    let module = format!(
        "test_{}.py",
        non_empty(snake(&plan.collection), "collection")
    );
    let file = |path: &str, contents: String| GeneratedFile {
        path: path.to_owned(),
        contents,
        executable: false,
    };
    vec![
        file("conftest.py", conftest(plan, target)),
        file(&module, tests(plan, warnings)),
        file("sextant_support.py", SUPPORT.to_owned()),
        file("requirements.txt", requirements(target)),
        file("README.md", readme(plan, target, &module)),
    ]
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

fn var_entries(out: &mut String, vars: &[VarDef], prefix_expr: &str, indent: &str) {
    for v in vars {
        match &v.default {
            Some(d) => {
                let _ = writeln!(
                    out,
                    "{indent}{}: from_env({prefix_expr}, {}, {}),",
                    string(&v.name),
                    string(&v.name),
                    string(d)
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "{indent}{}: from_env({prefix_expr}, {}),  # secret",
                    string(&v.name),
                    string(&v.name)
                );
            }
        }
    }
}

fn conftest(plan: &Plan, target: &Target) -> String {
    let mut out = String::new();
    let env_note = match &plan.environment {
        Some(e) => format!("the environment {e:?}'s values as defaults"),
        None => "the collection's values as defaults".to_owned(),
    };
    let _ = writeln!(
        out,
        "\"\"\"Fixtures for the tests Sextant exported from the collection {}.\n\nEach variable is \
         read from the environment variable {}_<NAME> (baseUrl: {}_BASE_URL), with\n{env_note}; \
         secrets are read from environment variables only.\n\"\"\"\n",
        docstring_text(&format!("{:?}", plan.collection)),
        plan.prefix,
        plan.prefix
    );
    let mut helpers = vec!["Variables", "from_env"];
    if plan.base.is_some() && !matches!(target, Target::Flask(_)) {
        helpers.push("render");
    }
    match target {
        Target::Live => {
            out.push_str("import httpx\nimport pytest\n");
        }
        Target::TestClient(_) => {
            out.push_str("import pytest\nfrom fastapi.testclient import TestClient\n");
            helpers.push("load_app");
            if plan.base.is_some() {
                helpers.push("in_process_base");
            }
        }
        Target::Flask(_) => {
            out.push_str("import pytest\n");
            helpers.extend(["FlaskClient", "load_app"]);
        }
    }
    if !plan.oauth2.is_empty() {
        helpers.push("fetch_token");
    }
    helpers.sort_unstable_by_key(|h| (h.starts_with(|c: char| c.is_ascii_lowercase()), *h));
    let _ = writeln!(
        out,
        "\nfrom sextant_support import {}\n",
        helpers.join(", ")
    );
    let _ = writeln!(out, "PREFIX = {}", string(&plan.prefix));
    if let Some(base) = &plan.base {
        let _ = writeln!(out, "BASE_URL = {}", string(base));
    }
    match target {
        Target::TestClient(app) | Target::Flask(app) => {
            let _ = writeln!(
                out,
                "# The application under test (module:attribute), or {}.\nAPP = from_env(PREFIX, \"app\", {})",
                env_var(&plan.prefix, "app"),
                string(app)
            );
        }
        Target::Live => {}
    }
    out.push_str("\nCOLLECTION = {\n");
    var_entries(&mut out, &plan.collection_vars, "PREFIX", "    ");
    out.push_str("}\n\n");
    if let Some(e) = &plan.environment {
        let _ = writeln!(
            out,
            "# The environment {e:?}, and the names the requests use that nothing defines."
        );
    }
    out.push_str("ENVIRONMENT = {\n");
    var_entries(&mut out, &plan.environment_vars, "PREFIX", "    ");
    out.push_str("}\n");
    if !plan.oauth2.is_empty() {
        out.push_str(
            "\n# OAuth 2.0 configurations: a token is fetched once per run for each.\nOAUTH2 = [\n",
        );
        for c in &plan.oauth2 {
            let grant = if c.grant == OAuth2Grant::Password {
                "password"
            } else {
                "client_credentials"
            };
            let scopes: Vec<String> = c.scopes.iter().map(|s| string(s)).collect();
            let _ = writeln!(
                out,
                "    {{\n        \"grant\": {},\n        \"token_url\": {},\n        \"client_id\": {},\n        \"client_secret\": {},\n        \"client_auth\": {},\n        \"username\": {},\n        \"password\": {},\n        \"scopes\": [{}],\n    }},",
                string(grant),
                string(&c.token_url),
                string(&c.client_id),
                string(&c.client_secret),
                string(if c.client_auth == OAuth2ClientAuth::Basic { "basic" } else { "post" }),
                string(&c.username),
                string(&c.password),
                scopes.join(", ")
            );
        }
        out.push_str("]\n");
    }
    out.push_str(
        "\n\n@pytest.fixture(scope=\"session\")\ndef variables():\n    \"\"\"The variables of the run; what a request captures is kept for the next ones.\"\"\"\n    return Variables(COLLECTION, ENVIRONMENT, PREFIX)\n",
    );
    let base = if plan.base.is_some() {
        "render(BASE_URL, variables.scope())"
    } else {
        ""
    };
    match target {
        Target::Live => {
            let base_arg = if base.is_empty() {
                String::new()
            } else {
                format!("base_url={base}, ")
            };
            let _ = write!(
                out,
                "\n\n@pytest.fixture(scope=\"session\")\ndef client(variables):\n    with httpx.Client({base_arg}follow_redirects=True, timeout=30.0) as client:\n        yield client\n"
            );
        }
        Target::TestClient(_) => {
            let base_arg = if base.is_empty() {
                String::new()
            } else {
                format!(", base_url=in_process_base({base})")
            };
            let _ = write!(
                out,
                "\n\n@pytest.fixture(scope=\"session\")\ndef client(variables):\n    \"\"\"FastAPI's TestClient: the app runs in this process, no server needed.\"\"\"\n    with TestClient(load_app(APP){base_arg}) as client:\n        yield client\n"
            );
        }
        Target::Flask(_) => {
            out.push_str("\n\n@pytest.fixture(scope=\"session\")\ndef client():\n    \"\"\"Flask's test client: the app runs in this process, no server needed.\"\"\"\n    return FlaskClient(load_app(APP))\n");
        }
    }
    if !plan.oauth2.is_empty() {
        out.push_str("\n\n@pytest.fixture(scope=\"session\")\ndef oauth2(client, variables):\n    \"\"\"The access token of OAUTH2[index], fetched once per run.\"\"\"\n    tokens = {}\n\n    def token(index):\n        if index not in tokens:\n            tokens[index] = fetch_token(client, OAUTH2[index], variables.scope())\n        return tokens[index]\n\n    return token\n");
    }
    out
}

fn tests(plan: &Plan, warnings: &mut Vec<ConversionWarning>) -> String {
    let mut body = String::new();
    let mut needs_all = Needs::default();
    let mut needs_path = false;
    let mut needs_prefix = false;
    let mut classes = Unique::default();
    let mut constants = String::new();
    for group in &plan.groups {
        let folder_const = if group.variables.is_empty() {
            None
        } else {
            let name = format!(
                "{}_VARIABLES",
                non_empty(snake(&group.path.join(" ")), "folder").to_ascii_uppercase()
            );
            let _ = writeln!(constants, "\n{name} = {{");
            var_entries(&mut constants, &group.variables, "PREFIX", "    ");
            constants.push_str("}\n");
            needs_prefix = true;
            needs_all.helpers.insert("from_env");
            Some(name)
        };
        let indent = if group.path.is_empty() { "" } else { "    " };
        if !group.path.is_empty() {
            let class = classes.take(&format!(
                "Test{}",
                non_empty(camel(&group.path.join(" ")), "Folder")
            ));
            let _ = writeln!(
                body,
                "\n\nclass {class}:\n    \"\"\"Folder {}: the requests run in order and share what they capture.\"\"\"",
                docstring_text(&group.path.join(" / "))
            );
        }
        let mut names = Unique::default();
        for step in &group.steps {
            let name = names.take(&format!("test_{}", non_empty(snake(&step.name), "request")));
            let code = test(plan, group, step, folder_const.as_deref(), warnings);
            needs_all.re |= code.needs.re;
            needs_all.helpers.extend(code.needs.helpers.iter().copied());
            needs_path |= code.path;
            needs_prefix |= code.prefix;
            let mut params = Vec::new();
            if !indent.is_empty() {
                params.push("self");
            }
            params.push("client");
            params.push("variables");
            if code.oauth2 {
                params.push("oauth2");
            }
            let sep = if indent.is_empty() { "\n\n" } else { "\n" };
            let _ = writeln!(body, "{sep}{indent}def {name}({}):", params.join(", "));
            let _ = writeln!(
                body,
                "{indent}    {}",
                string(&step.name).replace('\n', " ").pipe_doc()
            );
            for line in code.lines {
                if line.is_empty() {
                    body.push('\n');
                } else {
                    let _ = writeln!(body, "{indent}    {line}");
                }
            }
        }
    }

    let mut out = String::new();
    let _ = writeln!(
        out,
        "\"\"\"Tests exported by Sextant from the collection {}{}.\n\nOne test per request, in the collection's order; run with `pytest` (see README.md).\n\"\"\"\n",
        docstring_text(&format!("{:?}", plan.collection)),
        plan.environment
            .as_deref()
            .map(|e| format!(" (environment {})", docstring_text(&format!("{e:?}"))))
            .unwrap_or_default()
    );
    if needs_all.re {
        out.push_str("import re\n");
    }
    if needs_path {
        out.push_str("from pathlib import Path\n");
    }
    if needs_all.re || needs_path {
        out.push('\n');
    }
    let mut helpers: Vec<&str> = needs_all.helpers.iter().copied().collect();
    helpers.sort_unstable_by_key(|h| (h.starts_with(|c: char| c.is_ascii_lowercase()), *h));
    if !helpers.is_empty() {
        let _ = writeln!(out, "from sextant_support import {}", helpers.join(", "));
    }
    if needs_prefix {
        let _ = writeln!(out, "\nPREFIX = {}", string(&plan.prefix));
    }
    out.push_str(&constants);
    out.push_str(&body);
    out
}

trait PipeDoc {
    fn pipe_doc(self) -> String;
}

impl PipeDoc for String {
    /// A request's name as a one-line docstring.
    fn pipe_doc(self) -> String {
        format!("\"\"{self}\"\"")
    }
}

struct TestCode {
    lines: Vec<String>,
    needs: Needs,
    path: bool,
    prefix: bool,
    oauth2: bool,
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

fn test(
    _plan: &Plan,
    _group: &Group,
    step: &Step,
    folder_const: Option<&str>,
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

fn requirements(target: &Target) -> String {
    let mut out = format!("# What the tests Sextant exported need.\n{PYTEST}\n{HTTPX}\n");
    match target {
        Target::Live => {}
        Target::TestClient(_) => {
            out.push_str("# and your application's own requirements (FastAPI, Starlette).\n")
        }
        Target::Flask(_) => out.push_str("# and your application's own requirements (Flask).\n"),
    }
    out
}

fn readme(plan: &Plan, target: &Target, module: &str) -> String {
    let mut out = format!(
        "# Tests for {}\n\nExported by Sextant from the collection **{}**",
        plan.collection, plan.collection
    );
    if let Some(e) = &plan.environment {
        let _ = write!(out, " with the environment **{e}**");
    }
    out.push_str(".\n\n");
    let _ = writeln!(out, "`{module}` has one test per request, in the collection's order; a folder is a class whose tests run in order and share what they capture. Assertions are plain `assert` lines; JSONPath beyond keys and indexes goes through `sextant_support.py` (an RFC 9535 subset, no dependency).\n");
    out.push_str("## Run\n\n```sh\npython -m venv .venv && . .venv/bin/activate\npip install -r requirements.txt\n");
    match target {
        Target::Live => {
            let _ = writeln!(
                out,
                "{}=http://127.0.0.1:8000 pytest",
                env_var(&plan.prefix, "baseUrl")
            );
        }
        Target::TestClient(app) | Target::Flask(app) => {
            let _ = writeln!(
                out,
                "PYTHONPATH=/path/to/your/project pytest   # imports {app}"
            );
        }
    }
    out.push_str("```\n\n");
    match target {
        Target::Live => out.push_str("The tests send real requests through an `httpx.Client` (the `client` fixture in `conftest.py`).\n\n"),
        Target::TestClient(app) => {
            let _ = writeln!(out, "The tests run the FastAPI app `{app}` in-process through `fastapi.testclient.TestClient`: no server needed. Another app: set `{}`.\n", env_var(&plan.prefix, "app"));
        }
        Target::Flask(app) => {
            let _ = writeln!(out, "The tests run the Flask app `{app}` in-process through `app.test_client()`: no server needed. Another app: set `{}`.\n", env_var(&plan.prefix, "app"));
        }
    }
    out.push_str("## Variables\n\nEach variable can be set by an environment variable; secrets can only be.\n\n| variable | environment variable | default |\n|---|---|---|\n");
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
