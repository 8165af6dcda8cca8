//! Benchmarks in the real window (run by `scripts/bench.sh`, ignored by `cargo test`): from
//! clicking Send until the first screen of a large body is on screen (for the 10 MB JSON, until
//! it shows pretty-printed and highlighted), and from clicking Import until GitHub's spec lists
//! its operations.

use std::time::Instant;

use anyhow::{Context, Result};
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

/// Records, in the page, when the next click happens and when the first frame showing an
/// operation row has been drawn (a `requestAnimationFrame`, then a task: the frame is painted
/// between the two). Measured inside the page so WebDriver's own round trips do not count.
const FRAME_PROBE: &str = r#"
  window.__bench = {};
  document.addEventListener("click", () => { window.__bench.click = performance.now(); }, { capture: true, once: true });
  window.__bench.drawn = new Promise((resolve) => {
    new MutationObserver((_, observer) => {
      if (!document.querySelector("[data-testid=op-row]")) return;
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - window.__bench.click), 0));
    }).observe(document.body, { childList: true, subtree: true });
  });
"#;

/// GitHub's spec (path in `SEXTANT_BENCH_SPEC`) imported from a file in the window: from the
/// click on Import until the first rows of the operation list are drawn, in three fresh windows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run by scripts/bench.sh"]
async fn big_spec_operation_list_on_screen() -> Result<()> {
    let Ok(spec) = std::env::var("SEXTANT_BENCH_SPEC") else {
        println!("  (SEXTANT_BENCH_SPEC not set: skipped)");
        return Ok(());
    };
    let spec = std::fs::canonicalize(spec)?;
    let mut in_page = Vec::new();
    for run in 0..3 {
        // A fresh window each time: nothing of the previous import is on screen or cached.
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
        w.client.execute(FRAME_PROBE, vec![]).await?;
        w.find("[data-testid=import-submit]").await?.click().await?;
        // One call that the page answers once the frame is drawn: no polling that would compete
        // with the page for its main thread.
        let drawn = w
            .client
            .execute_async(
                "window.__bench.drawn.then(arguments[arguments.length - 1])",
                vec![],
            )
            .await?;
        let ms = drawn.as_f64().context("no time from the page")?;
        println!(
            "  GitHub spec    Import click → operation list drawn: {ms:>6.0} ms (window {})",
            run + 1
        );
        in_page.push(ms);
        if run == 2 {
            w.screenshot("bench-github-spec").await?;
        }
        w.close().await?;
    }
    in_page.sort_by(f64::total_cmp);
    println!(
        "  GitHub spec    median of {}: {:.0} ms (goal: 150 ms)",
        in_page.len(),
        in_page[in_page.len() / 2]
    );
    Ok(())
}
