//! An Insomnia export holding several collections of the same name as one in the workspace:
//! each clash asks (merge into it, or another name), not only the first.

use std::time::Duration;

use anyhow::Result;
use sextant_e2e::{poll_until, Window};

/// Two Insomnia workspaces, both named like the sample collection "Demo API".
const EXPORT: &str = r#"{
  "_type": "export", "__export_format": 4, "__export_source": "insomnia.desktop.app:v2023.5.8",
  "resources": [
    {"_id": "wrk_a", "_type": "workspace", "parentId": null, "name": "Demo API"},
    {"_id": "req_a", "_type": "request", "parentId": "wrk_a", "name": "First clash request",
     "method": "GET", "url": "http://127.0.0.1:9/first", "headers": [], "parameters": []},
    {"_id": "wrk_b", "_type": "workspace", "parentId": null, "name": "Demo API"},
    {"_id": "req_b", "_type": "request", "parentId": "wrk_b", "name": "Second clash request",
     "method": "GET", "url": "http://127.0.0.1:9/second", "headers": [], "parameters": []}
  ]
}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_same_named_collection_of_an_insomnia_export_asks() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("insomnia-export.json");
    std::fs::write(&file, EXPORT)?;
    let w = Window::open().await?;
    let result = async {
        let workspace = w.data_dir.path().join("workspace");
        w.wait_text("[data-testid=collections-tree]", |t| t.contains("Demo API"))
            .await?;
        w.find("[data-testid=tree-import]").await?.click().await?;
        let source = w.wait_for("[data-testid=ws-import-source]").await?;
        w.client
            .execute(
                "const el = document.querySelector('[data-testid=ws-import-format]');
                 el.value = 'insomnia';
                 el.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![],
            )
            .await?;
        source.send_keys(&file.display().to_string()).await?;
        w.find("[data-testid=ws-import-submit]")
            .await?
            .click()
            .await?;

        // The first clash: imported under another name.
        w.wait_text("[data-testid=import-conflict-message]", |t| {
            t.contains("Demo API")
        })
        .await?;
        let name = w.find("[data-testid=import-conflict-name]").await?;
        name.clear().await?;
        name.send_keys("Demo API from Insomnia").await?;
        w.find("[data-testid=import-conflict-rename]")
            .await?
            .click()
            .await?;

        // The second clash asks too: merged into the workspace's Demo API.
        w.wait_text("[data-testid=import-conflict-message]", |t| {
            t.contains("Demo API")
        })
        .await?;
        w.find("[data-testid=import-conflict-merge]")
            .await?
            .click()
            .await?;

        w.wait_text("[data-testid=collections-tree]", |t| {
            t.contains("Demo API from Insomnia")
        })
        .await?;
        wait_file_containing(&workspace.join("demo-api"), "Second clash request").await?;
        wait_file_containing(
            &workspace.join("demo-api-from-insomnia"),
            "First clash request",
        )
        .await
    }
    .await;
    w.finish("import-clashes", result).await
}

/// Waits up to 10 s until some file under `dir` holds `text`.
async fn wait_file_containing(dir: &std::path::Path, text: &str) -> Result<()> {
    poll_until(
        format_args!("no file under {} holds {text:?}", dir.display()),
        Duration::from_secs(10),
        async || Ok(holds(dir, text).then_some(())),
    )
    .await
}

fn holds(dir: &std::path::Path, text: &str) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let path = e.path();
            if path.is_dir() {
                holds(&path, text)
            } else {
                std::fs::read_to_string(&path).is_ok_and(|t| t.contains(text))
            }
        })
    })
}
