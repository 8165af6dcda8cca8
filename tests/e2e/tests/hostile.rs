//! A hostile spec in the real window (issue 10): descriptions that were a Markdown bomb for the
//! old renderer (a 4 KB heading line of spaces, 5,000 nested quotes) and a request body whose
//! example would be gigabytes (`minLength: 1e11`, arrays of 32 nested 8 deep). The operation
//! page must render, Try it must fill the composer or show a clean error, and the window must
//! stay responsive. The spec's server (port 9 on loopback) is never contacted.

use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use fantoccini::Locator;
use sextant_e2e::{repo_root, Window};

/// Generous: long enough for a slow machine, short enough to call a hang a hang.
const CEILING: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_markdown_bomb_renders_and_try_it_stays_bounded() -> Result<()> {
    let spec = repo_root().join("tests/hostile/15-markdown-bomb.yaml");
    let w = Window::open().await?;
    let result = scenario(&w, &spec).await;
    w.finish("hostile", result).await
}

async fn scenario(w: &Window, spec: &std::path::Path) -> Result<()> {
    let source = w.open_import_dialog().await?;
    source.send_keys(&spec.to_string_lossy()).await?;
    w.find("[data-testid=import-submit]").await?.click().await?;
    w.wait_text("[data-testid=spec-title]", |t| {
        t.contains("Hostile Markdown")
    })
    .await?;

    // The description renders: both bombs, then the text after them, with its HTML as text.
    let opened = Instant::now();
    w.wait_for("[data-testid=op-row][data-op-id=bomb]")
        .await?
        .click()
        .await?;
    let text = w
        .wait_text("[data-testid=op-page] .md", |t| {
            t.contains("After the bombs")
        })
        .await?;
    eprintln!(
        "hostile: operation page with the Markdown bomb rendered in {:?}",
        opened.elapsed()
    );
    ensure!(
        text.contains("<script>alert(1)</script>"),
        "raw HTML should show as text: {text}"
    );
    let page = js(
        w,
        "const md = document.querySelector('[data-testid=op-page] .md');
         return {
           quotes: md.querySelectorAll('blockquote').length,
           headings: md.querySelectorAll('h1').length,
           bold: md.querySelectorAll('strong').length,
           links: [...md.querySelectorAll('a')].map((a) => a.getAttribute('title')),
           hrefs: md.querySelectorAll('[href], [src], script, img, [onerror]').length,
           failed: document.querySelectorAll('[data-testid=markdown-failed]').length,
           htmlSize: md.innerHTML.length,
         };",
    )
    .await?;
    eprintln!("hostile: rendered description {page}");
    ensure!(
        page["failed"] == 0,
        "a description failed to render: {page}"
    );
    ensure!(page["hrefs"] == 0, "navigable or active elements: {page}");
    ensure!(page["headings"] == 2 && page["bold"] == 1, "{page}");
    let quotes = page["quotes"].as_u64().unwrap_or(0);
    ensure!((2..=20).contains(&quotes), "quotes nested {quotes} deep");
    ensure!(
        page["links"] == serde_json::json!(["https://example.com/docs"]),
        "{page}"
    );
    ensure!(
        page["htmlSize"].as_u64().unwrap_or(u64::MAX) < 64 * 1024,
        "{page}"
    );
    w.wait_for("[data-testid=schema-tree]").await?;
    w.screenshot("hostile-operation").await?;

    // Try it either fills the composer with a bounded example or says why it cannot.
    w.find("[data-testid=try-it]").await?.click().await?;
    let outcome = wait_until(
        w,
        CEILING,
        "Try it to fill the composer or fail cleanly",
        |v| v.as_str().map(str::to_string),
        "const error = document.querySelector('.try-error');
        if (error) return 'error: ' + error.textContent;
        const url = document.querySelector('[data-testid=url-input]');
        const shown = document.querySelector('.request-host:not(.hidden)');
        return url && url.value === 'http://127.0.0.1:9/bomb' && shown ? 'filled' : null;",
    )
    .await?;
    eprintln!("hostile: Try it -> {outcome}");
    if let Some(error) = outcome.strip_prefix("error: ") {
        ensure!(
            error.contains("TooLarge") || error.to_lowercase().contains("budget"),
            "Try it failed, but not with a budget error: {error}"
        );
    } else {
        // Two frames, so the screenshot shows the composer rather than the page before it.
        js(w, "return new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(true))));").await?;
        w.screenshot("hostile-try-it").await?;
    }

    // The window still answers: the search narrows the operation list, a script round-trips.
    let search = w.find("[data-testid=op-search]").await?;
    search.send_keys("ping").await?;
    wait_until(
        w,
        CEILING,
        "the search to leave only the ping operation",
        |v| (v.as_bool() == Some(true)).then_some(()),
        "const rows = [...document.querySelectorAll('[data-testid=op-row]')];
        return rows.length === 1 && rows[0].dataset.opId === 'ping';",
    )
    .await?;
    let started = Instant::now();
    let answer = tokio::time::timeout(
        CEILING,
        w.client.execute(
            "return new Promise((done) => requestAnimationFrame(() => done(6 * 7)));",
            vec![],
        ),
    )
    .await
    .context("the page did not answer a script within the ceiling")??;
    ensure!(answer == 42, "{answer}");
    eprintln!("hostile: script round-trip {:?}", started.elapsed());
    ensure!(
        !w.client
            .find_all(Locator::Css("[data-testid=url-input]"))
            .await?
            .is_empty(),
        "the composer is gone"
    );
    Ok(())
}

async fn js(w: &Window, script: &str) -> Result<serde_json::Value> {
    Ok(w.client.execute(script, vec![]).await?)
}

/// Polls `script` until `accept` takes its value, or fails after `ceiling`.
async fn wait_until<T>(
    w: &Window,
    ceiling: Duration,
    what: &str,
    accept: impl Fn(&serde_json::Value) -> Option<T>,
    script: &str,
) -> Result<T> {
    let deadline = Instant::now() + ceiling;
    loop {
        let value = tokio::time::timeout(ceiling, w.client.execute(script, vec![]))
            .await
            .with_context(|| format!("the page stopped answering while waiting for {what}"))??;
        if let Some(done) = accept(&value) {
            return Ok(done);
        }
        if Instant::now() > deadline {
            bail!("waited {ceiling:?} for {what}; last seen {value}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
