//! Finding `{{name}}` references in text. Shared by the template's rendering and
//! undefined-variable check, the editor's highlighting and the OpenAPI importer's scoping of a
//! spec's variables, so all of them agree on what a reference is.

use serde::Serialize;

/// One `{{name}}` reference: `start..end` are byte offsets of the whole `{{...}}` in the text and
/// `name` is the trimmed text between the braces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub name: String,
}

/// Every reference in `text`, in order. Whitespace inside the braces is allowed (`{{ name }}`).
/// A name may not be empty nor hold `{`, `}` or a line break; such text stays literal, so
/// `{{{name}}}` is the reference `{{name}}` between two literal braces.
pub fn variables_in(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(offset) = text[from..].find("{{") {
        let open = from + offset;
        let inner_start = open + 2;
        let Some(close) = text[inner_start..].find("}}").map(|c| inner_start + c) else {
            break;
        };
        let inner = &text[inner_start..close];
        let name = inner.trim();
        if name.is_empty() || inner.contains(['{', '}', '\n', '\r']) {
            from = open + 1;
            continue;
        }
        spans.push(Span {
            start: open,
            end: close + 2,
            name: name.to_owned(),
        });
        from = close + 2;
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        variables_in(text).into_iter().map(|s| s.name).collect()
    }

    #[test]
    fn finds_names_with_and_without_spaces() {
        assert_eq!(names("{{a}}/x/{{ b }}?{{$uuid}}"), ["a", "b", "$uuid"]);
        let spans = variables_in("ab{{ c }}d");
        assert_eq!((spans[0].start, spans[0].end), (2, 9));
    }

    #[test]
    fn extra_braces_stay_literal() {
        let spans = variables_in("{{{name}}}");
        assert_eq!(spans.len(), 1);
        assert_eq!((spans[0].start, spans[0].end), (1, 9));
        assert_eq!(spans[0].name, "name");
    }

    #[test]
    fn unclosed_empty_and_multiline_are_not_references() {
        assert!(names("{{open").is_empty());
        assert!(names("{{}} {{  }}").is_empty());
        assert!(names("{{a\nb}}").is_empty());
        assert!(names(r#"{"a":{"b":{}}}"#).is_empty());
    }

    #[test]
    fn offsets_are_bytes_in_unicode_text() {
        let text = "é{{x}}";
        let span = &variables_in(text)[0];
        assert_eq!(&text[span.start..span.end], "{{x}}");
    }
}
