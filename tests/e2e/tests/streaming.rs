//! A response is shown while it downloads: a 100 MB body paced at 20 MB/s by the fault server
//! shows its first screen of text and a progress figure (bytes, rate, percentage, time left)
//! while it is still arriving, then the finished response replaces it.

use anyhow::{ensure, Result};
use sextant_e2e::Window;
use sextant_testkit::FaultServer;

const TOTAL: u64 = 100 * 1024 * 1024;
const RATE: u64 = 20 * 1024 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_throttled_100_mb_body_shows_its_first_screen_and_progress_before_it_completes(
) -> Result<()> {
    let fault = FaultServer::start();
    let w = Window::open().await?;
    let result = async {
        let input = w.find("[data-testid=url-input]").await?;
        input.clear().await?;
        input
            .send_keys(&fault.url(&format!("/paced?bytes={TOTAL}&rate={RATE}")))
            .await?;
        w.find("[data-testid=send-button]").await?.click().await?;

        // The live body view exists only while the request is in flight: text in it is the
        // first screen shown before the download ended.
        w.wait_text("[data-testid=live-body]", |t| t.contains("streamed line"))
            .await?;
        let progress = w
            .wait_text("[data-testid=response-progress]", |t| {
                t.contains("of 100 MB")
                    && t.contains("/s")
                    && t.contains("left")
                    && percent(t).is_some_and(|p| p < 100)
            })
            .await?;
        ensure!(progress.starts_with("Receiving"), "{progress}");
        w.wait_text("[data-testid=live-status]", |t| t.starts_with("200"))
            .await?;

        // Then it completes, and the finished response takes the pane.
        w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
            .await?;
        w.wait_text("[data-testid=response-size]", |t| t == "100 MB")
            .await?;
        w.wait_text("[data-testid=response-body]", |t| {
            t.contains("streamed line")
        })
        .await?;
        w.wait_gone("[data-testid=live-body]").await?;
        Ok(())
    }
    .await;
    w.finish("streaming-throttled-body", result).await
}

/// The whole percentage in a progress line ("… · 12% · …").
fn percent(text: &str) -> Option<u32> {
    let before = text.split('%').next()?;
    before.rsplit(' ').next()?.parse().ok()
}
