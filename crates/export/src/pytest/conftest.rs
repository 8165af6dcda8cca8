//! `conftest.py`: the variables (collection, environment, each read from its environment
//! variable first), the session `client` fixture for the target, and the OAuth 2.0 token
//! fixture.

use std::fmt::Write as _;

use sextant_model::{OAuth2ClientAuth, OAuth2Grant};

use super::Target;
use crate::names::env_var;
use crate::plan::Plan;
use crate::pylit::string;
use crate::pylit::{docstring_text, var_entries};

pub(super) fn conftest(plan: &Plan, target: &Target) -> String {
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
