//! Window benchmarks beside a peer or a goal, in the same run (run by `scripts/bench.sh`,
//! ignored by `cargo test`), printing the ratio to the peer or the goal beside each number:
//! - the 10 MB JSON body shown pretty and highlighted by Sextant, and by a bare CodeMirror 6 page
//!   (`bench/cm-floor/`, built by bench.sh into `SEXTANT_BENCH_CM_FLOOR`) in the same web view;
//! - cold start to an interactive window and idle memory (PSS of the whole process tree) with a
//!   1,000-request workspace, against a Tauri hello-world (`SEXTANT_BENCH_HELLO_APP`);
//! - Microsoft Graph's beta spec (`SEXTANT_BENCH_GRAPH_SPEC`) from Import to the list drawn,
//!   with the peak memory and the longest frame gap while it was imported;
//! - memory growth over `SEXTANT_BENCH_USE_MINUTES` (default 2) of scripted use: a new tab, a
//!   send, its response shown, the tab closed, again and again.

mod ui_bench_support;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use fantoccini::{key::Key, wd::TimeoutConfiguration, Client, Locator};
use sextant_e2e::{app_binary, Window};
use sextant_testkit::FaultServer;
use ui_bench_support::{app_tree_pss_kib, get, launch, median, serve_dir, write_workspace};

const EXPECT_10MB: &str = "\"name\": \"item 1\"";

/// Clicks `button`, then polls (the same way for both pages) until `body` shows `expect`.
async fn click_until_text(w: &Window, button: &str, body: &str, expect: &str) -> Result<f64> {
    let button = w.find(button).await?;
    let start = Instant::now();
    button.click().await?;
    w.wait_text(body, |t| t.contains(expect)).await?;
    Ok(start.elapsed().as_secs_f64() * 1000.0)
}

/// Cold (first) and the median of three warm runs of `one`.
async fn cold_and_warm<F, Fut>(mut one: F) -> Result<(f64, f64)>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<f64>>,
{
    let cold = one().await?;
    let mut warm = Vec::new();
    for _ in 0..3 {
        warm.push(one().await?);
    }
    Ok((cold, median(&mut warm)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run by scripts/bench.sh"]
async fn ten_mb_json_against_bare_codemirror() -> Result<()> {
    let Some(floor) = std::env::var_os("SEXTANT_BENCH_CM_FLOOR").map(PathBuf::from) else {
        println!("  (SEXTANT_BENCH_CM_FLOOR not set: skipped)");
        return Ok(());
    };
    let server = FaultServer::start();
    // The very bytes Sextant receives, served to the bare page from its own origin.
    let url = server.url("/big-json/10000000");
    let addr = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .context("fault server address")?;
    let (_, body) = get(addr, "/big-json/10000000")?;
    std::fs::write(floor.join("body.json"), &body)?;
    let floor_url = serve_dir(floor)?;

    let w = Window::open().await?;
    let input = w.find("[data-testid=url-input]").await?;
    input.clear().await?;
    input.send_keys(&url).await?;
    let (s_cold, s_warm) = cold_and_warm(|| {
        click_until_text(
            &w,
            "[data-testid=send-button]",
            "[data-testid=response-body]",
            EXPECT_10MB,
        )
    })
    .await?;
    // The same web view, navigated away from Sextant to the bare page.
    w.client.goto(&format!("{floor_url}/index.html")).await?;
    let (f_cold, f_warm) = cold_and_warm(|| {
        click_until_text(
            &w,
            "[data-testid=floor-show]",
            "[data-testid=floor-body]",
            EXPECT_10MB,
        )
    })
    .await?;
    // The screenshot after the page has painted its last frame.
    w.client
        .execute_async(
            "requestAnimationFrame(() => setTimeout(arguments[arguments.length - 1], 0))",
            vec![],
        )
        .await?;
    w.screenshot("bench-cm-floor").await?;
    w.close().await?;
    println!(
        "  10 MB JSON     pretty + highlighted: sextant {s_warm:.0} ms, bare CodeMirror {f_warm:.0} ms, ratio {:.2} (warm, median of 3; first runs {s_cold:.0} / {f_cold:.0} ms; goal for sextant ≤ 300 ms)",
        s_warm / f_warm
    );
    Ok(())
}

/// Waits (up to 30 s) until `css` has `text` in its text content.
async fn wait_page_text(client: &Client, css: &str, text: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    let script = "const el = document.querySelector(arguments[0]); return !!el && el.textContent.includes(arguments[1]);";
    while client
        .execute(script, vec![css.into(), text.into()])
        .await?
        .as_bool()
        != Some(true)
    {
        anyhow::ensure!(Instant::now() < deadline, "{css} never showed {text:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// Launches `app` `runs` times: the median time to `ready`, and the median PSS after 5 s idle.
async fn start_and_idle(
    app: &std::path::Path,
    workspace: Option<&std::path::Path>,
    ready: &str,
    runs: usize,
) -> Result<(f64, f64)> {
    let (mut starts, mut mems) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let launched = launch(app, workspace, ready).await?;
        starts.push(launched.start_ms);
        if workspace.is_some() {
            // Not timed: the workspace really was read, so its 1,000 requests are in memory.
            wait_page_text(
                &launched.client,
                "[data-testid=collections-tree]",
                "Bench 9",
            )
            .await?;
        }
        // Idle: nothing is driven for 5 s, then the process tree is measured.
        tokio::time::sleep(Duration::from_secs(5)).await;
        mems.push(launched.pss_mib());
        launched.close().await;
    }
    Ok((median(&mut starts), median(&mut mems)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run by scripts/bench.sh"]
async fn cold_start_and_idle_memory_against_tauri_hello() -> Result<()> {
    let Some(hello) = std::env::var_os("SEXTANT_BENCH_HELLO_APP").map(PathBuf::from) else {
        println!("  (SEXTANT_BENCH_HELLO_APP not set: skipped)");
        return Ok(());
    };
    let app = app_binary()?;
    let ws = tempfile::tempdir()?;
    write_workspace(ws.path(), 1000)?;
    let runs = 3;
    let (h_start, h_mem) = start_and_idle(&hello, None, "[data-testid=hello]", runs).await?;
    let (s_start, s_mem) =
        start_and_idle(&app, Some(ws.path()), "[data-testid=url-input]", runs).await?;
    println!(
        "  cold start     session request → interactive window: sextant {s_start:.0} ms (1,000-request workspace), tauri hello-world {h_start:.0} ms, ratio {:.2} (goal ≤ 1.5; medians of {runs})",
        s_start / h_start
    );
    println!(
        "  idle memory    PSS of the process tree after 5 s idle: sextant {s_mem:.0} MiB, tauri hello-world {h_mem:.0} MiB, ratio {:.2} (goal ≤ 1.2; medians of {runs})",
        s_mem / h_mem
    );
    Ok(())
}

/// Records when the next click happens, when the first operation row is drawn (a frame, then a
/// task), and the longest gap between animation frames in between: how long the UI was blocked.
const IMPORT_PROBE: &str = r#"
  window.__bench = { worst: 0 };
  document.addEventListener("click", () => { window.__bench.click = performance.now(); }, { capture: true, once: true });
  let last = null, done = false;
  const tick = (t) => {
    if (last !== null && window.__bench.click !== undefined) window.__bench.worst = Math.max(window.__bench.worst, t - last);
    last = t;
    if (!done) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  window.__bench.drawn = new Promise((resolve) => {
    new MutationObserver((_, observer) => {
      if (!document.querySelector("[data-testid=op-row]")) return;
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(() => {
        done = true;
        resolve({ ms: performance.now() - window.__bench.click, worst: window.__bench.worst });
      }, 0));
    }).observe(document.body, { childList: true, subtree: true });
  });
"#;

async fn click(client: &Client, css: &str) -> Result<()> {
    client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .with_context(|| format!("no {css}"))?
        .click()
        .await?;
    Ok(())
}

/// Samples the PSS of the tree under `root` every 50 ms until stopped; the peak, in KiB.
fn sample_peak(root: u32, stop: Arc<AtomicBool>, peak: Arc<AtomicU64>) {
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            peak.fetch_max(app_tree_pss_kib(root), Ordering::Relaxed);
            std::thread::sleep(Duration::from_millis(50));
        }
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run by scripts/bench.sh"]
async fn graph_beta_import() -> Result<()> {
    let Some(spec) = std::env::var_os("SEXTANT_BENCH_GRAPH_SPEC").map(PathBuf::from) else {
        println!("  (SEXTANT_BENCH_GRAPH_SPEC not set: skipped)");
        return Ok(());
    };
    let spec = std::fs::canonicalize(spec)?;
    let app = launch(&app_binary()?, None, "[data-testid=url-input]").await?;
    let c = &app.client;
    c.update_timeouts(TimeoutConfiguration::new(
        Some(Duration::from_secs(300)),
        None,
        None,
    ))
    .await?;
    click(c, "[data-testid=sidebar-explorer]").await?;
    click(c, "[data-testid=import-openapi]").await?;
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("[data-testid=import-source]"))
        .await?
        .send_keys(&spec.to_string_lossy())
        .await?;
    c.execute(IMPORT_PROBE, vec![]).await?;
    let before = app.pss_mib();
    let (stop, peak) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicU64::new(0)),
    );
    sample_peak(app.driver_pid(), stop.clone(), peak.clone());
    click(c, "[data-testid=import-submit]").await?;
    let drawn = c
        .execute_async(
            "window.__bench.drawn.then(arguments[arguments.length - 1])",
            vec![],
        )
        .await;
    stop.store(true, Ordering::Relaxed);
    // In MB (10^6 bytes), the unit of the goal; the kernel counts KiB.
    let peak = peak.load(Ordering::Relaxed) as f64 * 1.024 / 1000.0;
    let out = match drawn {
        Ok(out) => out,
        Err(e) => {
            let shown = c
                .execute("return document.body.innerText.slice(0, 400)", vec![])
                .await
                .unwrap_or_default();
            println!("  Graph beta     no operation list within 300 s ({e}); page says: {shown}");
            app.close().await;
            return Ok(());
        }
    };
    let ms = out["ms"].as_f64().context("no time from the page")?;
    let worst = out["worst"].as_f64().unwrap_or(0.0);
    let size = std::fs::metadata(&spec)?.len() as f64 / 1e6;
    println!(
        "  Graph beta     ({size:.0} MB) Import click → operation list drawn: {ms:.0} ms (goal ≤ 1000 ms); longest frame gap {worst:.0} ms; peak PSS {peak:.0} MB (goal ≤ 500 MB; {:.0} MB before)",
        before * 1.048576
    );
    app.close().await;
    Ok(())
}

/// One round of everyday use in a fresh tab: a new tab, a URL typed, Send, the response shown,
/// then the tab closed (its unsaved edit discarded), so a steady state holds one tab.
async fn one_round(c: &Client, url: &str) -> Result<()> {
    click(c, "[data-testid=tab-new]").await?;
    let input = c
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("[data-testid=url-input]"))
        .await?;
    input.clear().await?;
    input.send_keys(url).await?;
    click(c, "[data-testid=send-button]").await?;
    wait_page_text(c, "[data-testid=response-status]", "200").await?;
    input.send_keys(&format!("{}w", Key::Control)).await?;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let left = c
            .execute(
                "const d = document.querySelector('[data-testid=close-discard]'); if (d) d.click();
                 return document.querySelectorAll('[data-testid=request-tab]').length;",
                vec![],
            )
            .await?;
        if left.as_u64() == Some(1) {
            return Ok(());
        }
        anyhow::ensure!(Instant::now() < deadline, "the round's tab never closed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run by scripts/bench.sh"]
async fn memory_after_scripted_use() -> Result<()> {
    let minutes: f64 = std::env::var("SEXTANT_BENCH_USE_MINUTES")
        .ok()
        .and_then(|m| m.parse().ok())
        .unwrap_or(2.0);
    let server = FaultServer::start();
    let urls = [server.url("/json"), server.url("/big-json/1000000")];
    let app = launch(&app_binary()?, None, "[data-testid=url-input]").await?;
    // Warm up (first sends, first 1 MB body, caches filled), then the baseline.
    for round in 0..10 {
        one_round(&app.client, &urls[round % urls.len()]).await?;
    }
    let base = app.pss_mib();
    let end = Instant::now() + Duration::from_secs_f64(minutes * 60.0);
    let mut rounds = 0;
    while Instant::now() < end {
        one_round(&app.client, &urls[rounds % urls.len()]).await?;
        rounds += 1;
    }
    let after = app.pss_mib();
    app.close().await;
    println!(
        "  scripted use   {minutes} min, {rounds} rounds (new tab, send, response, close): PSS {base:.0} → {after:.0} MiB, {:+.1} % (goal ≤ 10 % over 60 min)",
        (after - base) / base * 100.0
    );
    Ok(())
}
