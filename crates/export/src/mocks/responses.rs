//! The responses module: a `responses.RequestsMock` answering the recorded requests of a
//! requests client, each query matched by `matchers.query_param_matcher`, as a pytest fixture
//! and as a plain context manager.

use super::prepare::{Body, Route};
use super::{docstring, py_bytes, route_comment, Recording};
use crate::pylit;
use crate::GeneratedFile;

/// The file name the module is written as.
pub(crate) const FILE: &str = "recorded_responses.py";

pub(crate) fn module(recording: &Recording, routes: &[Route]) -> GeneratedFile {
    let mut out = docstring(recording, routes, "responses (for requests clients)");
    out.push_str("\nimport pytest\nimport responses\nfrom responses import matchers\n\n\n");
    out.push_str(
        "def add_responses(rsps: responses.RequestsMock) -> responses.RequestsMock:\n\
         \x20   \"\"\"Registers the recorded exchanges on `rsps`.\"\"\"\n",
    );
    for route in routes {
        out.push_str(&route_comment(route));
        out.push_str(&route_code(route));
    }
    out.push_str("    return rsps\n\n\n");
    out.push_str(
        "def mocked(assert_all_requests_are_fired: bool = False) -> responses.RequestsMock:\n\
         \x20   \"\"\"A mock answering the recorded requests only, for `with mocked():`. Any other\n\
         \x20   request raises `requests.exceptions.ConnectionError`.\"\"\"\n\
         \x20   rsps = responses.RequestsMock(assert_all_requests_are_fired=assert_all_requests_are_fired)\n\
         \x20   return add_responses(rsps)\n\n\n\
         @pytest.fixture\n\
         def mocked_api():\n\
         \x20   \"\"\"The recorded API for one test: yields the mock (its `calls` are the requests).\"\"\"\n\
         \x20   with mocked() as rsps:\n\
         \x20       yield rsps\n",
    );
    GeneratedFile {
        path: FILE.into(),
        contents: out,
        executable: false,
    }
}

/// The query as `query_param_matcher` takes it: a dict, a list for a repeated name.
fn params(items: &[(String, String)]) -> String {
    let mut names: Vec<&str> = Vec::new();
    for (n, _) in items {
        if !names.contains(&n.as_str()) {
            names.push(n);
        }
    }
    let inner: Vec<String> = names
        .iter()
        .map(|name| {
            let values: Vec<String> = items
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| pylit::string(v))
                .collect();
            let value = if values.len() == 1 {
                values[0].clone()
            } else {
                format!("[{}]", values.join(", "))
            };
            format!("{}: {value}", pylit::string(name))
        })
        .collect();
    format!("{{{}}}", inner.join(", "))
}

/// Headers as a dict; a repeated name's values joined by `, ` (RFC 9110 5.3).
fn headers(items: &[(String, String)]) -> String {
    let mut merged: Vec<(String, String)> = Vec::new();
    for (n, v) in items {
        match merged.iter_mut().find(|(m, _)| m.eq_ignore_ascii_case(n)) {
            Some((_, value)) => {
                value.push_str(", ");
                value.push_str(v);
            }
            None => merged.push((n.clone(), v.clone())),
        }
    }
    let inner: Vec<String> = merged
        .iter()
        .map(|(n, v)| format!("{}: {}", pylit::string(n), pylit::string(v)))
        .collect();
    format!("{{{}}}", inner.join(", "))
}

fn route_code(route: &Route) -> String {
    let mut out = format!(
        "    rsps.add(\n        method={},\n        url={},\n        status={},\n        headers={},\n",
        pylit::string(&route.method),
        pylit::string(&route.url),
        route.status,
        headers(&route.headers)
    );
    match &route.content_type {
        Some(ct) => out.push_str(&format!("        content_type={},\n", pylit::string(ct))),
        None if route.body == Body::Empty => {
            out.push_str("        content_type=None,\n");
        }
        None => {}
    }
    match &route.body {
        Body::Empty => {}
        Body::Json(v) => out.push_str(&format!("        json={},\n", pylit::json(v))),
        Body::Text(t) => out.push_str(&format!("        body={},\n", pylit::string(t))),
        Body::Bytes(b) => out.push_str(&format!("        body={},\n", py_bytes(b))),
    }
    let strict = if route.strict {
        ""
    } else {
        ", strict_match=False"
    };
    out.push_str(&format!(
        "        match=[matchers.query_param_matcher({}{strict})],\n    )\n",
        params(&route.params)
    ));
    out
}
