//! AWS Signature v4 in the real window: picked in the Auth tab, the request reaches httpbin's
//! `/anything` signed (the echoed `Authorization` names the key, date, region and service, with
//! `X-Amz-Date` and `X-Amz-Content-Sha256` beside it).

use anyhow::{ensure, Result};
use sextant_e2e::Window;
use sextant_testkit::PyServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_with_aws_sigv4_auth_goes_out_signed() -> Result<()> {
    let httpbin = PyServer::httpbin()?;
    let w = Window::open().await?;
    let result = async {
        let url = w.wait_for("[data-testid=url-input]").await?;
        url.click().await?;
        url.send_keys(&httpbin.url("/anything/orders?limit=5"))
            .await?;
        w.find("[data-testid=composer-tab-auth]")
            .await?
            .click()
            .await?;
        w.find("[data-testid=auth-kind]")
            .await?
            .select_by_value("awsSigV4")
            .await?;
        for (testid, value) in [
            ("auth-aws-access-key", "AKIDEXAMPLE"),
            (
                "auth-aws-secret-key",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            ),
            ("auth-aws-region", "eu-west-1"),
            ("auth-aws-service", "execute-api"),
        ] {
            let input = w.wait_for(&format!("[data-testid={testid}]")).await?;
            input.clear().await?;
            input.send_keys(value).await?;
        }
        w.find("[data-testid=send-button]").await?.click().await?;
        w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
            .await?;
        let body = w
            .wait_text("[data-testid=response-body]", |t| {
                t.contains("AWS4-HMAC-SHA256")
            })
            .await?;
        ensure!(
            body.contains("Credential=AKIDEXAMPLE/")
                && body.contains("/eu-west-1/execute-api/aws4_request"),
            "{body}"
        );
        ensure!(
            body.contains("SignedHeaders=") && body.contains("Signature="),
            "{body}"
        );
        ensure!(
            body.contains("X-Amz-Date") && body.contains("X-Amz-Content-Sha256"),
            "{body}"
        );
        ensure!(
            !body.contains("wJalrXUtnFEMI"),
            "the secret never goes out: {body}"
        );
        w.screenshot("auth-sigv4").await?;
        anyhow::Ok(())
    }
    .await;
    w.finish("auth-sigv4", result).await
}
