//! A linear look at YAML text for flow collections (`[`, `{`) nested past the depth cap, before
//! the YAML parser sees it: the parser's cost grows with the square of the flow depth (100,000
//! `[` took over a minute), and our own depth check only runs on what it has already parsed.
//!
//! The scan is lexical and lenient: it knows quotes, comments and block scalars well enough that
//! a real document's text does not count as nesting. It only finds *where* to stop; the caller
//! turns that into the reader's own error by parsing the text up to that point.

/// Where a flow collection first nests deeper than `limit` levels.
pub(super) struct TooDeep {
    /// Byte offset just past the opening bracket that went one level too deep.
    pub end: usize,
    /// The brackets that close every collection open at `end`, innermost first.
    pub closers: String,
}

/// Scans `text` for flow nesting deeper than `limit`.
pub(super) fn flow_too_deep(text: &str, limit: usize) -> Option<TooDeep> {
    Scanner {
        b: text.as_bytes(),
        i: 0,
        stack: Vec::new(),
        limit,
    }
    .run()
}

struct Scanner<'t> {
    b: &'t [u8],
    i: usize,
    stack: Vec<u8>,
    limit: usize,
}

fn is_blank(c: u8) -> bool {
    matches!(c, b' ' | b'\t')
}

impl Scanner<'_> {
    fn at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    /// True when `b[i]` is followed by a blank, a line break or the end.
    fn ends_token(&self, i: usize) -> bool {
        self.at(i + 1)
            .is_none_or(|c| is_blank(c) || c == b'\n' || c == b'\r')
    }

    fn skip_to_eol(&mut self) {
        while let Some(c) = self.at(self.i) {
            if c == b'\n' {
                return;
            }
            self.i += 1;
        }
    }

    fn run(mut self) -> Option<TooDeep> {
        // The indentation of the line that started a block scalar (`|` or `>`): more indented
        // lines are its text.
        let mut block_scalar: Option<usize> = None;
        while self.i < self.b.len() {
            let indent = self.b[self.i..].iter().take_while(|&&c| c == b' ').count();
            let rest = self.i + indent;
            let blank_line = matches!(self.at(rest), None | Some(b'\n' | b'\r'));
            if let Some(outer) = block_scalar {
                if blank_line || indent > outer {
                    self.skip_to_eol();
                    self.i += 1;
                    continue;
                }
                block_scalar = None;
            }
            self.i = rest;
            if let Some(deep) = self.block_line(indent, &mut block_scalar) {
                return Some(deep);
            }
            self.skip_to_eol();
            self.i += 1;
        }
        None
    }

    /// The value positions of one line in block context, where a flow collection can start.
    fn block_line(&mut self, indent: usize, block_scalar: &mut Option<usize>) -> Option<TooDeep> {
        if indent == 0 && self.b[self.i..].starts_with(b"---") && self.ends_token(self.i + 2) {
            self.i += 3;
        }
        loop {
            while self.at(self.i).is_some_and(is_blank) {
                self.i += 1;
            }
            let c = self.at(self.i)?;
            match c {
                b'\n' | b'#' => return None,
                b'%' if indent == 0 => return None,
                b'-' | b'?' | b':' if self.ends_token(self.i) => self.i += 1,
                b'&' | b'!' => {
                    while self.at(self.i).is_some_and(|c| !is_blank(c) && c != b'\n') {
                        self.i += 1;
                    }
                }
                b'[' | b'{' => {
                    if let Some(deep) = self.flow() {
                        return Some(deep);
                    }
                }
                b'|' | b'>' => {
                    *block_scalar = Some(indent);
                    return None;
                }
                b'"' | b'\'' => self.quoted(c),
                _ => {
                    // A plain scalar: a key when `: ` follows on this line, else the value.
                    loop {
                        match self.at(self.i) {
                            None | Some(b'\n') => return None,
                            Some(b':') if self.ends_token(self.i) => {
                                self.i += 1;
                                break;
                            }
                            Some(b'#') if self.i > 0 && is_blank(self.b[self.i - 1]) => {
                                return None
                            }
                            Some(_) => self.i += 1,
                        }
                    }
                }
            }
        }
    }

    /// Skips a quoted scalar starting at `self.i` (it may span lines).
    fn quoted(&mut self, quote: u8) {
        self.i += 1;
        while let Some(c) = self.at(self.i) {
            self.i += 1;
            if quote == b'"' && c == b'\\' {
                self.i += 1;
            } else if c == quote {
                if quote == b'\'' && self.at(self.i) == Some(b'\'') {
                    self.i += 1;
                } else {
                    return;
                }
            }
        }
    }

    /// Follows a flow collection opening at `self.i` to its end, or to where it nests too deep.
    fn flow(&mut self) -> Option<TooDeep> {
        // The last byte that was not a blank or a line break: a quote starts a scalar only
        // after an indicator, else it is part of a plain scalar.
        let mut last = b'[';
        while let Some(c) = self.at(self.i) {
            match c {
                b'[' | b'{' => {
                    self.stack.push(c);
                    self.i += 1;
                    if self.stack.len() > self.limit {
                        let closers = self
                            .stack
                            .iter()
                            .rev()
                            .map(|&open| if open == b'[' { ']' } else { '}' })
                            .collect();
                        return Some(TooDeep {
                            end: self.i,
                            closers,
                        });
                    }
                }
                b']' | b'}' => {
                    self.stack.pop();
                    self.i += 1;
                    if self.stack.is_empty() {
                        return None;
                    }
                }
                b'"' | b'\'' if matches!(last, b'[' | b'{' | b',' | b':' | b'?') => {
                    self.quoted(c);
                }
                b'#' if self.i == 0 || matches!(self.b[self.i - 1], b' ' | b'\t' | b'\n') => {
                    self.skip_to_eol();
                }
                _ => self.i += 1,
            }
            if !matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'#') {
                last = c;
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deep(text: &str) -> Option<usize> {
        flow_too_deep(text, 3).map(|d| d.end)
    }

    #[test]
    fn finds_flow_nesting_past_the_limit() {
        assert_eq!(deep("a: [[[[x]]]]"), Some(7));
        assert_eq!(deep("a: [[[x]]]"), None);
        assert_eq!(deep("- [1, {b: [{c: 1}]}]"), Some(12));
        assert_eq!(deep("--- [[[[\n"), Some(8));
        assert_eq!(deep("a:\n  - b: !t &x [\n   [[[1]]]]"), Some(24));
        let closers = flow_too_deep("a: [{b: [[", 3).unwrap().closers;
        assert_eq!(closers, "]]}]");
    }

    #[test]
    fn text_that_is_not_flow_does_not_count() {
        assert_eq!(deep("a: \"[[[[\"\nb: '[[[['"), None);
        assert_eq!(deep("a: |\n  [[[[ markdown\n  [[[[\nb: 1"), None);
        assert_eq!(deep("a: text [[[[ # [[[["), None);
        assert_eq!(deep("# [[[[\na: 1"), None);
        assert_eq!(deep("a: [\"[[[[\", 'x''[[[[']"), None);
        assert_eq!(deep("a: [x # [[[[\n]"), None);
        assert_eq!(deep("a: [b]\nc: [[d]]\ne: [[[f]]]"), None);
    }

    #[test]
    fn a_quote_inside_a_plain_scalar_does_not_hide_nesting() {
        assert_eq!(deep("a: [b'c, [[[\"x"), Some(12));
    }
}
