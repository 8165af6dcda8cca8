//! The scripted session (stdin or stdout not a terminal, or `--expect`/`--close` given): send
//! the messages, print every frame as a JSON line, and end with an exit status a script can
//! test: 0 fine, 1 `--expect` unmet, 2 the connection failed or ended abnormally.

use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use regex::Regex;
use serde_json::Value;
use sextant_app::{App, SendContext, WsLogRate};
use sextant_model::{
    ApiError, SavedRequest, WsCloseInitiator, WsDirection, WsEvent, WsOpcode, WsOutgoing,
};
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::{input, lines, SESSION};

/// How long the server gets to answer a close frame before the session is given up.
const CLOSE_WAIT: Duration = Duration::from_secs(5);

/// What a session is asked to do.
pub struct Plan {
    pub saved: SavedRequest,
    pub context: Option<SendContext>,
    pub sends: Vec<WsOutgoing>,
    /// Send stdin's lines after `sends`; its end closes the session.
    pub read_stdin: bool,
    pub expect: Option<Regex>,
    pub close: Option<(u16, String)>,
    pub timeout: Option<Duration>,
}

/// Sends `sends`, then stdin's lines when asked, in order, each after the previous one is out.
async fn send_all(app: Arc<App>, sends: Vec<WsOutgoing>, stdin: bool) -> Result<(), ApiError> {
    for message in sends {
        app.ws_send(SESSION, message).await?;
    }
    if stdin {
        // A thread of its own, not tokio's stdin: a read blocked on a pipe that never ends must
        // not keep the runtime from shutting down when the session is over.
        let (tx, mut rx) = mpsc::channel::<String>(64);
        std::thread::spawn(move || {
            for line in std::io::stdin().lock().lines() {
                let Ok(line) = line else { break };
                if tx.blocking_send(line).is_err() {
                    break;
                }
            }
        });
        while let Some(line) = rx.recv().await {
            let line = line.strip_suffix('\r').unwrap_or(&line);
            app.ws_send(SESSION, input::text_message(line)).await?;
        }
    }
    Ok(())
}

/// JSON lines to stdout; a reader that went away (`| head -1`) ends the session quietly.
struct Out {
    out: BufWriter<std::io::Stdout>,
    gone: bool,
}

impl Out {
    fn line(&mut self, line: &Value) {
        if !self.gone && writeln!(self.out, "{line}").is_err() {
            self.gone = true;
        }
    }

    fn flush(&mut self) {
        if !self.gone && self.out.flush().is_err() {
            self.gone = true;
        }
    }
}

struct Session {
    expect: Option<Regex>,
    matched: bool,
    timed_out: bool,
    interrupted: bool,
    /// Set once our close frame is out: the server has until then to answer it.
    close_by: Option<Instant>,
}

impl Session {
    /// Prints one event; `Some(status)` once the session is over.
    fn event(&mut self, out: &mut Out, event: WsEvent) -> Option<ExitCode> {
        match event {
            WsEvent::Frames { frames, dropped } => {
                for frame in &frames {
                    out.line(&lines::frame(frame));
                    let is_match = |re: &Regex| re.is_match(&frame.data);
                    if !self.matched
                        && frame.direction == WsDirection::Received
                        && frame.opcode == WsOpcode::Text
                        && self.expect.as_ref().is_some_and(is_match)
                    {
                        self.matched = true;
                    }
                }
                if dropped > 0 {
                    out.line(&lines::dropped(dropped));
                }
                None
            }
            WsEvent::Closed {
                code,
                reason,
                initiator,
                error,
            } => {
                out.line(&lines::closed(code, &reason, initiator, error.as_ref()));
                out.flush();
                Some(self.verdict(code, &reason, initiator, error))
            }
            WsEvent::Connecting { .. } | WsEvent::Open { .. } | WsEvent::Reconnecting { .. } => {
                None
            }
        }
    }

    fn verdict(
        &self,
        code: u16,
        reason: &str,
        initiator: WsCloseInitiator,
        error: Option<ApiError>,
    ) -> ExitCode {
        if self.interrupted {
            return ExitCode::from(130);
        }
        if let Some(e) = error {
            eprintln!(
                "sextant: the session ended abnormally ({code}): {:?}: {}",
                e.code, e.message
            );
            return ExitCode::from(2);
        }
        if initiator == WsCloseInitiator::Abnormal {
            eprintln!("sextant: the connection dropped without a close frame ({code})");
            return ExitCode::from(2);
        }
        if !self.matched {
            let re = self.expect.as_ref().map_or("", Regex::as_str);
            if self.timed_out {
                eprintln!("sextant: no received text message matched /{re}/ before the timeout");
            } else {
                let by = match initiator {
                    WsCloseInitiator::Server => "the server closed the session",
                    _ => "the session closed",
                };
                eprintln!("sextant: {by} ({code} {reason:?}) before a received text message matched /{re}/");
            }
            return ExitCode::from(1);
        }
        ExitCode::SUCCESS
    }
}

async fn close(app: &App, session: &mut Session, code: u16, reason: String) {
    if session.close_by.is_none() {
        session.close_by = Some(Instant::now() + CLOSE_WAIT);
        // An error here means the session is already closing; its Closed event follows.
        let _ = app.ws_close(SESSION, code, reason).await;
    }
}

pub async fn run(app: Arc<App>, plan: Plan) -> Result<ExitCode> {
    let deadline = plan.timeout.map(|t| Instant::now() + t);
    let (on_event, mut events) = super::event_channel();
    let url = plan.saved.request.url.clone();
    // Every frame: --expect must see each one, and they are printed, not kept.
    let connect = app.ws_connect_with(
        SESSION,
        &plan.saved,
        plan.context.clone(),
        WsLogRate::Everything,
        on_event,
    );
    let connected = match deadline {
        Some(at) => tokio::time::timeout_at(at, connect).await.ok(),
        None => Some(connect.await),
    };
    let handshake = match connected {
        None => {
            eprintln!("sextant: cannot connect to {url}: Timeout: no connection within --timeout");
            return Ok(ExitCode::from(2));
        }
        Some(Err(e)) => {
            eprintln!(
                "sextant: cannot connect to {url}: {:?}: {}",
                e.code, e.message
            );
            return Ok(ExitCode::from(2));
        }
        Some(Ok(h)) => h,
    };
    let mut out = Out {
        out: BufWriter::new(std::io::stdout()),
        gone: false,
    };
    out.line(&lines::open(&handshake));
    out.flush();

    let closes_itself = plan.expect.is_some() || plan.close.is_some() || plan.read_stdin;
    let (close_code, close_reason) = plan.close.clone().unwrap_or((1000, String::new()));
    let mut session = Session {
        matched: plan.expect.is_none(),
        expect: plan.expect,
        timed_out: false,
        interrupted: false,
        close_by: None,
    };
    let mut sender = tokio::spawn(send_all(Arc::clone(&app), plan.sends, plan.read_stdin));
    let mut sends_done = false;
    let mut ctrl_c = std::pin::pin!(tokio::signal::ctrl_c());

    loop {
        if sends_done && session.matched && closes_itself {
            close(&app, &mut session, close_code, close_reason.clone()).await;
        }
        if out.gone {
            close(&app, &mut session, 1000, String::new()).await;
        }
        let wake = match (session.close_by, session.timed_out) {
            (Some(by), _) => Some(by),
            (None, false) => deadline,
            (None, true) => None,
        };
        tokio::select! {
            event = events.recv() => {
                let Some(event) = event else {
                    eprintln!("sextant: the session ended without reporting its close");
                    return Ok(ExitCode::from(2));
                };
                let mut done = session.event(&mut out, event);
                while done.is_none() {
                    let Ok(event) = events.try_recv() else { break };
                    done = session.event(&mut out, event);
                }
                out.flush();
                if let Some(status) = done {
                    sender.abort();
                    return Ok(status);
                }
            }
            sent = &mut sender, if !sends_done => {
                sends_done = true;
                if let Ok(Err(e)) = sent {
                    // The session's own close event says why, when it closed under the sends.
                    eprintln!("sextant: cannot send: {:?}: {}", e.code, e.message);
                }
            }
            _ = tokio::time::sleep_until(wake.unwrap_or_else(Instant::now)), if wake.is_some() => {
                if session.close_by.is_some() {
                    eprintln!(
                        "sextant: the server did not answer the close within {} s",
                        CLOSE_WAIT.as_secs()
                    );
                    return Ok(ExitCode::from(if session.matched { 2 } else { 1 }));
                }
                session.timed_out = true;
                close(&app, &mut session, 1000, String::new()).await;
            }
            _ = &mut ctrl_c, if !session.interrupted => {
                session.interrupted = true;
                close(&app, &mut session, 1000, String::new()).await;
            }
        }
    }
}
