//! Benchmark for `scripts/bench.sh`: how long after a response's head the app can hand the
//! window its first screen of body (a `read_body` window of 64 KiB) while the body still
//! downloads. `first_screen URL [RUNS]` sends URL RUNS times (default 5), cancelling each send
//! once the window is read, and prints `FIRST_SCREEN_MS=<median>` and `HEAD_MS=<median>`.

use std::sync::Arc;
use std::time::Instant;

use sextant_app::{App, AppConfig};
use sextant_model::{HttpRequest, SendEvent};
use tokio::sync::mpsc;

const SCREEN: u64 = 64 * 1024;

fn main() {
    let mut args = std::env::args().skip(1);
    let url = args.next().expect("usage: first_screen URL [RUNS]");
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = AppConfig::new(dir.path());
    config.history = false;
    let app = Arc::new(App::new(config).expect("app"));
    let mut screens = Vec::new();
    let mut heads = Vec::new();
    for run in 0..runs {
        let (head_ms, screen_ms) = runtime.block_on(once(&app, &url, &format!("run{run}")));
        heads.push(head_ms);
        screens.push(screen_ms);
    }
    println!("HEAD_MS={:.1}", median(&mut heads));
    println!("FIRST_SCREEN_MS={:.1}", median(&mut screens));
}

/// One send: (head since start, first screen since head), in ms.
async fn once(app: &App, url: &str, id: &str) -> (f64, f64) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let on_event = move |e: SendEvent| {
        let _ = tx.send((Instant::now(), e));
    };
    let started = Instant::now();
    let request = HttpRequest::get(url);
    let sending = app.send_request(id, &request, &on_event);
    let watching = async {
        let (head_at, body_id) = loop {
            match rx.recv().await.expect("no head") {
                (at, SendEvent::Head { head }) => break (at, head.body_id),
                _ => continue,
            }
        };
        // The window reads as the window does: on each body event, until one is a screenful.
        loop {
            let window = app.read_body(&body_id, 0, SCREEN).await.expect("read_body");
            if window.len() as u64 >= SCREEN {
                let done = Instant::now();
                app.cancel_request(id);
                return (ms(started, head_at), ms(head_at, done));
            }
            rx.recv().await.expect("the body ended before a screenful");
        }
    };
    let (_, times) = tokio::join!(sending, watching);
    times
}

fn ms(a: Instant, b: Instant) -> f64 {
    b.duration_since(a).as_secs_f64() * 1000.0
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}
