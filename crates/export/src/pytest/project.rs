//! The project's `requirements.txt` and `README.md`.

use std::fmt::Write as _;

use super::Target;
use crate::names::env_var;
use crate::plan::Plan;

const PYTEST: &str = "pytest==9.2.0";
const HTTPX: &str = "httpx==0.28.1";
/// The contract checks' validator (JSON Schema 2020-12), as pinned for Sextant's own tests.
const JSONSCHEMA: &str = "jsonschema==4.26.0";

pub(super) fn requirements(target: &Target, contracts: bool) -> String {
    let mut out = format!("# What the tests Sextant exported need.\n{PYTEST}\n{HTTPX}\n");
    if contracts {
        let _ = writeln!(out, "{JSONSCHEMA}");
    }
    match target {
        Target::Live => {}
        Target::TestClient(_) => {
            out.push_str("# and your application's own requirements (FastAPI, Starlette).\n")
        }
        Target::Flask(_) => out.push_str("# and your application's own requirements (Flask).\n"),
    }
    out
}

pub(super) fn readme(plan: &Plan, target: &Target, module: &str, contracts: bool) -> String {
    let mut out = format!(
        "# Tests for {}\n\nExported by Sextant from the collection **{}**",
        plan.collection, plan.collection
    );
    if let Some(e) = &plan.environment {
        let _ = write!(out, " with the environment **{e}**");
    }
    out.push_str(".\n\n");
    let _ = writeln!(out, "`{module}` has one test per request, in the collection's order; a folder is a class whose tests run in order and share what they capture. Assertions are plain `assert` lines; JSONPath beyond keys and indexes goes through `sextant_support.py` (an RFC 9535 subset, no dependency).\n");
    if contracts {
        out.push_str("A request that calls an operation of an OpenAPI spec is also checked against it (`check_contract` in `sextant_support.py`, with `jsonschema`): the status is documented, so is the Content-Type, the required headers are there, and a JSON body matches the response schema in `schemas/<operation>.json` (JSON Schema 2020-12, self-contained). A failure reads like Schemathesis's: `Response violates schema: 'name' is a required property at /1`.\n\n");
    }
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
    out.push_str("## Variables\n\nEach variable can be set by an environment variable; secrets can only be.\n\n");
    out.push_str(&plan.variables_table());
    out
}
