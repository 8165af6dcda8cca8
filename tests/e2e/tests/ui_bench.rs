//! Benchmarks in the real window (run by `scripts/bench.sh`, ignored by `cargo test`): from
//! clicking Send until the first screen of a large body is on screen (for the 10 MB JSON, until
//! it shows pretty-printed and highlighted), from clicking Import until GitHub's spec lists its
//! operations, and the frame times while a list of 20,000 operations is scrolled.

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
        w.open_import_dialog()
            .await?
            .send_keys(&spec.to_string_lossy())
            .await?;
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

/// A spec with `count` GET operations over 20 tags, each with a summary, as the sidebar lists
/// them: enough rows that only virtualisation keeps scrolling smooth.
fn many_operations_spec(count: usize) -> serde_json::Value {
    let mut paths = serde_json::Map::new();
    for i in 0..count {
        paths.insert(
            format!("/resource{}/items/{i}", i % 50),
            serde_json::json!({ "get": {
                "operationId": format!("getItem{i}"),
                "summary": format!("Fetch item number {i} of resource {}", i % 50),
                "tags": [format!("tag{:02}", i % 20)],
                "responses": { "200": { "description": "OK" } }
            }}),
        );
    }
    serde_json::json!({
        "openapi": "3.1.0",
        "info": { "title": "Many operations", "version": "1" },
        "paths": paths
    })
}

/// Scrolls the operation list in the page, one step per animation frame, and answers with the
/// time between frames and how many frames showed no row in the middle of the list (a blank
/// frame: the rows had not caught up with the scroll). `mode` "fling" moves a fixed distance per
/// frame, as a fast wheel or touchpad does; "jump" lands somewhere else each frame, as dragging
/// the scrollbar does.
const SCROLL_PROBE: &str = r#"
  const [mode, steps, done] = arguments;
  const vp = document.querySelector('[role=tree][aria-label="Operations and schemas"]');
  const box = vp.getBoundingClientRect();
  const max = vp.scrollHeight - vp.clientHeight;
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const gaps = [];
  let blank = 0, last = null, n = 0;
  vp.scrollTop = 0;
  function frame(t) {
    if (last !== null) {
      gaps.push(t - last);
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      if (!hit || !hit.closest(".row")) blank++;
    }
    last = t;
    if (n++ === steps) return done({ gaps, blank, max });
    vp.scrollTop = mode === "fling" ? Math.min(max, vp.scrollTop + 240) : Math.floor(random() * max);
    requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);
"#;

/// 20,000 operations imported into the window, then scrolled: the frame times (median, 95th
/// percentile, worst), frames over 33 ms (at least one refresh missed at 60 Hz) and blank frames.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run by scripts/bench.sh"]
async fn twenty_thousand_operations_scroll() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let spec = dir.path().join("many.json");
    std::fs::write(&spec, serde_json::to_vec(&many_operations_spec(20_000))?)?;
    let w = Window::open().await?;
    w.open_import_dialog()
        .await?
        .send_keys(&spec.to_string_lossy())
        .await?;
    w.find("[data-testid=import-submit]").await?.click().await?;
    w.wait_for("[data-testid=op-row]").await?;
    for (mode, steps) in [("fling", 300), ("jump", 120)] {
        let out = w
            .client
            .execute_async(SCROLL_PROBE, vec![mode.into(), steps.into()])
            .await?;
        let mut gaps: Vec<f64> = serde_json::from_value(out["gaps"].clone())?;
        let blank = out["blank"].as_u64().context("no blank count")?;
        let height = out["max"].as_f64().context("no list height")?;
        gaps.sort_by(f64::total_cmp);
        let at = |q: f64| gaps[((gaps.len() - 1) as f64 * q).round() as usize];
        let slow = gaps.iter().filter(|g| **g > 33.4).count();
        println!(
            "  20,000 ops     {mode:<5} {} frames over {:.0} px: median {:.1} ms, p95 {:.1} ms, worst {:.1} ms; {slow} over 33 ms, {blank} blank",
            gaps.len(),
            height,
            at(0.5),
            at(0.95),
            at(1.0),
        );
    }
    w.screenshot("bench-20000-operations").await?;
    w.close().await?;
    Ok(())
}
