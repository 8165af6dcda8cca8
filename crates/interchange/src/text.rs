//! Small text helpers every format needs: percent-encoding in the dialects the formats use,
//! URL pieces and content-type comparisons. Written here to keep the crate free of URL parsing
//! dependencies: imported URLs often hold `{{variables}}` and are not valid URLs anyway.

/// `application/x-www-form-urlencoded` as the engine writes query rows: ASCII letters, digits and
/// `*-._` stay, space becomes `+`, everything else is `%XX`.
pub(crate) fn form_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => push_hex(&mut out, b),
        }
    }
    out
}

/// What `curl --data-urlencode` does: everything but RFC 3986 unreserved characters is `%XX`.
pub(crate) fn curl_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => push_hex(&mut out, b),
        }
    }
    out
}

/// Only what would change the meaning of a query string (`&`, `=`, `#`, `+`, `%`, space and
/// control characters); `{{variables}}` and non-ASCII text stay readable. Used where the other
/// tool shows the raw URL to people (Postman).
pub(crate) fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' | '=' | '#' | '+' | '%' | ' ' => push_hex(&mut out, c as u8),
            c if c.is_ascii_control() => push_hex(&mut out, c as u8),
            c => out.push(c),
        }
    }
    out
}

fn push_hex(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(HEX[usize::from(b >> 4)] as char);
    out.push(HEX[usize::from(b & 15)] as char);
}

/// Percent-decoding for query and form text: `+` is a space; a `%` not followed by two hex
/// digits stays as it is.
pub(crate) fn form_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(hi), Some(lo)) => {
                    out.push(hi << 4 | lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// `name=value&...` into rows, decoded. Pieces without `=` get an empty value.
pub(crate) fn split_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((n, v)) => (form_decode(n), form_decode(v)),
            None => (form_decode(p), String::new()),
        })
        .collect()
}

/// The URL with the enabled query rows appended the way the engine appends them.
pub(crate) fn url_with_query(url: &str, query: &[sextant_model::KeyValue]) -> String {
    let rows: Vec<String> = query
        .iter()
        .filter(|q| q.enabled)
        .map(|q| format!("{}={}", form_encode(&q.name), form_encode(&q.value)))
        .collect();
    if rows.is_empty() {
        return url.to_owned();
    }
    let (base, fragment) = match url.find('#') {
        Some(i) => url.split_at(i),
        None => (url, ""),
    };
    let sep = if !base.contains('?') {
        "?"
    } else if base.ends_with('?') || base.ends_with('&') {
        ""
    } else {
        "&"
    };
    format!("{base}{sep}{}{fragment}", rows.join("&"))
}

/// The path of a URL without scheme, host, query or fragment; `/` when there is none.
pub(crate) fn url_path(url: &str) -> &str {
    let after_scheme = match url.find("://") {
        Some(i) => &url[i + 3..],
        None => url,
    };
    let end = after_scheme.find(['?', '#']).unwrap_or(after_scheme.len());
    let without_query = &after_scheme[..end];
    match without_query.find('/') {
        Some(i) => &without_query[i..],
        None => "/",
    }
}

/// A name for an imported request that has none: `POST /users`.
pub(crate) fn request_name(method: &str, url: &str) -> String {
    format!("{method} {}", url_path(url))
}

/// The media type without parameters, lower-cased: `application/json; charset=utf-8` →
/// `application/json`.
pub(crate) fn essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Exactly `application/json`, no parameters: the content type a JSON body stands for. Any
/// other type (`application/json; charset=utf-8`, `application/vnd.api+json`) stays a text body
/// so what is sent does not change.
pub(crate) fn is_plain_json(content_type: &str) -> bool {
    content_type.trim().eq_ignore_ascii_case("application/json")
}

/// Removes the enabled Content-Type headers and returns the last one's value: a body that
/// carries its own content type takes it over. Disabled rows stay as they are.
pub(crate) fn take_content_type(headers: &mut Vec<sextant_model::KeyValue>) -> Option<String> {
    let is_type =
        |h: &sextant_model::KeyValue| h.enabled && h.name.eq_ignore_ascii_case("content-type");
    let found = headers
        .iter()
        .rev()
        .find(|h| is_type(h))
        .map(|h| h.value.clone());
    headers.retain(|h| !is_type(h));
    found
}

/// The last path segment, as the file name a multipart part would get.
pub(crate) fn basename(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// At most 120 characters of `s` for a message, with `…` when cut: a value quoted from an
/// imported file (a path, a version) stays readable and a hostile one cannot flood the output.
pub(crate) fn short(s: &str) -> String {
    const MAX: usize = 120;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_reverses_each_encoder() {
        for s in [
            "a b&c=d",
            "100% + {{x}}",
            "ünï/cødé?#",
            "%zz",
            "line\nbreak",
        ] {
            assert_eq!(form_decode(&form_encode(s)), s);
            assert_eq!(form_decode(&query_escape(s)), s);
            assert_eq!(form_decode(&curl_escape(s)), s);
        }
        assert_eq!(form_decode("%4"), "%4");
    }

    #[test]
    fn url_paths() {
        assert_eq!(url_path("https://a.example/x/y?q=1"), "/x/y");
        assert_eq!(url_path("https://a.example"), "/");
        assert_eq!(url_path("{{base}}/users"), "/users");
    }

    #[test]
    fn query_rows_join_the_url() {
        let rows = [sextant_model::KeyValue::new("a b", "1&2")];
        assert_eq!(url_with_query("http://h/p", &rows), "http://h/p?a+b=1%262");
        assert_eq!(
            url_with_query("http://h/p?x=1#f", &rows),
            "http://h/p?x=1&a+b=1%262#f"
        );
    }
}
