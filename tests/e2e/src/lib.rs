//! A harness for driving the real Sextant window: Xvfb on a free display, tauri-driver on free
//! ports (it drives WebKitWebDriver, which launches the app), and a WebDriver session on top.
//! Everything started here is stopped when the [`Window`] is dropped: tauri-driver with SIGTERM,
//! never SIGKILL, so it can stop WebKitWebDriver in turn.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use fantoccini::{elements::Element, Client, ClientBuilder, Locator};

mod frames;
mod steps;
mod wait;
pub use frames::{bench_rate, Frames};
pub use wait::poll_until;

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

/// The desktop binary built by `scripts/test.sh` (`cargo build -p sextant-desktop`), or the one
/// `SEXTANT_E2E_APP` names (the benchmarks use a release build).
pub fn app_binary() -> Result<PathBuf> {
    if let Some(bin) = std::env::var_os("SEXTANT_E2E_APP") {
        return Ok(PathBuf::from(bin));
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"));
    let bin = target.join("debug/sextant-desktop");
    if !bin.exists() {
        bail!(
            "{} is missing: build it with `cargo build -p sextant-desktop` (scripts/test.sh does)",
            bin.display()
        );
    }
    Ok(bin)
}

/// A tauri-driver just started, with the port it serves WebDriver on and its log file.
struct StartedDriver {
    child: Child,
    port: u16,
    log: PathBuf,
}

fn start_driver(xvfb: &Xvfb, data_dir: &Path, env: &[(String, String)]) -> Result<StartedDriver> {
    let (port, native_port) = (free_port(), free_port());
    let log_path = std::env::temp_dir().join(format!("sextant-tauri-driver-{port}.log"));
    let log = std::fs::File::create(&log_path)?;
    let child = Command::new(tauri_driver()?)
        // The app inherits tauri-driver's environment (through WebKitWebDriver).
        .envs(env.iter().map(|(k, v)| (k, v)))
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .env("DISPLAY", &xvfb.display)
        .env("SEXTANT_DATA_DIR", data_dir)
        // The web view's own storage (localStorage: expanded folders, chosen environments)
        // lives under the XDG dirs: one set per window, so no test sees another's state.
        .env("XDG_DATA_HOME", data_dir.join("xdg-data"))
        .env("XDG_CACHE_HOME", data_dir.join("xdg-cache"))
        .env("XDG_CONFIG_HOME", data_dir.join("xdg-config"))
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .env("NO_AT_BRIDGE", "1")
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .context("cannot start tauri-driver")?;
    Ok(StartedDriver {
        child,
        port,
        log: log_path,
    })
}

enum Connected {
    Yes(Client, Child, PathBuf),
    /// The driver ended before a session was made (a port taken under it); its log.
    DriverExited(String),
}

/// A WebDriver session with the app through `driver`, waiting up to 30 s for the driver to
/// answer.
async fn connect(
    caps: &serde_json::Map<String, serde_json::Value>,
    mut driver: StartedDriver,
) -> Result<Connected> {
    let read_log = |path: &Path| -> String {
        let mut log = String::new();
        if let Ok(mut f) = std::fs::File::open(path) {
            let _ = f.read_to_string(&mut log);
        }
        log
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut last_err = String::new();
    while Instant::now() < deadline {
        match ClientBuilder::native()
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
        {
            Ok(client) => return Ok(Connected::Yes(client, driver.child, driver.log)),
            Err(e) => last_err = e.to_string(),
        }
        if let Ok(Some(_)) = driver.child.try_wait() {
            return Ok(Connected::DriverExited(read_log(&driver.log)));
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    terminate(&mut driver.child);
    bail!(
        "no WebDriver session after 30 s: {last_err}\ntauri-driver log:\n{}",
        read_log(&driver.log)
    );
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

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

struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    fn start() -> Result<Self> {
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1440x900x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("cannot start Xvfb (apt package xvfb; scripts/setup.sh installs it)")?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().context("Xvfb stdout")?)
            .read_line(&mut line)
            .context("reading Xvfb's display number")?;
        let number = line.trim();
        if number.is_empty() {
            bail!("Xvfb did not report a display");
        }
        Ok(Self {
            child,
            display: format!(":{number}"),
        })
    }
}

/// A running Sextant window under WebDriver control.
pub struct Window {
    pub client: Client,
    driver: Child,
    xvfb: Xvfb,
    pub data_dir: tempfile::TempDir,
    driver_log: PathBuf,
    /// Extra environment the app was started with, kept for [`Window::restart`].
    env: Vec<(String, String)>,
}

impl Window {
    pub async fn open() -> Result<Self> {
        Self::open_in(tempfile::tempdir()?, Vec::new()).await
    }

    /// Like [`Window::open`], with `env` added to the app's environment (say, `BROWSER` set to
    /// the test browser).
    pub async fn open_with_env(env: &[(&str, &str)]) -> Result<Self> {
        let env = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Self::open_in(tempfile::tempdir()?, env).await
    }

    /// Closes the window and starts the app again on the same data (workspace, drafts,
    /// history, web view storage), as a user quitting and coming back would.
    pub async fn restart(self) -> Result<Self> {
        self.restart_after(|_| Ok(())).await
    }

    /// Closes the app, waits until its process is gone (closing writes the session, so a file
    /// changed while it runs could be written over), runs `change` on the data folder, and starts
    /// the app again on it.
    pub async fn restart_after(
        mut self,
        change: impl FnOnce(&std::path::Path) -> Result<()>,
    ) -> Result<Self> {
        let data_dir = std::mem::replace(&mut self.data_dir, tempfile::tempdir()?);
        let env = std::mem::take(&mut self.env);
        self.close().await?;
        let marker = format!("SEXTANT_DATA_DIR={}", data_dir.path().display());
        let deadline = Instant::now() + Duration::from_secs(20);
        while app_running(&marker) {
            if Instant::now() > deadline {
                bail!("the app was still running 20 s after its window was closed");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        change(data_dir.path())?;
        Self::open_in(data_dir, env).await
    }

    async fn open_in(data_dir: tempfile::TempDir, env: Vec<(String, String)>) -> Result<Self> {
        let app = app_binary()?;
        let xvfb = Xvfb::start()?;
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app.to_string_lossy() }),
        );
        // A free port can be taken by another process between our probe and tauri-driver's
        // bind: a driver that exits at once is started again on fresh ports.
        let mut attempts = 0;
        let (client, driver, driver_log) = loop {
            attempts += 1;
            let started = start_driver(&xvfb, data_dir.path(), &env)?;
            match connect(&caps, started).await? {
                Connected::Yes(client, driver, log) => break (client, driver, log),
                Connected::DriverExited(log) if attempts < 3 => {
                    eprintln!(
                        "tauri-driver exited at start (attempt {attempts}), retrying:\n{log}"
                    );
                }
                Connected::DriverExited(log) => {
                    bail!("tauri-driver exited at start 3 times:\n{log}")
                }
            }
        };
        let w = Self {
            client,
            driver,
            xvfb,
            data_dir,
            driver_log,
            env,
        };
        w.wait_for("[data-testid=url-input]").await?;
        Ok(w)
    }

    /// The X display the window is on (`:N`), for tools that talk to it (`xclip`).
    pub fn display(&self) -> &str {
        &self.xvfb.display
    }

    pub fn driver_log(&self) -> &Path {
        &self.driver_log
    }

    /// The first element matching `css`, waited for (up to 20 s): a page that is still
    /// rendering after a click or a key must not fail a test on a slow machine.
    pub async fn find(&self, css: &str) -> Result<Element> {
        self.wait_for(css)
            .await
            .with_context(|| format!("no element matches {css}"))
    }

    pub async fn wait_for(&self, css: &str) -> Result<Element> {
        self.client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("waited 20 s for {css}"))
    }

    /// Opens the explorer and its Import OpenAPI dialog; answers with the dialog's source field.
    pub async fn open_import_dialog(&self) -> Result<Element> {
        self.find("[data-testid=sidebar-explorer]")
            .await?
            .click()
            .await?;
        self.find("[data-testid=import-openapi]")
            .await?
            .click()
            .await?;
        self.wait_for("[data-testid=import-source]").await
    }

    /// Waits until the element's text content satisfies `pred`; returns the text. Reads
    /// `textContent` (not WebDriver's visible text, which WebKitWebDriver reports empty for some
    /// elements that are on screen).
    pub async fn wait_text(&self, css: &str, pred: impl Fn(&str) -> bool) -> Result<String> {
        let mut last = String::new();
        let found = poll_until(
            format_args!("{css} to have the expected text"),
            Duration::from_secs(20),
            async || {
                let value = self
                    .client
                    .execute(
                        "const el = document.querySelector(arguments[0]); return el ? el.textContent : null;",
                        vec![css.into()],
                    )
                    .await?;
                let Some(text) = value.as_str() else {
                    return Ok(None);
                };
                last = text.to_string();
                Ok(pred(text).then(|| text.to_string()))
            },
        )
        .await;
        found.map_err(|e| e.context(format!("last seen: {last:?}")))
    }

    /// Waits up to 10 s until nothing matches `css`.
    pub async fn wait_gone(&self, css: &str) -> Result<()> {
        poll_until(
            format_args!("{css} is still there"),
            Duration::from_secs(10),
            async || {
                Ok(self
                    .client
                    .find_all(Locator::Css(css))
                    .await?
                    .is_empty()
                    .then_some(()))
            },
        )
        .await
    }

    /// Waits up to 10 s until the window's session file (`session.json`, written 300 ms after the
    /// tabs change) says what `pred` wants, and returns it. A window closed by WebDriver is
    /// killed, not quit, so a test that restarts waits for this first.
    pub async fn wait_session(
        &self,
        pred: impl Fn(&serde_json::Value) -> bool,
    ) -> Result<serde_json::Value> {
        let file = self.data_dir.path().join("session.json");
        let mut last = String::new();
        let found = poll_until(
            format_args!("{} to have the expected tabs", file.display()),
            Duration::from_secs(10),
            async || {
                let Ok(text) = std::fs::read_to_string(&file) else {
                    return Ok(None);
                };
                let value = serde_json::from_str::<serde_json::Value>(&text)
                    .ok()
                    .filter(|v| pred(v));
                last = text;
                Ok(value)
            },
        )
        .await;
        found.map_err(|e| e.context(format!("last seen:\n{last}")))
    }

    /// Waits up to 10 s until at least one unsaved tab's draft is on disk (written 500 ms after
    /// an edit).
    pub async fn wait_draft(&self) -> Result<()> {
        let drafts = self.data_dir.path().join("workspace-data/drafts");
        poll_until(
            format_args!("no draft under {}", drafts.display()),
            Duration::from_secs(10),
            async || {
                let found = std::fs::read_dir(&drafts).is_ok_and(|entries| {
                    entries
                        .flatten()
                        .any(|e| e.file_name().to_string_lossy().ends_with(".draft"))
                });
                Ok(found.then_some(()))
            },
        )
        .await
    }

    /// Asks the window to close as its title bar's button does (`plugin:window|close`: the close
    /// request the UI hears, unlike WebDriver's close, which kills the app), then waits up to 20 s
    /// until the app has ended. Fails when the app was not running to begin with.
    pub async fn close_and_wait_exit(&self) -> Result<()> {
        let marker = format!("SEXTANT_DATA_DIR={}", self.data_dir.path().display());
        if !app_running(&marker) {
            bail!(
                "no sextant-desktop process runs on {}",
                self.data_dir.path().display()
            );
        }
        self.client
            .execute(
                "window.__TAURI_INTERNALS__.invoke('plugin:window|close', \
                 { label: window.__TAURI_INTERNALS__.metadata.currentWindow.label }); return true;",
                vec![],
            )
            .await?;
        poll_until(
            "the app was still running after its window was asked to close",
            Duration::from_secs(20),
            async || Ok((!app_running(&marker)).then_some(())),
        )
        .await
    }

    /// Waits up to 10 s until `script` (a function body) returns true in the page.
    pub async fn wait_js(&self, script: &str) -> Result<()> {
        poll_until(
            format_args!("still false: {script}"),
            Duration::from_secs(10),
            async || {
                Ok(
                    (self.client.execute(script, vec![]).await?.as_bool() == Some(true))
                        .then_some(()),
                )
            },
        )
        .await
    }

    /// Saves a PNG of the whole X display (ImageMagick's `import`): WebKitWebDriver's own
    /// screenshot command does not return under Xvfb.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let dir = repo_root().join("target/e2e-screenshots");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        let status = Command::new("import")
            .args(["-display", &self.xvfb.display, "-window", "root"])
            .arg(&path)
            .status()
            .context("cannot run ImageMagick's import")?;
        if !status.success() {
            bail!("import failed for {}", path.display());
        }
        Ok(path)
    }

    /// Ends a test: on failure, a screenshot named `failure-<name>` (and where the driver log is),
    /// then the window closes either way and the test's own result is returned.
    pub async fn finish<T>(self, name: &str, result: Result<T>) -> Result<T> {
        if result.is_err() {
            let _ = self.screenshot(&format!("failure-{name}")).await;
            eprintln!("tauri-driver log: {}", self.driver_log().display());
        }
        self.close().await?;
        result
    }

    pub async fn close(mut self) -> Result<()> {
        let client = self.client.clone();
        let _ = client.close().await;
        terminate(&mut self.driver);
        terminate(&mut self.xvfb.child);
        Ok(())
    }
}

impl Drop for Window {
    fn drop(&mut self) {
        terminate(&mut self.driver);
        terminate(&mut self.xvfb.child);
    }
}

/// Whether a live `sextant-desktop` process has `marker` (`NAME=value`) in its environment. A
/// process that has ended but is not reaped yet shows an empty environment, so it counts as gone.
fn app_running(marker: &str) -> bool {
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return false;
    };
    procs.flatten().any(|p| {
        let dir = p.path();
        let comm = std::fs::read_to_string(dir.join("comm")).unwrap_or_default();
        comm.trim() == "sextant-desktop"
            && std::fs::read(dir.join("environ"))
                .is_ok_and(|env| env.split(|b| *b == 0).any(|v| v == marker.as_bytes()))
    })
}

fn tauri_driver() -> Result<PathBuf> {
    let candidates = [
        std::env::var_os("CARGO_HOME").map(|h| PathBuf::from(h).join("bin/tauri-driver")),
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin/tauri-driver")),
        Some(repo_root().join(".tools/bin/tauri-driver")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.exists())
        .context(
            "tauri-driver not found: `cargo install tauri-driver --locked` (scripts/setup.sh does)",
        )
}
