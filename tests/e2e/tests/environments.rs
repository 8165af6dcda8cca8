//! Environments and folder settings in the real window: an environment made in "Manage
//! environments…" is written to the collection's `environments/` folder (its secret value is
//! not), selecting it defines `{{baseUrl}}` so the sample "Health check" sends; "Create item"
//! captures the new id, listed in the Vars tab until cleared; a folder's settings edited from the
//! tree's context menu land in its `folder.yaml`.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use fantoccini::Locator;
use sextant_e2e::{poll_until, Window};
use sextant_testkit::PyServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_environment_made_in_the_editor_is_saved_and_used_to_send() -> Result<()> {
    let api = PyServer::demo_api()?;
    let w = Window::open().await?;
    let result = scenario(&w, &api).await;
    w.finish("environments", result).await
}

/// The text of the first file under `dir` containing `needle`.
fn file_with(dir: &Path, needle: &str) -> Option<(std::path::PathBuf, String)> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        // Hidden entries include the store's temp files of a save in progress.
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        if text.contains(needle) {
            return Some((entry.path(), text));
        }
    }
    None
}

async fn scenario(w: &Window, api: &PyServer) -> Result<()> {
    w.wait_text("[data-testid=collections-tree]", |t| t.contains("Demo API"))
        .await?;

    // The sample request uses {{baseUrl}}; with no environment chosen it is undefined.
    w.expand_row("Demo API").await?;
    w.expand_row("misc").await?;
    w.click_row("Health check").await?;
    w.wait_url(|u| u == "{{baseUrl}}/health")
        .await
        .context("the Health check request did not open")?;
    w.wait_text("[data-testid=undefined-vars]", |t| {
        t.contains("{{baseUrl}}")
    })
    .await?;

    // A new environment "e2e": baseUrl pointing at the demo server, and a secret.
    w.find("[data-testid=env-manage]").await?.click().await?;
    w.wait_for("[data-testid=env-editor]").await?;
    w.wait_text("[data-testid=env-editor]", |t| t.contains("local"))
        .await?;
    w.find("[data-testid=env-new]").await?.click().await?;
    let name = w.wait_for("[data-testid=env-new-name]").await?;
    name.send_keys("e2e").await?;
    w.find("[data-testid=env-new-create]")
        .await?
        .click()
        .await?;
    w.wait_text("[data-testid=env-editor] .detail-head", |t| {
        t.contains("e2e")
    })
    .await?;
    let var_name = w
        .find("[data-testid=env-editor] [data-testid=env-var-name]")
        .await?;
    assert_eq!(
        var_name.prop("value").await?.as_deref(),
        Some("baseUrl"),
        "a new environment starts with a baseUrl row"
    );
    w.find("[data-testid=env-editor] [data-testid=env-var-value]")
        .await?
        .send_keys(&api.base_url())
        .await?;

    w.find("[data-testid=env-var-add]").await?.click().await?;
    let names = w
        .client
        .find_all(Locator::Css(
            "[data-testid=env-editor] [data-testid=env-var-name]",
        ))
        .await?;
    let values = w
        .client
        .find_all(Locator::Css(
            "[data-testid=env-editor] [data-testid=env-var-value]",
        ))
        .await?;
    assert_eq!((names.len(), values.len()), (2, 2));
    names[1].send_keys("apiToken").await?;
    values[1].send_keys("e2e-secret-value-123").await?;
    let secrets = w
        .client
        .find_all(Locator::Css(
            "[data-testid=env-editor] [data-testid=env-var-secret]",
        ))
        .await?;
    secrets[1].click().await?;
    assert_eq!(
        values[1].attr("type").await?.as_deref(),
        Some("password"),
        "a secret value is masked"
    );
    w.find("[data-testid=env-var-reveal]")
        .await?
        .click()
        .await?;
    assert_eq!(values[1].attr("type").await?.as_deref(), Some("text"));
    w.find("[data-testid=env-var-reveal]")
        .await?
        .click()
        .await?;
    w.screenshot("environments-editor").await?;

    w.find("[data-testid=env-save]").await?.click().await?;
    w.wait_gone("[data-testid=env-editor]").await?;

    let env_dir = w.data_dir.path().join("workspace/demo-api/environments/");
    let (file, text) = file_with(&env_dir, "name: e2e")
        .with_context(|| format!("no e2e environment file in {}", env_dir.display()))?;
    assert!(text.contains(&api.base_url()), "{}: {text}", file.display());
    assert!(text.contains("apiToken"), "{text}");
    assert!(
        !text.contains("e2e-secret-value-123"),
        "the secret value went into {}: {text}",
        file.display()
    );

    // Chosen in the top bar: {{baseUrl}} is defined, the request sends.
    w.find("[data-testid=env-select]")
        .await?
        .select_by_value("e2e")
        .await?;
    w.wait_gone("[data-testid=undefined-vars]").await?;
    w.find("[data-testid=send-button]").await?.click().await?;
    w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
        .await?;
    w.screenshot("environments-sent").await?;

    // The Headers table marks variables the way the URL bar does: apiToken is defined, nope is not.
    w.find("[data-testid=composer-tab-headers]")
        .await?
        .click()
        .await?;
    w.wait_for("[data-testid=header-name]")
        .await?
        .send_keys("X-Trace-{{nope}}")
        .await?;
    w.find("[data-testid=header-value]")
        .await?
        .send_keys("Bearer {{apiToken}}")
        .await?;
    w.wait_js(
        "const n = document.querySelector('[data-testid=header-name]');
         const v = document.querySelector('[data-testid=header-value]');
         return n.getAttribute('aria-invalid') === 'true' && n.title.includes('nope')
           && !v.hasAttribute('aria-invalid')
           && v.parentElement.querySelector('.var')?.textContent === '{{apiToken}}';",
    )
    .await
    .context("the header's {{nope}} is not marked undefined, or {{apiToken}} is not highlighted")?;
    w.screenshot("headers-highlight").await?;

    // "Create item" captures the new item's id: the Vars tab lists the value until it is cleared,
    // and a capture added here that finds nothing is listed with its reason.
    w.expand_row("items").await?;
    w.click_row("Create item").await?;
    w.wait_js(
        "return document.querySelector('[data-testid=url-input]').value === '{{baseUrl}}/items';",
    )
    .await?;
    w.find("[data-testid=composer-tab-vars]")
        .await?
        .click()
        .await?;
    w.find("[data-testid=capture-add]").await?.click().await?;
    let last = |label: &'static str| async move {
        let all = w
            .client
            .find_all(Locator::Css(&format!("[aria-label='{label}']")))
            .await?;
        all.last().cloned().context(label)
    };
    last("Variable to store into")
        .await?
        .send_keys("owner")
        .await?;
    let path = last("JSONPath").await?;
    path.clear().await?;
    path.send_keys("$.owner").await?;
    w.find("[data-testid=send-button]").await?.click().await?;
    w.wait_text("[data-testid=response-status]", |t| t.starts_with("201"))
        .await?;
    w.wait_text("[data-testid=captured-failure][data-name=owner]", |t| {
        t.contains("$.owner") && t.contains("matches nothing")
    })
    .await?;
    let row = w
        .wait_text("[data-testid=captured-row][data-name=itemId]", |t| {
            t.chars().any(|c| c.is_ascii_digit())
        })
        .await?;
    let id = row.trim_start_matches("itemId").trim().to_owned();
    let body = w
        .wait_text("[data-testid=response-body]", |t| t.contains("Lamp"))
        .await?;
    assert!(
        body.contains(&format!("\"id\": {id}")),
        "captured {id:?}, the body reads {body}"
    );
    w.screenshot("captured-values").await?;
    w.find("[data-testid=captured-clear]")
        .await?
        .click()
        .await?;
    w.wait_for("[data-testid=captured-empty]").await?;

    // The folder's settings, from the tree's context menu.
    w.client
        .execute(
            "const row = [...document.querySelectorAll('[data-testid=tree-row] .name')].find((e) => e.textContent.trim() === 'misc').closest('[data-testid=tree-row]');
             const r = row.getBoundingClientRect();
             row.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: r.left + 40, clientY: r.bottom }));",
            vec![],
        )
        .await?;
    w.click_text("[role=menuitem]", "Settings…").await?;
    w.wait_for("[data-testid=settings-editor]").await?;
    let base = w.wait_for("[data-testid=settings-base-url]").await?;
    base.send_keys("http://settings.e2e.invalid").await?;
    w.find("[data-testid=settings-tab-variables]")
        .await?
        .click()
        .await?;
    let delay = w
        .wait_for("[data-testid=settings-editor] [data-testid=settings-var-name]")
        .await?;
    assert_eq!(delay.prop("value").await?.as_deref(), Some("delay"));
    w.screenshot("settings-editor").await?;
    w.find("[data-testid=settings-save]").await?.click().await?;
    w.wait_gone("[data-testid=settings-editor]").await?;
    let folder = w
        .data_dir
        .path()
        .join("workspace/demo-api/misc/folder.yaml");
    let text = std::fs::read_to_string(&folder)?;
    assert!(text.contains("http://settings.e2e.invalid"), "{text}");
    assert!(text.contains("name: delay"), "{text}");

    // Deleting the environment moves its file to the trash; Undo brings it back.
    w.find("[data-testid=env-manage]").await?.click().await?;
    w.wait_for("[data-testid=env-editor]").await?;
    w.wait_for("[data-testid=env-list-item][data-name=e2e]")
        .await?
        .click()
        .await?;
    w.wait_for("[data-testid=env-delete]")
        .await?
        .click()
        .await?;
    poll_until(
        "the e2e environment file is still there",
        Duration::from_secs(10),
        async || Ok((file_with(&env_dir, "name: e2e").is_none()).then_some(())),
    )
    .await?;
    // The toast sits under the dialog: close it, then Undo.
    w.find("[data-testid=env-editor]")
        .await?
        .send_keys(&fantoccini::key::Key::Escape.to_string())
        .await?;
    w.wait_gone("[data-testid=env-editor]").await?;
    w.find("[data-testid=toast-action]").await?.click().await?;
    poll_until(
        "Undo did not restore the environment",
        Duration::from_secs(10),
        async || Ok((file_with(&env_dir, "name: e2e").is_some()).then_some(())),
    )
    .await?;

    // Renaming it renames its file's environment, and the list shows the new name.
    w.find("[data-testid=env-manage]").await?.click().await?;
    w.wait_for("[data-testid=env-list-item][data-name=e2e]")
        .await?
        .click()
        .await?;
    w.wait_for("[data-testid=env-rename]")
        .await?
        .click()
        .await?;
    let input = w.wait_for("[data-testid=env-rename-input]").await?;
    input.clear().await?;
    input.send_keys("Staging e2e").await?;
    w.screenshot("env-rename").await?;
    w.find("[data-testid=env-rename-apply]")
        .await?
        .click()
        .await?;
    w.wait_for("[data-testid=env-list-item][data-name='Staging e2e']")
        .await?;
    poll_until(
        "no environment file with the new name",
        Duration::from_secs(10),
        async || Ok((file_with(&env_dir, "name: Staging e2e").is_some()).then_some(())),
    )
    .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn try_it_path_parameters_are_defined_request_variables() -> Result<()> {
    let spec = sextant_e2e::repo_root().join("crates/openapi/tests/fixtures/fastapi-shop-3.1.json");
    let w = Window::open().await?;
    let result = async {
        w.open_import_dialog()
            .await?
            .send_keys(&spec.to_string_lossy())
            .await?;
        w.find("[data-testid=import-submit]").await?.click().await?;
        w.wait_for("[data-testid=op-row][data-op-id=get_product_products__product_id__get]")
            .await?
            .click()
            .await?;
        w.wait_for("[data-testid=try-it]").await?.click().await?;
        w.wait_js("return document.querySelector('[data-testid=url-input]')?.value.endsWith('/products/{{product_id}}') === true;",
        )
        .await?;
        // Highlighted as a defined variable, never listed as undefined.
        w.wait_js("const v = document.querySelector('[data-testid=url-input]').parentElement.querySelector('.var');
             return v?.textContent === '{{product_id}}' && !v.classList.contains('undefined');",
        )
        .await?;
        // Checked since Try it filled the tab: an absent banner now means nothing is undefined.
        w.wait_js("return document.querySelector('.request-view')?.dataset.varsSettled === 'true';")
            .await?;
        let banner = w
            .client
            .find_all(Locator::Css("[data-testid=undefined-vars]"))
            .await?;
        for b in banner {
            let text = b.text().await?;
            assert!(!text.contains("product_id"), "{text}");
        }
        w.find("[data-testid=composer-tab-vars]")
            .await?
            .click()
            .await?;
        let name = w.wait_for("[data-testid=var-name]").await?;
        assert_eq!(name.prop("value").await?.as_deref(), Some("product_id"));
        w.screenshot("tryit-vars").await?;
        Ok::<(), anyhow::Error>(())
    }
    .await;
    w.finish("tryit-vars", result).await
}
