//! The composer sends what the user filled in, in the real window against the FastAPI demo:
//! a file chosen for Try it's required multipart part switches the part on (the upload answers
//! 200, not 422 "field required"); a token captured by an unsaved request is still defined after
//! the request is saved into a collection, and reaches the server; Try it on the OAuth2 password
//! login leaves username and password empty and the hint names them.
//!
//! The system file dialog is outside the web view, so the test answers the dialog plugin's IPC
//! call itself (the window's `fetch` of `plugin:dialog|open`) with the path a user would pick.

use anyhow::{ensure, Context, Result};
use fantoccini::key::Key;
use sextant_e2e::Window;
use sextant_testkit::PyServer;

/// Imports the demo's spec, opens operation `op_id` and presses Try it.
async fn try_it(w: &Window, api: &PyServer, op_id: &str) -> Result<()> {
    let source = w.open_import_dialog().await?;
    source.send_keys(&api.url("/openapi.json")).await?;
    w.find("[data-testid=import-submit]").await?.click().await?;
    w.wait_text("[data-testid=spec-title]", |t| t.contains("Demo API"))
        .await?;
    w.find("[data-testid=op-search]")
        .await?
        .send_keys(op_id)
        .await?;
    w.find(&format!("[data-testid=op-row][data-op-id={op_id}]"))
        .await?
        .click()
        .await?;
    w.find("[data-testid=try-it]").await?.click().await?;
    w.wait_for("[data-testid=tryit-hint]").await?;
    Ok(())
}

/// Makes the next "Choose file…" answer `path`, as the system dialog would after a pick.
async fn answer_file_dialog_with(w: &Window, path: &str) -> Result<()> {
    w.client
        .execute(
            "const picked = arguments[0];
             const real = window.fetch;
             window.fetch = function (input, init) {
               const url = String(input && input.url ? input.url : input);
               if (url.includes(encodeURIComponent('plugin:dialog|open')) || url.includes('plugin:dialog|open')) {
                 window.fetch = real;
                 return Promise.resolve(new Response(JSON.stringify(picked), {
                   headers: { 'Content-Type': 'application/json', 'Tauri-Response': 'ok' },
                 }));
               }
               return real.apply(this, arguments);
             };",
            vec![path.into()],
        )
        .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_chosen_for_a_required_part_switches_the_part_on() -> Result<()> {
    let api = PyServer::demo_api()?;
    let w = Window::open().await?;
    let result = upload(&w, &api).await;
    w.finish("composer-upload", result).await
}

async fn upload(w: &Window, api: &PyServer) -> Result<()> {
    // Inside the workspace, so Send needs no consent for it.
    let file = w.data_dir.path().join("workspace").join("cover.txt");
    std::fs::write(&file, "cover!")?;
    let file = std::fs::canonicalize(&file)?;
    try_it(w, api, "upload_file").await?;
    // The part named `file`, found by its name field.
    let row = "[...document.querySelectorAll(\"[aria-label='Multipart parts'] .part\")]
         .find((r) => r.querySelector('[data-testid=part-name]').value === 'file')";
    w.wait_js(&format!(
        "const row = {row};
         return !!row && !row.querySelector('input[type=checkbox]').checked;"
    ))
    .await
    .context("Try it did not leave the required file part switched off")?;

    answer_file_dialog_with(w, &file.to_string_lossy()).await?;
    w.client
        .execute(
            &format!("const row = {row}; row.querySelector('.file button').click();"),
            vec![],
        )
        .await?;
    w.wait_js(&format!(
        "const row = {row};
         return row.querySelector('.file .name')?.textContent === 'cover.txt'
           && row.querySelector('input[type=checkbox]').checked;"
    ))
    .await
    .context("choosing a file did not switch the part on")?;
    w.screenshot("composer-file-chosen").await?;

    w.find("[data-testid=send-button]").await?.click().await?;
    let status = w
        .wait_text("[data-testid=response-status]", |t| !t.trim().is_empty())
        .await?;
    ensure!(status.starts_with("200"), "the upload answered {status}");
    let body = w
        .wait_text("[data-testid=response-body]", |t| t.contains("filename"))
        .await?;
    ensure!(
        body.contains("cover.txt") && body.contains("\"size\": 6"),
        "{body}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_captured_before_saving_is_defined_in_the_collection() -> Result<()> {
    let api = PyServer::demo_api()?;
    let w = Window::open().await?;
    let result = captured_after_save(&w, &api).await;
    w.finish("composer-captured-save", result).await
}

async fn captured_after_save(w: &Window, api: &PyServer) -> Result<()> {
    w.wait_text("[data-testid=collections-tree]", |t| t.contains("Demo API"))
        .await?;
    // An unsaved login, pasted as curl, with a capture of the token.
    let url = w.wait_for("[data-testid=url-input]").await?;
    url.click().await?;
    let command = format!(
        "curl -X POST '{}' -d username=alice -d password=wonderland",
        api.url("/token")
    );
    w.client
        .execute(
            "const data = new DataTransfer();
             data.setData('text/plain', arguments[0]);
             const input = document.querySelector('[data-testid=url-input]');
             input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));",
            vec![command.into()],
        )
        .await?;
    w.wait_url(|v| v.ends_with("/token")).await?;
    w.find("[data-testid=composer-tab-vars]")
        .await?
        .click()
        .await?;
    w.find("[data-testid=capture-add]").await?.click().await?;
    w.find("[aria-label='Variable to store into']")
        .await?
        .send_keys("token")
        .await?;
    let path = w.find("[aria-label='JSONPath']").await?;
    path.clear().await?;
    path.send_keys("$.access_token").await?;
    w.find("[data-testid=send-button]").await?.click().await?;
    w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
        .await?;
    w.wait_text("[data-testid=captured-row][data-name=token]", |t| {
        t.contains("token-alice")
    })
    .await?;

    // Saved into the sample collection with Ctrl+S.
    let url = w.find("[data-testid=url-input]").await?;
    url.send_keys(&format!("{}s", Key::Control)).await?;
    let name = w.wait_for("[data-testid=name-input]").await?;
    name.clear().await?;
    name.send_keys("Log in from e2e").await?;
    w.find("[data-testid=name-submit]").await?.click().await?;
    w.wait_text("[data-testid=collections-tree]", |t| {
        t.contains("Log in from e2e")
    })
    .await?;

    // The saved request now uses the token: defined, and sent to the server.
    let url = w.find("[data-testid=url-input]").await?;
    url.clear().await?;
    url.send_keys(&format!("{}?seen={{{{token}}}}", api.url("/echo")))
        .await?;
    w.wait_url(|v| v.ends_with("seen={{token}}")).await?;
    w.wait_js(
        "const view = document.querySelector('.request-view');
         return !!view && view.getAttribute('data-vars-settled') === 'true';",
    )
    .await?;
    let banner = w
        .client
        .execute(
            "const b = document.querySelector('[data-testid=undefined-vars]'); return b ? b.textContent : null;",
            vec![],
        )
        .await?;
    ensure!(
        banner.is_null(),
        "after the save the token is undefined: {banner}"
    );
    w.find("[data-testid=send-button]").await?.click().await?;
    let body = w
        .wait_text("[data-testid=response-body]", |t| t.contains("seen"))
        .await?;
    ensure!(body.contains("token-alice"), "the server saw {body}");
    w.screenshot("composer-token-after-save").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn try_it_leaves_login_credentials_empty_and_names_them() -> Result<()> {
    let api = PyServer::demo_api()?;
    let w = Window::open().await?;
    let result = login_credentials(&w, &api).await;
    w.finish("composer-login-credentials", result).await
}

async fn login_credentials(w: &Window, api: &PyServer) -> Result<()> {
    try_it(w, api, "login").await?;
    let hint = w
        .wait_text("[data-testid=tryit-hint]", |t| t.contains("Fill in"))
        .await?;
    ensure!(
        hint.contains("username") && hint.contains("password") && !hint.contains("ready to send"),
        "{hint}"
    );
    w.wait_js(
        "const names = [...document.querySelectorAll('[data-testid=form-name]')].map((e) => e.value);
         const values = [...document.querySelectorAll('[data-testid=form-value]')].map((e) => e.value);
         const at = (n) => values[names.indexOf(n)];
         return names.includes('username') && names.includes('password')
           && at('username') === '' && at('password') === '';",
    )
    .await
    .context("username and password are not empty form fields")?;
    w.screenshot("composer-login-credentials").await?;
    Ok(())
}
