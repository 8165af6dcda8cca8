//! An event stream reconnected in the real window: the fault server's `/sse/flaky` drops every
//! connection after two events and resumes after `Last-Event-ID`. With reconnection on (at most
//! one reconnection in a row without events), the Events list shows each reconnection as a marker
//! row and the ids continue after it with no gap and no duplicate: more drops than the cap are
//! survived because each reconnection brought events, and the stream stops when one brings none.

use anyhow::{ensure, Context, Result};
use sextant_e2e::Window;
use sextant_testkit::FaultServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropping_event_stream_reconnects_with_the_last_event_id_and_its_ids_continue(
) -> Result<()> {
    let fault = FaultServer::start();
    let w = Window::open().await?;
    let result = async {
        let input = w.find("[data-testid=url-input]").await?;
        input.clear().await.context("clear")?;
        input
            .send_keys(&fault.url("/sse/flaky?count=6&every=2"))
            .await
            .context("url")?;
        // The composer's tab strip scrolls in a narrow window: clicked where it is.
        w.wait_for("[data-testid=composer-tab-settings]").await?;
        w.client
            .execute(
                "document.querySelector('[data-testid=composer-tab-settings]').click();",
                vec![],
            )
            .await
            .context("settings tab")?;
        w.wait_for("[data-testid=setting-sse-reconnect]").await?;
        w.client
            .execute(
                "const s = document.querySelector('[data-testid=setting-sse-reconnect]');
                 s.value = 'dropped'; s.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![],
            )
            .await
            .context("reconnect select")?;
        w.wait_js(
            "return !document.querySelector('[data-testid=setting-sse-reconnect-attempts]').disabled;",
        )
        .await?;
        w.client
            .execute(
                "const i = document.querySelector('[data-testid=setting-sse-reconnect-attempts]');
                 i.value = '1'; i.dispatchEvent(new Event('input', { bubbles: true }));",
                vec![],
            )
            .await?;
        w.find("[data-testid=send-button]").await?.click().await?;

        // Three connections bring two events each, the fourth none: the stream ends there.
        w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
            .await?;
        w.wait_js("return document.querySelectorAll('[data-testid=stream-row]').length === 9;")
            .await?;
        let rows = w
            .client
            .execute(
                "return [...document.querySelectorAll('[data-testid=stream-row]')]
                   .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
                   .map((r) => {
                     const marker = r.querySelector('[data-testid=stream-row-reconnect]');
                     return marker ? marker.textContent.trim() : r.querySelector('.id').textContent.trim();
                   });",
                vec![],
            )
            .await?;
        let rows: Vec<String> = serde_json::from_value(rows)?;
        w.screenshot("sse-reconnect").await?;
        let ids: Vec<&str> = rows
            .iter()
            .map(|r| if r.starts_with('↻') { "↻" } else { r.as_str() })
            .collect();
        ensure!(
            ids == ["1", "2", "↻", "3", "4", "↻", "5", "6", "↻"],
            "the rows: {rows:?}"
        );
        // Each marker names the Last-Event-ID the reconnection sent.
        for (row, id) in [(2, "2"), (5, "4"), (8, "6")] {
            ensure!(
                rows[row].ends_with(&format!("with Last-Event-ID {id}")),
                "marker {row}: {}",
                rows[row]
            );
        }
        Ok(())
    }
    .await;
    w.finish("sse-reconnect", result).await
}
