//! Waiting for a condition, the one way window tests wait: a probe polled until it yields a
//! value or its time is up, and the lookups built on it that several tests share (an element by
//! its text, a tree row, the URL bar). A test never sleeps for time and never looks once.

use std::fmt::Display;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};

use crate::Window;

/// How long to wait between two looks; short enough to keep tests quick, long enough not to
/// keep a core busy.
const POLL_EVERY: Duration = Duration::from_millis(50);

/// Calls `probe` until it returns `Some`, for at most `within`; the error names `what`. An error
/// from the probe ends the wait at once.
pub async fn poll_until<T>(
    what: impl Display,
    within: Duration,
    mut probe: impl AsyncFnMut() -> Result<Option<T>>,
) -> Result<T> {
    let deadline = Instant::now() + within;
    loop {
        if let Some(value) = probe().await? {
            return Ok(value);
        }
        if Instant::now() > deadline {
            bail!("waited {} s: {what}", within.as_secs_f32());
        }
        tokio::time::sleep(POLL_EVERY).await;
    }
}

impl Window {
    /// Runs `action` (JavaScript, with `el` bound) on the first element matching `css` whose
    /// trimmed text is `text`, scrolled into view, waiting up to 10 s for one.
    pub async fn on_text(&self, css: &str, text: &str, action: &str) -> Result<()> {
        let script = format!(
            "const el = [...document.querySelectorAll(arguments[0])].find((e) => e.textContent.trim() === arguments[1]);
             if (!el) return false;
             el.scrollIntoView({{ block: 'nearest' }});
             {action}
             return true;"
        );
        poll_until(
            format_args!("no {css} reads {text:?}"),
            Duration::from_secs(10),
            async || {
                let done = self
                    .client
                    .execute(&script, vec![css.into(), text.into()])
                    .await?;
                Ok((done.as_bool() == Some(true)).then_some(()))
            },
        )
        .await
    }

    /// Clicks the first element matching `css` whose trimmed text is `text`.
    pub async fn click_text(&self, css: &str, text: &str) -> Result<()> {
        self.on_text(css, text, "el.click();").await
    }

    /// Clicks the collections tree's row named `name`.
    pub async fn click_row(&self, name: &str) -> Result<()> {
        self.click_text("[data-testid=tree-row] .name", name).await
    }

    /// Expands the collection or folder row named `name` unless it is open already (the window
    /// remembers expanded rows between runs).
    pub async fn expand_row(&self, name: &str) -> Result<()> {
        self.on_text(
            "[data-testid=tree-row] .name",
            name,
            "const row = el.closest('[data-testid=tree-row]'); if (row.getAttribute('aria-expanded') !== 'true') row.click();",
        )
        .await
    }

    /// What the URL bar of the current tab holds.
    pub async fn url_value(&self) -> Result<String> {
        Ok(self
            .find("[data-testid=url-input]")
            .await?
            .prop("value")
            .await?
            .unwrap_or_default())
    }

    /// Waits up to 10 s until the URL bar satisfies `pred`; returns what it holds.
    pub async fn wait_url(&self, pred: impl Fn(&str) -> bool) -> Result<String> {
        let mut last = String::new();
        let found = poll_until(
            "the URL bar to change",
            Duration::from_secs(10),
            async || {
                last = self.url_value().await?;
                Ok(pred(&last).then(|| last.clone()))
            },
        )
        .await;
        found.map_err(|e| e.context(format!("the URL bar shows {last:?}")))
    }

    /// Types `text` into the field matching `css`, cleared first and scrolled into the middle
    /// of its panel (a dialog's tab can be taller than the panel).
    pub async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        let input = self.wait_for(css).await?;
        self.client
            .execute(
                "arguments[0].scrollIntoView({ block: 'center' });",
                vec![serde_json::to_value(&input)?],
            )
            .await?;
        input.clear().await?;
        input.send_keys(text).await?;
        Ok(())
    }
}
