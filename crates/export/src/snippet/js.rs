//! JavaScript `fetch` with async/await: runs in browsers and in Node 18+ as an ES module
//! (top-level `await`, so save it as `.mjs`). Secrets come from `process.env` (Node).

use super::norm::{Body, Login, MPart, Norm};
use super::text::{camel_ident, form_encode, lines, Part, Text};

/// A JavaScript string literal (JSON's, which every engine since ES2019 reads).
pub(crate) fn lit(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// A template literal for multi-line text: `\`, `` ` ``, `${` and `\r` escaped (a raw CR would
/// be read as LF), other control characters as `\u` escapes.
fn template(s: &str) -> String {
    let mut out = String::from("`");
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '`' => out.push_str("\\`"),
            '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
            '\n' => out.push('\n'),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('`');
    out
}

fn expr(t: &Text) -> String {
    if t.0.is_empty() {
        return "\"\"".into();
    }
    let pieces: Vec<String> =
        t.0.iter()
            .map(|p| match p {
                Part::Env(var) => camel_ident(var),
                Part::Lit(s) if lines(s).len() > 1 => template(s),
                Part::Lit(s) => lit(s),
            })
            .collect();
    pieces.join(" + ")
}

pub(crate) fn write(n: &Norm) -> String {
    let mut out = String::from(
        "// JavaScript fetch (async/await): browsers, or Node 18+ saved as an .mjs file.\n",
    );
    let files = match &n.body {
        Body::Multipart(parts) => parts.iter().any(|p| matches!(p, MPart::File { .. })),
        Body::File(_) => true,
        _ => false,
    };
    if files {
        out.push_str(
            "// Reading files needs Node.\nimport { readFile } from \"node:fs/promises\";\n",
        );
    }
    out.push('\n');
    let opening = n.opening(
        "//",
        "Secrets are read from the environment (Node):",
        true,
        |e, what| {
            format!(
                "const {} = process.env.{}; // {what}",
                camel_ident(&e.var),
                e.var
            )
        },
    );
    for line in opening {
        out.push_str(&line);
        out.push('\n');
    }
    if !n.verify_tls {
        out.push_str("// TLS verification is off for this request: fetch cannot turn it off per request (in Node, run with NODE_TLS_REJECT_UNAUTHORIZED=0).\n");
    }
    if matches!(n.login, Some((Login::Digest, _, _))) {
        out.push_str(
            "// Digest auth is not built into fetch: answer the server's challenge yourself.\n",
        );
    }

    let mut url = expr(&n.url);
    let mut has_query = n.url_has_query;
    for (k, v) in &n.env_query {
        let sep = if has_query { "&" } else { "?" };
        has_query = true;
        url.push_str(&format!(
            " + {} + encodeURIComponent({})",
            lit(&format!("{sep}{}=", form_encode(k))),
            expr(v)
        ));
    }

    let mut headers: Vec<(String, String)> = n
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), expr(v)))
        .collect();
    if let Some((Login::Basic, user, password)) = &n.login {
        out.push_str(&format!(
            "const credentials = new TextEncoder().encode({} + \":\" + {});\n",
            expr(user),
            expr(password)
        ));
        out.push_str("const basic = btoa(String.fromCharCode(...credentials));\n");
        headers.push(("Authorization".into(), "\"Basic \" + basic".into()));
    }

    let body = match &n.body {
        Body::None => None,
        Body::Text(t) => {
            out.push_str(&format!("const body = {};\n", expr(t)));
            Some("body")
        }
        Body::Form(fields) => {
            let rows: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("  [{}, {}],", lit(k), expr(v)))
                .collect();
            out.push_str(&format!(
                "const body = new URLSearchParams([\n{}\n]);\n",
                rows.join("\n")
            ));
            Some("body")
        }
        Body::Multipart(parts) => {
            out.push_str("const body = new FormData();\n");
            for p in parts {
                match p {
                    MPart::Text { name, value } => {
                        out.push_str(&format!("body.append({}, {});\n", lit(name), expr(value)))
                    }
                    MPart::File {
                        name,
                        path,
                        filename,
                        content_type,
                    } => {
                        let ty = content_type
                            .as_deref()
                            .map(|c| format!(", {{ type: {} }}", lit(c)))
                            .unwrap_or_default();
                        out.push_str(&format!(
                            "body.append({}, new Blob([await readFile({})]{ty}), {});\n",
                            lit(name),
                            lit(path),
                            lit(filename)
                        ));
                    }
                }
            }
            Some("body")
        }
        Body::File(path) => {
            out.push_str(&format!("const body = await readFile({});\n", lit(path)));
            Some("body")
        }
    };

    let mut opts = vec![format!("method: {}", lit(n.method()))];
    if !headers.is_empty() {
        let mut seen = std::collections::HashSet::new();
        let repeats = headers
            .iter()
            .any(|(k, _)| !seen.insert(k.to_ascii_lowercase()));
        let rows: Vec<String> = headers
            .iter()
            .map(|(k, v)| {
                if repeats {
                    format!("    [{}, {v}],", lit(k))
                } else {
                    format!("    {}: {v},", lit(k))
                }
            })
            .collect();
        let (open, close) = if repeats { ("[", "]") } else { ("{", "}") };
        opts.push(format!("headers: {open}\n{}\n  {close}", rows.join("\n")));
    }
    if let Some(b) = body {
        opts.push(format!("body: {b}"));
    }
    if !n.follow_redirects {
        opts.push("redirect: \"manual\"".into());
    }
    if let Some(ms) = n.timeout_ms {
        opts.push(format!("signal: AbortSignal.timeout({ms})"));
    }
    out.push_str(&format!(
        "const response = await fetch({url}, {{\n  {},\n}});\n",
        opts.join(",\n  ")
    ));
    out.push_str("console.log(response.status);\nconsole.log(await response.text());\n");
    out
}
