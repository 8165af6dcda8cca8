//! An engine over a temporary body folder, and helpers shared by the test modules.

use std::path::PathBuf;

use sextant_auth::Launcher;
use sextant_engine::{Engine, EngineConfig};
use sextant_model::HttpRequest;

pub struct TestEngine {
    pub engine: Engine,
    pub dir: tempfile::TempDir,
}

pub fn engine() -> TestEngine {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(EngineConfig::new(dir.path().join("bodies"))).unwrap();
    TestEngine { engine, dir }
}

impl TestEngine {
    /// Files left in the body folder (a token response must leave none).
    pub fn body_files(&self) -> Vec<PathBuf> {
        match std::fs::read_dir(self.dir.path().join("bodies")) {
            Ok(entries) => entries.map(|e| e.unwrap().path()).collect(),
            Err(_) => Vec::new(),
        }
    }

    /// GET `url` with `headers`; the status and the body as text.
    pub async fn get(&self, url: &str, headers: &[(&str, &str)]) -> (u16, String) {
        let mut request = HttpRequest::get(url);
        for (name, value) in headers {
            request
                .headers
                .push(sextant_model::KeyValue::new(*name, *value));
        }
        request.settings.follow_redirects = false;
        let response = self
            .engine
            .send(&request, &Default::default(), &|_| {})
            .await
            .unwrap();
        let body = self
            .engine
            .bodies()
            .read_window(&response.id, 0, 1 << 20)
            .await
            .unwrap();
        self.engine.bodies().remove(&response.id).await.unwrap();
        (response.status, String::from_utf8_lossy(&body).into_owned())
    }
}

/// The scripted browser with `args` before the URL.
pub fn browser(args: &[&str]) -> Launcher {
    let mut argv = vec![
        "python3".to_string(),
        sextant_testkit::test_browser().display().to_string(),
    ];
    argv.extend(args.iter().map(|a| a.to_string()));
    Launcher::Command(argv)
}
