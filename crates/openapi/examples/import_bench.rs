//! Times importing one spec file: reading it, outlining its operations (what the window lists
//! first), then building the full model. Prints the first run (cold allocator) and the best of
//! the following runs, and the resident memory the import added.
//! Used by `scripts/bench.sh`; not a test.

use std::time::Instant;

fn rss_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: import_bench FILE [RUNS]");
    let runs: usize = std::env::args()
        .nth(2)
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let before = rss_kib("VmRSS:");
    let t0 = Instant::now();
    let text = std::fs::read_to_string(&path).expect("read the spec");
    let read_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let after_read = rss_kib("VmRSS:");

    let mut times = Vec::new();
    let mut outline_ms = Vec::new();
    let mut operations = 0;
    let mut peak_added = 0;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let spec = sextant_openapi::parse_str_staged(&text, |_| {
            outline_ms.push(t.elapsed().as_secs_f64() * 1000.0)
        })
        .expect("import");
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        operations = spec.operations.len();
        peak_added = peak_added.max(rss_kib("VmRSS:").saturating_sub(after_read));
        drop(spec);
    }
    let best = times[1..].iter().cloned().fold(times[0], f64::min);
    println!(
        "sextant-openapi: {} bytes read in {read_ms:.1} ms; operation list (outline) in {:.1} ms (first run); model of {operations} operations in {:.1} ms (first run), {best:.1} ms (best of {}); memory added by the model {:.1} MiB (text itself {:.1} MiB)",
        text.len(),
        outline_ms[0],
        times[0],
        times.len(),
        peak_added as f64 / 1024.0,
        after_read.saturating_sub(before) as f64 / 1024.0
    );
    println!("SEXTANT_FIRST_MS={:.1}", times[0]);
    println!("SEXTANT_OUTLINE_MS={:.1}", outline_ms[0]);
}
