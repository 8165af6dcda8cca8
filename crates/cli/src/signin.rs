//! `sextant auth login|token|status|logout PATH`: the OAuth 2.0 sign-in a saved request,
//! folder or collection uses, from a terminal. It shares the desktop app's data directory, so a
//! token got here is the app's too (and the other way round). `token` prints a valid access token
//! and nothing else, for `curl -H "Authorization: Bearer $(sextant auth token PATH)"`.

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
                    ..
                } => {
                    eprintln!("Go to {verification_uri} and enter the code: {user_code}");
                    if let Some(complete) = verification_uri_complete {
                        eprintln!("(or open {complete})");
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
