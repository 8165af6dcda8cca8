//! Benchmark for `scripts/bench.sh`: a server-sent events stream through the engine and its
//! stream tee (body to disk, events parsed and batched as for the window), counting the events
//! that come out. `sse_throughput URL EXPECTED` prints `EVENTS=`, `SECS=`, `EVENTS_PER_SEC=` and
//! `PEAK_RSS_KB=` (the process's high-water mark, read from /proc after the stream ended: it stays
//! bounded however many events pass, since records are counted and dropped as the window's log
//! drops its oldest). Exits 1 when fewer than EXPECTED events arrived.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use sextant_engine::{CancellationToken, Engine, EngineConfig};
use sextant_model::{HttpRequest, SendEvent};

fn main() {
    let mut args = std::env::args().skip(1);
    let url = args.next().expect("usage: sse_throughput URL EXPECTED");
    let expected: u64 = args.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    let dir = tempfile::tempdir().expect("temp dir");
    let engine = Engine::new(EngineConfig::new(dir.path().join("bodies"))).expect("engine");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let events = AtomicU64::new(0);
    let started = Instant::now();
    let response = runtime
        .block_on(
            engine.send(&HttpRequest::get(&url), &CancellationToken::new(), &|e| {
                if let SendEvent::Records { records, .. } = e {
                    events.fetch_add(records.len() as u64, Ordering::Relaxed);
                }
            }),
        )
        .expect("send");
    let secs = started.elapsed().as_secs_f64();
    let events = events.into_inner();
    if let Some(error) = response.error {
        eprintln!("the stream ended with an error: {}", error.message);
    }
    println!("EVENTS={events}");
    println!("BODY_BYTES={}", response.body.size);
    println!("SECS={secs:.3}");
    println!("EVENTS_PER_SEC={:.0}", events as f64 / secs);
    println!("PEAK_RSS_KB={}", peak_rss_kb().unwrap_or(0));
    if events < expected {
        eprintln!("only {events} of {expected} events");
        std::process::exit(1);
    }
}

/// VmHWM: the most resident memory this process has had, in KiB.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
