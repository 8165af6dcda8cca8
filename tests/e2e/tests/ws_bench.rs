//! Benchmark in the real window (run by `scripts/bench.sh`, ignored by `cargo test`): a
//! WebSocket server (the fault server's `/ws-stream`) sends 10,000 small text messages a second
//! for 5 s into the session log, with the frames the page drew meanwhile counted from
//! `requestAnimationFrame` deltas (measured inside the page, as `stream_bench` does) and those
//! over 33 ms (under 30 fps) reported, with the log's cap as the window shows it. An idle second
//! before Connect is measured the same way, as the floor.

use anyhow::{ensure, Context, Result};
use sextant_e2e::{bench_rate, Window};
use sextant_testkit::FaultServer;

/// Messages a second; `SEXTANT_BENCH_WS_RATE` sets another rate (the total stays 5 s of them).
const PER_SEC: u64 = 10_000;
const SECS: u64 = 5;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run by scripts/bench.sh"]
async fn websocket_ten_thousand_messages_a_second_frames() -> Result<()> {
    let server = FaultServer::start();
    let w = Window::open().await?;
    let result = async {
        let rate = bench_rate("SEXTANT_BENCH_WS_RATE", PER_SEC);
        let total = rate * SECS;
        let url = server
            .url(&format!("/ws-stream?count={total}&per_sec={rate}"))
            .replacen("http://", "ws://", 1);
        let input = w.find("[data-testid=url-input]").await?;
        input.clear().await?;
        input.send_keys(&url).await?;
        w.find("[data-testid=ws-badge]").await?;

        let idle = w.idle_frames().await?;

        w.start_frames().await?;
        let started = std::time::Instant::now();
        w.find("[data-testid=ws-connect]").await?.click().await?;
        // The server closes with 1000 after its last message; the log shows it then.
        w.wait_text("[data-testid=ws-status-text]", |t| t.starts_with("Closed"))
            .await?;
        let last = format!("{{\"n\":{total}}}");
        w.wait_js(&format!(
            "return [...document.querySelectorAll('[data-testid=ws-frame-data]')]
               .some((el) => el.textContent === {last:?});"
        ))
        .await
        .context("the last message is in the log")?;
        let secs = started.elapsed().as_secs_f64();
        let live = w.stop_frames().await?;
        let kept = w
            .client
            .execute(
                "return document.querySelector('[data-testid=ws-log-list]').dataset.count;",
                vec![],
            )
            .await?;
        let cap = w
            .wait_text("[data-testid=ws-log-dropped]", |t| !t.is_empty())
            .await?;
        ensure!(cap.contains("keeps the last"), "{cap}");
        w.screenshot("bench-ws-10k").await?;
        println!(
            "  {total} messages at {rate}/s in the session log: the last shown {secs:.1} s after Connect"
        );
        println!("    while streaming: {live}");
        println!("    idle floor:      {idle}");
        println!(
            "    log kept {} rows; shown: {}",
            kept.as_str().unwrap_or("?"),
            cap.trim()
        );
        println!("{}", live.summary());
        anyhow::Ok(())
    }
    .await;
    w.finish("bench-ws-10k", result).await
}
