//! The real window, end to end: compose, send, read the response; a refused connection; Cancel.

use anyhow::Result;
use sextant_e2e::Window;
use sextant_testkit::{FaultServer, PyServer};

async fn set_url(w: &Window, url: &str) -> Result<()> {
    let input = w.find("[data-testid=url-input]").await?;
    input.clear().await?;
    input.send_keys(url).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_inspect_fail_and_cancel_in_the_real_window() -> Result<()> {
    let api = PyServer::demo_api()?;
    let fault = FaultServer::start();
    let w = Window::open().await?;
    let result = scenario(&w, &api, &fault).await;
    w.finish("window", result).await
}

async fn scenario(w: &Window, api: &PyServer, fault: &FaultServer) -> Result<()> {
    eprintln!("e2e: window open, sending to the demo API");
    // Send a request to the demo API and inspect status, body, headers and timings.
    set_url(w, &api.url("/headers/custom")).await?;
    w.find("[data-testid=send-button]").await?.click().await?;
    w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
        .await?;
    w.wait_text("[data-testid=response-body]", |t| {
        t.contains("\"X-Demo\": \"yes\"")
    })
    .await?;
    w.screenshot("response-body").await?;

    w.find("[data-testid=tab-headers]").await?.click().await?;
    let headers = w
        .wait_text("[data-testid=response-headers]", |t| {
            t.to_lowercase().contains("x-demo")
        })
        .await?;
    assert!(headers.contains("yes"), "{headers}");

    w.find("[data-testid=tab-timing]").await?.click().await?;
    let timing = w
        .wait_text("[data-testid=timing-pane]", |t| t.contains("Total"))
        .await?;
    assert!(timing.contains("Connect"), "{timing}");
    w.screenshot("timing").await?;

    eprintln!("e2e: refused connection");
    // A refused connection shows its code.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    set_url(w, &format!("http://127.0.0.1:{closed}/")).await?;
    w.find("[data-testid=send-button]").await?.click().await?;
    w.wait_text("[data-testid=error-code]", |t| t.contains("Connect"))
        .await?;
    let message = w.find("[data-testid=error-message]").await?.text().await?;
    assert!(message.contains("refused"), "{message}");
    w.screenshot("refused").await?;

    eprintln!("e2e: cancel");
    // Cancel stops a request that never answers.
    set_url(w, &fault.url("/stall-head")).await?;
    w.find("[data-testid=send-button]").await?.click().await?;
    let cancel = w.wait_for("[data-testid=cancel-button]").await?;
    cancel.click().await?;
    w.wait_text("[data-testid=error-code]", |t| t.contains("Cancelled"))
        .await?;
    w.wait_for("[data-testid=send-button]").await?;
    Ok(())
}

/// Sets a form control's value the way a user's edit would, firing input and change.
async fn set_control(w: &Window, css: &str, value: &str) -> Result<()> {
    w.client
        .execute(
            "const el = document.querySelector(arguments[0]);
             el.value = arguments[1];
             el.dispatchEvent(new Event('input', { bubbles: true }));
             el.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![css.into(), value.into()],
        )
        .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_json_body_and_a_header_typed_in_the_window_reach_the_server() -> Result<()> {
    let api = PyServer::demo_api()?;
    let w = Window::open().await?;
    let result = async {
        set_control(&w, "[data-testid=method-select]", "POST").await?;
        set_url(&w, &api.url("/echo")).await?;

        w.find("[data-testid=composer-tab-headers]")
            .await?
            .click()
            .await?;
        w.wait_for("[data-testid=header-name]")
            .await?
            .send_keys("X-Trace")
            .await?;
        w.find("[data-testid=header-value]")
            .await?
            .send_keys("e2e-1")
            .await?;

        w.find("[data-testid=composer-tab-body]")
            .await?
            .click()
            .await?;
        set_control(&w, "[data-testid=body-kind]", "json").await?;
        let editor = w.wait_for(".body-editor .cm-content").await?;
        editor.click().await?;
        editor
            .send_keys(r#"{"name": "E2E lamp", "price": 3}"#)
            .await?;
        w.screenshot("composer-json-body").await?;

        w.find("[data-testid=send-button]").await?.click().await?;
        w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
            .await?;
        let body = w
            .wait_text("[data-testid=response-body]", |t| t.contains("E2E lamp"))
            .await?;
        assert!(body.contains("\"method\": \"POST\""), "{body}");
        assert!(body.contains("e2e-1"), "the header did not arrive: {body}");
        assert!(body.contains("application/json"), "{body}");
        w.screenshot("echo-response").await?;
        anyhow::Ok(())
    }
    .await;
    w.finish("json-body", result).await
}
