//! From a curl command line to a saved request: options are read in order into a [`Command`],
//! then turned into the request in one place so the precedence rules (`-X` over `-I` over `-G`
//! over "POST when there is data") live together.
//!
//! This module splits the words and walks them (`-abc` clusters, `--no-` negations, values);
//! `command` reads each option into the [`Command`], `request` makes the saved request of it.

mod command;
mod request;

use sextant_model::SavedRequest;

use super::options;
use super::shell::split_words;
use crate::files::warn_file_references;
use crate::warning::Warnings;
use crate::{Imported, InterchangeError};
use command::Command;

/// Reads a curl command line (as copied from a terminal, browser dev tools or documentation)
/// into a saved request named after its method and path.
pub fn parse_curl(command: &str) -> Result<Imported<SavedRequest>, InterchangeError> {
    let words = split_words(command)?;
    let mut words = words.into_iter().peekable();
    match words.peek() {
        Some(first) if is_curl(first) => {
            words.next();
        }
        Some(first) if first.starts_with('-') || first.contains("://") => {}
        Some(_) => {
            return Err(InterchangeError::Curl(
                "not curl: the command starts with neither `curl`, an option nor a URL".into(),
            ))
        }
        None => return Err(InterchangeError::Curl("the command is empty".into())),
    }

    let mut cmd = Command::default();
    let mut warnings = Warnings::default();
    while let Some(word) = words.next() {
        if let Some(name) = word.strip_prefix("--") {
            if name.is_empty() {
                continue;
            }
            let Some(spec) = options::long(name).or_else(|| negated(name)) else {
                warnings.push(&word, "unknown curl option, ignored");
                continue;
            };
            let arg = if spec.takes_arg {
                Some(
                    words
                        .next()
                        .ok_or_else(|| InterchangeError::Curl(format!("{word} needs a value")))?,
                )
            } else {
                None
            };
            cmd.apply(
                spec.opt,
                &word,
                arg,
                !name.starts_with("no-"),
                &mut warnings,
            )?;
        } else if word.len() > 1 && word.starts_with('-') {
            let cluster: Vec<char> = word.chars().skip(1).collect();
            let mut i = 0;
            while i < cluster.len() {
                let c = cluster[i];
                let flag = format!("-{c}");
                i += 1;
                let Some(spec) = options::short(c) else {
                    warnings.push(&flag, "unknown curl option, ignored");
                    continue;
                };
                let arg =
                    if !spec.takes_arg {
                        None
                    } else if i < cluster.len() {
                        let rest: String = cluster[i..].iter().collect();
                        i = cluster.len();
                        Some(rest)
                    } else {
                        Some(words.next().ok_or_else(|| {
                            InterchangeError::Curl(format!("{flag} needs a value"))
                        })?)
                    };
                cmd.apply(spec.opt, &flag, arg, true, &mut warnings)?;
            }
        } else {
            cmd.urls.push(word);
        }
    }
    let saved = cmd.into_request(&mut warnings)?;
    Ok(Imported {
        value: saved,
        warnings: warnings.0,
    })
}

/// Reads a file said to hold a curl command (the Import of a `.sh` or `.txt`): as
/// [`parse_curl`], but the first line with text (after comments and a `$ ` prompt) must start
/// with the word `curl`. Anything else is refused without quoting it: a key or a config file
/// chosen by mistake must not come back word by word in warnings. Every local file the command
/// sends (`-d @file`, `-F x=@file`, `-T file`) is named in a warning, as in the other imports.
pub fn import_curl(text: &str) -> Result<Imported<SavedRequest>, InterchangeError> {
    let first = text.lines().enumerate().find(|(_, line)| {
        let line = line.trim();
        !line.is_empty() && !line.starts_with('#')
    });
    let Some((index, line)) = first else {
        return Err(InterchangeError::Curl("the file is empty".into()));
    };
    let line = line.trim_start();
    let line = line.strip_prefix("$ ").unwrap_or(line);
    let word = line.split_whitespace().next().unwrap_or_default();
    if !is_curl(word) {
        return Err(InterchangeError::NotCurl { line: index + 1 });
    }
    let mut imported = parse_curl(text)?;
    let mut warnings = Warnings(std::mem::take(&mut imported.warnings));
    warn_file_references(&imported.value, &imported.value.name, &mut warnings);
    imported.warnings = warnings.0;
    Ok(imported)
}

fn is_curl(word: &str) -> bool {
    let name = word.rsplit(['/', '\\']).next().unwrap_or(word);
    name.eq_ignore_ascii_case("curl") || name.eq_ignore_ascii_case("curl.exe")
}

/// `--no-location`, `--no-insecure`, ...: the boolean options switched off.
fn negated(name: &str) -> Option<options::Spec> {
    let spec = options::long(name.strip_prefix("no-")?)?;
    (!spec.takes_arg).then_some(spec)
}
