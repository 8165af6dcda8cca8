//! The Locust load test: `locustfile.py` with one `HttpUser` for the collection, a weighted task
//! per request, and the folders whose requests chain through captures as one
//! `SequentialTaskSet` each, so what one request captures reaches the next. Nothing lives at
//! module level but constants read from environment variables, so the file runs unchanged on
//! Locust's distributed engine (each worker imports it and keeps its users' variables).
//! `sextant_support.py` (the same helpers as the pytest export), `requirements.txt` and a
//! `README.md` on single-machine and distributed runs come with it.
//!
//! This module lists the files and writes the README; `tasks` decides which requests are tasks
//! (weights, chains; the k6 export shares it), `file` writes `locustfile.py`, and `request`
//! writes one request's task.

mod file;
mod request;
mod tasks;

use std::fmt::Write as _;

use sextant_model::ConversionWarning;

use crate::names::env_var;
use crate::plan::Plan;
use crate::GeneratedFile;
use file::locustfile;

pub(crate) use tasks::{captured_names, chained};

const SUPPORT: &str = include_str!("../assets/sextant_support.py");
const LOCUST: &str = "locust==2.47.0";
const HTTPX: &str = "httpx==0.28.1";

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
        "## Variables\n\nEach variable can be set by an environment variable; secrets can only be. Think time between requests: `{}` and `{}` seconds (default 1 and 2).\n",
        env_var(&plan.prefix, "thinkMin"),
        env_var(&plan.prefix, "thinkMax")
    );
    out.push_str(&plan.variables_table());
    out
}
