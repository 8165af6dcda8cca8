//! Launcher for the OpenID provider in `tests/servers/oidc/` (the npm `oidc-provider` package
//! under Node), which Sextant's OAuth 2.0 / OIDC tests log in against: auth code + PKCE, refresh
//! tokens, client credentials, the device flow, with real login and consent pages, plus a
//! protected resource at `GET /test/api`. `scripts/setup.sh` installs its npm packages.
//!
//! Like [`crate::PyServer`], the server's stdin is a pipe held by the [`OidcProvider`]: the
//! server exits when that pipe closes, so it never outlives the test process that started it.
//! Its output goes to a log file under `$TMPDIR/sextant-oidc/`, named in every error and by
//! [`OidcProvider::log_path`].

use std::fmt;
use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};

use crate::python::{free_port, log_tail, repo_root};

/// The confidential client that authenticates with HTTP Basic (`client_secret_basic`).
pub const OIDC_CONFIDENTIAL: (&str, &str) = ("sextant-confidential", "confidential-secret");
/// The confidential client that sends its secret in the form body (`client_secret_post`).
pub const OIDC_POST: (&str, &str) = ("sextant-post", "post-secret");
/// The public client (no secret; PKCE required; refresh tokens rotate on every use).
pub const OIDC_PUBLIC: &str = "sextant-public";
/// The one user the login page accepts, with its password.
pub const OIDC_USER: (&str, &str) = ("alice", "wonderland");

/// How long the provider gets to answer its discovery document.
const READY_TIMEOUT: Duration = Duration::from_secs(30);
/// How many ports to try when the server exits before it comes up (say, the port was taken).
const ATTEMPTS: usize = 3;
/// How long `Drop` waits for Node to exit after its stdin closes before killing it.
const STOP_TIMEOUT: Duration = Duration::from_secs(5);
const READY_PATH: &str = "/.well-known/openid-configuration";

/// Token lifetimes, in seconds; `None` keeps the server's default (access 3600 s, refresh
/// 14 days, device code 600 s).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OidcOptions {
    pub access_ttl: Option<u64>,
    pub refresh_ttl: Option<u64>,
    pub device_ttl: Option<u64>,
    /// When set, device authorization responses carry this `interval` and a device code polled
    /// again sooner gets `slow_down` (RFC 8628 section 3.5). When not, there is no `interval`
    /// (clients wait the default 5 s) and polling is never refused as too fast.
    pub device_interval: Option<u64>,
}

/// The test OpenID provider, running on `127.0.0.1` at an ephemeral port, stopped on drop.
///
/// ```no_run
/// let idp = sextant_testkit::OidcProvider::start()?;
/// let discovery = idp.url("/.well-known/openid-configuration");
/// # Ok::<(), anyhow::Error>(())
/// ```
pub struct OidcProvider {
    port: u16,
    child: Child,
    /// Node's stdin. Closing it (drop, or this process ending) stops the server.
    stdin: Option<ChildStdin>,
    log_path: PathBuf,
}

impl OidcProvider {
    /// Starts the provider with the default token lifetimes; returns once discovery answers.
    pub fn start() -> Result<OidcProvider> {
        Self::start_with(OidcOptions::default())
    }

    /// Starts the provider with the given token lifetimes; returns once discovery answers.
    pub fn start_with(opts: OidcOptions) -> Result<OidcProvider> {
        let dir = repo_root().join("tests").join("servers").join("oidc");
        if !dir.join("node_modules").join("oidc-provider").is_dir() {
            bail!(
                "the OIDC test provider's npm packages are missing ({} has no node_modules/oidc-provider): \
                 run `scripts/setup.sh` (or `npm ci` in that folder) first",
                dir.display()
            );
        }
        let mut failures = Vec::new();
        for _ in 0..ATTEMPTS {
            let port = free_port()?;
            match Self::start_on(&dir, port, opts) {
                Ok(server) => return Ok(server),
                Err(StartError::Retry(e)) => failures.push(format!("{e:#}")),
                Err(StartError::Fatal(e)) => return Err(e),
            }
        }
        Err(anyhow!(
            "the OIDC provider did not come up in {ATTEMPTS} attempts:\n{}",
            failures.join("\n---\n")
        ))
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash: the provider's issuer identifier.
    pub fn issuer(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// `issuer()` followed by `path` (a `/` is put between them when `path` lacks one).
    pub fn url(&self, path: &str) -> String {
        if path.is_empty() || path.starts_with('/') {
            format!("{}{}", self.issuer(), path)
        } else {
            format!("{}/{}", self.issuer(), path)
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The file that holds the server's output (one line per request, and its errors).
    pub fn log_path(&self) -> &Path {
        &self.log_path
    }

    fn start_on(dir: &Path, port: u16, opts: OidcOptions) -> Result<OidcProvider, StartError> {
        let log_path = new_log_path(port).map_err(StartError::Fatal)?;
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .with_context(|| format!("creating log file {}", log_path.display()))
            .map_err(StartError::Fatal)?;
        let log_err = log
            .try_clone()
            .context("duplicating the log file handle")
            .map_err(StartError::Fatal)?;
        let mut command = Command::new("node");
        command
            .arg(dir.join("server.mjs"))
            .arg("--port")
            .arg(port.to_string());
        for (flag, value) in [
            ("--access-ttl", opts.access_ttl),
            ("--refresh-ttl", opts.refresh_ttl),
            ("--device-ttl", opts.device_ttl),
            ("--device-interval", opts.device_interval),
        ] {
            if let Some(secs) = value {
                command.arg(flag).arg(secs.to_string());
            }
        }
        let mut child = command
            .current_dir(dir)
            .env("NODE_ENV", "test")
            .stdin(Stdio::piped())
            .stdout(Stdio::from(log))
            .stderr(Stdio::from(log_err))
            .spawn()
            .with_context(|| {
                format!(
                    "spawning node (is Node.js 20+ on PATH?); log: {}",
                    log_path.display()
                )
            })
            .map_err(StartError::Fatal)?;
        let stdin = child.stdin.take();
        // From here on, dropping `server` stops Node.
        let mut server = OidcProvider {
            port,
            child,
            stdin,
            log_path,
        };

        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if let Some(status) = server.child.try_wait().ok().flatten() {
                return Err(StartError::Retry(anyhow!(
                    "the OIDC provider on port {port} exited before answering ({status}); log {}:\n{}",
                    server.log_path.display(),
                    log_tail(&server.log_path)
                )));
            }
            if answers_200(port, READY_PATH) && server.child.try_wait().ok().flatten().is_none() {
                return Ok(server);
            }
            if Instant::now() >= deadline {
                return Err(StartError::Fatal(anyhow!(
                    "the OIDC provider on port {port} did not answer GET {READY_PATH} with 200 \
                     within {}s; log {}:\n{}",
                    READY_TIMEOUT.as_secs(),
                    server.log_path.display(),
                    log_tail(&server.log_path)
                )));
            }
            thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The absolute path of `tests/servers/oidc/test_browser.py`, the scripted browser that logs in
/// at the provider and lands on the app's loopback callback: set `BROWSER` to it.
pub fn test_browser() -> PathBuf {
    repo_root()
        .join("tests")
        .join("servers")
        .join("oidc")
        .join("test_browser.py")
}

impl fmt::Debug for OidcProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcProvider")
            .field("port", &self.port)
            .field("pid", &self.child.id())
            .field("log_path", &self.log_path)
            .finish()
    }
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        // EOF on its stdin makes the server exit.
        drop(self.stdin.take());
        let deadline = Instant::now() + STOP_TIMEOUT;
        while Instant::now() < deadline {
            match self.child.try_wait() {
                Ok(Some(_)) | Err(_) => return,
                Ok(None) => thread::sleep(Duration::from_millis(20)),
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

enum StartError {
    /// The server went away before it came up: try again on another port.
    Retry(anyhow::Error),
    /// Retrying will not help.
    Fatal(anyhow::Error),
}

fn new_log_path(port: u16) -> Result<PathBuf> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join("sextant-oidc");
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    Ok(dir.join(format!("oidc-{}-{port}-{n}.log", std::process::id())))
}

/// Whether `GET path` on the port answers with status 200.
fn answers_200(port: u16, path: &str) -> bool {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(500)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = Vec::new();
    let mut buf = [0u8; 256];
    while head.len() < 12 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    head.starts_with(b"HTTP/1.1 200") || head.starts_with(b"HTTP/1.0 200")
}
