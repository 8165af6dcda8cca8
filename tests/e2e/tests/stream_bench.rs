//! Benchmark in the real window (run by `scripts/bench.sh`, ignored by `cargo test`): a
//! server-sent events stream of 10,000 events a second for 5 s shown live in the Events list,
//! with the frames the page drew meanwhile counted from `requestAnimationFrame` deltas (measured
//! inside the page, so WebDriver's round trips do not count) and those over 33 ms (under 30 fps)
//! reported. An idle second before the send is measured the same way, as the floor.

use anyhow::Result;
use sextant_e2e::{bench_rate, Window};
use sextant_testkit::FaultServer;

/// Events a second; `SEXTANT_BENCH_SSE_RATE` sets another rate (the total stays 5 s of them).
const PER_SEC: u64 = 10_000;
const SECS: u64 = 5;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run by scripts/bench.sh"]
async fn sse_ten_thousand_events_a_second_frames() -> Result<()> {
    let server = FaultServer::start();
    let w = Window::open().await?;
    let result = async {
        let rate = bench_rate("SEXTANT_BENCH_SSE_RATE", PER_SEC);
        let total = rate * SECS;
        let url = server.url(&format!("/sse/fast?count={total}&per_sec={rate}"));
        let input = w.find("[data-testid=url-input]").await?;
        input.clear().await?;
        input.send_keys(&url).await?;

        let idle = w.idle_frames().await?;

        w.start_frames().await?;
        let started = std::time::Instant::now();
        w.find("[data-testid=send-button]").await?.click().await?;
        let expected = format!("{total} events");
        w.wait_text("[data-testid=stream-count]", |t| t == expected)
            .await?;
        let secs = started.elapsed().as_secs_f64();
        let live = w.stop_frames().await?;
        w.screenshot("bench-sse-10k").await?;
        println!(
            "  {total} events at {rate}/s in the Events list: all listed {secs:.1} s after Send"
        );
        println!("    while streaming: {live}");
        println!("    idle floor:      {idle}");
        println!("{}", live.summary());
        anyhow::Ok(())
    }
    .await;
    w.finish("bench-sse-10k", result).await
}
