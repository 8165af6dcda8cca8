//! Export as code in the real window: the sample collection's context menu → Export as code…,
//! pytest chosen, conftest.py listed with an httpx preview highlighted as Python, a temporary
//! folder typed, Export; the success line names the folder and the files are on disk, and the
//! venv's Python compiles every one. Exporting again into the same folder names the files it
//! would replace and writes only once the user says so; Escape closes the dialog.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use sextant_e2e::{repo_root, Window};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_the_sample_collection_as_pytest_from_the_dialog() -> Result<()> {
    let out = tempfile::tempdir()?;
    let w = Window::open().await?;
    let result = scenario(&w, &out.path().join("demo-tests")).await;
    w.finish("export-code", result).await
}

/// Runs `action` (with `el`) on the first `css` element whose text is `text`, waiting for it.
async fn on_text(w: &Window, css: &str, text: &str, action: &str) -> Result<()> {
    let script = format!(
        "const el = [...document.querySelectorAll(arguments[0])].find((e) => e.textContent.trim() === arguments[1]);
         if (!el) return false;
         el.scrollIntoView({{ block: 'nearest' }});
         {action}
         return true;"
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let done = w
            .client
            .execute(&script, vec![css.into(), text.into()])
            .await?;
        if done.as_bool() == Some(true) {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("no {css} reads {text:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn scenario(w: &Window, folder: &Path) -> Result<()> {
    w.wait_text("[data-testid=collections-tree]", |t| t.contains("Demo API"))
        .await?;
    w.wait_js(
        "const row = document.querySelector(\"[data-testid=tree-row][data-path='demo-api']\");
         if (!row) return false;
         const r = row.getBoundingClientRect();
         row.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: r.left + 40, clientY: r.bottom }));
         return true;",
    )
    .await?;
    on_text(w, "[role=menuitem]", "Export as code…", "el.click();").await?;
    w.wait_for("[data-testid=export-code-dialog]").await?;

    // pytest, then conftest.py in the file list and its text in the preview.
    w.wait_js(
        "return !!document.querySelector('[data-testid=export-code-format] option[value=pytest]');",
    )
    .await?;
    w.find("[data-testid=export-code-format]")
        .await?
        .select_by_value("pytest")
        .await?;
    w.wait_for("[data-testid=export-code-file][data-path='conftest.py']")
        .await?
        .click()
        .await?;
    w.wait_text(
        "[data-testid=export-code-preview][data-path='conftest.py']",
        |t| t.contains("import httpx"),
    )
    .await?;
    // Highlighted as Python: `import` is a token of its own, coloured unlike the plain text.
    w.wait_js(
        "const c = document.querySelector(\"[data-testid=export-code-preview][data-path='conftest.py'] .cm-content\");
         const kw = c && [...c.querySelectorAll('.cm-line span')].find((s) => s.textContent === 'import');
         return !!kw && getComputedStyle(kw).color !== getComputedStyle(kw.closest('.cm-line')).color;",
    )
    .await?;
    let shot = w.screenshot("export-code-dialog").await?;
    eprintln!("screenshot: {}", shot.display());

    // A folder typed (no native picker), Export, the success line.
    let field = w.find("[data-testid=export-code-folder]").await?;
    field.send_keys(&folder.display().to_string()).await?;
    w.find("[data-testid=export-code-submit]")
        .await?
        .click()
        .await?;
    let done = w
        .wait_text("[data-testid=export-code-done]", |t| t.contains("Wrote"))
        .await?;
    w.screenshot("export-code-done").await?;
    ensure!(
        done.contains(&folder.display().to_string()),
        "the success line names the folder: {done:?}"
    );
    let listed = w
        .client
        .execute(
            "return document.querySelectorAll('[data-testid=export-code-file]').length;",
            vec![],
        )
        .await?
        .as_u64()
        .context("a file count")?;
    ensure!(
        done.contains(&format!("Wrote {listed} files")),
        "{done:?} counts the {listed} listed files"
    );

    // On disk: conftest.py and the tests, every Python file compiles.
    ensure!(folder.join("conftest.py").is_file(), "no conftest.py");
    let python = python_files(folder)?;
    ensure!(
        python.iter().any(|p| p
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("test_"))),
        "no test file among {python:?}"
    );
    ensure!(python.len() as u64 <= listed, "{python:?}");
    let venv_python = repo_root().join("tests/servers/.venv/bin/python");
    for file in &python {
        let compiled = Command::new(&venv_python)
            .args(["-m", "py_compile"])
            .arg(file)
            .env("PYTHONPYCACHEPREFIX", folder.join(".pycache-check"))
            .output()
            .with_context(|| format!("run {}", venv_python.display()))?;
        ensure!(
            compiled.status.success(),
            "{} does not compile: {}",
            file.display(),
            String::from_utf8_lossy(&compiled.stderr)
        );
    }

    // Again into the same folder: the files there are named, nothing is replaced until asked.
    std::fs::write(folder.join("conftest.py"), "# mine\n")?;
    w.find("[data-testid=export-code-format]")
        .await?
        .select_by_value("curl")
        .await?;
    w.wait_for("[data-testid=export-code-file][data-path='run.sh']")
        .await?;
    w.find("[data-testid=export-code-format]")
        .await?
        .select_by_value("pytest")
        .await?;
    w.wait_for("[data-testid=export-code-file][data-path='conftest.py']")
        .await?;
    w.wait_gone("[data-testid=export-code-done]").await?;
    w.wait_js("return !document.querySelector('[data-testid=export-code-submit]').disabled;")
        .await?;
    w.find("[data-testid=export-code-submit]")
        .await?
        .click()
        .await?;
    w.wait_text("[data-testid=export-code-existing]", |t| {
        t.contains("conftest.py") && t.contains("Replace")
    })
    .await?;
    ensure!(std::fs::read_to_string(folder.join("conftest.py"))? == "# mine\n");
    w.find("[data-testid=export-code-submit]")
        .await?
        .click()
        .await?;
    w.wait_text("[data-testid=export-code-done]", |t| t.contains("Wrote"))
        .await?;
    ensure!(std::fs::read_to_string(folder.join("conftest.py"))?.contains("httpx"));

    // Escape closes it, as every dialog of the window.
    w.find("[data-testid=export-code-folder]")
        .await?
        .send_keys(&fantoccini::key::Key::Escape.to_string())
        .await?;
    w.wait_gone("[data-testid=export-code-dialog]").await?;
    Ok(())
}

/// Every `.py` file under `dir`.
fn python_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "py") {
                found.push(path);
            }
        }
    }
    Ok(found)
}
