//! Shared helpers: an engine on a temporary body directory, and a send that collects events.

use std::sync::Mutex;

use sextant_engine::{CancellationToken, Engine, EngineConfig, EngineError};
use sextant_model::{HttpRequest, HttpResponse, SendEvent};
use sextant_testkit::FaultServer;

pub struct TestEngine {
    pub engine: Engine,
    _dir: tempfile::TempDir,
}

pub fn engine() -> TestEngine {
    engine_trusting(&[])
}

pub fn engine_trusting(pems: &[String]) -> TestEngine {
    let dir = tempfile::tempdir().unwrap();
    let mut config = EngineConfig::new(dir.path().join("bodies"));
    config.extra_root_pems = pems.to_vec();
    TestEngine {
        engine: Engine::new(config).unwrap(),
        _dir: dir,
    }
}

pub fn fault() -> &'static FaultServer {
    static SERVER: std::sync::OnceLock<FaultServer> = std::sync::OnceLock::new();
    SERVER.get_or_init(FaultServer::start)
}

impl TestEngine {
    /// An engine built by the test, with the directory its bodies live in.
    pub fn from_parts(engine: Engine, dir: tempfile::TempDir) -> TestEngine {
        TestEngine { engine, _dir: dir }
    }

    pub async fn send(&self, req: &HttpRequest) -> Result<HttpResponse, EngineError> {
        self.engine
            .send(req, &CancellationToken::new(), &|_| {})
            .await
    }

    pub async fn send_ok(&self, req: &HttpRequest) -> HttpResponse {
        match self.send(req).await {
            Ok(r) => r,
            Err(e) => panic!("{} {} failed: {e}", req.method, req.url),
        }
    }

    pub async fn send_with_events(
        &self,
        req: &HttpRequest,
        cancel: &CancellationToken,
    ) -> (Result<HttpResponse, EngineError>, Vec<SendEvent>) {
        let events = Mutex::new(Vec::new());
        let result = self
            .engine
            .send(req, cancel, &|e| events.lock().unwrap().push(e))
            .await;
        (result, events.into_inner().unwrap())
    }

    /// The whole stored body, read window by window.
    pub async fn body(&self, r: &HttpResponse) -> Vec<u8> {
        let mut all = Vec::new();
        loop {
            let window = self
                .engine
                .bodies()
                .read_window(&r.id, all.len() as u64, sextant_engine::MAX_WINDOW)
                .await
                .unwrap();
            if window.is_empty() {
                return all;
            }
            all.extend_from_slice(&window);
        }
    }

    pub async fn text(&self, r: &HttpResponse) -> String {
        String::from_utf8(self.body(r).await).unwrap()
    }

    pub async fn json(&self, r: &HttpResponse) -> serde_json::Value {
        serde_json::from_slice(&self.body(r).await).unwrap()
    }
}
