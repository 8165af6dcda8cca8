//! A hostile spec in the real window (issue 10): descriptions that were a Markdown bomb for the
//! old renderer (a 4 KB heading line of spaces, 5,000 nested quotes) and a request body whose
//! example would be gigabytes (`minLength: 1e11`, arrays of 32 nested 8 deep). The operation
//! page must render, Try it must fill the composer or show a clean error, and the window must
//! stay responsive. The spec's server (port 9 on loopback) is never contacted.

use std::time::{Duration, Instant};

use anyhow::{ensure, Context, Result};
use fantoccini::Locator;
use sextant_e2e::{poll_until, repo_root, Window};
use sextant_testkit::FaultServer;

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
    let mut last = serde_json::Value::Null;
    let found = poll_until(what, ceiling, async || {
        let value = tokio::time::timeout(ceiling, w.client.execute(script, vec![]))
            .await
            .with_context(|| format!("the page stopped answering while waiting for {what}"))??;
        let done = accept(&value);
        last = value;
        Ok(done)
    })
    .await;
    found.with_context(|| format!("last seen {last}"))
}

/// A request file in the workspace (as a cloned repository could hold) whose binary body is a
/// file outside the workspace: Send stops with `FileNotAllowed` and offers to allow it; the
/// dialog names the file; once allowed, the request sends it, and the next Send does not ask.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_file_outside_the_workspace_is_sent_only_once_allowed() -> Result<()> {
    let server = FaultServer::start();
    let w = Window::open().await?;
    let result = file_consent(&w, &server).await;
    w.finish("hostile-file-consent", result).await
}

async fn file_consent(w: &Window, server: &FaultServer) -> Result<()> {
    const KEY: &str = "KEY-OUTSIDE-THE-WORKSPACE-e2e";
    w.wait_text("[data-testid=collections-tree]", |t| t.contains("Demo API"))
        .await?;
    let outside = w.data_dir.path().join("elsewhere");
    std::fs::create_dir_all(&outside)?;
    let key = outside.join("id_rsa");
    std::fs::write(&key, KEY)?;
    let key = std::fs::canonicalize(&key)?;
    let request = format!(
        "name: Upload key\nmethod: POST\nurl: '{}'\nbody: {{kind: binary, path: '{}'}}\n",
        server.url("/echo"),
        key.display()
    );
    let workspace = w.data_dir.path().join("workspace");
    std::fs::write(workspace.join("demo-api/upload-key.yaml"), request)?;

    // Expanded (clicking a collapsed collection opens it), then the new file's row appears.
    w.wait_js(
        "const row = document.querySelector(`[data-testid=tree-row][data-path='demo-api']`);
         if (!row) return false;
         if (row.getAttribute('aria-expanded') !== 'true') row.click();
         return !!document.querySelector(`[data-testid=tree-row][data-path='demo-api/upload-key.yaml']`);",
    )
    .await?;
    w.wait_for("[data-testid=tree-row][data-path='demo-api/upload-key.yaml']")
        .await?
        .click()
        .await?;
    w.wait_text("[data-testid=url-input]", |_| true).await?;
    w.wait_js(
        "return (document.querySelector('[data-testid=url-input]')?.value ?? '').endsWith('/echo');",
    )
    .await?;
    w.find("[data-testid=send-button]").await?.click().await?;
    w.wait_text("[data-testid=error-code]", |t| t == "FileNotAllowed")
        .await?;
    let allow = w.wait_for("[data-testid=allow-files]").await?;
    w.screenshot("hostile-file-refused").await?;
    allow.click().await?;
    let named = w
        .wait_text("[data-testid=consent-file]", |t| !t.is_empty())
        .await?;
    ensure!(
        named == key.to_string_lossy(),
        "the dialog should name {}: {named}",
        key.display()
    );
    let confirm = w.find("[data-testid=allow-files-confirm]").await?;
    w.wait_js(
        "const d = document.querySelector('[data-testid=file-consent-dialog]');
         return !!d && getComputedStyle(d).opacity === '1' && d.getAnimations({ subtree: true }).length === 0;",
    )
    .await?;
    w.screenshot("hostile-file-consent-dialog").await?;
    confirm.click().await?;
    w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
        .await?;
    w.wait_text("[data-testid=response-body]", |t| t.contains(KEY))
        .await?;

    // Remembered: the next Send goes straight through (new content proves a new send).
    std::fs::write(&key, format!("{KEY}-again"))?;
    w.find("[data-testid=send-button]").await?.click().await?;
    w.wait_text("[data-testid=response-body]", |t| {
        t.contains(&format!("{KEY}-again"))
    })
    .await?;
    ensure!(
        w.client
            .find_all(Locator::Css("[data-testid=allow-files]"))
            .await?
            .is_empty(),
        "the second send asked again"
    );
    let consents = std::fs::read_to_string(w.data_dir.path().join("allowed-body-files.json"))?;
    ensure!(consents.contains("id_rsa"), "{consents}");
    Ok(())
}
