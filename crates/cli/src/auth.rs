//! `sextant send -A/--auth-type basic|digest|bearer -a/--auth USER[:PASS]|TOKEN`, as xh has them.
//! Basic and Bearer become an `Authorization` header (unless the command line sets one); Digest
//! is answered by the engine when the server challenges. A Basic or Digest password left out is
//! asked for on the terminal, without echo, and only when stdin is one: a script gets an error.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{bail, Context, Result};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use clap::ValueEnum;
use sextant_model::{DigestAlgorithm, HttpRequest, KeyValue, Signing};

/// How `--auth` is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum AuthType {
    #[default]
    Basic,
    Digest,
    Bearer,
}

/// Applies `--auth` to `req`. `ask` is called for a missing password with the user name.
pub fn apply(
    req: &mut HttpRequest,
    kind: AuthType,
    auth: &str,
    ask: impl FnOnce(&str) -> Result<String>,
) -> Result<()> {
    let user_header = req
        .headers
        .iter()
        .any(|h| h.enabled && h.name.eq_ignore_ascii_case("authorization"));
    if user_header {
        return Ok(());
    }
    if kind == AuthType::Bearer {
        req.headers
            .push(KeyValue::new("Authorization", format!("Bearer {auth}")));
        req.credentials.push("Authorization".into());
        return Ok(());
    }
    let (username, password) = match auth.split_once(':') {
        Some((u, p)) => (u.to_owned(), p.to_owned()),
        None => (auth.to_owned(), ask(auth)?),
    };
    if kind == AuthType::Digest {
        req.signing = Some(Signing::Digest {
            username,
            password,
            algorithm: DigestAlgorithm::Auto,
        });
    } else {
        let encoded = STANDARD.encode(format!("{username}:{password}"));
        req.headers
            .push(KeyValue::new("Authorization", format!("Basic {encoded}")));
        req.credentials.push("Authorization".into());
    }
    Ok(())
}

/// Asks for `user`'s password on the terminal with echo off; an error when stdin is not one.
pub fn ask_password(user: &str) -> Result<String> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        bail!(
            "--auth {user:?} has no password and stdin is not a terminal to ask for it: \
             write --auth {user}:PASSWORD"
        );
    }
    eprint!("password for {user}: ");
    std::io::stderr().flush()?;
    let echo = rustix::termios::tcgetattr(&stdin).context("cannot read the terminal's mode")?;
    let mut quiet = echo.clone();
    quiet.local_modes.remove(rustix::termios::LocalModes::ECHO);
    rustix::termios::tcsetattr(&stdin, rustix::termios::OptionalActions::Now, &quiet)
        .context("cannot turn off the terminal's echo")?;
    let mut line = String::new();
    let read = stdin.lock().read_line(&mut line);
    let _ = rustix::termios::tcsetattr(&stdin, rustix::termios::OptionalActions::Now, &echo);
    eprintln!();
    read.context("cannot read the password")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn never(_: &str) -> Result<String> {
        panic!("asked for a password")
    }

    #[test]
    fn basic_and_bearer_are_headers_digest_is_left_to_the_engine() {
        let mut req = HttpRequest::get("http://h/");
        apply(&mut req, AuthType::Basic, "u:p", never).unwrap();
        assert_eq!(req.headers, [KeyValue::new("Authorization", "Basic dTpw")]);
        assert_eq!(req.credentials, ["Authorization"]);

        let mut req = HttpRequest::get("http://h/");
        apply(&mut req, AuthType::Bearer, "tok:en", never).unwrap();
        assert_eq!(
            req.headers,
            [KeyValue::new("Authorization", "Bearer tok:en")]
        );

        let mut req = HttpRequest::get("http://h/");
        apply(&mut req, AuthType::Digest, "u", |user| {
            Ok(format!("{user}-pw"))
        })
        .unwrap();
        assert!(req.headers.is_empty());
        assert_eq!(
            req.signing,
            Some(Signing::Digest {
                username: "u".into(),
                password: "u-pw".into(),
                algorithm: DigestAlgorithm::Auto,
            })
        );
    }

    #[test]
    fn an_authorization_item_wins() {
        let mut req = HttpRequest::get("http://h/");
        req.headers.push(KeyValue::new("authorization", "Custom x"));
        apply(&mut req, AuthType::Basic, "u", never).unwrap();
        assert_eq!(req.headers.len(), 1);
        assert_eq!(req.signing, None);
    }
}
