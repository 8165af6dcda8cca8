//! Benchmark helper for `scripts/bench.sh` ("Runner"): the floor and the fixtures that
//! `sextant run` is measured against.
//!
//! - `workspace DIR URL N`: writes collection `bench` into the workspace DIR: N GET requests to
//!   URL, each with the two assertions the bench checks (`status == 200`,
//!   `body $.hello == "world"`).
//! - `loop URL N`: the bare floor: one reqwest client, N sequential GETs, each checked the same
//!   way (status, then the body parsed as JSON and `hello` compared). Prints `LOOP_MS=`. Exits 1
//!   when a check fails.
//! - `startup DIR RUNS -- CMD...`: process start to first request received. Listens on
//!   127.0.0.1, writes collection `startup` into DIR (one request to this listener), then RUNS
//!   times spawns CMD and takes the time from just before the spawn to the moment the request's
//!   head has arrived here (server side), answers it, waits for CMD. Prints each run and
//!   `STARTUP_MS=` (the median). A request that does not come within 30 s is an error, not a hang.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn request_file(name: &str, url: &str) -> String {
    format!(
        "name: {name}\nmethod: GET\nurl: '{url}'\nassertions:\n- status == 200\n- body $.hello == \"world\"\n"
    )
}

fn write_collection(dir: &Path, collection: &str, url: &str, n: usize) -> std::io::Result<()> {
    let root = dir.join(collection);
    std::fs::create_dir_all(&root)?;
    let names: Vec<String> = (1..=n).map(|i| format!("get-{i:04}")).collect();
    let mut order = format!("name: {collection}\norder:\n");
    for name in &names {
        order.push_str(&format!("- {name}.yaml\n"));
        std::fs::write(root.join(format!("{name}.yaml")), request_file(name, url))?;
    }
    std::fs::write(root.join("collection.yaml"), order)
}

async fn bare_loop(url: &str, n: usize) -> Result<Duration, String> {
    let client = reqwest::Client::new();
    let started = Instant::now();
    for i in 0..n {
        let response = client.get(url).send().await.map_err(|e| e.to_string())?;
        if response.status().as_u16() != 200 {
            return Err(format!("request {i}: status {}", response.status()));
        }
        let body = response.bytes().await.map_err(|e| e.to_string())?;
        let doc: serde_json::Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        if doc.pointer("/hello").and_then(|v| v.as_str()) != Some("world") {
            return Err(format!("request {i}: $.hello is not \"world\""));
        }
    }
    Ok(started.elapsed())
}

/// Reads one request head from `stream` and answers it.
fn answer(mut stream: TcpStream) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let body = br#"{"hello":"world"}"#;
    write!(
        stream,
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body)
}

fn startup(dir: &Path, runs: usize, cmd: &[String]) -> Result<Vec<f64>, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    write_collection(dir, "startup", &format!("http://127.0.0.1:{port}/json"), 1)
        .map_err(|e| e.to_string())?;
    let (tx, rx) = mpsc::channel::<Instant>();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            // The head has arrived when the first bytes are readable: peek, then stamp.
            let mut one = [0u8; 1];
            if stream.peek(&mut one).is_ok() && tx.send(Instant::now()).is_err() {
                return;
            }
            let _ = answer(stream);
        }
    });
    let mut times = Vec::new();
    for _ in 0..runs {
        let spawned = Instant::now();
        let mut child = Command::new(&cmd[0])
            .args(&cmd[1..])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", cmd[0]))?;
        let received = rx.recv_timeout(Duration::from_secs(30));
        let status = child.wait().map_err(|e| e.to_string())?;
        let received = received.map_err(|_| format!("no request within 30 s ({status})"))?;
        times.push((received - spawned).as_secs_f64() * 1000.0);
    }
    Ok(times)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage =
        "usage: bench_reqwest_loop workspace DIR URL N | loop URL N | startup DIR RUNS -- CMD...";
    let result = match args.first().map(String::as_str) {
        Some("workspace") if args.len() == 4 => {
            let n = args[3].parse().unwrap_or(0);
            write_collection(Path::new(&args[1]), "bench", &args[2], n).map_err(|e| e.to_string())
        }
        Some("loop") if args.len() == 3 => {
            let n = args[2].parse().unwrap_or(0);
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(bare_loop(&args[1], n)).map(|took| {
                println!("LOOP_MS={:.1}", took.as_secs_f64() * 1000.0);
            })
        }
        Some("startup") if args.len() > 4 && args[3] == "--" => {
            let runs = args[2].parse().unwrap_or(5).max(1);
            startup(Path::new(&args[1]), runs, &args[4..]).map(|times| {
                let shown: Vec<String> = times.iter().map(|t| format!("{t:.1}")).collect();
                println!("RUNS_MS={}", shown.join(" "));
                println!("STARTUP_MS={:.1}", median(times));
            })
        }
        _ => Err(usage.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_reqwest_loop: {e}");
            ExitCode::from(1)
        }
    }
}
