//! Python with httpx or requests: one `request(...)` call, secrets from `os.environ`.

use super::norm::{Body, Login, MPart, Norm};
use super::text::{lines, snake_ident, Part, Text};
use crate::pylit::string as lit;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lib {
    Httpx,
    Requests,
}

/// A Python expression for a value; a multi-line literal is written one line per string.
fn expr(t: &Text, indent: &str) -> String {
    if t.0.is_empty() {
        return "\"\"".into();
    }
    let pieces: Vec<String> = t
        .0
        .iter()
        .map(|p| match p {
            Part::Env(var) => snake_ident(var),
            Part::Lit(s) => {
                let ls = lines(s);
                if ls.len() < 2 {
                    return lit(s);
                }
                let inner = format!("{indent}    ");
                let body: Vec<String> = ls.iter().map(|l| format!("{inner}{}", lit(l))).collect();
                format!("(\n{}\n{indent})", body.join("\n"))
            }
        })
        .collect();
    pieces.join(" + ")
}

/// A `name: value` mapping, or a list of pairs when a name repeats (case-insensitively when
/// `fold`).
fn pairs(rows: &[(String, Text)], fold: bool, indent: &str) -> String {
    let key = |n: &str| {
        if fold {
            n.to_ascii_lowercase()
        } else {
            n.to_owned()
        }
    };
    let mut seen = std::collections::HashSet::new();
    let repeats = rows.iter().any(|(n, _)| !seen.insert(key(n)));
    let inner = format!("{indent}    ");
    let items: Vec<String> = rows
        .iter()
        .map(|(n, v)| {
            let v = expr(v, &inner);
            if repeats {
                format!("{inner}({}, {v}),", lit(n))
            } else {
                format!("{inner}{}: {v},", lit(n))
            }
        })
        .collect();
    let (open, close) = if repeats { ("[", "]") } else { ("{", "}") };
    format!("{open}\n{}\n{indent}{close}", items.join("\n"))
}

pub(crate) fn write(n: &Norm, lib: Lib) -> String {
    let name = match lib {
        Lib::Httpx => "httpx",
        Lib::Requests => "requests",
    };
    let mut out = format!("# Python {name}: pip install {name}\n");
    if !n.env.is_empty() {
        out.push_str("import os\n\n");
    }
    out.push_str(&format!("import {name}\n"));
    if lib == Lib::Requests && matches!(n.login, Some((Login::Digest, _, _))) {
        out.push_str("from requests.auth import HTTPDigestAuth\n");
    }
    out.push('\n');
    let opening = n.opening(
        "#",
        "Secrets are read from the environment:",
        true,
        |e, what| {
            format!(
                "{} = os.environ[{}]  # {what}",
                snake_ident(&e.var),
                lit(&e.var)
            )
        },
    );
    for line in opening {
        out.push_str(&line);
        out.push('\n');
    }

    let mut args = vec![lit(n.method()), expr(&n.url, "    ")];
    if !n.env_query.is_empty() {
        let rows: Vec<String> = n
            .env_query
            .iter()
            .map(|(k, v)| format!("({}, {})", lit(k), expr(v, "    ")))
            .collect();
        args.push(format!("params=[{}]", rows.join(", ")));
    }
    if !n.headers.is_empty() {
        let rows = if lib == Lib::Requests {
            joined_headers(&n.headers)
        } else {
            n.headers.clone()
        };
        out.push_str(&format!("headers = {}\n", pairs(&rows, true, "")));
        args.push("headers=headers".into());
    }
    match &n.body {
        Body::None => {}
        Body::Text(t) => {
            out.push_str(&format!("body = {}\n", expr(t, "")));
            args.push(match lib {
                Lib::Httpx => "content=body.encode(\"utf-8\")".into(),
                Lib::Requests => "data=body.encode(\"utf-8\")".into(),
            });
        }
        Body::Form(fields) => {
            let rows = match lib {
                Lib::Httpx => pairs_grouped(fields),
                Lib::Requests => {
                    let items: Vec<String> = fields
                        .iter()
                        .map(|(k, v)| format!("    ({}, {}),", lit(k), expr(v, "    ")))
                        .collect();
                    format!("[\n{}\n]", items.join("\n"))
                }
            };
            out.push_str(&format!("form = {rows}\n"));
            args.push("data=form".into());
        }
        Body::Multipart(parts) => {
            // Every part goes through `files` so the body is multipart even without a file;
            // a text part is `(None, value)`.
            let items: Vec<String> = parts
                .iter()
                .map(|p| match p {
                    MPart::Text { name, value } => {
                        format!("    ({}, (None, {})),", lit(name), expr(value, "    "))
                    }
                    MPart::File {
                        name,
                        path,
                        filename,
                        content_type,
                    } => {
                        let ct = content_type
                            .as_deref()
                            .map(|c| format!(", {}", lit(c)))
                            .unwrap_or_default();
                        format!(
                            "    ({}, ({}, open({}, \"rb\"){ct})),",
                            lit(name),
                            lit(filename),
                            lit(path)
                        )
                    }
                })
                .collect();
            out.push_str(&format!("files = [\n{}\n]\n", items.join("\n")));
            args.push("files=files".into());
        }
        Body::File(path) => {
            out.push_str(&format!(
                "with open({}, \"rb\") as f:\n    body = f.read()\n",
                lit(path)
            ));
            args.push(match lib {
                Lib::Httpx => "content=body".into(),
                Lib::Requests => "data=body".into(),
            });
        }
    }
    if let Some((kind, user, password)) = &n.login {
        let (u, p) = (expr(user, "    "), expr(password, "    "));
        args.push(match (kind, lib) {
            (Login::Basic, _) => format!("auth=({u}, {p})"),
            (Login::Digest, Lib::Httpx) => format!("auth=httpx.DigestAuth({u}, {p})"),
            (Login::Digest, Lib::Requests) => format!("auth=HTTPDigestAuth({u}, {p})"),
        });
    }
    match (n.timeout_ms, lib) {
        (Some(ms), _) => args.push(format!("timeout={}", f64::from(ms) / 1000.0)),
        // httpx's default is 5 s; the request has no limit.
        (None, Lib::Httpx) => args.push("timeout=None".into()),
        (None, Lib::Requests) => {}
    }
    if !n.verify_tls {
        args.push("verify=False".into());
    }
    match lib {
        Lib::Httpx if n.follow_redirects => args.push("follow_redirects=True".into()),
        Lib::Requests if !n.follow_redirects => args.push("allow_redirects=False".into()),
        _ => {}
    }
    if !out.ends_with("\n\n") {
        out.push('\n');
    }
    out.push_str(&format!(
        "response = {name}.request(\n    {},\n)\n",
        args.join(",\n    ")
    ));
    out.push_str("print(response.status_code)\nprint(response.text)\n");
    out
}

/// requests keeps one value per header name: repeated names are joined with `, `.
fn joined_headers(rows: &[(String, Text)]) -> Vec<(String, Text)> {
    let mut out: Vec<(String, Text)> = Vec::new();
    for (n, v) in rows {
        match out.iter_mut().find(|(m, _)| m.eq_ignore_ascii_case(n)) {
            Some((_, prev)) => {
                *prev = std::mem::take(prev)
                    .concat(Text::lit(", "))
                    .concat(v.clone());
            }
            None => out.push((n.clone(), v.clone())),
        }
    }
    out
}

/// httpx takes form data as a mapping: a repeated name maps to a list of its values.
fn pairs_grouped(rows: &[(String, Text)]) -> String {
    let mut groups: Vec<(&str, Vec<&Text>)> = Vec::new();
    for (k, v) in rows {
        match groups.iter_mut().find(|(g, _)| g == k) {
            Some((_, vs)) => vs.push(v),
            None => groups.push((k, vec![v])),
        }
    }
    let items: Vec<String> = groups
        .iter()
        .map(|(k, vs)| {
            let value = if vs.len() == 1 {
                expr(vs[0], "    ")
            } else {
                let inner: Vec<String> = vs.iter().map(|v| expr(v, "    ")).collect();
                format!("[{}]", inner.join(", "))
            };
            format!("    {}: {value},", lit(k))
        })
        .collect();
    format!("{{\n{}\n}}", items.join("\n"))
}
