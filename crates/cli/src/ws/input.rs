//! What the user types or passes for a WebSocket session: `--close CODE[:REASON]`, and the lines
//! of the interactive prompt (`/ping`, `/pong`, `/close`, `/json`, `/hex`, `/quit`, or text to send).

use anyhow::{bail, Context, Result};
use sextant_model::{WsMessageKind, WsOutgoing};

/// A close reason must fit a control frame's 125 bytes with the 2-byte code (RFC 6455 5.5).
const MAX_REASON_BYTES: usize = 123;

/// Checks a close code the client may send (RFC 6455 7.4): 1004–1006 and 1015 are reserved for
/// reporting, never sent; 3000–4999 belong to libraries and applications.
pub fn close_code(code: u16) -> Result<u16> {
    match code {
        1000..=1003 | 1007..=1014 | 3000..=4999 => Ok(code),
        _ => bail!(
            "close code {code} cannot be sent: use 1000 (normal), 1001–1003, 1007–1014 or \
             3000–4999"
        ),
    }
}

fn close_reason(reason: &str) -> Result<String> {
    if reason.len() > MAX_REASON_BYTES {
        bail!(
            "the close reason is {} bytes; at most {MAX_REASON_BYTES} fit in a close frame",
            reason.len()
        );
    }
    Ok(reason.to_owned())
}

/// `--close CODE[:REASON]`.
pub fn parse_close(spec: &str) -> Result<(u16, String)> {
    let (code, reason) = spec.split_once(':').unwrap_or((spec, ""));
    let code: u16 = code
        .trim()
        .parse()
        .with_context(|| format!("--close {spec:?}: expected CODE[:REASON], as in 4001:bye"))?;
    Ok((close_code(code)?, close_reason(reason)?))
}

/// A JSON message, checked here so a typo is refused before anything is sent.
pub fn json_message(text: &str) -> Result<WsOutgoing> {
    serde_json::from_str::<serde_json::Value>(text)
        .with_context(|| format!("{text:?} is not valid JSON"))?;
    Ok(WsOutgoing {
        kind: WsMessageKind::Json,
        body: text.to_owned(),
    })
}

pub fn text_message(text: &str) -> WsOutgoing {
    WsOutgoing {
        kind: WsMessageKind::Text,
        body: text.to_owned(),
    }
}

fn hex_message(hex: &str) -> Result<WsOutgoing> {
    let digits: String = hex.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() % 2 == 1 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        bail!("{hex:?} is not hex bytes (pairs of 0-9 a-f, spaces allowed)");
    }
    Ok(WsOutgoing {
        kind: WsMessageKind::BinaryHex,
        body: digits,
    })
}

/// One line typed at the interactive prompt.
#[derive(Debug, PartialEq, Eq)]
pub enum Input {
    Nothing,
    Send(WsOutgoing),
    Ping(String),
    Pong(String),
    Close(u16, String),
    Quit,
    Help,
}

pub const HELP: &str = "\
Type a line to send it as a text message. Commands:
  /json {\"a\": 1}       send JSON (checked first)
  /hex 01 ff          send binary bytes
  /ping [payload]     send a ping
  /pong [payload]     send an unsolicited pong (a one-way heartbeat)
  /close [code [reason]]  close the session (1000 by default)
  /quit               close (1000) and leave; Ctrl+D does the same
  //text              send a line that starts with /";

pub fn parse_line(line: &str) -> Result<Input> {
    let line = line.trim_end_matches(['\r', '\n']);
    if line.is_empty() {
        return Ok(Input::Nothing);
    }
    if let Some(text) = line.strip_prefix("//") {
        return Ok(Input::Send(text_message(&format!("/{text}"))));
    }
    let Some(command) = line.strip_prefix('/') else {
        return Ok(Input::Send(text_message(line)));
    };
    let (name, rest) = command.split_once(' ').unwrap_or((command, ""));
    Ok(match name {
        "ping" => Input::Ping(rest.to_owned()),
        "pong" => Input::Pong(rest.to_owned()),
        "json" => Input::Send(json_message(rest)?),
        "hex" => Input::Send(hex_message(rest)?),
        "close" => {
            let rest = rest.trim_start();
            let (code, reason) = rest.split_once(' ').unwrap_or((rest, ""));
            let code = if code.is_empty() {
                1000
            } else {
                close_code(
                    code.parse()
                        .with_context(|| format!("/close {code}: the code is a number"))?,
                )?
            };
            Input::Close(code, close_reason(reason.trim())?)
        }
        "quit" | "exit" => Input::Quit,
        "help" | "?" => Input::Help,
        other => bail!("unknown command /{other}: try /help (// sends a line starting with /)"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_takes_a_code_and_an_optional_reason() {
        assert_eq!(parse_close("4001:bye").unwrap(), (4001, "bye".into()));
        assert_eq!(parse_close("1000").unwrap(), (1000, String::new()));
        assert_eq!(parse_close("4000:a:b").unwrap(), (4000, "a:b".into()));
        assert!(parse_close("1006").is_err(), "reserved for reporting");
        assert!(parse_close("bye").is_err());
        assert!(parse_close(&format!("1000:{}", "x".repeat(124))).is_err());
    }

    #[test]
    fn prompt_lines_are_text_unless_they_are_commands() {
        assert_eq!(
            parse_line("hello\n").unwrap(),
            Input::Send(text_message("hello"))
        );
        assert_eq!(
            parse_line("//etc").unwrap(),
            Input::Send(text_message("/etc"))
        );
        assert_eq!(parse_line("").unwrap(), Input::Nothing);
        assert_eq!(parse_line("/ping").unwrap(), Input::Ping(String::new()));
        assert_eq!(parse_line("/ping hi").unwrap(), Input::Ping("hi".into()));
        assert_eq!(parse_line("/pong").unwrap(), Input::Pong(String::new()));
        assert_eq!(parse_line("/pong hb").unwrap(), Input::Pong("hb".into()));
        assert_eq!(parse_line("/close").unwrap(), Input::Close(1000, "".into()));
        assert_eq!(
            parse_line("/close 4000 all done").unwrap(),
            Input::Close(4000, "all done".into())
        );
        assert_eq!(parse_line("/quit").unwrap(), Input::Quit);
        assert!(parse_line("/frobnicate").is_err());
    }

    #[test]
    fn json_and_hex_are_checked_before_sending() {
        assert_eq!(
            parse_line("/json {\"a\": 1}").unwrap(),
            Input::Send(WsOutgoing {
                kind: WsMessageKind::Json,
                body: "{\"a\": 1}".into()
            })
        );
        assert!(parse_line("/json {a: 1}").is_err());
        assert_eq!(
            parse_line("/hex 01 FF").unwrap(),
            Input::Send(WsOutgoing {
                kind: WsMessageKind::BinaryHex,
                body: "01FF".into()
            })
        );
        assert!(parse_line("/hex 1").is_err());
        assert!(parse_line("/hex zz").is_err());
    }
}
