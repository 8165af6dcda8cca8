//! The session on a terminal: a `> ` prompt with line editing (rustyline) on a thread of its
//! own, the frames printed above the prompt as they come, commands for the control frames.

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use rustyline::error::ReadlineError;
use sextant_app::{App, WsLogRate};
use sextant_model::{WsCloseInitiator, WsEvent};
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::input::{self, Input};
use super::script::Plan;
use super::{lines, SESSION};

/// How long the server gets to answer our close before the prompt gives up on it.
const CLOSE_WAIT: Duration = Duration::from_secs(5);

/// Prints above the prompt while the editor reads a line, plainly once it has left.
struct Screen<P> {
    printer: P,
    editor_left: Arc<AtomicBool>,
}

impl<P: rustyline::ExternalPrinter> Screen<P> {
    fn say(&mut self, text: String) {
        if self.editor_left.load(Ordering::SeqCst) || self.printer.print(text.clone()).is_err() {
            println!("{text}");
        }
    }
}

pub async fn run(app: Arc<App>, plan: Plan) -> Result<ExitCode> {
    let (on_event, mut events) = super::event_channel();
    let url = plan.saved.request.url.clone();
    let handshake = match app
        .ws_connect_with(
            SESSION,
            &plan.saved,
            plan.context.clone(),
            WsLogRate::Everything,
            on_event,
        )
        .await
    {
        Ok(h) => h,
        Err(e) => {
            eprintln!(
                "sextant: cannot connect to {url}: {:?}: {}",
                e.code, e.message
            );
            return Ok(ExitCode::from(2));
        }
    };
    println!("{}", lines::human_open(&handshake));
    println!("Type a line to send it, /help for commands, Ctrl+D to leave.");

    let mut editor = rustyline::DefaultEditor::new().context("cannot set up line editing")?;
    let editor_left = Arc::new(AtomicBool::new(false));
    let mut screen = Screen {
        printer: editor
            .create_external_printer()
            .context("cannot set up line editing")?,
        editor_left: Arc::clone(&editor_left),
    };
    let closed = Arc::new(AtomicBool::new(false));
    let (line_tx, mut typed) = mpsc::unbounded_channel::<String>();
    let editor_closed = Arc::clone(&closed);
    // The editor blocks in readline; it leaves after /close or /quit, or else after the line
    // that follows the session's end (the Enter the closing message asks for).
    let editor_thread = std::thread::spawn(move || {
        loop {
            let line = match editor.readline("> ") {
                Ok(line) => {
                    let _ = editor.add_history_entry(line.as_str());
                    line
                }
                Err(ReadlineError::Interrupted | ReadlineError::Eof) => "/quit".to_owned(),
                Err(e) => {
                    eprintln!("sextant: the terminal failed: {e}");
                    "/quit".to_owned()
                }
            };
            if editor_closed.load(Ordering::SeqCst) || line_tx.send(line.clone()).is_err() {
                break;
            }
            // After a close the session only waits for the server's answer: no more lines.
            if matches!(input::parse_line(&line), Ok(Input::Quit | Input::Close(..))) {
                break;
            }
        }
        editor_left.store(true, Ordering::SeqCst);
    });

    for message in plan.sends {
        if let Err(e) = app.ws_send(SESSION, message).await {
            screen.say(format!("cannot send: {:?}: {}", e.code, e.message));
        }
    }

    let mut close_by: Option<Instant> = None;
    let mut typing_done = false;
    let status = loop {
        tokio::select! {
            event = events.recv() => match event {
                Some(WsEvent::Frames { frames, dropped }) => {
                    let mut text: Vec<String> = frames.iter().map(lines::human_frame).collect();
                    if dropped > 0 {
                        text.push(format!("({dropped} frames left out of the log)"));
                    }
                    if !text.is_empty() {
                        screen.say(text.join("\n"));
                    }
                }
                Some(WsEvent::Closed { code, reason, initiator, error }) => {
                    closed.store(true, Ordering::SeqCst);
                    let mut text = lines::human_closed(code, &reason, initiator, error.as_ref());
                    if !editor_thread.is_finished() {
                        text.push_str("\nPress Enter to leave.");
                    }
                    screen.say(text);
                    let abnormal = error.is_some() || initiator == WsCloseInitiator::Abnormal;
                    break if abnormal { 2 } else { 0 };
                }
                Some(_) => {}
                None => break 2,
            },
            line = typed.recv(), if !typing_done => {
                let Some(line) = line else {
                    typing_done = true;
                    continue;
                };
                match input::parse_line(&line) {
                    Ok(Input::Nothing) => {}
                    Ok(Input::Help) => screen.say(input::HELP.to_owned()),
                    Ok(Input::Send(message)) => {
                        if let Err(e) = app.ws_send(SESSION, message).await {
                            screen.say(format!("cannot send: {:?}: {}", e.code, e.message));
                        }
                    }
                    Ok(Input::Ping(payload)) => {
                        if let Err(e) = app.ws_ping(SESSION, payload).await {
                            screen.say(format!("cannot ping: {:?}: {}", e.code, e.message));
                        }
                    }
                    Ok(Input::Pong(payload)) => {
                        if let Err(e) = app.ws_pong(SESSION, payload).await {
                            screen.say(format!("cannot pong: {:?}: {}", e.code, e.message));
                        }
                    }
                    Ok(Input::Close(code, reason)) => {
                        close_by.get_or_insert(Instant::now() + CLOSE_WAIT);
                        let _ = app.ws_close(SESSION, code, reason).await;
                    }
                    Ok(Input::Quit) => {
                        close_by.get_or_insert(Instant::now() + CLOSE_WAIT);
                        let _ = app.ws_close(SESSION, 1000, String::new()).await;
                    }
                    Err(e) => screen.say(format!("{e:#}")),
                }
            }
            _ = tokio::time::sleep_until(close_by.unwrap_or_else(Instant::now)), if close_by.is_some() => {
                closed.store(true, Ordering::SeqCst);
                screen.say(format!(
                    "the server did not answer the close within {} s",
                    CLOSE_WAIT.as_secs()
                ));
                break 2;
            }
        }
    };
    // The editor restores the terminal's mode when its readline returns: wait for that.
    let _ = tokio::task::spawn_blocking(move || editor_thread.join()).await;
    Ok(ExitCode::from(status))
}
