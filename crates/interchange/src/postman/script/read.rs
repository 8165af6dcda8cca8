//! Reading a test script's chai checks as assertions. The script is split into tokens and then
//! into statements; `NS.test(name, function () { ... })` (or an arrow function) is opened,
//! `var x = NS.response.json();` makes `x` a name for the body, and each `NS.expect(...)...` or
//! `NS.response.to...` statement becomes an assertion when its subject and chain are ones we
//! know. Every other statement is returned as an excerpt, for the caller's warning.

mod chai;
mod lex;

use serde_json::Value;
use sextant_model::Assertion;

use lex::{tokenize, Tok, Token};

/// Scripts longer than this are not read (a warning says so).
const MAX_SCRIPT: usize = 256 * 1024;
const EXCERPT: usize = 80;
/// `test` calls nested deeper than this are not opened (a hostile file could nest thousands).
const MAX_NESTING: usize = 16;

/// What a script held: the assertions read, and excerpts of the statements that were not.
#[derive(Debug, Default)]
pub(crate) struct ReadScript {
    pub assertions: Vec<Assertion>,
    pub unread: Vec<String>,
}

/// Reads the checks of a script written against `ns` (`pm` for Postman, `insomnia`).
pub(crate) fn read_script(text: &str, ns: &str) -> ReadScript {
    if text.len() > MAX_SCRIPT {
        return ReadScript {
            assertions: Vec::new(),
            unread: vec![format!(
                "the whole script ({} bytes, more than the {} KiB read)",
                text.len(),
                MAX_SCRIPT / 1024
            )],
        };
    }
    let tokens = match tokenize(text) {
        Ok(tokens) => tokens,
        Err(at) => {
            return ReadScript {
                assertions: Vec::new(),
                unread: vec![format!(
                    "the whole script (it does not read as JavaScript near {})",
                    excerpt(&text[at..])
                )],
            }
        }
    };
    let mut reader = Reader {
        text,
        tokens: &tokens,
        pos: 0,
        ns,
        aliases: Vec::new(),
        out: ReadScript::default(),
        nesting: 0,
    };
    reader.statements(false);
    reader.out
}

fn excerpt(s: &str) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > EXCERPT {
        let cut: String = one_line.chars().take(EXCERPT).collect();
        format!("{cut}…")
    } else {
        one_line
    }
}

/// One link of a member chain: `.name`, `(args)` (its token range), `[index]`.
#[derive(Debug, Clone)]
pub(super) enum Link {
    Name(String),
    Call(usize, usize),
    Index(usize, usize),
}

struct Reader<'a> {
    text: &'a str,
    tokens: &'a [Token],
    pos: usize,
    ns: &'a str,
    aliases: Vec<String>,
    out: ReadScript,
    nesting: usize,
}

impl Reader<'_> {
    fn peek(&self, ahead: usize) -> Option<&Tok> {
        self.tokens.get(self.pos + ahead).map(|t| &t.tok)
    }

    fn is_punct(&self, ahead: usize, c: char) -> bool {
        self.peek(ahead) == Some(&Tok::Punct(c))
    }

    fn is_ident(&self, ahead: usize, word: &str) -> bool {
        matches!(self.peek(ahead), Some(Tok::Ident(w)) if w == word)
    }

    fn eat_punct(&mut self, c: char) -> bool {
        let yes = self.is_punct(0, c);
        if yes {
            self.pos += 1;
        }
        yes
    }

    fn source(&self, from: usize, to: usize) -> &str {
        match (
            self.tokens.get(from),
            to.checked_sub(1).and_then(|t| self.tokens.get(t)),
        ) {
            (Some(a), Some(b)) if a.start <= b.end => &self.text[a.start..b.end],
            _ => "",
        }
    }

    /// Statements until the end, or (`in_block`) an unmatched `}`.
    fn statements(&mut self, in_block: bool) {
        while self.pos < self.tokens.len() {
            if self.is_punct(0, '}') && in_block {
                return;
            }
            if self.eat_punct(';') {
                continue;
            }
            let start = self.pos;
            if !self.statement() {
                self.pos = start;
                self.skip_statement();
                let text = excerpt(self.source(start, self.pos));
                if !text.is_empty() {
                    self.out.unread.push(text);
                }
                if self.pos == start {
                    // An unmatched closer at the top: nothing else can be read past it.
                    self.pos += 1;
                }
            }
        }
    }

    /// Moves past one statement: up to a `;` (eaten) at depth 0, or an unmatched closer.
    fn skip_statement(&mut self) {
        let mut depth = 0usize;
        while let Some(tok) = self.peek(0) {
            match tok {
                Tok::Punct('(' | '[' | '{') => depth += 1,
                Tok::Punct(')' | ']' | '}') => {
                    if depth == 0 {
                        return;
                    }
                    depth -= 1;
                }
                Tok::Punct(';') if depth == 0 => {
                    self.pos += 1;
                    return;
                }
                _ => {}
            }
            self.pos += 1;
        }
    }

    /// One statement we understand; false (position anywhere) when it is not one.
    fn statement(&mut self) -> bool {
        if self.is_ident(0, self.ns)
            && self.is_punct(1, '.')
            && self.is_ident(2, "test")
            && self.is_punct(3, '(')
        {
            return self.test_call();
        }
        if matches!(self.peek(0), Some(Tok::Ident(w)) if w == "var" || w == "let" || w == "const") {
            return self.alias();
        }
        let Some(chain) = self.chain() else {
            return false;
        };
        if !self.statement_end() {
            return false;
        }
        match self.assertion(&chain) {
            Some(a) => {
                self.out.assertions.push(a);
                true
            }
            None => false,
        }
    }

    /// After an expression: `;`, or an end the caller sees (`}`, `)`, the end).
    fn statement_end(&mut self) -> bool {
        self.eat_punct(';')
            || self.peek(0).is_none()
            || self.is_punct(0, '}')
            || self.is_punct(0, ')')
    }

    /// `NS.test("name", function () { ... })` or `NS.test("name", () => ...)`.
    fn test_call(&mut self) -> bool {
        if self.nesting >= MAX_NESTING {
            return false;
        }
        self.nesting += 1;
        let read = self.test_call_inner();
        self.nesting -= 1;
        read
    }

    fn test_call_inner(&mut self) -> bool {
        self.pos += 4;
        if !matches!(self.peek(0), Some(Tok::Str(_))) || !self.is_punct(1, ',') {
            return false;
        }
        self.pos += 2;
        let arrow = if self.is_ident(0, "function") {
            self.pos += 1;
            false
        } else {
            true
        };
        if !(self.eat_punct('(') && self.eat_punct(')')) {
            return false;
        }
        if arrow {
            if self.peek(0) != Some(&Tok::Arrow) {
                return false;
            }
            self.pos += 1;
        }
        if self.eat_punct('{') {
            self.statements(true);
            if !self.eat_punct('}') {
                return false;
            }
        } else if arrow {
            if !self.statement() {
                return false;
            }
        } else {
            return false;
        }
        self.eat_punct(')') && self.statement_end()
    }

    /// `var x = NS.response.json();` (any other declaration is not ours).
    fn alias(&mut self) -> bool {
        let Some(Tok::Ident(name)) = self.peek(1).cloned() else {
            return false;
        };
        if !self.is_punct(2, '=') {
            return false;
        }
        self.pos += 3;
        let Some(chain) = self.chain() else {
            return false;
        };
        if !self.is_body(&chain) || !self.statement_end() {
            return false;
        }
        self.aliases.push(name);
        true
    }

    /// `NS.response.json()` alone.
    fn is_body(&self, chain: &[Link]) -> bool {
        matches!(chain, [Link::Name(ns), Link::Name(r), Link::Name(j), Link::Call(a, b)]
            if ns == self.ns && r == "response" && j == "json" && a == b)
    }

    /// A member chain from the current position: a name, then `.name`, `(...)`, `[...]`.
    fn chain(&mut self) -> Option<Vec<Link>> {
        let Some(Tok::Ident(first)) = self.peek(0).cloned() else {
            return None;
        };
        self.pos += 1;
        let mut links = vec![Link::Name(first)];
        loop {
            if self.is_punct(0, '.') {
                let Some(Tok::Ident(name)) = self.peek(1).cloned() else {
                    return None;
                };
                self.pos += 2;
                links.push(Link::Name(name));
            } else if self.is_punct(0, '(') || self.is_punct(0, '[') {
                let call = self.is_punct(0, '(');
                let (from, to) = self.group()?;
                links.push(if call {
                    Link::Call(from, to)
                } else {
                    Link::Index(from, to)
                });
            } else {
                return Some(links);
            }
        }
    }

    /// A bracketed group at the position: the token range inside it; moves past it.
    fn group(&mut self) -> Option<(usize, usize)> {
        let from = self.pos + 1;
        let mut depth = 0usize;
        while let Some(tok) = self.peek(0) {
            match tok {
                Tok::Punct('(' | '[' | '{') => depth += 1,
                Tok::Punct(')' | ']' | '}') => {
                    depth -= 1;
                    if depth == 0 {
                        let to = self.pos;
                        self.pos += 1;
                        return Some((from, to));
                    }
                }
                _ => {}
            }
            self.pos += 1;
        }
        None
    }

    /// A sub-reader's chain over the token range `from..to` (all of it).
    fn chain_in(&self, from: usize, to: usize) -> Option<Vec<Link>> {
        let mut sub = Reader {
            text: self.text,
            tokens: &self.tokens[..to],
            pos: from,
            ns: self.ns,
            aliases: Vec::new(),
            out: ReadScript::default(),
            nesting: self.nesting,
        };
        let chain = sub.chain()?;
        (sub.pos == to).then_some(chain)
    }

    /// The token range as one JSON value (JavaScript literals: quotes of either kind, bare
    /// object keys).
    fn value(&self, from: usize, to: usize) -> Option<Value> {
        let mut json = String::new();
        for (i, t) in self.tokens[from..to].iter().enumerate() {
            match &t.tok {
                Tok::Str(s) => json.push_str(&Value::String(s.clone()).to_string()),
                Tok::Num(n) => json.push_str(n),
                Tok::Ident(w) if w == "true" || w == "false" || w == "null" => json.push_str(w),
                Tok::Ident(w)
                    if self.tokens.get(from + i + 1).map(|t| &t.tok) == Some(&Tok::Punct(':')) =>
                {
                    json.push_str(&Value::String(w.clone()).to_string());
                }
                Tok::Punct(c) if "[]{},:-".contains(*c) => json.push(*c),
                _ => return None,
            }
        }
        serde_json::from_str(&json).ok()
    }

    /// A single string argument.
    fn text_arg(&self, from: usize, to: usize) -> Option<String> {
        match self.tokens.get(from..to) {
            Some(
                [Token {
                    tok: Tok::Str(s), ..
                }],
            ) => Some(s.clone()),
            _ => None,
        }
    }
}
