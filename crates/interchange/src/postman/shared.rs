//! What import and export agree on: the schema URL and the raw-body editor languages.

pub(crate) const SCHEMA_V21: &str =
    "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";

/// Postman's raw-body languages and the content type each one sends.
const LANGUAGES: [(&str, &str); 5] = [
    ("json", "application/json"),
    ("text", "text/plain"),
    ("xml", "application/xml"),
    ("html", "text/html"),
    ("javascript", "application/javascript"),
];

pub(crate) fn content_type_of(language: &str) -> Option<&'static str> {
    LANGUAGES
        .iter()
        .find(|(l, _)| l.eq_ignore_ascii_case(language))
        .map(|(_, ct)| *ct)
}

pub(crate) fn language_of(content_type: &str) -> Option<&'static str> {
    LANGUAGES
        .iter()
        .find(|(_, ct)| ct.eq_ignore_ascii_case(content_type.trim()))
        .map(|(l, _)| *l)
}
