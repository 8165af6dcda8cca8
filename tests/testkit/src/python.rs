//! Launchers for the Python test servers in `tests/servers/`: the FastAPI demo API (uvicorn, one
//! worker), httpbin (gunicorn, gthread) and the WebSocket server (`websockets`). They run from the venv that
//! `scripts/setup-python.sh` makes at `tests/servers/.venv`.
//!
//! Each server is started through `tests/servers/run.py`, whose stdin is a pipe held by the
//! [`PyServer`]. When that pipe closes, because the `PyServer` is dropped or because the test
//! process exits in any way at all (including without running destructors, as with statics, or
//! by a signal), `run.py` stops the server (SIGTERM, then SIGKILL after 3 s) and exits. So a
//! server never outlives the test process that started it, without any unsafe code here.
//!
//! Logs (the server's stdout and stderr, and `run.py`'s own lines) go to a file under
//! `$TMPDIR/sextant-pyservers/`, named in every error and by [`PyServer::log_path`].

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};

/// How long a server gets to answer its first HTTP request.
const READY_TIMEOUT: Duration = Duration::from_secs(30);
/// How many ports to try when a server exits before it comes up (say, the port was taken).
const ATTEMPTS: usize = 3;
/// How long `Drop` waits for `run.py` to exit before killing it. `run.py` itself gives the
/// server 3 s after SIGTERM before it sends SIGKILL.
const STOP_TIMEOUT: Duration = Duration::from_secs(8);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Demo,
    Httpbin,
    Ws,
}

impl Kind {
    /// The name `run.py` takes.
    fn arg(self) -> &'static str {
        match self {
            Kind::Demo => "demo",
            Kind::Httpbin => "httpbin",
            Kind::Ws => "ws",
        }
    }

    /// A path that answers quickly once the server is up.
    fn ready_path(self) -> &'static str {
        match self {
            Kind::Demo => "/health",
            Kind::Httpbin => "/get",
            // The WebSocket server answers a plain GET with 426 Upgrade Required.
            Kind::Ws => "/",
        }
    }
}

/// A Python test server running on `127.0.0.1` at an ephemeral port, stopped on drop.
///
/// ```no_run
/// let server = sextant_testkit::PyServer::demo_api()?;
/// let health = server.url("/health"); // "http://127.0.0.1:PORT/health"
/// # Ok::<(), anyhow::Error>(())
/// ```
pub struct PyServer {
    kind: Kind,
    port: u16,
    /// `run.py`, which runs the server as its own child.
    child: Child,
    /// `run.py`'s stdin. Closing it (drop, or this process ending) stops the server.
    stdin: Option<ChildStdin>,
    log_path: PathBuf,
}

impl PyServer {
    /// Starts the FastAPI demo API (`tests/servers/demo_api/`) under uvicorn, one worker.
    /// Returns once it answers HTTP.
    pub fn demo_api() -> Result<PyServer> {
        Self::start(Kind::Demo)
    }

    /// Starts the demo API with extra environment variables, such as `DEMO_BREAK=items` (see
    /// `demo_api/app.py`), for a test that needs the server changed.
    pub fn demo_api_with_env(env: &[(&str, &str)]) -> Result<PyServer> {
        Self::start_with(Kind::Demo, env)
    }

    /// Starts httpbin under gunicorn (one gthread worker, four threads).
    /// Returns once it answers HTTP.
    pub fn httpbin() -> Result<PyServer> {
        Self::start(Kind::Httpbin)
    }

    /// Starts the WebSocket test server (`tests/servers/ws_server.py`, on `websockets`): echo,
    /// subprotocols, server pings, close codes, bursts, refused upgrades (see the script).
    /// Returns once it answers HTTP; [`PyServer::ws_url`] gives its `ws://` URLs.
    pub fn ws_server() -> Result<PyServer> {
        Self::start(Kind::Ws)
    }

    /// One WebSocket test server per test process, started on first use.
    /// Panics if it cannot be started (the message says why and where the log is).
    pub fn shared_ws_server() -> &'static PyServer {
        static SERVER: OnceLock<PyServer> = OnceLock::new();
        SERVER.get_or_init(|| {
            PyServer::ws_server()
                .unwrap_or_else(|e| panic!("could not start the shared WebSocket server: {e:#}"))
        })
    }

    /// `ws://127.0.0.1:PORT` followed by `path`.
    pub fn ws_url(&self, path: &str) -> String {
        self.url(path).replacen("http://", "ws://", 1)
    }

    /// One demo API per test process, started on first use and stopped when the process exits.
    /// Panics if it cannot be started (the message says why and where the log is).
    pub fn shared_demo_api() -> &'static PyServer {
        static SERVER: OnceLock<PyServer> = OnceLock::new();
        SERVER.get_or_init(|| {
            PyServer::demo_api()
                .unwrap_or_else(|e| panic!("could not start the shared demo API: {e:#}"))
        })
    }

    /// One httpbin per test process, started on first use and stopped when the process exits.
    /// Panics if it cannot be started (the message says why and where the log is).
    pub fn shared_httpbin() -> &'static PyServer {
        static SERVER: OnceLock<PyServer> = OnceLock::new();
        SERVER.get_or_init(|| {
            PyServer::httpbin()
                .unwrap_or_else(|e| panic!("could not start the shared httpbin: {e:#}"))
        })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// `base_url()` followed by `path` (a `/` is put between them when `path` lacks one).
    pub fn url(&self, path: &str) -> String {
        if path.is_empty() || path.starts_with('/') {
            format!("{}{}", self.base_url(), path)
        } else {
            format!("{}/{}", self.base_url(), path)
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The file that holds the server's output.
    pub fn log_path(&self) -> &Path {
        &self.log_path
    }

    fn start(kind: Kind) -> Result<PyServer> {
        Self::start_with(kind, &[])
    }

    fn start_with(kind: Kind, env: &[(&str, &str)]) -> Result<PyServer> {
        let servers = repo_root().join("tests").join("servers");
        let python = servers.join(".venv").join("bin").join("python");
        if !python.exists() {
            bail!(
                "the Python test servers' venv is missing ({} not found): run \
                 `scripts/setup-python.sh` from the repository root first",
                python.display()
            );
        }
        let mut failures = Vec::new();
        for _ in 0..ATTEMPTS {
            let port = free_port()?;
            match Self::start_on(kind, &servers, &python, port, env) {
                Ok(server) => return Ok(server),
                Err(StartError::Retry(e)) => failures.push(format!("{e:#}")),
                Err(StartError::Fatal(e)) => return Err(e),
            }
        }
        Err(anyhow!(
            "the {} server did not come up in {ATTEMPTS} attempts:\n{}",
            kind.arg(),
            failures.join("\n---\n")
        ))
    }

    fn start_on(
        kind: Kind,
        servers: &Path,
        python: &Path,
        port: u16,
        env: &[(&str, &str)],
    ) -> Result<PyServer, StartError> {
        let log_path = new_log_path(kind, port).map_err(StartError::Fatal)?;
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
        let mut child = Command::new(python)
            .arg("-u")
            .arg(servers.join("run.py"))
            .arg(kind.arg())
            .arg("--port")
            .arg(port.to_string())
            .current_dir(servers)
            .env("PYTHONUNBUFFERED", "1")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::from(log))
            .stderr(Stdio::from(log_err))
            .spawn()
            .with_context(|| {
                format!(
                    "spawning {} (log: {})",
                    python.display(),
                    log_path.display()
                )
            })
            .map_err(StartError::Fatal)?;
        let stdin = child.stdin.take();
        // From here on, dropping `server` stops run.py and the server.
        let mut server = PyServer {
            kind,
            port,
            child,
            stdin,
            log_path,
        };

        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if let Some(status) = server.child.try_wait().ok().flatten() {
                // Most likely the port was taken between our probe and the server's bind.
                return Err(StartError::Retry(anyhow!(
                    "the {} server on port {port} exited before answering ({status}); log {}:\n{}",
                    kind.arg(),
                    server.log_path.display(),
                    log_tail(&server.log_path)
                )));
            }
            if answers_http(port, kind.ready_path()) {
                // Something answered; make sure it is ours and not a squatter on the port.
                if server.child.try_wait().ok().flatten().is_none() {
                    return Ok(server);
                }
                continue;
            }
            if Instant::now() >= deadline {
                return Err(StartError::Fatal(anyhow!(
                    "the {} server on port {port} did not answer GET {} within {}s; log {}:\n{}",
                    kind.arg(),
                    kind.ready_path(),
                    READY_TIMEOUT.as_secs(),
                    server.log_path.display(),
                    log_tail(&server.log_path)
                )));
            }
            thread::sleep(Duration::from_millis(50));
        }
    }
}

impl fmt::Debug for PyServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PyServer")
            .field("kind", &self.kind)
            .field("port", &self.port)
            .field("pid", &self.child.id())
            .field("log_path", &self.log_path)
            .finish()
    }
}

impl Drop for PyServer {
    fn drop(&mut self) {
        // EOF on run.py's stdin makes it stop the server and exit; SIGTERM does the same, at once.
        drop(self.stdin.take());
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            return;
        }
        #[cfg(unix)]
        {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(self.child.id().to_string())
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        let deadline = Instant::now() + STOP_TIMEOUT;
        while Instant::now() < deadline {
            match self.child.try_wait() {
                Ok(Some(_)) | Err(_) => return,
                Ok(None) => thread::sleep(Duration::from_millis(20)),
            }
        }
        // run.py is stuck: kill it. Its server then gets SIGTERM from the kernel (PDEATHSIG).
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

/// The workspace root: this crate lives at `tests/testkit`.
pub(crate) fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| manifest.join("..").join(".."))
}

/// A port that was free a moment ago: bind port 0 and let it go.
pub(crate) fn free_port() -> Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).context("binding 127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

fn new_log_path(kind: Kind, port: u16) -> Result<PathBuf> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join("sextant-pyservers");
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    Ok(dir.join(format!(
        "{}-{}-{port}-{n}.log",
        kind.arg(),
        std::process::id()
    )))
}

/// Whether `GET path` on the port gets an HTTP status line back, whatever the status.
fn answers_http(port: u16, path: &str) -> bool {
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
    head.starts_with(b"HTTP/1.")
}

/// The last 40 lines (at most 8 KiB) of a log file, for error messages.
pub(crate) fn log_tail(path: &Path) -> String {
    const MAX: u64 = 8 * 1024;
    let read = || -> std::io::Result<String> {
        let mut file = File::open(path)?;
        let len = file.metadata()?.len();
        file.seek(SeekFrom::Start(len.saturating_sub(MAX)))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    };
    match read() {
        Ok(text) => {
            let lines: Vec<&str> = text.lines().collect();
            let tail = lines[lines.len().saturating_sub(40)..].join("\n");
            if tail.trim().is_empty() {
                "(log is empty)".to_string()
            } else {
                tail
            }
        }
        Err(e) => format!("(could not read the log: {e})"),
    }
}
