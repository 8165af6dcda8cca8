//! Steps several window tests take the same way, named once: pointing the sample collection's
//! environment at a test server, writing a folder to run, opening a saved request from the
//! command palette, choosing an environment, and starting a run from the tree's context menu.
//! Each step waits for what it needs (through [`crate::poll_until`] and the lookups built on it).

use anyhow::Result;
use fantoccini::key::Key;

use crate::Window;

impl Window {
    /// Waits until the tree shows the sample collection "Demo API" (the window writes it into
    /// its workspace on first start), then points its environment `local` at `base_url`.
    pub async fn point_demo_at(&self, base_url: &str) -> Result<()> {
        self.wait_text("[data-testid=collections-tree]", |t| t.contains("Demo API"))
            .await?;
        std::fs::write(
            self.data_dir
                .path()
                .join("workspace/demo-api/environments/local.yaml"),
            format!("name: local\nvariables:\n- name: baseUrl\n  value: {base_url}\n"),
        )?;
        Ok(())
    }

    /// Writes the folder `demo-api/smoke` into the workspace: Health, List items and Wrong id,
    /// run in that order; Wrong id fails its assertion `body $.id == 99` (the demo answers 1).
    pub fn write_smoke_folder(&self) -> Result<()> {
        let smoke = self.data_dir.path().join("workspace/demo-api/smoke");
        std::fs::create_dir_all(&smoke)?;
        for (file, yaml) in [
            (
                "health.yaml",
                "name: Health\nmethod: GET\nurl: '{{baseUrl}}/health'\nassertions:\n- status == 200\n",
            ),
            (
                "list-items.yaml",
                "name: List items\nmethod: GET\nurl: '{{baseUrl}}/items'\nassertions:\n- status == 200\n\
                 - header content-type contains json\n",
            ),
            (
                "wrong-id.yaml",
                "name: Wrong id\nmethod: GET\nurl: '{{baseUrl}}/items/1'\nassertions:\n- status == 200\n\
                 - body $.id == 99\n",
            ),
            (
                "folder.yaml",
                "name: smoke\norder:\n- health.yaml\n- list-items.yaml\n- wrong-id.yaml\n",
            ),
        ] {
            std::fs::write(smoke.join(file), yaml)?;
        }
        Ok(())
    }

    /// Waits until the run view shows the run of the smoke folder ([`Window::write_smoke_folder`])
    /// complete: 3 of 3, 2 passed, Wrong id first and failed, its details showing `== 99`
    /// expected against `1` actual.
    pub async fn wait_smoke_run(&self) -> Result<()> {
        self.wait_text("[data-testid=run-progress-text]", |t| t == "3 of 3")
            .await?;
        self.wait_text("[data-testid=run-passed]", |t| t == "2 passed")
            .await?;
        self.wait_js(
            "const rows = [...document.querySelectorAll('[data-testid=run-result]')];
             return rows.length === 3 && rows[0].dataset.path === 'demo-api/smoke/wrong-id.yaml'
               && rows[0].dataset.passed === 'false'
               && rows.slice(1).every((r) => r.dataset.passed === 'true');",
        )
        .await?;
        self.wait_text(
            "[data-testid=run-details] [data-testid=assertion-expected]",
            |t| t == "== 99",
        )
        .await?;
        self.wait_text(
            "[data-testid=run-details] [data-testid=assertion-actual]",
            |t| t == "1",
        )
        .await?;
        Ok(())
    }

    /// Opens a saved request through the command palette (Ctrl+K): types `query`, waits for the
    /// item that reads `item`, and takes the first one.
    pub async fn open_from_palette(&self, query: &str, item: &str) -> Result<()> {
        self.find("body")
            .await?
            .send_keys(&format!("{}k", Key::Control))
            .await?;
        let input = self.wait_for("[data-testid=palette-input]").await?;
        input.send_keys(query).await?;
        self.wait_text("[data-testid=palette-item]", |t| t.contains(item))
            .await?;
        input.send_keys(&Key::Enter.to_string()).await?;
        Ok(())
    }

    /// Chooses the environment `name` in the composer's picker and waits until no variable of
    /// the request is left undefined.
    pub async fn choose_environment(&self, name: &str) -> Result<()> {
        self.find("[data-testid=env-select]")
            .await?
            .select_by_value(name)
            .await?;
        self.wait_gone("[data-testid=undefined-vars]").await
    }

    /// Starts a run of the tree row at `path` (a collection or folder, visible in the tree)
    /// from its context menu's "Run…": waits until the run dialog has `requests` requests
    /// checked and offers `environment`, chooses it, and starts.
    pub async fn run_from_tree(
        &self,
        path: &str,
        requests: usize,
        environment: &str,
    ) -> Result<()> {
        let row = format!("[data-testid=tree-row][data-path='{path}']");
        self.wait_for(&row).await?;
        self.wait_js(&format!(
            "const row = document.querySelector({row:?});
             if (!row) return false;
             const r = row.getBoundingClientRect();
             row.dispatchEvent(new MouseEvent('contextmenu', {{ bubbles: true, cancelable: true, clientX: r.left + 40, clientY: r.bottom }}));
             return true;"
        ))
        .await?;
        self.click_text("[role=menuitem]", "Run…").await?;
        self.wait_for("[data-testid=run-dialog]").await?;
        self.wait_js(&format!(
            "return document.querySelectorAll('[data-testid=run-request]:checked').length === {requests} \
               && !!document.querySelector({:?});",
            format!("[data-testid=run-environment] option[value={environment}]")
        ))
        .await?;
        self.find("[data-testid=run-environment]")
            .await?
            .select_by_value(environment)
            .await?;
        self.find("[data-testid=run-start]").await?.click().await?;
        Ok(())
    }
}
