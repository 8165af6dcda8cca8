//! One request as a Locust task: the variables in scope, the call through Locust's client
//! (`requests` arguments: params, headers, auth, body, redirects, timeout), and its assertions
//! and captures as checks that mark the request failed with the assertion as written.

use sextant_model::{ConversionWarning, TokenPlacement};

use super::file::Uses;
use crate::plan::Step;
use crate::pyassert::{self, Needs};
use crate::pylit::string;
use crate::pyrequest::{self, Call, Client};

/// The name a request's statistics are grouped under: its URL as written, variables and all,
/// so `/items/{{itemId}}` is one row however many ids it is sent with.
pub(crate) fn stats_name(step: &Step) -> String {
    step.url.clone()
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
    let mut call = Call::new(step, Client::Requests, "the load test runs");
    if let Some((_, placement)) = call.auth(&mut needs) {
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
                let value = call.t(&text);
                call.headers.push(("\"Authorization\"".into(), value));
            }
            TokenPlacement::Query { name } => {
                let value = call.t("{{accessToken}}");
                call.params.push(format!("({}, {value})", string(name)));
            }
        }
    }
    call.body(warnings);
    let url = call.t(&step.url);
    let mut args = call.args(vec![
        string(&step.method),
        url,
        format!("name={}", string(&stats_name(step))),
    ]);
    uses_all.path |= call.path;
    let mut used_scope = call.used_scope;

    let mut checks = pyrequest::assertions(step, &mut needs, warnings, |a, line| {
        let message = string(&pyassert::describe(a));
        let expr = line
            .strip_prefix("assert ")
            .and_then(|l| l.strip_suffix(&format!(", {message}")))
            .unwrap_or("False");
        format!("expect({expr}, {message})")
    });
    checks.extend(pyrequest::captures(step, variables, &mut needs, warnings));
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
        lines.push(pyrequest::scope_line(variables, folder_const, step));
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
