//! Benchmarks of the body viewer in the real window (run by `scripts/bench.sh`, ignored by
//! `cargo test`): from clicking Send until the first screen of a large body is on screen (for
//! the 10 MB JSON, until it shows pretty-printed and highlighted).

use std::time::Instant;

use anyhow::Result;
use sextant_e2e::Window;
use sextant_testkit::FaultServer;

async fn time_to_first_screen(w: &Window, url: &str, expect: &str) -> Result<f64> {
    let input = w.find("[data-testid=url-input]").await?;
    input.clear().await?;
    input.send_keys(url).await?;
    let send = w.find("[data-testid=send-button]").await?;
    let start = Instant::now();
    send.click().await?;
    w.wait_text("[data-testid=response-body]", |t| t.contains(expect))
        .await?;
    Ok(start.elapsed().as_secs_f64() * 1000.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run by scripts/bench.sh"]
async fn large_bodies_first_screen() -> Result<()> {
    let server = FaultServer::start();
    let w = Window::open().await?;
    let cases = [
        (
            "10 MB JSON",
            server.url("/big-json/10000000"),
            "\"name\": \"item 1\"",
        ),
        ("100 MB JSON", server.url("/big-json/100000000"), "item 1"),
        ("100 MB binary", server.url("/bytes/100000000"), "00000000"),
    ];
    for (label, url, expect) in cases {
        let cold = time_to_first_screen(&w, &url, expect).await?;
        let warm = time_to_first_screen(&w, &url, expect).await?;
        println!(
            "  {label:<14} Send → first screen of the body: {warm:>6.0} ms warm, {cold:>6.0} ms first (server generating)"
        );
        w.screenshot(&format!("bench-{}", label.replace(' ', "-")))
            .await?;
    }
    w.close().await?;
    Ok(())
}
