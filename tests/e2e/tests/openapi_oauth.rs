//! A spec's OAuth 2.0 scheme in the real window: Try it on an operation secured by a password
//! flow opens the composer with OAuth 2.0 auth prefilled (grant and the token URL resolved
//! against the server); typing the client id, user and password is all it takes for Send to
//! get a token from the demo's `/auth/token` and reach `/auth/me`.

use anyhow::Result;
use sextant_e2e::Window;
use sextant_testkit::PyServer;

fn spec(base: &str) -> String {
    format!(
        "openapi: 3.1.0\n\
         info: {{title: Login API, version: '1'}}\n\
         servers: [{{url: '{base}'}}]\n\
         components:\n  securitySchemes:\n    DemoPassword:\n      type: oauth2\n      \
         flows: {{password: {{tokenUrl: /auth/token, scopes: {{}}}}}}\n\
         paths:\n  /auth/me:\n    get:\n      operationId: me\n      \
         security: [{{DemoPassword: []}}]\n      \
         responses: {{'200': {{description: the token's user}}}}\n"
    )
}

/// Sets an input's value as typing would (one input event), so Svelte's binding sees it.
async fn type_into(w: &Window, testid: &str, value: &str) -> Result<()> {
    w.find(&format!("[data-testid={testid}]")).await?;
    w.client
        .execute(
            "const el = document.querySelector(`[data-testid=${arguments[0]}]`);
             el.value = arguments[1];
             el.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![testid.into(), value.into()],
        )
        .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn try_it_prefills_the_specs_oauth2_password_flow_and_signs_in_on_send() -> Result<()> {
    let api = PyServer::demo_api()?;
    let w = Window::open().await?;
    let result = async {
        w.open_import_dialog().await?;
        w.client
            .execute(
                "const el = document.querySelector('[data-testid=import-source]');
                 el.value = arguments[0];
                 el.dispatchEvent(new Event('input', { bubbles: true }));",
                vec![spec(&api.base_url()).into()],
            )
            .await?;
        w.wait_for("[data-testid=import-source].document").await?;
        w.find("[data-testid=import-submit]").await?.click().await?;
        w.wait_text("[data-testid=spec-title]", |t| t.contains("Login API"))
            .await?;
        w.find("[data-testid=op-row][data-op-id=me]")
            .await?
            .click()
            .await?;
        w.wait_text("[data-testid=op-path]", |t| t.contains("/auth/me"))
            .await?;
        w.find("[data-testid=try-it]").await?.click().await?;
        w.wait_for("[data-testid=url-input]").await?;

        w.find("[data-testid=composer-tab-auth]")
            .await?
            .click()
            .await?;
        let token_url = api.url("/auth/token");
        w.wait_js(&format!(
            "const q = (id) => document.querySelector(`[data-testid=${{id}}]`);
             return q('auth-kind')?.value === 'oauth2'
                 && q('auth-oauth2-grant')?.value === 'password'
                 && q('auth-oauth2-tokenUrl')?.value === '{token_url}'
                 && q('auth-oauth2-username')?.value === '{{{{username}}}}';"
        ))
        .await?;
        w.screenshot("openapi-oauth-prefilled").await?;

        type_into(&w, "auth-oauth2-clientId", "demo").await?;
        type_into(&w, "auth-oauth2-username", "alice").await?;
        type_into(&w, "auth-oauth2-password", "wonderland").await?;
        w.find("[data-testid=send-button]").await?.click().await?;
        w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
            .await?;
        w.screenshot("openapi-oauth-sent").await?;
        anyhow::Ok(())
    }
    .await;
    w.finish("openapi_oauth", result).await
}
