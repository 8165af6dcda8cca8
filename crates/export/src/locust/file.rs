//! The text of `locustfile.py`: the imports it needs, the variables read from the environment,
//! the `checks` helper, one `SequentialTaskSet` per chained folder and the `HttpUser` with a
//! weighted task per other request. Each task's own lines come from `request`.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use sextant_model::ConversionWarning;

use super::request::request;
use super::tasks::{captured_names, chained, weight};
use crate::names::{camel, env_var, non_empty, snake, Unique};
use crate::plan::{Plan, Step};
use crate::pyassert::Needs;
use crate::pylit::{docstring_text, folder_variables, string, var_entries};

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

/// Everything the file needs, gathered while writing the requests.
#[derive(Default)]
pub(super) struct Uses {
    pub(super) needs: Needs,
    pub(super) path: bool,
    pub(super) access_token: bool,
}

pub(super) fn locustfile(plan: &Plan, warnings: &mut Vec<ConversionWarning>) -> String {
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
        let folder_const = folder_variables(&mut constants, group);
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

#[cfg(test)]
mod tests {
    use super::*;

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
