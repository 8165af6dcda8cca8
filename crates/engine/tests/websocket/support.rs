//! A recorder for a session's events and waits on what it saw.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sextant_engine::{Engine, EngineConfig, WsSession};
use sextant_model::{
    HttpRequest, WebSocketSettings, WsDirection, WsEvent, WsFrame, WsHandshake, WsOpcode,
};

/// Generous: only here to end a test that would otherwise hang.
pub const WAIT: Duration = Duration::from_secs(15);

#[derive(Clone, Default)]
pub struct Recorder {
    pub events: Arc<Mutex<Vec<WsEvent>>>,
}

impl Recorder {
    pub fn listener(&self) -> Arc<dyn Fn(WsEvent) + Send + Sync> {
        let events = Arc::clone(&self.events);
        Arc::new(move |e| events.lock().unwrap().push(e))
    }

    pub fn frames(&self) -> Vec<WsFrame> {
        self.events
            .lock()
            .unwrap()
            .iter()
            .flat_map(|e| match e {
                WsEvent::Frames { frames, .. } => frames.clone(),
                _ => Vec::new(),
            })
            .collect()
    }

    pub fn dropped(&self) -> u64 {
        self.events
            .lock()
            .unwrap()
            .iter()
            .map(|e| match e {
                WsEvent::Frames { dropped, .. } => *dropped,
                _ => 0,
            })
            .sum()
    }

    /// Waits until `pick` finds something in the events.
    pub async fn wait_for<T>(&self, what: &str, pick: impl Fn(&[WsEvent]) -> Option<T>) -> T {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(found) = pick(&self.events.lock().unwrap()) {
                return found;
            }
            assert!(
                Instant::now() < deadline,
                "no {what} within {WAIT:?}; events: {:#?}",
                self.events.lock().unwrap()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    pub async fn frame(&self, direction: WsDirection, opcode: WsOpcode, data: &str) -> WsFrame {
        self.wait_for(
            &format!("{direction:?} {opcode:?} frame {data:?}"),
            |events| {
                events.iter().find_map(|e| match e {
                    WsEvent::Frames { frames, .. } => frames
                        .iter()
                        .find(|f| f.direction == direction && f.opcode == opcode && f.data == data)
                        .cloned(),
                    _ => None,
                })
            },
        )
        .await
    }

    /// The session's final `Closed` event: (code, reason, initiator, error).
    pub async fn closed(&self) -> WsEvent {
        self.wait_for("Closed event", |events| {
            events
                .iter()
                .find(|e| matches!(e, WsEvent::Closed { .. }))
                .cloned()
        })
        .await
    }
}

pub fn engine() -> (Engine, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(EngineConfig::new(dir.path().join("bodies"))).unwrap();
    (engine, dir)
}

pub async fn open(
    engine: &Engine,
    url: &str,
    settings: WebSocketSettings,
) -> (WsSession, WsHandshake, Recorder) {
    let recorder = Recorder::default();
    let (session, handshake) = engine
        .ws_connect(&HttpRequest::get(url), &settings, recorder.listener())
        .await
        .unwrap_or_else(|e| panic!("connecting to {url}: {e}"));
    (session, handshake, recorder)
}
