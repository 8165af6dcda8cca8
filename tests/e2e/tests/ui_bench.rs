//! Benchmarks of the body viewer in the real window (run by `scripts/bench.sh`, ignored by
//! `cargo test`): from clicking Send until the first screen of a large body is on screen (for
//! the 10 MB JSON, until it shows pretty-printed and highlighted).

use std::time::Instant;

use anyhow::Result;
use fantoccini::Locator;
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

/// GitHub's spec (path in `SEXTANT_BENCH_SPEC`) imported from a file in the window: from clicking
/// Import until the first rows of the operation list are on screen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run by scripts/bench.sh"]
async fn big_spec_operation_list_on_screen() -> Result<()> {
    let Ok(spec) = std::env::var("SEXTANT_BENCH_SPEC") else {
        println!("  (SEXTANT_BENCH_SPEC not set: skipped)");
        return Ok(());
    };
    let spec = std::fs::canonicalize(spec)?;
    for run in ["first", "second"] {
        // A fresh window each time: nothing of the previous import is on screen.
        let w = Window::open().await?;
        w.find("[data-testid=sidebar-explorer]")
            .await?
            .click()
            .await?;
        w.find("[data-testid=import-openapi]")
            .await?
            .click()
            .await?;
        let source = w.wait_for("[data-testid=import-source]").await?;
        source.send_keys(&spec.to_string_lossy()).await?;
        let submit = w.find("[data-testid=import-submit]").await?;
        let start = Instant::now();
        submit.click().await?;
        let rows = Locator::Css("[data-testid=op-row]");
        while w.client.find_all(rows).await?.is_empty() {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            anyhow::ensure!(start.elapsed().as_secs() < 60, "the list never showed");
        }
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        println!(
            "  GitHub spec    Import click → operation list on screen: {ms:>6.0} ms ({run} window)"
        );
        if run == "second" {
            w.screenshot("bench-github-spec").await?;
        }
        w.close().await?;
    }
    Ok(())
}
