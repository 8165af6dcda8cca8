//! Splitting a pasted command line into words the way a POSIX shell would: single quotes,
//! double quotes with backslash escapes, `$'...'` ANSI-C quoting, backslash-newline
//! continuations (and cmd.exe's `^`-newline), comments, and a leading `$ ` prompt.

use crate::InterchangeError;

pub(crate) fn split_words(command: &str) -> Result<Vec<String>, InterchangeError> {
    let trimmed = command.trim_start();
    let text = trimmed.strip_prefix("$ ").unwrap_or(trimmed);
    let mut chars = text.chars().peekable();
    let mut words = Vec::new();
    let mut word: Vec<u8> = Vec::new();
    let mut in_word = false;

    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                if in_word {
                    words.push(finish(&mut word));
                    in_word = false;
                }
            }
            '\\' => match chars.next() {
                Some('\n') => {}
                Some('\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                }
                Some(next) => {
                    push_char(&mut word, next);
                    in_word = true;
                }
                None => {}
            },
            '^' if matches!(chars.peek(), Some('\n' | '\r')) => {
                if chars.next() == Some('\r') && chars.peek() == Some(&'\n') {
                    chars.next();
                }
            }
            '#' if !in_word => {
                for skipped in chars.by_ref() {
                    if skipped == '\n' {
                        break;
                    }
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(q) => push_char(&mut word, q),
                        None => return Err(unclosed("'")),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(e @ ('$' | '`' | '"' | '\\')) => push_char(&mut word, e),
                            Some('\n') => {}
                            Some(other) => {
                                word.push(b'\\');
                                push_char(&mut word, other);
                            }
                            None => return Err(unclosed("\"")),
                        },
                        Some(q) => push_char(&mut word, q),
                        None => return Err(unclosed("\"")),
                    }
                }
            }
            '$' if chars.peek() == Some(&'\'') => {
                chars.next();
                in_word = true;
                ansi_c(&mut chars, &mut word)?;
            }
            other => {
                push_char(&mut word, other);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(finish(&mut word));
    }
    Ok(words)
}

fn unclosed(quote: &str) -> InterchangeError {
    InterchangeError::Curl(format!("a {quote} quote is never closed"))
}

fn push_char(word: &mut Vec<u8>, c: char) {
    let mut buf = [0; 4];
    word.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

fn finish(word: &mut Vec<u8>) -> String {
    let text = String::from_utf8_lossy(word).into_owned();
    word.clear();
    text
}

/// The body of `$'...'` after the opening quote, through the closing one. Octal and `\x`
/// escapes are bytes, so a UTF-8 sequence may be spelled byte by byte.
fn ansi_c(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    word: &mut Vec<u8>,
) -> Result<(), InterchangeError> {
    loop {
        let c = chars.next().ok_or_else(|| unclosed("$'"))?;
        if c == '\'' {
            return Ok(());
        }
        if c != '\\' {
            push_char(word, c);
            continue;
        }
        let e = chars.next().ok_or_else(|| unclosed("$'"))?;
        match e {
            'a' => word.push(0x07),
            'b' => word.push(0x08),
            'e' | 'E' => word.push(0x1b),
            'f' => word.push(0x0c),
            'n' => word.push(b'\n'),
            'r' => word.push(b'\r'),
            't' => word.push(b'\t'),
            'v' => word.push(0x0b),
            '\\' | '\'' | '"' | '?' => push_char(word, e),
            '0'..='7' => {
                let mut value = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            value = value * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                word.push((value & 0xff) as u8);
            }
            'x' => match hex_digits(chars, 2) {
                Some(v) => word.push(v as u8),
                None => word.extend_from_slice(b"\\x"),
            },
            'u' | 'U' => {
                let max = if e == 'u' { 4 } else { 8 };
                match hex_digits(chars, max).and_then(char::from_u32) {
                    Some(ch) => push_char(word, ch),
                    None => {
                        word.push(b'\\');
                        push_char(word, e);
                    }
                }
            }
            'c' => {
                let ctl = chars.next().ok_or_else(|| unclosed("$'"))?;
                word.push((ctl as u32 & 0x1f) as u8);
            }
            other => {
                word.push(b'\\');
                push_char(word, other);
            }
        }
    }
}

fn hex_digits(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, max: usize) -> Option<u32> {
    let mut value = None;
    for _ in 0..max {
        match chars.peek().and_then(|d| d.to_digit(16)) {
            Some(d) => {
                value = Some(value.unwrap_or(0) * 16 + d);
                chars.next();
            }
            None => break,
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::split_words;

    fn words(s: &str) -> Vec<String> {
        split_words(s).unwrap()
    }

    #[test]
    fn quoting_styles() {
        assert_eq!(
            words(r#"a 'b c' "d \"e\" \$f \x" g\ h"#),
            ["a", "b c", "d \"e\" $f \\x", "g h"]
        );
        assert_eq!(
            words(r"$'tab\there\n\x41\101\u00e9\'q'"),
            ["tab\there\nAAé'q"]
        );
        assert_eq!(words("'' x"), ["", "x"]);
        assert_eq!(words("'it'\\''s'"), ["it's"]);
    }

    #[test]
    fn continuations_prompts_and_comments() {
        assert_eq!(words("$ curl \\\n  -v \\\r\n x"), ["curl", "-v", "x"]);
        assert_eq!(words("curl ^\r\n -v"), ["curl", "-v"]);
        assert_eq!(words("curl x # trailing note\n-y"), ["curl", "x", "-y"]);
        assert_eq!(words("curl 'a\\\nb'"), ["curl", "a\\\nb"]);
        assert_eq!(words("a#b"), ["a#b"]);
    }

    #[test]
    fn unclosed_quotes_are_errors() {
        for bad in ["curl 'x", "curl \"x", "curl $'x"] {
            let err = split_words(bad).unwrap_err();
            assert!(err.to_string().contains("never closed"), "{err}");
        }
    }
}
