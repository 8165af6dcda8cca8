//! The Locust export (`CodeFormat::Locust`): the demo collection exported, checked by `ruff` and
//! `py_compile`, then run the way a team scales out, on Locust's distributed engine: one
//! headless master and two workers against the live demo API for 5 s. Its stats CSV must show
//! requests and no failure, a row for every request of the collection (grouped by URL template),
//! and the master must have run with both workers.

mod common;

use std::fs::File;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{demo_workspace, export, locust_bin, ruff, text};
use sextant_app::CodeFormat;
use sextant_testkit::PyServer;

/// Child processes killed (and reaped) when the test ends, whichever way it ends.
struct Procs(Vec<Child>);

impl Drop for Procs {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn locust(dir: &Path, args: &[&str], log: &Path) -> Child {
    let log = File::create(log).unwrap();
    Command::new(locust_bin("locust"))
        .arg("-f")
        .arg("locustfile.py")
        .args(args)
        .current_dir(dir)
        // Think time from the environment, as the README says; short so 5 s sees many requests.
        .env("DEMO_API_THINK_MIN", "0.2")
        .env("DEMO_API_THINK_MAX", "0.5")
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .expect("run locust (scripts/setup-python.sh installs tests/servers/.venv-locust)")
}

/// The rows of a Locust stats CSV as (type, name, requests, failures).
fn stats(csv: &str) -> Vec<(String, String, u64, u64)> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (ty, name, count, failures) = (
        col("Type"),
        col("Name"),
        col("Request Count"),
        col("Failure Count"),
    );
    lines
        .map(|line| {
            // Names hold no commas here; Locust quotes none of these columns otherwise.
            let cells: Vec<&str> = line.split(',').map(|c| c.trim_matches('"')).collect();
            (
                cells[ty].to_owned(),
                cells[name].to_owned(),
                cells[count].parse().unwrap(),
                cells[failures].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_locust_export_runs_distributed_with_two_workers_and_no_failure() {
    let demo = PyServer::demo_api().unwrap();
    let ws = demo_workspace(&demo.base_url());
    // The health check is sent three times as often as the items chain is started.
    let health = ws.path().join("demo-api/health.yaml");
    let mut yaml = std::fs::read_to_string(&health).unwrap();
    yaml.push_str("tags:\n- weight:3\n");
    std::fs::write(&health, yaml).unwrap();

    let (generated, dir) = export(ws.path(), CodeFormat::Locust, None);
    let names: Vec<&str> = generated.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        names,
        [
            "locustfile.py",
            "sextant_support.py",
            "requirements.txt",
            "README.md"
        ]
    );
    let file = std::fs::read_to_string(dir.join("locustfile.py")).unwrap();
    assert!(
        file.contains("class ItemsChain(SequentialTaskSet):"),
        "{file}"
    );
    assert!(file.contains("class DemoApiUser(HttpUser):"), "{file}");
    assert!(file.contains("tasks: ClassVar = {ItemsChain: 1}"), "{file}");
    assert!(
        file.contains("@task(3)\n    def send_health(self):"),
        "{file}"
    );
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(readme.contains("--master --expect-workers N"), "{readme}");
    assert!(readme.contains("--worker --master-host HOST"), "{readme}");

    ruff(&dir, &["."]);
    let compiled = Command::new(locust_bin("python"))
        .args(["-m", "py_compile", "locustfile.py", "sextant_support.py"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(compiled.status.success(), "{}", text(&compiled));

    // One master, two workers, all on loopback; the master stops the run after 5 s.
    let port = free_port().to_string();
    let master_log = dir.join("master.log");
    let mut procs = Procs(Vec::new());
    procs.0.push(locust(
        &dir,
        &[
            "--master",
            "--master-bind-host",
            "127.0.0.1",
            "--master-bind-port",
            &port,
            "--headless",
            "--expect-workers",
            "2",
            "--expect-workers-max-wait",
            "60",
            "-u",
            "10",
            "-r",
            "5",
            "-t",
            "5s",
            "--csv",
            "out",
            "--host",
            &demo.base_url(),
        ],
        &master_log,
    ));
    for i in 0..2 {
        procs.0.push(locust(
            &dir,
            &[
                "--worker",
                "--master-host",
                "127.0.0.1",
                "--master-port",
                &port,
            ],
            &dir.join(format!("worker{i}.log")),
        ));
    }
    let log = || std::fs::read_to_string(&master_log).unwrap_or_default();
    // A ceiling to catch a hang (workers never connecting, the master never stopping).
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = procs.0[0].try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the master did not stop:\n{}",
            log()
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "master {status}:\n{}", log());
    let log = log();
    assert!(log.contains("2 workers connected"), "{log}");
    assert!(
        log.contains("10 users at 5.00 spawn rate to 2 ready workers"),
        "{log}"
    );

    let exceptions = std::fs::read_to_string(dir.join("out_exceptions.csv")).unwrap();
    assert_eq!(exceptions.lines().count(), 1, "{exceptions}");
    let csv = std::fs::read_to_string(dir.join("out_stats.csv")).unwrap();
    let rows = stats(&csv);
    let total = rows
        .iter()
        .find(|r| r.1 == "Aggregated")
        .unwrap_or_else(|| panic!("{csv}"));
    assert!(total.2 > 0, "{csv}");
    assert_eq!(total.3, 0, "failures:\n{csv}\n{log}");
    for (method, name) in [
        ("POST", "/items"),
        ("GET", "/items/{{itemId}}"),
        ("GET", "/items"),
        ("GET", "/health"),
    ] {
        assert!(
            rows.iter().any(|r| r.0 == method && r.1 == name && r.2 > 0),
            "no {method} {name}:\n{csv}"
        );
    }
    drop(procs);

    // The same file against a demo whose GET /items/{id} answers a wrong name: that request
    // fails, with the assertion as written and the status.
    let broken = PyServer::demo_api_with_env(&[("DEMO_BREAK", "items")]).unwrap();
    let mut procs = Procs(Vec::new());
    let alone_log = dir.join("alone.log");
    procs.0.push(locust(
        &dir,
        &[
            "--headless",
            "-u",
            "4",
            "-r",
            "4",
            "-t",
            "3s",
            "--csv",
            "broken",
            "--host",
            &broken.base_url(),
        ],
        &alone_log,
    ));
    let deadline = Instant::now() + Duration::from_secs(120);
    while procs.0[0].try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "locust did not stop");
        std::thread::sleep(Duration::from_millis(100));
    }
    let csv = std::fs::read_to_string(dir.join("broken_stats.csv")).unwrap();
    let rows = stats(&csv);
    let get = rows
        .iter()
        .find(|r| r.0 == "GET" && r.1 == "/items/{{itemId}}")
        .unwrap_or_else(|| panic!("{csv}"));
    assert!(get.2 > 0 && get.3 == get.2, "{csv}");
    let health = rows.iter().find(|r| r.1 == "/health").unwrap();
    assert_eq!(health.3, 0, "{csv}");
    let failures = std::fs::read_to_string(dir.join("broken_failures.csv")).unwrap();
    assert!(
        failures.contains(r#"body $.name == ""Lamp"" (status 200)"#),
        "{failures}"
    );
}

/// k6 cannot be installed here (it is a Go binary, not on a package registry this build uses),
/// so the script is checked as JavaScript by node and read: an ES module with k6's imports,
/// options from `__ENV`, checks named by request and assertion, the captured id chained.
#[test]
fn the_k6_export_is_a_module_that_chains_captures_and_checks() {
    let ws = demo_workspace("http://127.0.0.1:8000");
    let (generated, dir) = export(ws.path(), CodeFormat::K6, None);
    let names: Vec<&str> = generated.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(names, ["script.js", "README.md"]);
    // The filter path of "List items" is beyond what the script reads: said, not dropped silently.
    assert!(
        generated
            .warnings
            .iter()
            .any(|w| w.location == "List items" && w.message.contains("$[?(@.name == 'Lamp')]")),
        "{:?}",
        generated.warnings
    );

    let script = std::fs::read_to_string(dir.join("script.js")).unwrap();
    std::fs::write(dir.join("script.mjs"), &script).unwrap();
    let node = Command::new("node")
        .args(["--check", "script.mjs"])
        .current_dir(&dir)
        .output()
        .expect("run node");
    assert!(node.status.success(), "{}\n{script}", text(&node));

    for needle in [
        "import http from 'k6/http';",
        "import { check, group, sleep } from 'k6';",
        "vus: Number(fromEnv('vus', '10')),",
        "const value = __ENV[envName(name)];",
        r#""baseUrl": fromEnv("baseUrl", "http://127.0.0.1:8000"),"#,
        r#"export default function () {"#,
        r#"group("items", () => {"#,
        r#""Create item: status == 201": () => equal(res.status, 201),"#,
        r#"captured["itemId"] = asText(at(body, ["id"]));"#,
        r#"if (!ok) return;"#,
        r#"http.request("GET", render("{{baseUrl}}/items/{{itemId}}", v), null, { headers: { "Accept": "application/json" }, tags: { name: "/items/{{itemId}}" } });"#,
        r#""Get created item: body $.id == {{itemId}}": () => equal(at(body, ["id"]), value(render("{{itemId}}", v))),"#,
        r#"withQuery(render("{{baseUrl}}/items", v), [["limit", "100"]])"#,
        "sleep(think());",
    ] {
        assert!(script.contains(needle), "no {needle}:\n{script}");
    }
    // The order of the chain: created, then read back, then listed.
    let at = |s: &str| script.find(s).unwrap();
    assert!(at("// Create item") < at("// Get created item"));
    assert!(at("// Get created item") < at("// List items"));
}

/// A stand-in for k6's runtime, for node: `k6/http` sends through curl (synchronously, as k6
/// does), `check` records each named check, `group` runs its function, `sleep` returns at once.
const K6_SHIM: &[(&str, &str)] = &[
    (
        "package.json",
        r#"{"name": "k6", "type": "module", "exports": {".": "./index.js", "./http": "./http.js", "./encoding": "./encoding.js"}}"#,
    ),
    (
        "index.js",
        r#"export const results = [];
export function check(res, checks) {
  let all = true;
  for (const [name, fn] of Object.entries(checks)) {
    const ok = Boolean(fn(res));
    results.push([name, ok]);
    all = all && ok;
  }
  return all;
}
export function group(name, fn) { return fn(); }
export function sleep() {}
"#,
    ),
    (
        "encoding.js",
        "export default { b64encode: (s) => Buffer.from(s).toString('base64') };\n",
    ),
    (
        "http.js",
        r#"import { execFileSync } from 'node:child_process';
function request(method, url, body, params) {
  const args = ['-s', '-S', '-i', '-X', method];
  for (const [k, v] of Object.entries((params && params.headers) || {})) args.push('-H', `${k}: ${v}`);
  if (body !== null && body !== undefined) args.push('--data-binary', '@-');
  const raw = execFileSync('curl', [...args, url], { input: body ?? '' }).toString();
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).split('\r\n');
  const headers = {};
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  const text = raw.slice(split + 4);
  return {
    status: Number(head[0].split(' ')[1]),
    headers,
    body: text,
    cookies: {},
    timings: { duration: 0 },
    json: () => JSON.parse(text),
  };
}
export default { request };
"#,
    ),
];

/// Runs one iteration of the exported script (its default function) against `base_url` under
/// the stand-in runtime; returns each check's name and outcome.
fn run_k6_iteration(dir: &Path, base_url: &str) -> Vec<(String, bool)> {
    for (name, contents) in K6_SHIM {
        common::write(&dir.join("node_modules/k6").join(name), contents);
    }
    std::fs::write(
        dir.join("iterate.mjs"),
        "globalThis.__ENV = process.env;\nconst { results } = await import('k6');\nconst script = await import('./script.mjs');\nscript.default();\nconsole.log(JSON.stringify(results));\n",
    )
    .unwrap();
    let out = Command::new("node")
        .arg("iterate.mjs")
        .current_dir(dir)
        .env("DEMO_API_BASE_URL", base_url)
        .output()
        .expect("run node");
    assert!(out.status.success(), "{}", text(&out));
    let results: Vec<(String, bool)> = serde_json::from_slice(&out.stdout).unwrap();
    results
}

/// The script's own logic (rendering, the chain of captures, the checks) against the live
/// demo, one iteration through the stand-in runtime: all green, and red where the demo breaks.
#[test]
fn one_iteration_of_the_k6_script_chains_and_checks_against_the_demo() {
    let demo = PyServer::demo_api().unwrap();
    let ws = demo_workspace("http://127.0.0.1:1");
    let (_, dir) = export(ws.path(), CodeFormat::K6, None);
    std::fs::copy(dir.join("script.js"), dir.join("script.mjs")).unwrap();

    let green = run_k6_iteration(&dir, &demo.base_url());
    assert_eq!(green.len(), 13, "{green:?}");
    assert!(green.iter().all(|(_, ok)| *ok), "{green:?}");
    assert!(green
        .iter()
        .any(|(name, _)| name == "Get created item: body $.id == {{itemId}}"));

    let broken = PyServer::demo_api_with_env(&[("DEMO_BREAK", "items")]).unwrap();
    let red = run_k6_iteration(&dir, &broken.base_url());
    let failed: Vec<&str> = red
        .iter()
        .filter(|(_, ok)| !ok)
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(
        failed,
        [r#"Get created item: body $.name == "Lamp""#],
        "{red:?}"
    );
    // The chain stops at the failed request: "List items" is not sent.
    assert!(
        !red.iter().any(|(name, _)| name.starts_with("List items")),
        "{red:?}"
    );
}
