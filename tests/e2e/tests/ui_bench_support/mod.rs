//! What the peer benchmarks (`ui_bench_peers.rs`) need beyond the window harness: launching any
//! Tauri app (Sextant or the hello-world peer) the same way, timing the launch from the WebDriver
//! session request, the memory (PSS) of the app's whole process tree, a static file server for
//! the bare CodeMirror page, and a workspace of 1,000 requests. Loopback only.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use fantoccini::{Client, ClientBuilder, Locator};

/// An app launched under Xvfb + tauri-driver, with the time from the session request until
/// `ready` (a CSS selector) was on screen.
pub struct Launched {
    pub client: Client,
    pub start_ms: f64,
    driver: Child,
    xvfb: Child,
    _data: tempfile::TempDir,
}

/// Starts Xvfb and tauri-driver (not timed), then times the WebDriver session request, which
/// launches `app`, until `ready` is found. `workspace` becomes `SEXTANT_WORKSPACE`.
pub async fn launch(app: &Path, workspace: Option<&Path>, ready: &str) -> Result<Launched> {
    let data = tempfile::tempdir()?;
    let (xvfb, display) = start_xvfb()?;
    let port = free_port();
    let mut cmd = Command::new(tauri_driver()?);
    cmd.args(["--port", &port.to_string()])
        .args(["--native-port", &free_port().to_string()])
        .env("DISPLAY", &display)
        .env("SEXTANT_DATA_DIR", data.path())
        .env("XDG_DATA_HOME", data.path().join("xdg-data"))
        .env("XDG_CACHE_HOME", data.path().join("xdg-cache"))
        .env("XDG_CONFIG_HOME", data.path().join("xdg-config"))
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .env("NO_AT_BRIDGE", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(ws) = workspace {
        cmd.env("SEXTANT_WORKSPACE", ws);
    }
    let driver = cmd.spawn().context("cannot start tauri-driver")?;
    wait_status(port)?;
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "wry".into());
    caps.insert(
        "tauri:options".into(),
        serde_json::json!({ "application": app.to_string_lossy() }),
    );
    let start = Instant::now();
    let client = ClientBuilder::native()
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .context("no WebDriver session")?;
    client
        .wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css(ready))
        .await
        .with_context(|| format!("{ready} never appeared"))?;
    let start_ms = start.elapsed().as_secs_f64() * 1000.0;
    Ok(Launched {
        client,
        start_ms,
        driver,
        xvfb,
        _data: data,
    })
}

impl Launched {
    /// PSS of the app and everything it started (WebKit's web and network processes), in MiB;
    /// tauri-driver and WebKitWebDriver are not counted.
    pub fn pss_mib(&self) -> f64 {
        app_tree_pss_kib(self.driver.id()) as f64 / 1024.0
    }

    pub fn driver_pid(&self) -> u32 {
        self.driver.id()
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        terminate(&mut self.driver);
        terminate(&mut self.xvfb);
    }
}

impl Drop for Launched {
    fn drop(&mut self) {
        terminate(&mut self.driver);
        terminate(&mut self.xvfb);
    }
}

/// Sum of `Pss:` from /proc/<pid>/smaps_rollup over the descendants of `root` (tauri-driver),
/// leaving out the WebDriver processes themselves.
pub fn app_tree_pss_kib(root: u32) -> u64 {
    let mut parents = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for e in entries.flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                continue;
            };
            // "pid (comm) state ppid ...": comm may hold spaces, so split after the last ')'.
            let Some((head, rest)) = stat.rsplit_once(')') else {
                continue;
            };
            let comm = head
                .split_once('(')
                .map(|(_, c)| c)
                .unwrap_or("")
                .to_string();
            let ppid = rest
                .split_whitespace()
                .nth(1)
                .and_then(|p| p.parse::<u32>().ok());
            if let Some(ppid) = ppid {
                parents.push((pid, ppid, comm));
            }
        }
    }
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let p = tree[i];
        tree.extend(
            parents
                .iter()
                .filter(|(_, pp, _)| *pp == p)
                .map(|(c, _, _)| *c),
        );
        i += 1;
    }
    parents
        .iter()
        .filter(|(pid, _, comm)| {
            tree.contains(pid) && *pid != root && !comm.starts_with("WebKitWebDriver")
        })
        .map(|(pid, _, _)| pss_kib(*pid))
        .sum()
}

fn pss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Pss:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// Waits (up to 30 s) until tauri-driver answers `GET /status`.
fn wait_status(port: u16) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok((head, _)) = get(&format!("127.0.0.1:{port}"), "/status") {
            if head.starts_with("HTTP/1.1 200") || head.starts_with("HTTP/1.0 200") {
                return Ok(());
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    bail!("tauri-driver on port {port} never answered /status")
}

/// A plain HTTP/1.0 GET on loopback: the status line and headers, and the body.
pub fn get(addr: &str, path: &str) -> Result<(String, Vec<u8>)> {
    let mut s = TcpStream::connect(addr)?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n")?;
    let mut all = Vec::new();
    s.read_to_end(&mut all)?;
    let split = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .context("no end of headers")?;
    let head = String::from_utf8_lossy(&all[..split]).into_owned();
    Ok((head, all[split + 4..].to_vec()))
}

/// Serves the files of `dir` on 127.0.0.1 (a thread per connection) until the process ends;
/// answers with the base URL.
pub fn serve_dir(dir: PathBuf) -> Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let base = format!("http://{}", listener.local_addr()?);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let _ = answer(stream, &dir);
            });
        }
    });
    Ok(base)
}

fn answer(mut stream: TcpStream, dir: &Path) -> Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" {
            break;
        }
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/");
    let path = path
        .split('?')
        .next()
        .unwrap_or("/")
        .trim_start_matches('/');
    let name = if path.is_empty() { "index.html" } else { path };
    let file = dir.join(name);
    let (status, body) = match (name.contains(".."), std::fs::read(&file)) {
        (false, Ok(body)) => ("200 OK", body),
        _ => ("404 Not Found", Vec::new()),
    };
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)?;
    Ok(())
}

/// A workspace of 10 collections × 10 folders × 10 GET requests, in the format of
/// docs/FORMAT.md.
pub fn write_workspace(root: &Path, requests: usize) -> Result<()> {
    for i in 0..requests {
        let (c, f) = (i / 100, (i / 10) % 10);
        let coll = root.join(format!("bench-{c:02}"));
        let folder = coll.join(format!("folder-{f:02}"));
        std::fs::create_dir_all(&folder)?;
        if !coll.join("collection.yaml").exists() {
            std::fs::write(coll.join("collection.yaml"), format!("name: Bench {c}\n"))?;
        }
        std::fs::write(
            folder.join(format!("request-{i:04}.yaml")),
            format!(
                "name: Request {i}\nmethod: GET\nurl: 'http://127.0.0.1:9/items/{i}?page={f}'\n"
            ),
        )?;
    }
    Ok(())
}

fn start_xvfb() -> Result<(Child, String)> {
    let mut child = Command::new("Xvfb")
        .args(["-displayfd", "1", "-screen", "0", "1440x900x24"])
        .args(["-nolisten", "tcp"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("cannot start Xvfb")?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().context("Xvfb stdout")?).read_line(&mut line)?;
    let number = line.trim().to_string();
    if number.is_empty() {
        bail!("Xvfb did not report a display");
    }
    Ok((child, format!(":{number}")))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// SIGTERM (tauri-driver then stops WebKitWebDriver and the app), SIGKILL after 5 s.
fn terminate(child: &mut Child) {
    if let Ok(Some(_)) = child.try_wait() {
        return;
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn tauri_driver() -> Result<PathBuf> {
    [
        std::env::var_os("CARGO_HOME").map(|h| PathBuf::from(h).join("bin/tauri-driver")),
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin/tauri-driver")),
        Some(sextant_e2e::repo_root().join(".tools/bin/tauri-driver")),
    ]
    .into_iter()
    .flatten()
    .find(|p| p.exists())
    .context("tauri-driver not found")
}

/// Median of `values` (sorted in place).
pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
