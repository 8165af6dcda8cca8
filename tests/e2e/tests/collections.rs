//! Collections as files in the real window: a new request saved with Ctrl+S lands as a YAML file
//! in the workspace folder; an edit of that file on disk shows in the window; sending it works;
//! dragging a request onto another folder moves its file; importing a spec next to a
//! collection of the same name asks (another name, or merge) and the toast says what was created.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use fantoccini::key::Key;
use sextant_e2e::Window;
use sextant_testkit::PyServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn save_see_the_file_edit_it_on_disk_see_the_change() -> Result<()> {
    let api = PyServer::demo_api()?;
    let w = Window::open().await?;
    let result = scenario(&w, &api).await;
    w.finish("collections", result).await
}

/// A request file under `dir` whose text contains `needle`.
fn find_file(dir: &Path, needle: &str) -> Option<std::path::PathBuf> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        // Hidden entries include the store's temp files of a save in progress.
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            if let Some(found) = find_file(&path, needle) {
                return Some(found);
            }
        } else if std::fs::read_to_string(&path).is_ok_and(|t| t.contains(needle)) {
            return Some(path);
        }
    }
    None
}

async fn scenario(w: &Window, api: &PyServer) -> Result<()> {
    let workspace = w.data_dir.path().join("workspace");
    // First run: the sample collection is there.
    w.wait_text("[data-testid=collections-tree]", |t| t.contains("Demo API"))
        .await?;

    // A new request, saved with Ctrl+S into the sample collection.
    w.find("[data-testid=tab-new]").await?.click().await?;
    let url = w.wait_for("[data-testid=url-input]").await?;
    url.clear().await?;
    url.send_keys(&api.url("/items?limit=2")).await?;
    url.send_keys(&format!("{}s", Key::Control)).await?;
    let name = w.wait_for("[data-testid=name-input]").await?;
    name.clear().await?;
    name.send_keys("Two items from e2e").await?;
    w.screenshot("collections-save-dialog").await?;
    w.find("[data-testid=name-submit]").await?.click().await?;

    let deadline = Instant::now() + Duration::from_secs(10);
    let file = loop {
        if let Some(f) = find_file(&workspace, "name: Two items from e2e") {
            break f;
        }
        if Instant::now() > deadline {
            bail!(
                "no file with the saved request under {}",
                workspace.display()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let text = std::fs::read_to_string(&file)?;
    assert!(text.contains("/items\n"), "{text}");
    assert!(text.contains("- name: limit\n  value: '2'"), "{text}");
    w.wait_text("[data-testid=collections-tree]", |t| {
        t.contains("Two items from e2e")
    })
    .await?;

    // Edited on disk (as a text editor or a git pull would): the clean tab follows.
    std::fs::write(&file, text.replace("/items\n", "/health\n"))?;
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let value = w
            .find("[data-testid=url-input]")
            .await?
            .prop("value")
            .await?
            .unwrap_or_default();
        if value.contains("/health?limit=2") {
            break;
        }
        if Instant::now() > deadline {
            let listing: Vec<_> = std::fs::read_dir(workspace.join("demo-api"))?
                .flatten()
                .map(|e| e.file_name())
                .collect();
            bail!(
                "the window still shows {value} after {} changed ({listing:?})",
                file.display()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    w.find("[data-testid=send-button]").await?.click().await?;
    w.wait_text("[data-testid=response-status]", |t| t.starts_with("200"))
        .await?;
    w.screenshot("collections-saved-and-sent").await?;
    Ok(())
}

/// Dragging a request onto another folder moves its file there (HTML5 drag and drop, driven by
/// the events a drag fires: WebDriver's pointer actions do not start native drags in WebKitGTK).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dragging_a_request_onto_a_folder_moves_its_file() -> Result<()> {
    let w = Window::open().await?;
    let result = async {
        let workspace = w.data_dir.path().join("workspace");
        w.wait_text("[data-testid=collections-tree]", |t| t.contains("Demo API"))
            .await?;
        for folder in ["demo-api", "demo-api/items"] {
            let row = w
                .wait_for(&format!("[data-testid=tree-row][data-path='{folder}']"))
                .await?;
            if row.attr("aria-expanded").await?.as_deref() != Some("true") {
                row.click().await?;
            }
        }
        w.wait_for("[data-testid=tree-row][data-path='demo-api/items/list-items.yaml']")
            .await?;
        w.client
            .execute(
                "const row = (p) => document.querySelector(`[data-testid=tree-row][data-path='${p}']`);
                 const source = row('demo-api/items/list-items.yaml');
                 const target = row('demo-api/misc');
                 const data = new DataTransfer();
                 const fire = (el, type) => el.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
                 fire(source, 'dragstart');
                 fire(target, 'dragenter');
                 fire(target, 'dragover');
                 fire(target, 'drop');
                 fire(source, 'dragend');",
                vec![],
            )
            .await?;
        let moved = workspace.join("demo-api/misc/list-items.yaml");
        let deadline = Instant::now() + Duration::from_secs(5);
        while !moved.exists() {
            if Instant::now() > deadline {
                bail!("{} never appeared", moved.display());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        anyhow::ensure!(
            !workspace.join("demo-api/items/list-items.yaml").exists(),
            "the file is still in items/"
        );
        anyhow::ensure!(std::fs::read_to_string(&moved)?.contains("name: List items"));
        w.wait_for("[data-testid=tree-row][data-path='demo-api/misc/list-items.yaml']")
            .await?;
        w.screenshot("collections-dragged").await?;
        anyhow::Ok(())
    }
    .await;
    w.finish("drag-move", result).await
}

/// The workspace Import dialog, format OpenAPI, the shop fixture spec by file path, submitted.
async fn import_shop_spec(w: &Window) -> Result<()> {
    w.find("[data-testid=tree-import]").await?.click().await?;
    let source = w.wait_for("[data-testid=ws-import-source]").await?;
    w.client
        .execute(
            "const el = document.querySelector('[data-testid=ws-import-format]');
             el.value = 'openapi';
             el.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![],
        )
        .await?;
    let spec = sextant_e2e::repo_root().join("crates/openapi/tests/fixtures/fastapi-shop-3.1.json");
    source.send_keys(&spec.display().to_string()).await?;
    w.find("[data-testid=ws-import-submit]")
        .await?
        .click()
        .await?;
    Ok(())
}

/// The display names of the collections in the sidebar tree.
async fn collection_names(w: &Window) -> Result<Vec<String>> {
    let names = w
        .client
        .execute(
            "return [...document.querySelectorAll('[data-testid=tree-row]')]
               .filter((r) => !r.dataset.path.includes('/'))
               .map((r) => r.textContent.trim());",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(names)?)
}

/// Visible collection directories in the workspace folder, sorted.
fn collection_dirs(workspace: &Path) -> Result<Vec<String>> {
    let mut dirs: Vec<String> = std::fs::read_dir(workspace)?
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    dirs.sort();
    Ok(dirs)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn importing_a_spec_next_to_its_collection_asks_and_says_what_was_created() -> Result<()> {
    let w = Window::open().await?;
    let result = async {
        let workspace = w.data_dir.path().join("workspace");
        w.wait_text("[data-testid=collections-tree]", |t| t.contains("Demo API"))
            .await?;

        // First import: the toast names the collection and counts what it holds.
        import_shop_spec(&w).await?;
        w.wait_text("[data-testid=toast]", |t| {
            t.contains("Shop API: 6 requests in 2 folders")
        })
        .await?;
        w.wait_text("[data-testid=collections-tree]", |t| t.contains("Shop API"))
            .await?;

        // Second: nothing is written until the user chooses; "Import as" a new name.
        import_shop_spec(&w).await?;
        w.wait_text("[data-testid=import-conflict-message]", |t| {
            t.contains("A collection named Shop API exists")
        })
        .await?;
        anyhow::ensure!(
            collection_dirs(&workspace)? == ["demo-api", "shop-api"],
            "written before the choice: {:?}",
            collection_dirs(&workspace)?
        );
        let name = w.find("[data-testid=import-conflict-name]").await?;
        anyhow::ensure!(name.prop("value").await?.as_deref() == Some("Shop API 2"));
        name.clear().await?;
        name.send_keys("Shop API staging").await?;
        w.screenshot("collections-import-conflict").await?;
        w.find("[data-testid=import-conflict-rename]")
            .await?
            .click()
            .await?;
        w.wait_text("[data-testid=toast]", |t| {
            t.contains("Shop API staging: 6 requests in 2 folders")
        })
        .await?;
        w.wait_text("[data-testid=collections-tree]", |t| {
            t.contains("Shop API staging")
        })
        .await?;

        // Third: merge into the first; still two shop collections, no duplicate files.
        import_shop_spec(&w).await?;
        w.wait_for("[data-testid=import-conflict-merge]")
            .await?
            .click()
            .await?;
        w.wait_text("[data-testid=toast]", |t| {
            t.contains("Merged into Shop API: 6 requests in 2 folders")
        })
        .await?;
        let names = collection_names(&w).await?;
        anyhow::ensure!(
            names.iter().filter(|n| n.starts_with("Shop API")).count() == 2,
            "{names:?}"
        );
        anyhow::ensure!(
            collection_dirs(&workspace)? == ["demo-api", "shop-api", "shop-api-staging"],
            "{:?}",
            collection_dirs(&workspace)?
        );
        let duplicates: Vec<_> = find_all(&workspace.join("shop-api"))
            .into_iter()
            .filter(|p| p.to_string_lossy().contains("-2"))
            .collect();
        anyhow::ensure!(duplicates.is_empty(), "{duplicates:?}");
        anyhow::ensure!(find_all(&workspace.join("shop-api")).len() == 11);
        anyhow::Ok(())
    }
    .await;
    w.finish("import-conflict", result).await
}

/// Every file and folder under `dir`.
fn find_all(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(find_all(&path));
        }
        out.push(path);
    }
    out
}
