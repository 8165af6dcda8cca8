//! Printing a response for people: status line, headers, body (JSON pretty-printed and coloured
//! on a terminal, plain when piped or with NO_COLOR), redirect hops and timings. A body printed
//! while it downloads goes through `follow`, which uses the head and body helpers here.

use std::io::{self, Read, Write};
use std::path::Path;

use sextant_model::{HttpResponse, RedirectHop, ResponseHead, Timings};

/// Bodies up to this size are pretty-printed when they are JSON; larger ones stream as they are.
const PRETTY_LIMIT: u64 = 8 * 1024 * 1024;

#[derive(Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    pub fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

pub fn status_line(out: &mut dyn Write, r: &HttpResponse, style: Style) -> io::Result<()> {
    status_parts(out, &r.http_version, r.status, &r.reason, style)
}

fn status_parts(
    out: &mut dyn Write,
    version: &str,
    status: u16,
    reason: &str,
    style: Style,
) -> io::Result<()> {
    let color = match status {
        200..=299 => "1;32",
        300..=399 => "1;34",
        400..=499 => "1;33",
        _ => "1;31",
    };
    let line = format!("{version} {status} {reason}");
    writeln!(out, "{}", style.paint(color, &line))
}

pub fn headers(out: &mut dyn Write, r: &HttpResponse, style: Style) -> io::Result<()> {
    header_list(out, &r.headers, style)
}

fn header_list(
    out: &mut dyn Write,
    headers: &[sextant_model::Header],
    style: Style,
) -> io::Result<()> {
    for h in headers {
        writeln!(out, "{}: {}", style.paint("36", &h.name), h.value)?;
    }
    writeln!(out)
}

/// The status line and headers of a response still downloading, as [`status_line`] and
/// [`headers`] print a finished one.
pub fn head_lines(out: &mut dyn Write, head: &ResponseHead, style: Style) -> io::Result<()> {
    status_parts(out, &head.http_version, head.status, &head.reason, style)?;
    header_list(out, &head.headers, style)
}

fn is_json(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|ct| ct.contains("json"))
}

/// Whether a body with this head is printed whole, pretty, once it is in: a JSON document of a
/// known length within the pretty-printing limit (a stream of JSON records is not one).
pub fn pretty_candidate(head: &ResponseHead) -> bool {
    let ct = head
        .content_type
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase();
    let records = ["ndjson", "jsonl", "json-seq", "jsonlines"]
        .iter()
        .any(|r| ct.contains(r));
    is_json(Some(&ct)) && !records && head.expected.is_some_and(|n| n <= PRETTY_LIMIT)
}

/// Whether the first bytes of a body look binary (not for a terminal).
pub fn looks_binary(first: &[u8]) -> bool {
    let n = first.len().min(8192);
    first[..n].contains(&0) || std::str::from_utf8(&first[..n.min(8000)]).is_err() && n < 4
}

pub fn binary_note(out: &mut dyn Write, size: u64) -> io::Result<()> {
    writeln!(
        out,
        "[binary body, {size} bytes: use --output FILE to save it]"
    )
}

pub fn hop(out: &mut dyn Write, h: &RedirectHop, style: Style) -> io::Result<()> {
    writeln!(
        out,
        "{} {} {} → {} {}{}",
        style.paint("34", &h.status.to_string()),
        h.method,
        h.url,
        h.next_method,
        h.location,
        if h.body_dropped {
            " (body dropped)"
        } else {
            ""
        }
    )
}

/// Prints the stored body at `path`.
pub fn body(
    out: &mut dyn Write,
    r: &HttpResponse,
    path: &Path,
    style: Style,
    tty: bool,
) -> io::Result<()> {
    if is_json(r.body.content_type.as_deref()) && r.body.size <= PRETTY_LIMIT {
        let mut text = String::new();
        if std::fs::File::open(path)?.read_to_string(&mut text).is_ok() {
            if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
                let pretty = serde_json::to_string_pretty(&value).map_err(io::Error::other)?;
                let shown = if style.color {
                    colour_json(&pretty)
                } else {
                    pretty
                };
                return writeln!(out, "{shown}");
            }
        }
    }
    let mut file = std::fs::File::open(path)?;
    if tty {
        let mut head = vec![0u8; 8192];
        let n = file.read(&mut head)?;
        if looks_binary(&head[..n]) {
            return binary_note(out, r.body.size);
        }
        out.write_all(&head[..n])?;
    }
    io::copy(&mut file, out)?;
    Ok(())
}

/// Colours pretty-printed JSON token by token: keys, strings, numbers, literals.
fn colour_json(pretty: &str) -> String {
    let mut out = String::with_capacity(pretty.len() * 2);
    let chars: Vec<char> = pretty.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' {
            let start = i;
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i = (i + 1).min(chars.len());
            let token: String = chars[start..i].iter().collect();
            let is_key = chars.get(i) == Some(&':');
            let code = if is_key { "34" } else { "32" };
            out.push_str(&format!("\x1b[{code}m{token}\x1b[0m"));
        } else if c == '-' || c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || "+-.".contains(chars[i]))
            {
                i += 1;
            }
            let token: String = chars[start..i].iter().collect();
            out.push_str(&format!("\x1b[33m{token}\x1b[0m"));
        } else if c.is_ascii_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphabetic() {
                i += 1;
            }
            let token: String = chars[start..i].iter().collect();
            out.push_str(&format!("\x1b[35m{token}\x1b[0m"));
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

pub fn timings(out: &mut dyn Write, r: &HttpResponse, style: Style) -> io::Result<()> {
    let t: &Timings = &r.timings;
    let na = if t.reused_connection {
        "reused connection"
    } else {
        "not measured"
    };
    let fmt = |v: Option<f64>, missing: &str| match v {
        Some(ms) => format!("{ms:>9.2} ms"),
        None => format!("{missing:>12}"),
    };
    writeln!(out, "\n{}", style.paint("1", "Timings"))?;
    let dns_missing = if t.reused_connection { na } else { "none (IP)" };
    writeln!(out, "  DNS         {}", fmt(t.dns_ms, dns_missing))?;
    let connect_label = if t.tls_in_connect {
        "Connect+TLS"
    } else {
        "Connect    "
    };
    writeln!(out, "  {connect_label} {}", fmt(t.connect_ms, na))?;
    if t.tls_in_connect && t.tls_ms.is_none() {
        writeln!(out, "  TLS         {:>12}", "in connect")?;
    }
    writeln!(out, "  Wait        {}", fmt(Some(t.wait_ms), na))?;
    writeln!(out, "  TTFB        {}", fmt(Some(t.ttfb_ms), na))?;
    writeln!(out, "  Download    {}", fmt(Some(t.download_ms), na))?;
    writeln!(out, "  Total       {}", fmt(Some(t.total_ms), na))?;
    writeln!(
        out,
        "  Size        {} bytes body ({} on the wire), {} bytes headers{}",
        r.sizes.body_decoded_bytes,
        r.sizes.body_wire_bytes,
        r.sizes.headers_bytes,
        if t.reused_connection {
            ", connection reused"
        } else {
            ""
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_get_different_colours() {
        let coloured = colour_json("{\n  \"a\": \"b\",\n  \"n\": -1.5e3,\n  \"t\": true\n}");
        assert!(coloured.contains("\x1b[34m\"a\"\x1b[0m"));
        assert!(coloured.contains("\x1b[32m\"b\"\x1b[0m"));
        assert!(coloured.contains("\x1b[33m-1.5e3\x1b[0m"));
        assert!(coloured.contains("\x1b[35mtrue\x1b[0m"));
    }
}
