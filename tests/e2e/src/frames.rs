//! Frame sampling for the window benchmarks: the page counts the frames it draws from
//! `requestAnimationFrame` deltas (measured inside the page, so WebDriver's round trips do not
//! count), and those over 33 ms (under 30 fps), until the test reads the count.

use std::fmt;

use anyhow::{Context, Result};

use crate::Window;

/// Counts frames until `window.__frames.running` is cleared.
const FRAME_COUNTER: &str = r#"
  const f = { count: 0, long: 0, max: 0, last: null, running: true };
  window.__frames = f;
  const tick = (t) => {
    if (f.last !== null) {
      const d = t - f.last;
      f.count++;
      if (d > 33) f.long++;
      if (d > f.max) f.max = d;
    }
    f.last = t;
    if (f.running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
"#;

const FRAMES_READ: &str = r#"
  const f = window.__frames;
  f.running = false;
  return [f.count, f.long, f.max];
"#;

/// A benchmark's rate: the number in the environment variable `var`, else `default`.
pub fn bench_rate(var: &str, default: u64) -> u64 {
    std::env::var(var)
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(default)
}

/// What one sample saw: frames drawn, those over 33 ms, and the longest in ms.
#[derive(Debug, Clone, Copy)]
pub struct Frames {
    pub count: u64,
    pub long: u64,
    pub max_ms: f64,
}

impl Frames {
    /// One machine-readable line: `FRAMES=… LONG_FRAMES=… MAX_FRAME_MS=…`.
    pub fn summary(&self) -> String {
        format!(
            "FRAMES={} LONG_FRAMES={} MAX_FRAME_MS={:.0}",
            self.count, self.long, self.max_ms
        )
    }
}

impl fmt::Display for Frames {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} frames, {} over 33 ms (longest {:.0} ms)",
            self.count, self.long, self.max_ms
        )
    }
}

impl Window {
    /// Starts counting frames in the page (a new count replaces a running one).
    pub async fn start_frames(&self) -> Result<()> {
        self.client.execute(FRAME_COUNTER, vec![]).await?;
        Ok(())
    }

    /// Stops the count and reads it.
    pub async fn stop_frames(&self) -> Result<Frames> {
        let v = self.client.execute(FRAMES_READ, vec![]).await?;
        let a = v.as_array().context("frame counts")?;
        Ok(Frames {
            count: a[0].as_u64().unwrap_or(0),
            long: a[1].as_u64().unwrap_or(0),
            max_ms: a[2].as_f64().unwrap_or(0.0),
        })
    }

    /// The idle floor: 60 frames counted with nothing happening.
    pub async fn idle_frames(&self) -> Result<Frames> {
        self.start_frames().await?;
        self.wait_js("return window.__frames.count >= 60;").await?;
        self.stop_frames().await
    }
}
