//! `sextant auth login|token|status|logout PATH`: the OAuth 2.0 sign-in a saved request,
//! folder or collection uses, from a terminal. It shares the desktop app's data directory, so a
//! token got here is the app's too (and the other way round). `token` prints a valid access token
//! and nothing else, for `curl -H "Authorization: Bearer $(sextant auth token PATH)"`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use sextant_app::{App, AppConfig, Launcher, SignInEvent, TokenStatus};

#[derive(Subcommand, Debug)]
pub enum AuthCommand {
    /// Sign in with the configured grant: the browser for the authorization code (through
    /// $BROWSER when set), a code to enter for the device grant, directly for the others.
    Login(AuthTarget),
    /// Print a valid access token, refreshing it (or signing in again when no user is needed).
    Token(AuthTarget),
    /// Show the kept token: who it is for, scopes, expiry.
    Status(AuthTarget),
    /// Forget the kept token.
    Logout(AuthTarget),
}

#[derive(Args, Debug)]
pub struct AuthTarget {
    /// A request file, folder or collection, relative to the workspace, whose auth (own or
    /// inherited) is OAuth 2.0.
    pub path: String,
    /// The collection's environment to resolve `{{variables}}` in (tokens are kept per
    /// environment).
    #[arg(long, value_name = "NAME")]
    pub env: Option<String>,
    /// The workspace folder. Default: the desktop app's workspace.
    #[arg(long, value_name = "DIR")]
    pub workspace: Option<PathBuf>,
}

fn app(workspace: Option<PathBuf>) -> Result<App> {
    let mut config = AppConfig::new(crate::history::data_dir()?);
    config.workspace_dir = workspace;
    App::new(config)
        .map_err(sextant_model::ApiError::from)
        .context("cannot start")
}

fn describe(status: &TokenStatus) -> String {
    let mut text = status.label.clone();
    match &status.token {
        None => text.push_str("\nno token kept"),
        Some(token) => {
            if !token.scopes_granted.is_empty() {
                text.push_str(&format!("\nscopes: {}", token.scopes_granted.join(" ")));
            }
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as u64)
                .unwrap_or(0);
            text.push_str(&match token.expires_at_ms {
                None => "\nno expiry given".to_string(),
                Some(at) if at <= now => "\nexpired".to_string(),
                Some(at) => format!("\nexpires in {} s", (at - now) / 1000),
            });
            if token.has_refresh_token {
                text.push_str("\nrefresh token kept");
            }
        }
    }
    if let Some(uri) = &status.redirect_uri {
        text.push_str(&format!("\nredirect URI to register: {uri}"));
    }
    text
}

pub async fn run(command: AuthCommand) -> Result<ExitCode> {
    let (target, action) = match command {
        AuthCommand::Login(t) => (t, "login"),
        AuthCommand::Token(t) => (t, "token"),
        AuthCommand::Status(t) => (t, "status"),
        AuthCommand::Logout(t) => (t, "logout"),
    };
    let app = app(target.workspace)?;
    let (saved, context) = app.oauth_target(&target.path, target.env).await?;
    match action {
        "login" => {
            let tell = |event: SignInEvent| {
                match event {
                SignInEvent::Browser {
                    authorization_url,
                    redirect_uri,
                } => eprintln!(
                    "Opening the browser to sign in (waiting on {redirect_uri}).\nIf it does not open, visit:\n  {authorization_url}"
                ),
                SignInEvent::Device {
                    user_code,
                    verification_uri,
                    verification_uri_complete,
                    qr,
                    ..
                } => {
                    eprintln!("Go to {verification_uri} and enter the code: {user_code}");
                    if let Some(complete) = verification_uri_complete {
                        eprintln!("(or open {complete})");
                    }
                    if !qr.is_empty() && std::io::stderr().is_terminal() {
                        eprintln!("(or scan this with a phone)\n{}", terminal_qr(&qr));
                    }
                }
            }
            };
            let status = app
                .oauth_sign_in("cli-login", saved, context, &Launcher::System, &tell)
                .await?;
            eprintln!("Signed in: {}", describe(&status));
        }
        "token" => println!("{}", app.oauth_access_token(saved, context).await?),
        "status" => println!("{}", describe(&app.oauth_status(saved, context).await?)),
        _ => {
            app.oauth_forget(saved, context).await?;
            eprintln!("The token is forgotten.");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Modules of light margin around the code, as QR readers expect (ISO/IEC 18004).
const QUIET_ZONE: usize = 4;

/// The QR code's module rows (`'1'` dark) drawn with Unicode half blocks, two rows to a line,
/// black on white whatever the terminal's own colours, with its quiet zone.
fn terminal_qr(rows: &[String]) -> String {
    let width = rows.first().map_or(0, String::len) + 2 * QUIET_ZONE;
    let margin = vec![false; QUIET_ZONE];
    let blank = vec![false; width];
    let mut grid = vec![blank.clone(); QUIET_ZONE];
    for row in rows {
        let mut line = margin.clone();
        line.extend(row.chars().map(|c| c == '1'));
        line.extend(&margin);
        grid.push(line);
    }
    grid.extend(vec![blank.clone(); QUIET_ZONE]);
    if grid.len() % 2 == 1 {
        grid.push(blank);
    }
    grid.chunks(2)
        .map(|pair| {
            let cells: String = pair[0]
                .iter()
                .zip(&pair[1])
                .map(|(top, bottom)| match (top, bottom) {
                    (true, true) => '█',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    (false, false) => ' ',
                })
                .collect();
            format!("\x1b[30;107m{cells}\x1b[0m")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::{terminal_qr, QUIET_ZONE};

    #[test]
    fn two_module_rows_make_one_line_inside_a_quiet_zone() {
        let rows = ["110".to_string(), "011".into(), "101".into()];
        let lines: Vec<String> = terminal_qr(&rows)
            .lines()
            .map(|l| {
                l.trim_start_matches("\x1b[30;107m")
                    .trim_end_matches("\x1b[0m")
                    .to_string()
            })
            .collect();
        // 3 rows + 2 × 4 of margin = 11 module rows, padded to 12: 6 lines of 11 columns.
        assert_eq!(lines.len(), 6);
        assert!(lines
            .iter()
            .all(|l| l.chars().count() == 3 + 2 * QUIET_ZONE));
        let pad = " ".repeat(QUIET_ZONE);
        assert_eq!(lines[0], " ".repeat(11));
        assert_eq!(lines[1], " ".repeat(11));
        // Module rows 4 and 5 ("110" over "011"), then 6 ("101") over margin.
        assert_eq!(lines[2], format!("{pad}▀█▄{pad}"));
        assert_eq!(lines[3], format!("{pad}▀ ▀{pad}"));
        assert_eq!(lines[5], " ".repeat(11));
    }
}
