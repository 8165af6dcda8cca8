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

use common::{demo_workspace, export, locust_bin, text, venv_bin};
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

    let ruff = Command::new(venv_bin("ruff"))
        .args(["check", "--no-cache", "."])
        .current_dir(&dir)
        .output()
        .expect("run ruff (scripts/setup-python.sh installs it)");
    assert!(ruff.status.success(), "{}", text(&ruff));
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
