//! The respx module: a `respx.MockRouter` whose routes answer the recorded requests of an httpx
//! client with `httpx.Response`s, as a pytest fixture and as a plain context manager.

use super::prepare::{Body, Route};
use super::{docstring, py_bytes, route_comment, Recording};
use crate::pylit;
use crate::GeneratedFile;

/// The file name the module is written as.
pub(crate) const FILE: &str = "recorded_respx.py";

pub(crate) fn module(recording: &Recording, routes: &[Route]) -> GeneratedFile {
    let mut out = docstring(recording, routes, "respx (for httpx clients)");
    out.push_str("\nimport httpx\nimport pytest\nimport respx\n\n\n");
    out.push_str("def add_routes(router: respx.MockRouter) -> respx.MockRouter:\n");
    out.push_str("    \"\"\"Registers the recorded exchanges on `router`.\"\"\"\n");
    for route in routes {
        out.push_str(&route_comment(route));
        out.push_str(&route_code(route));
    }
    out.push_str("    return router\n\n\n");
    out.push_str(
        "def mocked(assert_all_called: bool = False) -> respx.MockRouter:\n\
         \x20   \"\"\"A router answering the recorded requests only, for `with mocked():` or as a\n\
         \x20   decorator. Any other request raises `respx.models.AllMockedAssertionError`.\"\"\"\n\
         \x20   router = respx.MockRouter(assert_all_mocked=True, assert_all_called=assert_all_called)\n\
         \x20   return add_routes(router)\n\n\n\
         @pytest.fixture\n\
         def mocked_api():\n\
         \x20   \"\"\"The recorded API for one test: yields the router (its `calls` are the requests).\"\"\"\n\
         \x20   with mocked() as router:\n\
         \x20       yield router\n",
    );
    GeneratedFile {
        path: FILE.into(),
        contents: out,
        executable: false,
    }
}

fn pairs(items: &[(String, String)]) -> String {
    let inner: Vec<String> = items
        .iter()
        .map(|(n, v)| format!("({}, {})", pylit::string(n), pylit::string(v)))
        .collect();
    format!("[{}]", inner.join(", "))
}

fn route_code(route: &Route) -> String {
    let mut out = format!(
        "    router.route(\n        method={},\n        url={},\n",
        pylit::string(&route.method),
        pylit::string(&route.url)
    );
    if route.strict {
        out.push_str(&format!("        params__eq={},\n", pairs(&route.params)));
    } else if !route.params.is_empty() {
        out.push_str(&format!(
            "        params__contains={},\n",
            pairs(&route.params)
        ));
    }
    let mut headers = Vec::new();
    if let Some(ct) = &route.content_type {
        headers.push(("Content-Type".to_owned(), ct.clone()));
    }
    headers.extend(route.headers.iter().cloned());
    out.push_str("    ).mock(\n        return_value=httpx.Response(\n");
    out.push_str(&format!("            {},\n", route.status));
    out.push_str(&format!("            headers={},\n", pairs(&headers)));
    match &route.body {
        Body::Empty => {}
        Body::Json(v) => out.push_str(&format!("            json={},\n", pylit::json(v))),
        Body::Text(t) => out.push_str(&format!("            text={},\n", pylit::string(t))),
        Body::Bytes(b) => out.push_str(&format!("            content={},\n", py_bytes(b))),
    }
    out.push_str("        ),\n    )\n");
    out
}
