//! The response pane's Request view ("the request as sent") after a restart: the restored tab's
//! response and the same exchange opened from History both show what went out, from the history
//! entry that recorded it, not "kept for the last responses of this session only".

use anyhow::Result;
use sextant_e2e::Window;
use sextant_testkit::FaultServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_request_view_works_for_restored_and_history_responses() -> Result<()> {
    let fault = FaultServer::start();
    let url = fault.url("/json?from=before-the-restart");
    let w = Window::open().await?;
    let before = async {
        let input = w.find("[data-testid=url-input]").await?;
        input.send_keys(&url).await?;
        w.find("[data-testid=send-button]").await?.click().await?;
        w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
            .await?;
        w.wait_session(|s| s["tabs"][0]["response"]["status"] == 200)
            .await
            .map(drop)
    }
    .await;
    if let Err(e) = before {
        return w.finish("sent-before", Err(e)).await;
    }
    let w = w.restart().await?;
    let result = async {
        // The restored response.
        w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
            .await?;
        w.find("[data-testid=tab-request]").await?.click().await?;
        w.wait_text("[data-testid=sent-url]", |t| t == url).await?;

        // The same exchange opened from History (in a new tab: the restored one has a response).
        w.find("[data-testid=sidebar-history]")
            .await?
            .click()
            .await?;
        w.find("[data-testid=history-row] button.open")
            .await?
            .click()
            .await?;
        w.wait_js("return document.querySelectorAll('[data-testid=request-tab]').length === 2")
            .await?;
        w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
            .await?;
        w.find("[data-testid=tab-request]").await?.click().await?;
        w.wait_text("[data-testid=sent-request]", |t| {
            t.contains(&url) && t.contains("No body")
        })
        .await
        .map(drop)
    }
    .await;
    w.finish("sent-after-restart", result).await
}
