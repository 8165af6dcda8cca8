//! Turns what a person typed into the search box into an FTS5 query that can only mean
//! "entries containing these words".
//!
//! FTS5 has its own query language (`OR`, `NOT`, `NEAR`, `col:`, `-`, `^`, parentheses). Users
//! paste URLs, header values and JSON fragments, which are full of that syntax, so nothing they
//! type is passed through as syntax: every word becomes a quoted phrase, and the phrases are
//! ANDed. The only things given meaning are a trailing `*` (prefix match) and double quotes
//! around several words (they must occur together).

/// The FTS5 query for `text`, or `None` when it holds nothing searchable (only spaces or
/// punctuation), in which case the text filter does not apply.
pub(crate) fn fts_query(text: &str) -> Option<String> {
    let mut terms = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        if let Some(after_quote) = rest.strip_prefix('"') {
            let (phrase, tail) = match after_quote.find('"') {
                Some(end) => (&after_quote[..end], &after_quote[end + 1..]),
                None => (after_quote, ""),
            };
            let prefix = tail.starts_with('*');
            push_term(&mut terms, phrase, prefix);
            rest = tail.trim_start_matches('*');
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let word = &rest[..end];
            let stem = word.trim_end_matches('*');
            push_term(&mut terms, stem, stem.len() < word.len());
            rest = &rest[end..];
        }
    }
    if terms.is_empty() {
        None
    } else {
        Some(terms.join(" "))
    }
}

fn push_term(terms: &mut Vec<String>, term: &str, prefix: bool) {
    // A term without letters or digits yields no tokens; as an empty phrase it would match
    // nothing and make the whole AND fail.
    if !term.chars().any(char::is_alphanumeric) {
        return;
    }
    let mut quoted = String::with_capacity(term.len() + 3);
    quoted.push('"');
    for c in term.chars() {
        if c == '"' {
            quoted.push('"');
        }
        quoted.push(c);
    }
    quoted.push('"');
    if prefix {
        quoted.push('*');
    }
    terms.push(quoted);
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn words_become_anded_phrases() {
        assert_eq!(
            fts_query("users  token").as_deref(),
            Some(r#""users" "token""#)
        );
    }

    #[test]
    fn syntax_is_quoted_not_obeyed() {
        assert_eq!(
            fts_query("a-b OR NOT (x) col:y ^z").as_deref(),
            Some(r#""a-b" "OR" "NOT" "(x)" "col:y" "^z""#)
        );
    }

    #[test]
    fn trailing_star_is_a_prefix() {
        assert_eq!(fts_query("appl*").as_deref(), Some(r#""appl"*"#));
        assert_eq!(fts_query("*").as_deref(), None);
        assert_eq!(fts_query("**a**").as_deref(), Some(r#""**a"*"#));
    }

    #[test]
    fn quotes_group_words_and_are_escaped_inside_words() {
        assert_eq!(
            fts_query(r#"say "not found" a"b"#).as_deref(),
            Some(r#""say" "not found" "a""b""#)
        );
        assert_eq!(
            fts_query(r#""unterminated phrase"#).as_deref(),
            Some(r#""unterminated phrase""#)
        );
        assert_eq!(
            fts_query(r#""two words"*"#).as_deref(),
            Some(r#""two words"*"#)
        );
    }

    #[test]
    fn punctuation_alone_is_nothing_to_search() {
        assert_eq!(fts_query(r#" - () "" * " "#), None);
        assert_eq!(fts_query(""), None);
    }
}
