//! `sextant ws URL|PATH [ITEM]...`: a WebSocket session from the command line, through the same
//! app layer and engine as the window. On a terminal it is a prompt with line editing; otherwise
//! it is scripted: `--send` messages (and stdin's lines), frames printed as JSON lines,
//! `--expect` and `--close` deciding when it ends and with which exit status, so a script can
//! test a WebSocket API.

mod input;
mod interactive;
mod lines;
mod script;
mod target;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;
use sextant_app::{App, AppConfig, Source};
use sextant_model::{WsEvent, WsOutgoing};
use tokio::sync::mpsc;

/// The app's name for the one session a `sextant ws` process holds.
const SESSION: &str = "cli-ws";

pub const EXAMPLES: &str = "\
Request items:
  Name:value      handshake header
  name==value     query parameter

Examples:
  sextant ws 127.0.0.1:8000/ws/echo
  sextant ws ws://127.0.0.1:8765/ --send hello --expect '^hello$'
  sextant ws wss://api.example.com/feed Authorization:\"Bearer $TOKEN\" --subprotocol v2.json
  sextant ws ws://127.0.0.1:8765/ --send-json '{\"op\":\"sub\"}' --close 4001:bye
  echo hi | sextant ws ws://127.0.0.1:8765/ | jq -r 'select(.dir == \"in\") | .data'
  sextant ws 'Chat/Echo.yaml' --env local --workspace collections/

On a terminal: type a line to send it; /json {..}, /hex 01ff, /ping [payload],
/pong [payload], /close [code [reason]], /quit (Ctrl+D), /help.

Piped: one JSON object per line: {\"event\":\"open\",...} first, then
{\"event\":\"frame\",\"dir\":\"in\"|\"out\",\"op\":\"text\",\"t\":12,\"size\":5,\"data\":\"hello\"} per frame
(t: ms since the connection started; binary data in hex), {\"event\":\"close\",\"code\":..,
\"reason\":..,\"by\":\"server\"|\"client\"|\"abnormal\"} last. Messages: the --send and --send-json
ones in the order given, then stdin's lines when stdin is a pipe or a file (its end closes the session).
The session ends when the server closes it, after --expect matched (then --close, or 1000), after
the sends with --close, or at --timeout.

Exit status: 0 fine; 1 --expect did not match before the close or the timeout; 2 the connection
failed or ended abnormally (the reason on stderr); 130 when interrupted.";

#[derive(Args, Debug)]
pub struct WsArgs {
    /// A ws:// or wss:// URL (http(s):// and a bare host:port/path are taken as ws(s)://) or a
    /// saved WebSocket request (its .yaml path in the workspace), then request items.
    #[arg(required = true, value_name = "URL|PATH [ITEM]...")]
    pub words: Vec<String>,
    /// Offer this subprotocol (repeat for more, in order of preference).
    #[arg(long = "subprotocol", value_name = "P")]
    pub subprotocols: Vec<String>,
    /// Send this text message once connected (repeat to send more, in order).
    #[arg(long, value_name = "MSG", allow_hyphen_values = true)]
    pub send: Vec<String>,
    /// Send this JSON (checked first) as a text message, in its place among the --send ones.
    #[arg(long, value_name = "JSON", allow_hyphen_values = true)]
    pub send_json: Vec<String>,
    /// Wait for a received text message matching this regular expression; exit 1 when the
    /// session closes or times out first.
    #[arg(long, value_name = "REGEX")]
    pub expect: Option<String>,
    /// Close with this code (and reason) after the messages are sent and --expect matched, then
    /// wait for the server's close.
    #[arg(long, value_name = "CODE[:REASON]")]
    pub close: Option<String>,
    /// Give up after this many seconds (connecting included): close and exit.
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Do not verify the server's TLS certificate (wss://).
    #[arg(long, short = 'k')]
    pub insecure: bool,
    /// The environment of a saved request's collection to resolve `{{variables}}` in.
    #[arg(long, value_name = "NAME")]
    pub env: Option<String>,
    /// The workspace folder a PATH is read from. Default: the desktop app's workspace.
    #[arg(long, value_name = "DIR")]
    pub workspace: Option<PathBuf>,
}

impl WsArgs {
    fn timeout(&self) -> Option<Duration> {
        self.timeout
            .filter(|s| s.is_finite() && *s > 0.0)
            .map(Duration::from_secs_f64)
    }
}

/// The session's events, in order, from the app's callback to whoever prints them.
fn event_channel() -> (
    Arc<dyn Fn(WsEvent) + Send + Sync>,
    mpsc::UnboundedReceiver<WsEvent>,
) {
    let (tx, rx) = mpsc::unbounded_channel();
    let on_event = Arc::new(move |event: WsEvent| {
        let _ = tx.send(event);
    });
    (on_event, rx)
}

/// Stdin carries messages when it is a pipe or a file; a terminal is the prompt's, and a
/// character device such as `/dev/null` carries nothing.
fn stdin_has_messages() -> bool {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return false;
    }
    match rustix::fs::fstat(&stdin) {
        Ok(stat) => matches!(
            rustix::fs::FileType::from_raw_mode(stat.st_mode),
            rustix::fs::FileType::Fifo
                | rustix::fs::FileType::RegularFile
                | rustix::fs::FileType::Socket
        ),
        Err(_) => false,
    }
}

pub async fn run(args: WsArgs) -> Result<ExitCode> {
    match prepare(&args).await {
        Ok(Prepared::Script(app, plan)) => script::run(app, plan).await,
        Ok(Prepared::Interactive(app, plan)) => interactive::run(app, plan).await,
        Err(e) => {
            eprintln!("sextant: {e:#}");
            Ok(ExitCode::from(2))
        }
    }
}

enum Prepared {
    Script(Arc<App>, script::Plan),
    Interactive(Arc<App>, script::Plan),
}

/// The --send and --send-json messages in the order they were typed. The derived `WsArgs`
/// keeps two lists, so the positions come from clap's own parse of the same command line;
/// without them (not this process's arguments) every --send goes first.
fn typed_order(args: &WsArgs) -> Result<Vec<WsOutgoing>> {
    let mut sends: Vec<(usize, WsOutgoing)> = Vec::new();
    for json in &args.send_json {
        sends.push((0, input::json_message(json).context("--send-json")?));
    }
    let matches = <crate::args::Cli as clap::CommandFactory>::command()
        .try_get_matches_from(std::env::args_os())
        .ok();
    let ws = matches.as_ref().and_then(|m| m.subcommand_matches("ws"));
    let positions = |id: &str| -> Vec<usize> {
        ws.and_then(|m| m.indices_of(id))
            .map(Iterator::collect)
            .unwrap_or_default()
    };
    let (text_at, json_at) = (positions("send"), positions("send_json"));
    let known = text_at.len() == args.send.len() && json_at.len() == args.send_json.len();
    for (i, (at, _)) in sends.iter_mut().enumerate() {
        *at = if known { json_at[i] } else { usize::MAX };
    }
    for (i, text) in args.send.iter().enumerate() {
        let at = if known { text_at[i] } else { i };
        sends.push((at, input::text_message(text)));
    }
    // Stable: without positions the --send ones (0, 1, ..) keep their order before the JSON.
    sends.sort_by_key(|(at, _)| *at);
    Ok(sends.into_iter().map(|(_, m)| m).collect())
}

async fn prepare(args: &WsArgs) -> Result<Prepared> {
    let expect = args
        .expect
        .as_deref()
        .map(regex::Regex::new)
        .transpose()
        .context("--expect is not a regular expression")?;
    let close = args.close.as_deref().map(input::parse_close).transpose()?;
    let sends = typed_order(args)?;
    let mut config = AppConfig::new(crate::history::data_dir()?);
    config.workspace_dir = args.workspace.clone();
    config.history_source = Source::Cli;
    let app = Arc::new(
        App::new(config)
            .map_err(sextant_model::ApiError::from)
            .context("cannot start")?,
    );
    let (saved, context) = target::resolve(&app, args).await?;
    let interactive = expect.is_none()
        && close.is_none()
        && std::io::stdin().is_terminal()
        && std::io::stdout().is_terminal();
    let plan = script::Plan {
        saved,
        context,
        sends,
        read_stdin: !interactive && stdin_has_messages(),
        expect,
        close,
        timeout: args.timeout(),
    };
    Ok(if interactive {
        Prepared::Interactive(app, plan)
    } else {
        Prepared::Script(app, plan)
    })
}
