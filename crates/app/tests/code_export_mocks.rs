//! Mock modules made from the history (`App::export_code` with respx / responses,
//! `App::export_mocks_from_entries`): the demo collection is run against the live FastAPI demo
//! so the history records it, the modules are exported, the demo is stopped, and a small httpx
//! client and a small requests client pass their pytest suites against the mocks alone. A
//! request outside the recording is refused by each library, which shows the mocks are in use.

mod common;

use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{
    local_environment, py_compile, pytest, ruff, runtime, text, write, write_files, ITEMS_FOLDER,
};
use sextant_app::{App, AppConfig, CodeFormat, CodeOptions, HistoryQuery};
use sextant_model::RunOptions;
use sextant_testkit::PyServer;

/// The demo collection: create an item (capturing its id), get it, list items with a query, and
/// set a cookie (its Set-Cookie header must not reach the modules).
fn workspace(dir: &Path, base_url: &str) {
    let c = dir.join("demo-api");
    local_environment(&c, base_url, &[]);
    write_files(
        &c,
        &[
            ("collection.yaml", "name: Demo API\nheaders:\n- name: Accept\n  value: application/json\n"),
            ("items/folder.yaml", ITEMS_FOLDER),
            ("items/create-item.yaml", "name: Create item\nmethod: POST\nurl: '{{baseUrl}}/items'\nbody:\n  kind: json\n  text: '{\"name\": \"Lamp\", \"price\": 12.5, \"tags\": [\"home\", \"light\"]}'\ncaptures:\n- variable: itemId\n  body: $.id\nassertions:\n- status == 201\n"),
            ("items/get-created-item.yaml", "name: Get created item\nmethod: GET\nurl: '{{baseUrl}}/items/{{itemId}}'\nassertions:\n- status == 200\n"),
            ("items/list-items.yaml", "name: List items\nmethod: GET\nurl: '{{baseUrl}}/items'\nquery:\n- name: limit\n  value: '100'\nassertions:\n- status == 200\n"),
            ("set-cookie.yaml", "name: Set cookie\nmethod: GET\nurl: '{{baseUrl}}/cookies/set?name=flavour&value=oat'\nassertions:\n- status == 200\n"),
        ],
    );
}

const ITEMS_CLIENT: &str = r#""""A small client library, as a user would write it: the code the mocks test."""

import httpx
import requests


class ItemsClient:
    """The items API over httpx."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url)

    def list(self, limit: int = 100) -> list:
        r = self.http.get("/items", params={"limit": limit})
        r.raise_for_status()
        return r.json()

    def get(self, item_id: int) -> dict:
        r = self.http.get(f"/items/{item_id}")
        r.raise_for_status()
        return r.json()

    def create(self, name: str, price: float, tags: list) -> dict:
        r = self.http.post("/items", json={"name": name, "price": price, "tags": tags})
        r.raise_for_status()
        return r.json()


class RequestsItemsClient:
    """The same API over requests."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.session = requests.Session()

    def list(self, limit: int = 100) -> list:
        r = self.session.get(f"{self.base_url}/items", params={"limit": limit})
        r.raise_for_status()
        return r.json()

    def get(self, item_id: int) -> dict:
        r = self.session.get(f"{self.base_url}/items/{item_id}")
        r.raise_for_status()
        return r.json()

    def create(self, name: str, price: float, tags: list) -> dict:
        r = self.session.post(
            f"{self.base_url}/items", json={"name": name, "price": price, "tags": tags}
        )
        r.raise_for_status()
        return r.json()
"#;

const HTTPX_TESTS: &str = r#"import httpx
import pytest
import respx

from items_client import ItemsClient
from recorded_respx import mocked, mocked_api  # noqa: F401

BASE = "@BASE@"


def test_create_then_get_then_list(mocked_api):  # noqa: F811
    client = ItemsClient(BASE)
    item = client.create("Lamp", 12.5, ["home", "light"])
    assert item["name"] == "Lamp"
    assert client.get(item["id"])["tags"] == ["home", "light"]
    assert item["id"] in [i["id"] for i in client.list(limit=100)]
    assert mocked_api.calls.call_count == 3


def test_a_request_that_was_not_recorded_is_refused():
    with mocked():
        with pytest.raises(respx.models.AllMockedAssertionError):
            ItemsClient(BASE).get(987654)
        with pytest.raises(respx.models.AllMockedAssertionError):
            ItemsClient(BASE).list(limit=5)


def test_no_server_answers_without_the_mocks():
    with pytest.raises(httpx.ConnectError):
        ItemsClient(BASE).list(limit=100)
"#;

const REQUESTS_TESTS: &str = r#"import pytest
import requests

from items_client import RequestsItemsClient
from recorded_responses import mocked, mocked_api  # noqa: F401

BASE = "@BASE@"


def test_create_then_get_then_list(mocked_api):  # noqa: F811
    client = RequestsItemsClient(BASE)
    item = client.create("Lamp", 12.5, ["home", "light"])
    assert item["name"] == "Lamp"
    assert client.get(item["id"])["tags"] == ["home", "light"]
    assert item["id"] in [i["id"] for i in client.list(limit=100)]
    assert len(mocked_api.calls) == 3


def test_a_request_that_was_not_recorded_is_refused():
    with mocked():
        with pytest.raises(requests.exceptions.ConnectionError, match="Connection refused by Responses"):
            RequestsItemsClient(BASE).get(987654)
        with pytest.raises(requests.exceptions.ConnectionError, match="Connection refused by Responses"):
            RequestsItemsClient(BASE).list(limit=5)


def test_no_server_answers_without_the_mocks():
    with pytest.raises(requests.exceptions.ConnectionError) as refused:
        RequestsItemsClient(BASE).list(limit=100)
    assert "Responses" not in str(refused.value)
"#;

fn lint(dir: &Path, files: &[&str]) {
    ruff(dir, files);
    for f in files {
        py_compile(dir, Path::new(f));
    }
}

/// Waits until nothing accepts connections on `port` (the server is gone), within a ceiling.
fn wait_until_closed(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_ok() {
        assert!(
            Instant::now() < deadline,
            "the demo server still answers on {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn an_httpx_client_and_a_requests_client_pass_against_the_recorded_mocks_with_no_server() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let demo = PyServer::demo_api().unwrap();
    let base = demo.base_url();
    workspace(&tmp.path().join("ws"), &base);
    let mut config = AppConfig::new(tmp.path().join("data"));
    config.workspace_dir = Some(tmp.path().join("ws"));
    let app = App::new(config).unwrap();
    let runtime = runtime();

    let (respx, responses, from_entries) = runtime.block_on(async {
        let options = RunOptions {
            environment: Some("local".into()),
            ..RunOptions::default()
        };
        let summary = app
            .run("record", "demo-api", options, Arc::new(|_| {}))
            .await
            .unwrap();
        assert_eq!((summary.total, summary.failed), (4, 0), "{summary:?}");
        // A request added after the run has nothing recorded: the export names it.
        write(
            &tmp.path().join("ws/demo-api/health.yaml"),
            "name: Health\nmethod: GET\nurl: '{{baseUrl}}/health'\n",
        );
        let mut modules = Vec::new();
        for format in [CodeFormat::Respx, CodeFormat::Responses] {
            let generated = app
                .export_code("demo-api".into(), format, CodeOptions::default())
                .await
                .unwrap();
            assert!(
                generated
                    .warnings
                    .iter()
                    .any(|w| w.location == "demo-api/health.yaml"
                        && w.message.contains("Health has no recorded answer")),
                "{:?}",
                generated.warnings
            );
            app.write_code(out.clone(), generated.files.clone())
                .await
                .unwrap();
            modules.push(generated.files[0].contents.clone());
        }
        let newest = app.history_list(HistoryQuery::default()).await.unwrap();
        let list = newest
            .iter()
            .find(|e| e.url.contains("/items?limit=100"))
            .unwrap();
        let entries = app
            .export_mocks_from_entries(vec![list.id], CodeFormat::Respx)
            .await
            .unwrap();
        let responses = modules.pop().unwrap();
        (
            modules.pop().unwrap(),
            responses,
            entries.files[0].contents.clone(),
        )
    });

    for module in [&respx, &responses] {
        assert_eq!(
            module.matches("    # ").count(),
            4,
            "one route per request sent:\n{module}"
        );
        assert!(
            module.contains("Create item (demo-api/items/create-item.yaml), history entry"),
            "{module}"
        );
        assert!(module.contains("Set cookie"), "{module}");
        assert!(
            !module.contains("flavour=oat")
                && !module.contains("(\"set-cookie\"")
                && !module.contains("\"set-cookie\":"),
            "{module}"
        );
        assert!(!module.contains("content-length"), "{module}");
    }
    assert!(
        respx.contains("params__eq=[(\"limit\", \"100\")]"),
        "{respx}"
    );
    assert!(
        responses.contains("matchers.query_param_matcher({\"limit\": \"100\"})"),
        "{responses}"
    );
    assert_eq!(from_entries.matches("    # ").count(), 1, "{from_entries}");
    assert!(
        from_entries.contains(&format!("url=\"{base}/items\"")),
        "{from_entries}"
    );

    lint(&out, &["recorded_respx.py", "recorded_responses.py"]);

    // From here on nothing serves the recorded URL.
    let port = demo.port();
    drop(demo);
    wait_until_closed(port);

    write(&out.join("items_client.py"), ITEMS_CLIENT);
    write(
        &out.join("test_items_httpx.py"),
        &HTTPX_TESTS.replace("@BASE@", &base),
    );
    write(
        &out.join("test_items_requests.py"),
        &REQUESTS_TESTS.replace("@BASE@", &base),
    );
    lint(
        &out,
        &[
            "items_client.py",
            "test_items_httpx.py",
            "test_items_requests.py",
        ],
    );
    for file in ["test_items_httpx.py", "test_items_requests.py"] {
        let run = pytest(&out, &[file], &[]);
        assert_eq!(run.status.code(), Some(0), "{file}: {}", text(&run));
        assert!(
            String::from_utf8_lossy(&run.stdout).contains("3 passed"),
            "{}",
            text(&run)
        );
    }
}
