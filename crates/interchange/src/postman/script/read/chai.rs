//! What a chai check means: the subject given to `expect` (the status, a header, a cookie, the
//! body or a JSONPath into it, a `startsWith`/`isInteger` test) and the words after it (`not`,
//! `eql`, `below`, `oneOf`, `a("string")`, ...), as one assertion.

use serde_json::Value;
use sextant_model::{AssertPredicate as P, AssertQuery as Q, Assertion};

use super::lex::{Tok, Token};
use super::{Link, Reader};

/// The chain after `expect(...)`: negation, the deciding word, its arguments' token range.
struct Terminal {
    negate: bool,
    word: String,
    args: Option<(usize, usize)>,
}

/// What `expect` was given, once understood.
enum Subject {
    Plain(Q),
    /// `String(S).startsWith(V)` / `.endsWith(V)`: true when it holds.
    Affix(Q, P, String),
    /// `Number.isInteger(S)`.
    Integer(Q),
    /// `NS.cookies.has(name)`, `NS.response.headers.has(name)`.
    Has(Q),
}

/// chai words that only read well.
const FILLER: [&str; 16] = [
    "to", "be", "been", "is", "that", "which", "and", "has", "have", "with", "at", "of", "same",
    "does", "deep", "also",
];

impl Reader<'_> {
    /// What `expect(...)` was given.
    fn subject(&self, links: &[Link]) -> Option<Subject> {
        // String(S).startsWith(V) or S.startsWith(V)
        if let [head @ .., Link::Name(f), Link::Call(a, b)] = links {
            let affix = match f.as_str() {
                "startsWith" => Some(P::StartsWith),
                "endsWith" => Some(P::EndsWith),
                _ => None,
            };
            if let Some(predicate) = affix {
                let inner = match head {
                    [Link::Name(s), Link::Call(x, y)] if s == "String" => self.chain_in(*x, *y)?,
                    other => other.to_vec(),
                };
                let query = self.query(&inner)?;
                return Some(Subject::Affix(query, predicate, self.text_arg(*a, *b)?));
            }
        }
        if let [Link::Name(n), Link::Name(i), Link::Call(a, b)] = links {
            if n == "Number" && i == "isInteger" {
                let query = self.query(&self.chain_in(*a, *b)?)?;
                return Some(Subject::Integer(query));
            }
        }
        if let [Link::Name(ns), rest @ ..] = links {
            if ns == self.ns {
                let words: Vec<Option<&str>> = rest.iter().map(link_name).collect();
                match (words.as_slice(), rest.last()) {
                    ([Some("cookies"), Some("has"), None], Some(Link::Call(a, b))) => {
                        return Some(Subject::Has(Q::Cookie {
                            name: self.text_arg(*a, *b)?,
                        }))
                    }
                    (
                        [Some("response"), Some("headers"), Some("has"), None],
                        Some(Link::Call(a, b)),
                    ) => {
                        return Some(Subject::Has(Q::Header {
                            name: self.text_arg(*a, *b)?,
                        }))
                    }
                    _ => {}
                }
            }
        }
        Some(Subject::Plain(self.query(links)?))
    }

    /// A plain query: the status, a header, a cookie, the body or a path into its JSON, ...
    fn query(&self, links: &[Link]) -> Option<Q> {
        let (access, body) = match links {
            [Link::Name(ns), Link::Name(r), Link::Name(j), Link::Call(a, b), rest @ ..]
                if ns == self.ns && r == "response" && j == "json" && a == b =>
            {
                (rest, true)
            }
            [Link::Name(alias), rest @ ..] if self.aliases.contains(alias) => (rest, true),
            _ => (links, false),
        };
        if body {
            let mut path = String::from("$");
            for link in access {
                match link {
                    Link::Name(n) => {
                        path.push('.');
                        path.push_str(n);
                    }
                    Link::Index(a, b) => match self.value(*a, *b)? {
                        Value::Number(n) if n.is_u64() => path.push_str(&format!("[{n}]")),
                        Value::String(s) if !s.contains(['\'', '\\']) => {
                            path.push_str(&format!("['{s}']"))
                        }
                        _ => return None,
                    },
                    Link::Call(..) => return None,
                }
            }
            return Some(Q::JsonPath { path });
        }
        let [Link::Name(ns), rest @ ..] = access else {
            return None;
        };
        if ns != self.ns {
            return None;
        }
        let q = match rest {
            [Link::Name(r), Link::Name(c)] if r == "response" && c == "code" => Q::Status,
            [Link::Name(r), Link::Name(c)] if r == "response" && c == "responseTime" => {
                Q::ResponseTime
            }
            [Link::Name(r), Link::Name(c)] if r == "response" && c == "responseSize" => Q::Size,
            [Link::Name(r), Link::Name(t), Link::Call(a, b)]
                if r == "response" && t == "text" && a == b =>
            {
                Q::BodyText
            }
            [Link::Name(r), Link::Name(h), Link::Name(g), Link::Call(a, b)]
                if r == "response" && h == "headers" && g == "get" =>
            {
                Q::Header {
                    name: self.text_arg(*a, *b)?,
                }
            }
            [Link::Name(c), Link::Name(g), Link::Call(a, b)] if c == "cookies" && g == "get" => {
                Q::Cookie {
                    name: self.text_arg(*a, *b)?,
                }
            }
            _ => return None,
        };
        Some(q)
    }

    /// The assertion a whole statement's chain makes, if we can tell.
    pub(super) fn assertion(&self, chain: &[Link]) -> Option<Assertion> {
        let [Link::Name(ns), Link::Name(second), rest @ ..] = chain else {
            return None;
        };
        if ns != self.ns {
            return None;
        }
        if second == "response" {
            return self.response_to(rest);
        }
        let (second, Some(Link::Call(a, b))) = (second, rest.first()) else {
            return None;
        };
        if second != "expect" {
            return None;
        }
        let subject = self.subject(&self.chain_in(*a, *b)?)?;
        let Terminal { negate, word, args } = self.terminal(&rest[1..])?;
        let words = |q: Q, p: P, v: Option<String>, negate: bool| {
            Some(Assertion {
                query: q,
                predicate: p,
                value: v,
                negate,
                enabled: true,
            })
        };
        match subject {
            Subject::Affix(q, p, v) => match (word.as_str(), args) {
                ("true", None) => words(q, p, Some(v), negate),
                ("false", None) => words(q, p, Some(v), !negate),
                _ => None,
            },
            Subject::Integer(q) => match (word.as_str(), args) {
                ("true", None) => words(q, P::IsInteger, None, negate),
                ("false", None) => words(q, P::IsInteger, None, !negate),
                _ => None,
            },
            Subject::Has(q) => match (word.as_str(), args) {
                ("true", None) => words(q, P::Exists, None, negate),
                ("false", None) => words(q, P::Exists, None, !negate),
                _ => None,
            },
            Subject::Plain(q) => {
                let (p, v, flip) = self.predicate(&q, &word, args)?;
                words(q, p, v, negate ^ flip)
            }
        }
    }

    /// The chain after `expect(...)`: negation, the deciding word and its arguments.
    fn terminal(&self, links: &[Link]) -> Option<Terminal> {
        let mut negate = false;
        let mut i = 0;
        while i < links.len() {
            let Link::Name(w) = &links[i] else {
                return None;
            };
            if w == "not" {
                negate = !negate;
            } else if !FILLER.contains(&w.as_str()) {
                let args = match links.get(i + 1) {
                    Some(Link::Call(a, b)) => Some((*a, *b)),
                    None => None,
                    Some(_) => return None,
                };
                let consumed = i + 1 + usize::from(args.is_some());
                return (consumed == links.len()).then(|| Terminal {
                    negate,
                    word: w.clone(),
                    args,
                });
            }
            i += 1;
        }
        None
    }

    /// chai's word (and argument) as a predicate and value; the bool flips the negation
    /// (`undefined` is "does not exist").
    fn predicate(
        &self,
        q: &Q,
        word: &str,
        args: Option<(usize, usize)>,
    ) -> Option<(P, Option<String>, bool)> {
        let value = |args: Option<(usize, usize)>| -> Option<Value> {
            let (a, b) = args?;
            self.value(a, b)
        };
        let as_text = |v: Value| match v {
            Value::String(s) if matches!(q, Q::Header { .. } | Q::Cookie { .. } | Q::BodyText) => s,
            other => other.to_string(),
        };
        let compare = |p: P| Some((p, Some(as_text(value(args)?)), false));
        match word {
            "eql" | "eq" | "equal" | "equals" => compare(P::Equals),
            "above" | "gt" | "greaterThan" => compare(P::Greater),
            "below" | "lt" | "lessThan" => compare(P::Less),
            "least" | "gte" => compare(P::GreaterOrEqual),
            "most" | "lte" => compare(P::LessOrEqual),
            "include" | "includes" | "contain" | "contains" => compare(P::Contains),
            "lengthOf" | "length" => compare(P::Length),
            "oneOf" => match value(args)? {
                list @ Value::Array(_) => Some((P::In, Some(list.to_string()), false)),
                _ => None,
            },
            "match" | "matches" => {
                let (a, b) = args?;
                match self.tokens.get(a..b) {
                    Some(
                        [Token {
                            tok: Tok::Regex(pattern, flags),
                            ..
                        }],
                    ) => {
                        let prefix = match flags.as_str() {
                            "" | "g" => "",
                            "i" | "gi" | "ig" => "(?i)",
                            _ => return None,
                        };
                        Some((P::Matches, Some(format!("{prefix}{pattern}")), false))
                    }
                    _ => None,
                }
            }
            "a" | "an" => {
                let p = match self
                    .text_arg(args?.0, args?.1)?
                    .to_ascii_lowercase()
                    .as_str()
                {
                    "string" => P::IsString,
                    "number" => P::IsNumber,
                    "boolean" => P::IsBoolean,
                    "array" => P::IsArray,
                    "object" => P::IsObject,
                    "null" => P::IsNull,
                    _ => return None,
                };
                Some((p, None, false))
            }
            "empty" if args.is_none() => Some((P::IsEmpty, None, false)),
            "null" if args.is_none() => Some((P::IsNull, None, false)),
            "exist" | "exists" if args.is_none() => Some((P::Exists, None, false)),
            "undefined" if args.is_none() => Some((P::Exists, None, true)),
            "true" | "false" if args.is_none() => Some((P::Equals, Some(word.to_owned()), false)),
            _ => None,
        }
    }

    /// `NS.response.to.have.status(N)`, `.to.have.header("X")`, `.to.have.header("X", "v")`.
    fn response_to(&self, links: &[Link]) -> Option<Assertion> {
        let Terminal { negate, word, args } = self.terminal(links)?;
        let (a, b) = args?;
        let (query, predicate, value) = match word.as_str() {
            "status" => match self.value(a, b)? {
                Value::Number(n) if n.is_u64() => (Q::Status, P::Equals, Some(n.to_string())),
                _ => return None,
            },
            "header" => {
                let parts: Vec<&[Token]> = self.tokens[a..b]
                    .split(|t| t.tok == Tok::Punct(','))
                    .collect();
                let text = |part: &[Token]| match part {
                    [Token {
                        tok: Tok::Str(s), ..
                    }] => Some(s.clone()),
                    _ => None,
                };
                match parts.as_slice() {
                    [name] => (Q::Header { name: text(name)? }, P::Exists, None),
                    [name, value] => (
                        Q::Header { name: text(name)? },
                        P::Equals,
                        Some(text(value)?),
                    ),
                    _ => return None,
                }
            }
            _ => return None,
        };
        Some(Assertion {
            query,
            predicate,
            value,
            negate,
            enabled: true,
        })
    }
}

fn link_name(link: &Link) -> Option<&str> {
    match link {
        Link::Name(n) => Some(n.as_str()),
        _ => None,
    }
}
