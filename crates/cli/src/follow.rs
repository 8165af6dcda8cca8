//! `sextant send` prints a body while it downloads: the engine writes it to its body file and
//! reports progress; a thread of this module follows the file and hands each new stretch of bytes
//! to a [`BodySink`] as the events say they arrived. Used when stdout is not a terminal (a pipe
//! into `jq` sees a stream's records as they come) or when the body's length is unknown (a
//! stream on a terminal); a complete JSON body on a terminal keeps its pretty printing.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;

use sextant_app::App;
use sextant_model::{ResponseHead, SendEvent};

use crate::output::{self, Style};

/// The largest stretch of the file read at once.
const READ: usize = 64 * 1024;

/// Receives the body as it arrives, in order, chunk by chunk: the hook for printers that
/// understand a stream (records, events) rather than copy bytes.
pub trait BodySink: Send {
    fn chunk(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// The body ended (completely or not) after `size` bytes.
    fn finish(&mut self, size: u64) -> io::Result<()>;
}

/// Copies the bytes to stdout as they come, flushed after each chunk. On a terminal a body whose
/// first bytes look binary is not printed (as for a complete body): a note says how to save it.
pub struct RawSink {
    tty: bool,
    seen: bool,
    binary: bool,
}

impl RawSink {
    pub fn new(tty: bool) -> Self {
        Self {
            tty,
            seen: false,
            binary: false,
        }
    }
}

impl BodySink for RawSink {
    fn chunk(&mut self, bytes: &[u8]) -> io::Result<()> {
        if !self.seen && !bytes.is_empty() {
            self.seen = true;
            self.binary = self.tty && output::looks_binary(bytes);
        }
        if self.binary {
            return Ok(());
        }
        let mut out = io::stdout().lock();
        out.write_all(bytes)?;
        out.flush()
    }

    fn finish(&mut self, size: u64) -> io::Result<()> {
        if self.binary {
            let mut out = io::stdout().lock();
            output::binary_note(&mut out, size)?;
            out.flush()?;
        }
        Ok(())
    }
}

/// How the follower decides and prints.
pub struct Plan {
    pub tty: bool,
    pub body_only: bool,
    pub style: Style,
}

impl Plan {
    /// Whether this head's body is printed as it arrives.
    fn streams(&self, head: &ResponseHead) -> bool {
        let length_known = head.expected.is_some();
        (!self.tty || !length_known) && !output::pretty_candidate(head)
    }
}

pub enum Msg {
    Event(SendEvent),
    /// The send ended: with a response whose body has `size` bytes, or with none.
    End {
        size: Option<u64>,
    },
}

/// Follows one send. `join` tells whether the body was printed (head included): then the caller
/// prints nothing of it again.
pub struct Follower {
    pub tx: mpsc::Sender<Msg>,
    handle: JoinHandle<io::Result<bool>>,
}

impl Follower {
    pub fn start(app: Arc<App>, plan: Plan) -> Follower {
        let (tx, rx) = mpsc::channel();
        let handle = std::thread::spawn(move || follow(&app, &plan, &rx));
        Follower { tx, handle }
    }

    /// Ends the follower after the send returned (`size`: the body's final size, if there is a
    /// response) and says whether it printed the response.
    pub fn join(self, size: Option<u64>) -> io::Result<bool> {
        let _ = self.tx.send(Msg::End { size });
        self.handle
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the body printer stopped")))
    }
}

fn follow(app: &App, plan: &Plan, rx: &mpsc::Receiver<Msg>) -> io::Result<bool> {
    let mut following: Option<(File, u64, Box<dyn BodySink>)> = None;
    while let Ok(msg) = rx.recv() {
        match msg {
            Msg::Event(SendEvent::Head { head }) => {
                if !plan.streams(&head) {
                    return Ok(false);
                }
                let path: PathBuf = app.body_path(&head.body_id).map_err(io::Error::other)?;
                let file = File::open(&path)?;
                // An event stream prints record by record (`records`), anything else as bytes.
                let records = crate::records::sink_for(&head, plan.tty, plan.style);
                // Piped, a stream's head is left out so `| jq` reads nothing but its records.
                let head_printed = !plan.body_only && (plan.tty || records.is_none());
                if head_printed {
                    let mut out = io::stdout().lock();
                    output::head_lines(&mut out, &head, plan.style)?;
                    out.flush()?;
                }
                let sink = records.unwrap_or_else(|| Box::new(RawSink::new(plan.tty)));
                following = Some((file, 0, sink));
            }
            Msg::Event(SendEvent::Body { received, .. }) => {
                if let Some((file, printed, sink)) = following.as_mut() {
                    copy_to(file, printed, received, sink.as_mut())?;
                }
            }
            Msg::Event(_) => {}
            Msg::End { size } => {
                return match (following.as_mut(), size) {
                    (Some((file, printed, sink)), Some(size)) => {
                        copy_to(file, printed, size, sink.as_mut())?;
                        sink.finish(size)?;
                        Ok(true)
                    }
                    (Some(_), None) => Ok(true),
                    (None, _) => Ok(false),
                };
            }
        }
    }
    Ok(following.is_some())
}

/// Hands bytes `*printed..upto` of the file to the sink.
fn copy_to(
    file: &mut File,
    printed: &mut u64,
    upto: u64,
    sink: &mut dyn BodySink,
) -> io::Result<()> {
    let mut buf = vec![0u8; READ];
    file.seek(SeekFrom::Start(*printed))?;
    while *printed < upto {
        let want = ((upto - *printed) as usize).min(READ);
        let n = file.read(&mut buf[..want])?;
        if n == 0 {
            break;
        }
        sink.chunk(&buf[..n])?;
        *printed += n as u64;
    }
    Ok(())
}
