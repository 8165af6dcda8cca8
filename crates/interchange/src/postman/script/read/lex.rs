//! The tokens of a test script: names, numbers, string and regular-expression literals,
//! punctuation; comments dropped. Enough JavaScript to find chai checks, no more.

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Ident(String),
    Num(String),
    Str(String),
    Regex(String, String),
    Punct(char),
    Arrow,
}

#[derive(Debug, Clone)]
pub(super) struct Token {
    pub tok: Tok,
    pub start: usize,
    pub end: usize,
}

/// The tokens of `text`, or the offset where it stops reading as JavaScript.
pub(super) fn tokenize(text: &str) -> Result<Vec<Token>, usize> {
    let bytes = text.as_bytes();
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if text[i..].starts_with("//") {
            i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
            continue;
        }
        if text[i..].starts_with("/*") {
            i = text[i + 2..]
                .find("*/")
                .map_or(bytes.len(), |n| i + 2 + n + 2);
            continue;
        }
        let tok = if c.is_ascii_alphabetic() || c == b'_' || c == b'$' {
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'$')
            {
                i += 1;
            }
            Tok::Ident(text[start..i].to_owned())
        } else if c.is_ascii_digit() {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.') {
                i += 1;
            }
            Tok::Num(text[start..i].to_owned())
        } else if c == b'"' || c == b'\'' || c == b'`' {
            let (s, next) = string(text, i)?;
            i = next;
            Tok::Str(s)
        } else if c == b'/' && regex_may_start(out.last().map(|t| &t.tok)) {
            let (pattern, flags, next) = regex(text, i)?;
            i = next;
            Tok::Regex(pattern, flags)
        } else if text[i..].starts_with("=>") {
            i += 2;
            Tok::Arrow
        } else {
            let ch = text[i..].chars().next().ok_or(i)?;
            i += ch.len_utf8();
            Tok::Punct(ch)
        };
        out.push(Token { tok, start, end: i });
    }
    Ok(out)
}

fn regex_may_start(previous: Option<&Tok>) -> bool {
    match previous {
        None => true,
        Some(Tok::Punct(c)) => "(,=[!&|?:{};".contains(*c),
        Some(Tok::Arrow) => true,
        Some(Tok::Ident(word)) => word == "return",
        _ => false,
    }
}

/// A string literal at `at` (its quote): its value and where it ends. Template literals with
/// `${...}` are read as text.
fn string(text: &str, at: usize) -> Result<(String, usize), usize> {
    let quote = text[at..].chars().next().ok_or(at)?;
    let mut out = String::new();
    let mut chars = text[at + 1..].char_indices();
    while let Some((n, c)) = chars.next() {
        match c {
            '\\' => {
                let (_, e) = chars.next().ok_or(at)?;
                out.push(match e {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    other => other,
                });
            }
            c if c == quote => return Ok((out, at + 1 + n + 1)),
            '\n' if quote != '`' => return Err(at),
            c => out.push(c),
        }
    }
    Err(at)
}

fn regex(text: &str, at: usize) -> Result<(String, String, usize), usize> {
    let mut pattern = String::new();
    let mut chars = text[at + 1..].char_indices();
    let mut class = false;
    while let Some((n, c)) = chars.next() {
        match c {
            '\\' => {
                let (_, e) = chars.next().ok_or(at)?;
                // `\/` is only needed inside a literal; the pattern itself means `/`.
                if e != '/' {
                    pattern.push('\\');
                }
                pattern.push(e);
            }
            '[' => {
                class = true;
                pattern.push(c);
            }
            ']' => {
                class = false;
                pattern.push(c);
            }
            '/' if !class => {
                let rest = at + 1 + n + 1;
                let flags_len = text[rest..]
                    .find(|c: char| !c.is_ascii_alphabetic())
                    .unwrap_or(text.len() - rest);
                return Ok((
                    pattern,
                    text[rest..rest + flags_len].to_owned(),
                    rest + flags_len,
                ));
            }
            '\n' => return Err(at),
            c => pattern.push(c),
        }
    }
    Err(at)
}
