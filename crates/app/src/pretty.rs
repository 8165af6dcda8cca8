//! Pretty JSON for big response bodies, made in Rust once per body so the UI can show the first
//! screen at once: re-indenting 10 MB in the webview (and handing it whole to the editor) took
//! about a second. The pretty text is written beside the body (`<id>.pretty`, temp file +
//! rename) and read back a window at a time, each window cut at a line end.
//!
//! The re-indenter works on bytes, never builds a tree and keeps no recursion: numbers, string
//! escapes and key order come out exactly as the server sent them, only whitespace changes, and
//! the output matches the UI's own `formatJson` (two spaces, indentation stops growing past
//! [`MAX_INDENT_DEPTH`] levels). Memory is bounded by the nesting depth, not the body's size.

use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;
use sextant_model::{ApiError, ErrorCode};
use ts_rs::TS;

/// Lines nested deeper than this are indented as if they were at this depth (as in the UI).
pub const MAX_INDENT_DEPTH: usize = 64;
/// Past this many bytes of pretty text the body is shown raw instead.
pub const MAX_PRETTY_BYTES: u64 = 512 * 1024 * 1024;
/// The largest window one read returns.
pub const MAX_PRETTY_WINDOW: u64 = 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum PrettyError {
    #[error("the body is not valid JSON (at byte {0})")]
    Invalid(u64),
    #[error("pretty-printed, the body would be over the {0}-byte budget for pretty text")]
    TooLarge(u64),
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
}

impl From<PrettyError> for ApiError {
    fn from(e: PrettyError) -> Self {
        let code = match e {
            PrettyError::Invalid(_) => ErrorCode::InvalidFile,
            PrettyError::TooLarge(_) => ErrorCode::TooLarge,
            PrettyError::Io { .. } => ErrorCode::Io,
        };
        ApiError::new(code, e.to_string())
    }
}

fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> PrettyError {
    let context = context.into();
    move |source| PrettyError::Io { context, source }
}

/// One window of a body's pretty text.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PrettyWindow {
    /// The text from `offset` up to `end` (a line end, unless the window holds no newline).
    pub text: String,
    #[ts(type = "number")]
    pub offset: u64,
    /// Where the next window starts (byte offset in the pretty text).
    #[ts(type = "number")]
    pub end: u64,
    /// The pretty text's whole length in bytes.
    #[ts(type = "number")]
    pub total: u64,
}

#[derive(Clone, Copy, PartialEq)]
enum Expect {
    Value,
    ValueOrClose,
    KeyOrClose,
    Key,
    Colon,
    CommaOrClose,
    End,
}

enum Token {
    None,
    Str { key: bool, escape: u8 },
    Literal,
}

/// Re-indents the JSON read from `input` into `output`; `limit` bounds the output's bytes.
/// Returns the number of bytes written.
pub fn reindent(input: impl Read, output: impl Write, limit: u64) -> Result<u64, PrettyError> {
    let mut w = Counted {
        inner: BufWriter::with_capacity(256 * 1024, output),
        written: 0,
        limit,
    };
    let mut input = input;
    let mut stack: Vec<u8> = Vec::new(); // b'{' or b'['
    let mut expect = Expect::Value;
    let mut token = Token::None;
    let mut literal: Vec<u8> = Vec::new();
    let mut pending_newline = false;
    let mut buf = vec![0u8; 256 * 1024];
    let mut pos: u64 = 0;
    loop {
        let n = input.read(&mut buf).map_err(io("cannot read the body"))?;
        if n == 0 {
            break;
        }
        let mut run = 0; // start of the string bytes in `buf` not yet written
        for (i, &b) in buf[..n].iter().enumerate() {
            let at = pos + i as u64;
            if let Token::Str { key, escape } = &mut token {
                let key = *key;
                match *escape {
                    0 if b == b'\\' => *escape = 1,
                    0 if b == b'"' => {
                        w.write(&buf[run..=i])?;
                        token = Token::None;
                        expect = if key {
                            Expect::Colon
                        } else {
                            after_value(&stack)
                        };
                    }
                    0 if b < 0x20 => return Err(PrettyError::Invalid(at)),
                    0 => {}
                    1 => match b {
                        b'u' => *escape = 2,
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => *escape = 0,
                        _ => return Err(PrettyError::Invalid(at)),
                    },
                    k if b.is_ascii_hexdigit() => *escape = if k == 5 { 0 } else { k + 1 },
                    _ => return Err(PrettyError::Invalid(at)),
                }
                continue;
            }
            if let Token::Literal = token {
                if b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.') {
                    literal.push(b);
                    continue;
                }
                end_literal(&mut literal, &mut w, at)?;
                token = Token::None;
                expect = after_value(&stack);
            }
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                continue;
            }
            let value_ok = matches!(expect, Expect::Value | Expect::ValueOrClose);
            match b {
                b'{' | b'[' if value_ok => {
                    newline_if_pending(&mut pending_newline, &mut w, stack.len())?;
                    w.write(&[b])?;
                    stack.push(b);
                    pending_newline = true;
                    expect = if b == b'{' {
                        Expect::KeyOrClose
                    } else {
                        Expect::ValueOrClose
                    };
                }
                b'"' if value_ok || matches!(expect, Expect::KeyOrClose | Expect::Key) => {
                    newline_if_pending(&mut pending_newline, &mut w, stack.len())?;
                    token = Token::Str {
                        key: !value_ok,
                        escape: 0,
                    };
                    run = i;
                    // A string that goes on past this buffer is written up to its end here.
                }
                b'-' | b'0'..=b'9' | b't' | b'f' | b'n' if value_ok => {
                    newline_if_pending(&mut pending_newline, &mut w, stack.len())?;
                    token = Token::Literal;
                    literal.clear();
                    literal.push(b);
                }
                b'}' | b']' => {
                    let open = if b == b'}' { b'{' } else { b'[' };
                    let closes = match expect {
                        Expect::CommaOrClose => true,
                        Expect::KeyOrClose => b == b'}',
                        Expect::ValueOrClose => b == b']',
                        _ => false,
                    };
                    if !closes || stack.pop() != Some(open) {
                        return Err(PrettyError::Invalid(at));
                    }
                    if pending_newline {
                        pending_newline = false;
                    } else {
                        newline(&mut w, stack.len())?;
                    }
                    w.write(&[b])?;
                    expect = after_value(&stack);
                }
                b',' if expect == Expect::CommaOrClose => {
                    w.write(b",")?;
                    newline(&mut w, stack.len())?;
                    expect = if stack.last() == Some(&b'{') {
                        Expect::Key
                    } else {
                        Expect::Value
                    };
                }
                b':' if expect == Expect::Colon => {
                    w.write(b": ")?;
                    expect = Expect::Value;
                }
                _ => return Err(PrettyError::Invalid(at)),
            }
        }
        if let Token::Str { .. } = token {
            w.write(&buf[run..n])?;
        }
        pos += n as u64;
    }
    if let Token::Literal = token {
        end_literal(&mut literal, &mut w, pos)?;
        expect = after_value(&stack);
    }
    if expect != Expect::End || !matches!(token, Token::None | Token::Literal) {
        return Err(PrettyError::Invalid(pos));
    }
    w.inner
        .flush()
        .map_err(io("cannot write the pretty text"))?;
    Ok(w.written)
}

fn after_value(stack: &[u8]) -> Expect {
    if stack.is_empty() {
        Expect::End
    } else {
        Expect::CommaOrClose
    }
}

fn newline_if_pending<W: Write>(
    pending: &mut bool,
    w: &mut Counted<W>,
    level: usize,
) -> Result<(), PrettyError> {
    if std::mem::take(pending) {
        newline(w, level)?;
    }
    Ok(())
}

fn newline<W: Write>(w: &mut Counted<W>, level: usize) -> Result<(), PrettyError> {
    const SPACES: [u8; 2 * MAX_INDENT_DEPTH] = [b' '; 2 * MAX_INDENT_DEPTH];
    w.write(b"\n")?;
    w.write(&SPACES[..2 * level.min(MAX_INDENT_DEPTH)])
}

fn end_literal<W: Write>(
    literal: &mut Vec<u8>,
    w: &mut Counted<W>,
    at: u64,
) -> Result<(), PrettyError> {
    if !valid_literal(literal) {
        return Err(PrettyError::Invalid(at));
    }
    w.write(literal)?;
    literal.clear();
    Ok(())
}

/// `true`, `false`, `null` or a number in JSON's grammar.
fn valid_literal(s: &[u8]) -> bool {
    if matches!(s, b"true" | b"false" | b"null") {
        return true;
    }
    let digits = |s: &[u8], i: usize| i + s[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    let mut i = usize::from(s.first() == Some(&b'-'));
    match s.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i = digits(s, i),
        _ => return false,
    }
    if s.get(i) == Some(&b'.') {
        let j = digits(s, i + 1);
        if j == i + 1 {
            return false;
        }
        i = j;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(s.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let j = digits(s, i);
        if j == i {
            return false;
        }
        i = j;
    }
    i == s.len()
}

/// A writer that counts what it writes and refuses to go past its budget.
struct Counted<W: Write> {
    inner: BufWriter<W>,
    written: u64,
    limit: u64,
}

impl<W: Write> Counted<W> {
    fn write(&mut self, bytes: &[u8]) -> Result<(), PrettyError> {
        self.written += bytes.len() as u64;
        if self.written > self.limit {
            return Err(PrettyError::TooLarge(self.limit));
        }
        self.inner
            .write_all(bytes)
            .map_err(io("cannot write the pretty text"))
    }
}

/// The pretty file for the body at `body`, made from it if it is not there yet (temp file in
/// the same folder, then rename, so a reader never sees half a file).
pub fn ensure_pretty(body: &Path, limit: u64) -> Result<PathBuf, PrettyError> {
    static TEMPS: AtomicU64 = AtomicU64::new(0);
    let pretty = body.with_extension("pretty");
    if pretty.is_file() {
        return Ok(pretty);
    }
    let input = std::fs::File::open(body).map_err(io(format!("cannot open {}", body.display())))?;
    let temp = body.with_extension(format!(
        "pretty.tmp-{}-{}",
        std::process::id(),
        TEMPS.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let file = std::fs::File::create(&temp)
            .map_err(io(format!("cannot create {}", temp.display())))?;
        reindent(std::io::BufReader::new(input), &file, limit)?;
        file.sync_all()
            .map_err(io(format!("cannot write {}", temp.display())))?;
        std::fs::rename(&temp, &pretty).map_err(io(format!("cannot write {}", pretty.display())))
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    Ok(pretty)
}

/// Reads up to `length` bytes (capped at [`MAX_PRETTY_WINDOW`]) of the pretty file from
/// `offset`, cut after the window's last newline unless it reaches the end or has none.
pub fn read_window(pretty: &Path, offset: u64, length: u64) -> Result<PrettyWindow, PrettyError> {
    use std::io::{Seek, SeekFrom};
    let mut file =
        std::fs::File::open(pretty).map_err(io(format!("cannot open {}", pretty.display())))?;
    let total = file
        .metadata()
        .map_err(io(format!("cannot read {}", pretty.display())))?
        .len();
    let offset = offset.min(total);
    file.seek(SeekFrom::Start(offset))
        .map_err(io("cannot seek in the pretty text"))?;
    let mut bytes = Vec::new();
    file.take(length.min(MAX_PRETTY_WINDOW))
        .read_to_end(&mut bytes)
        .map_err(io("cannot read the pretty text"))?;
    if offset + (bytes.len() as u64) < total {
        match bytes.iter().rposition(|&b| b == b'\n') {
            Some(last) => bytes.truncate(last + 1),
            // One line longer than the window: cut it at a character boundary at least.
            None => {
                let mut cut = bytes.len();
                while cut > 0 && bytes[cut - 1] & 0xC0 == 0x80 {
                    cut -= 1;
                }
                if cut > 0 && bytes[cut - 1] >= 0xC0 {
                    cut -= 1;
                }
                if cut > 0 {
                    bytes.truncate(cut);
                }
            }
        }
    }
    let end = offset + bytes.len() as u64;
    let text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Ok(PrettyWindow {
        text,
        offset,
        end,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pretty(s: &str) -> Result<String, PrettyError> {
        let mut out = Vec::new();
        reindent(s.as_bytes(), &mut out, MAX_PRETTY_BYTES)?;
        Ok(String::from_utf8(out).unwrap())
    }

    #[test]
    fn nesting_is_indented_two_spaces_and_empty_containers_stay_on_one_line() {
        assert_eq!(
            pretty(r#" {"a":[1,{"b":null}],"c":{},"d":[ ],"e":true} "#).unwrap(),
            "{\n  \"a\": [\n    1,\n    {\n      \"b\": null\n    }\n  ],\n  \"c\": {},\n  \"d\": [],\n  \"e\": true\n}"
        );
        assert_eq!(pretty("[]").unwrap(), "[]");
        assert_eq!(pretty(" 42 ").unwrap(), "42");
    }

    #[test]
    fn strings_keep_escapes_brackets_and_unicode_and_key_order() {
        let src = r#"{"z":"a \"quoted\" [x] {y} , : \\","a":"\u00e9\n","ключ":"日本 😀"}"#;
        assert_eq!(
            pretty(src).unwrap(),
            "{\n  \"z\": \"a \\\"quoted\\\" [x] {y} , : \\\\\",\n  \"a\": \"\\u00e9\\n\",\n  \"ключ\": \"日本 😀\"\n}"
        );
    }

    #[test]
    fn numbers_are_kept_byte_for_byte() {
        let src = "[1.0,-0.000,12345678901234567890123,1E+400,2e-7,0]";
        assert_eq!(
            pretty(src).unwrap(),
            "[\n  1.0,\n  -0.000,\n  12345678901234567890123,\n  1E+400,\n  2e-7,\n  0\n]"
        );
    }

    #[test]
    fn invalid_json_is_a_typed_error() {
        for bad in [
            "",
            "  ",
            "{",
            "[1,]",
            "{\"a\"}",
            "{\"a\":1,}",
            "[1 2]",
            "01",
            "1.",
            "-",
            "tru",
            "nul",
            "[\"a]",
            "\"\\x\"",
            "\"\\u12g4\"",
            "{1:2}",
            "[1]]",
            "[}",
            "1 2",
            "\"a\nb\"",
            "[+1]",
            "{\"a\"::1}",
        ] {
            assert!(
                matches!(pretty(bad), Err(PrettyError::Invalid(_))),
                "{bad:?} was accepted"
            );
        }
        let e: ApiError = pretty("[1,]").unwrap_err().into();
        assert_eq!(e.code, ErrorCode::InvalidFile);
    }

    #[test]
    fn depth_ten_thousand_needs_no_stack_and_indentation_stops_growing() {
        let depth = 10_000;
        let src = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let out = pretty(&src).unwrap();
        let widest = out.lines().map(|l| l.len() - l.trim_start().len()).max();
        assert_eq!(widest, Some(2 * MAX_INDENT_DEPTH));
        assert!(out.starts_with("[\n  [\n    ["));
        let unbalanced = format!("{}{}", "[".repeat(depth), "]".repeat(depth - 1));
        assert!(matches!(pretty(&unbalanced), Err(PrettyError::Invalid(_))));
    }

    #[test]
    fn output_past_the_budget_is_too_large() {
        let mut out = Vec::new();
        let err = reindent(&b"[1,2,3,4,5,6,7,8,9]"[..], &mut out, 16).unwrap_err();
        assert!(matches!(err, PrettyError::TooLarge(16)));
        let e: ApiError = err.into();
        assert_eq!(e.code, ErrorCode::TooLarge);
    }

    #[test]
    fn strings_split_across_read_buffers_come_out_whole() {
        let long = "x\\\"".repeat(200_000);
        let src = format!(r#"{{"k":"{long}","n":[1]}}"#);
        assert_eq!(
            pretty(&src).unwrap(),
            format!("{{\n  \"k\": \"{long}\",\n  \"n\": [\n    1\n  ]\n}}")
        );
    }

    #[tokio::test]
    async fn the_command_makes_the_file_once_and_reads_windows_cut_at_line_ends() {
        let dir = tempfile::tempdir().unwrap();
        let app = crate::App::new(crate::AppConfig::new(dir.path())).unwrap();
        let store = app.engine.bodies().dir().to_path_buf();
        std::fs::create_dir_all(&store).unwrap();
        let items: Vec<String> = (0..50_000).map(|i| format!(r#"{{"id":{i}}}"#)).collect();
        std::fs::write(store.join("b-1.body"), format!("[{}]", items.join(","))).unwrap();
        std::fs::write(store.join("bad.body"), "[1,").unwrap();

        let whole = pretty(&std::fs::read_to_string(store.join("b-1.body")).unwrap()).unwrap();
        let first = app.read_pretty_body("b-1", 0, 1000).await.unwrap();
        assert_eq!(first.total, whole.len() as u64);
        assert_eq!(first.offset, 0);
        assert!(first.text.starts_with("[\n  {\n    \"id\": 0\n  },"));
        assert!(first.text.ends_with('\n') && first.text.len() <= 1000);
        assert_eq!(first.end, first.text.len() as u64);
        assert!(store.join("b-1.pretty").is_file());

        let mut joined = String::new();
        let mut at = 0;
        while at < first.total {
            let w = app.read_pretty_body("b-1", at, u64::MAX).await.unwrap();
            assert!(w.text.len() as u64 <= MAX_PRETTY_WINDOW);
            assert!(w.end > at);
            joined.push_str(&w.text);
            at = w.end;
        }
        assert_eq!(joined, whole);
        let past = app
            .read_pretty_body("b-1", first.total + 5, 10)
            .await
            .unwrap();
        assert_eq!((past.text.as_str(), past.end), ("", first.total));

        let bad = app.read_pretty_body("bad", 0, 10).await.unwrap_err();
        assert_eq!(bad.code, ErrorCode::InvalidFile);
        assert!(!store.join("bad.pretty").exists());
        let missing = app.read_pretty_body("nope", 0, 10).await.unwrap_err();
        assert_eq!(missing.code, ErrorCode::NotFound);
        let outside = app.read_pretty_body("../b-1", 0, 10).await.unwrap_err();
        assert_eq!(outside.code, ErrorCode::NotFound);
        let leftovers = std::fs::read_dir(&store)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains(".tmp")
            })
            .count();
        assert_eq!(leftovers, 0);
    }
}
