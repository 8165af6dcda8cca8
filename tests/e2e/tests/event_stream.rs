//! Server-sent events in the real window: a POST with a JSON body to the FastAPI demo's
//! LLM-style endpoint streams token events, and the Events view shows them one by one while the
//! response is still in flight (20 events 200 ms apart: the first ones are seen long before the
//! end), then all of them; filtering by type and opening one event work on the result.

use anyhow::{ensure, Result};
use sextant_e2e::Window;
use sextant_testkit::PyServer;

/// Replaces the tab's request with a curl command, the way pasting it into the URL bar does.
async fn paste_curl(w: &Window, command: &str, url_ends_with: &str) -> Result<()> {
    w.wait_for("[data-testid=url-input]").await?.click().await?;
    w.client
        .execute(
            "const data = new DataTransfer();
             data.setData('text/plain', arguments[0]);
             const input = document.querySelector('[data-testid=url-input]');
             input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));",
            vec![command.into()],
        )
        .await?;
    w.wait_js(&format!(
        "return document.querySelector('[data-testid=url-input]').value.endsWith({url_ends_with:?});"
    ))
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_event_stream_shows_its_events_while_in_flight() -> Result<()> {
    let demo = PyServer::shared_demo_api();
    let w = Window::open().await?;
    let result = async {
        let command = format!(
            "curl -X POST -H 'Content-Type: application/json' -d '{}' '{}'",
            r#"{"prompt": "hello", "count": 20, "delay_ms": 200}"#,
            demo.url("/chat/stream")
        );
        paste_curl(&w, &command, "/chat/stream").await?;
        w.find("[data-testid=send-button]").await?.click().await?;

        // In flight (the live mark and no final status yet) with at least one event listed: the
        // whole stream takes 4 s, so without live events nothing would be listed until the end.
        w.wait_js(
            "const rows = document.querySelectorAll('[data-testid=stream-row]');
             return rows.length >= 1
               && document.querySelector('[data-testid=stream-live]') !== null
               && document.querySelector('[data-testid=response-status]') === null;",
        )
        .await?;
        let first = w
            .wait_text("[data-testid=stream-row-data]", |t| !t.is_empty())
            .await?;
        ensure!(
            first.contains(r#""token": "A""#) && first.contains(r#""prompt": "hello""#),
            "{first}"
        );
        let in_flight = w.find("[data-testid=stream-count]").await?.text().await?;
        w.screenshot("event-stream-in-flight").await?;

        // Then the end: 20 tokens and the done event.
        w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
            .await?;
        w.wait_text("[data-testid=stream-count]", |t| t == "21 events")
            .await?;
        ensure!(
            in_flight != "21 events",
            "all events were already there: {in_flight}"
        );
        ensure!(
            w.find("[data-testid=stream-live]").await.is_err(),
            "the live mark is gone once the response is complete"
        );

        // Filter by type: only the done event.
        w.client
            .execute(
                "const s = document.querySelector('[data-testid=stream-filter-type]');
                 s.value = 'done'; s.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![],
            )
            .await?;
        w.wait_js("return document.querySelectorAll('[data-testid=stream-row]').length === 1;")
            .await?;
        w.find("[data-testid=stream-row]").await?.click().await?;
        w.wait_text("[data-testid=stream-detail]", |t| {
            t.contains("\"done\": true") && t.contains("\"tokens\": 20")
        })
        .await?;
        w.screenshot("event-stream-done").await?;
        anyhow::Ok(())
    }
    .await;
    w.finish("event-stream", result).await
}
