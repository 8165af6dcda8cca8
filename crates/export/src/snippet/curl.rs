//! curl in bash: every value single-quoted (`'` written `'\''`), environment variables read as
//! `"$VAR"` next to the quoted text, so nothing in a value is expanded by the shell.

use super::norm::{Body, Login, MPart, Norm};
use super::text::{form_encode, Part, Text};

/// `s` as one bash word that stands for exactly `s`.
pub(crate) fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A value as one bash word: quoted literals and `"$VAR"` reads side by side.
fn word(t: &Text) -> String {
    if t.0.is_empty() {
        return "''".into();
    }
    t.0.iter()
        .map(|p| match p {
            Part::Lit(s) => quote(s),
            Part::Env(var) => format!("\"${var}\""),
        })
        .collect()
}

/// A `-F` file name or path, double-quoted the way curl reads it (`\"` and `\\`).
fn form_quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', r"\\").replace('"', "\\\""))
}

pub(crate) fn write(n: &Norm) -> String {
    let mut out = String::from("#!/usr/bin/env bash\n");
    let opening = n.opening(
        "#",
        "Secrets are read from the environment:",
        false,
        |e, what| format!("#   {}: {what}", e.var),
    );
    for line in opening {
        out.push_str(&line);
        out.push('\n');
    }
    if !n.env_query.is_empty() {
        out.push_str("# --url-query needs curl 7.87 or later.\n");
    }
    let mut args: Vec<String> = Vec::new();
    match n.method() {
        "GET" if matches!(n.body, Body::None) => {}
        "HEAD" => args.push("--head".into()),
        m if m.bytes().all(|b| b.is_ascii_alphanumeric()) => args.push(format!("-X {m}")),
        m => args.push(format!("-X {}", quote(m))),
    }
    args.push(word(&n.url));
    // The method and the URL share the first line.
    let first = args.join(" ");
    args = vec![first];
    for (name, value) in &n.env_query {
        let arg = Text::lit(&format!("{}=", form_encode(name))).concat(value.clone());
        args.push(format!("--url-query {}", word(&arg)));
    }
    for (name, value) in &n.headers {
        // `-H 'Name:'` would remove the header; `-H 'Name;'` sends it empty.
        let arg = if value.0.is_empty() {
            Text::lit(&format!("{name};"))
        } else {
            Text::lit(&format!("{name}: ")).concat(value.clone())
        };
        args.push(format!("-H {}", word(&arg)));
    }
    if let Some((kind, user, password)) = &n.login {
        let arg = user.clone().concat(Text::lit(":")).concat(password.clone());
        args.push(format!("-u {}", word(&arg)));
        if *kind == Login::Digest {
            args.push("--digest".into());
        }
    }
    match &n.body {
        Body::None => {}
        Body::Text(t) => args.push(format!("--data-raw {}", word(t))),
        Body::Form(fields) => {
            for (name, value) in fields {
                let arg = Text::lit(&format!("{}=", form_encode(name))).concat(value.clone());
                args.push(format!("--data-urlencode {}", word(&arg)));
            }
        }
        Body::Multipart(parts) => {
            for p in parts {
                match p {
                    MPart::Text { name, value } => {
                        let arg = Text::lit(&format!("{name}=")).concat(value.clone());
                        args.push(format!("--form-string {}", word(&arg)));
                    }
                    MPart::File {
                        name,
                        path,
                        filename,
                        content_type,
                    } => {
                        let mut spec = format!(
                            "{name}=@{};filename={}",
                            form_quoted(path),
                            form_quoted(filename)
                        );
                        if let Some(ct) = content_type {
                            spec.push_str(&format!(";type={ct}"));
                        }
                        args.push(format!("-F {}", quote(&spec)));
                    }
                }
            }
        }
        Body::File(path) => args.push(format!("--data-binary {}", quote(&format!("@{path}")))),
    }
    if let Some(ms) = n.timeout_ms {
        args.push(format!("--max-time {}", f64::from(ms) / 1000.0));
    }
    if !n.verify_tls {
        args.push("--insecure".into());
    }
    if n.follow_redirects {
        args.push("--location".into());
    }
    out.push_str("curl ");
    out.push_str(&args.join(" \\\n  "));
    out.push('\n');
    out
}
