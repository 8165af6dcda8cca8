//! One request as the body of its test: the `client.request(...)` call (headers, query,
//! body, auth), then its assertions as `assert` lines and its captures kept for the next tests.

use sextant_model::{ConversionWarning, TokenPlacement};

use crate::plan::{Group, Plan, Step};
use crate::pyassert::Needs;
use crate::pylit::string;
use crate::pyrequest::{self, Call, Client};

pub(super) struct TestCode {
    pub lines: Vec<String>,
    pub needs: Needs,
    pub path: bool,
    pub prefix: bool,
    pub oauth2: bool,
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
    let mut oauth2 = false;
    let mut call = Call::new(step, Client::Httpx, "the tests run");
    if let Some((index, placement)) = call.auth(&mut needs) {
        oauth2 = true;
        match placement {
            TokenPlacement::Header { prefix } if prefix.is_empty() => {
                call.headers
                    .push(("\"Authorization\"".into(), format!("oauth2({index})")));
            }
            TokenPlacement::Header { prefix } => {
                call.headers.push((
                    "\"Authorization\"".into(),
                    format!("{} + oauth2({index})", string(&format!("{prefix} "))),
                ));
            }
            TokenPlacement::Query { name } => {
                call.params
                    .push(format!("({}, oauth2({index}))", string(name)));
            }
        }
    }
    call.body(warnings);
    let url = call.t(&step.url);
    let args = call.args(vec![string(&step.method), url]);
    let mut used_scope = call.used_scope;

    let mut checks = Vec::new();
    if let Some(name) = contract {
        // The response is what the spec documents before it is what the assertions expect.
        needs.helpers.insert("check_contract");
        checks.push(format!("check_contract(response, {})", string(name)));
    }
    checks.extend(pyrequest::assertions(
        step,
        &mut needs,
        warnings,
        |_, line| line,
    ));
    checks.extend(pyrequest::captures(step, "variables", &mut needs, warnings));
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
        if step.variables.iter().any(|v| v.default.is_none()) {
            needs.helpers.insert("from_env");
            prefix = true;
        }
        lines.push(pyrequest::scope_line("variables", folder_const, step));
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
        path: call.path,
        prefix,
        oauth2,
    }
}
