//! Rust with reqwest's blocking client (no async runtime to set up): a complete `main` that
//! returns errors with `?` and reads secrets with `std::env::var`.

use super::norm::{Body, Login, MPart, Norm};
use super::text::{lines, snake_ident, Part, Text};

/// A Rust string literal.
pub(crate) fn lit(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A raw string for multi-line text when it can be one (no control characters but `\n` and
/// `\t`: a bare CR is refused in Rust source), else a literal.
fn text_lit(s: &str) -> String {
    if lines(s).len() < 2 || s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return lit(s);
    }
    let mut hashes = String::from("#");
    while s.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{s}\"{hashes}")
}

/// An expression for a value: a `&'static str` literal, or a `String`.
fn expr(t: &Text) -> String {
    match t.0.as_slice() {
        [] => "\"\"".into(),
        [Part::Lit(s)] => text_lit(s),
        [Part::Env(var)] => format!("{}.clone()", snake_ident(var)),
        parts => {
            let pieces: Vec<String> = parts
                .iter()
                .map(|p| match p {
                    Part::Lit(s) => text_lit(s),
                    Part::Env(var) => format!("{}.as_str()", snake_ident(var)),
                })
                .collect();
            format!("[{}].concat()", pieces.join(", "))
        }
    }
}

const METHODS: [&str; 9] = [
    "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "CONNECT", "PATCH", "TRACE",
];

pub(crate) fn write(n: &Norm) -> String {
    let mut out = String::from(
        "// Rust reqwest, blocking client. Cargo.toml:\n// reqwest = { version = \"0.12\", features = [\"blocking\", \"multipart\"] }\n\n",
    );
    out.push_str("fn main() -> Result<(), Box<dyn std::error::Error>> {\n");
    let mut line = |s: &str| {
        out.push_str("    ");
        out.push_str(s);
        out.push('\n');
    };
    let opening = n.opening(
        "//",
        "Secrets are read from the environment:",
        false,
        |e, what| {
            format!(
                "let {} = std::env::var({})?; // {what}",
                snake_ident(&e.var),
                lit(&e.var)
            )
        },
    );
    for l in opening {
        line(&l);
    }
    if matches!(n.login, Some((Login::Digest, _, _))) {
        line("// Digest auth is not built into reqwest: answer the server's challenge yourself.");
    }

    line("let client = reqwest::blocking::Client::builder()");
    match n.timeout_ms {
        Some(ms) => line(&format!(
            "    .timeout(std::time::Duration::from_millis({ms}))"
        )),
        // The blocking client's default is 30 s; the request has no limit.
        None => line("    .timeout(None)"),
    }
    if !n.verify_tls {
        line("    .danger_accept_invalid_certs(true)");
    }
    if !n.follow_redirects {
        line("    .redirect(reqwest::redirect::Policy::none())");
    }
    line("    .build()?;");

    if let Body::Multipart(parts) = &n.body {
        let mut chain = vec!["let form = reqwest::blocking::multipart::Form::new()".to_owned()];
        for p in parts {
            match p {
                MPart::Text { name, value } => {
                    chain.push(format!("    .text({}, {})", lit(name), expr(value)))
                }
                MPart::File {
                    name,
                    path,
                    filename,
                    content_type,
                } => {
                    let mut part = format!(
                        "reqwest::blocking::multipart::Part::file({})?.file_name({})",
                        lit(path),
                        lit(filename)
                    );
                    if let Some(ct) = content_type {
                        part.push_str(&format!(".mime_str({})?", lit(ct)));
                    }
                    chain.push(format!("    .part({}, {part})", lit(name)));
                }
            }
        }
        if let Some(last) = chain.last_mut() {
            last.push(';');
        }
        for l in &chain {
            line(l);
        }
    }

    let method = n.method();
    let method = if METHODS.contains(&method) {
        format!("reqwest::Method::{method}")
    } else {
        format!("reqwest::Method::from_bytes({}.as_bytes())?", lit(method))
    };
    line("let response = client");
    line(&format!("    .request({method}, {})", expr(&n.url)));
    for (k, v) in &n.env_query {
        line(&format!("    .query(&[({}, {})])", lit(k), expr(v)));
    }
    for (k, v) in &n.headers {
        line(&format!("    .header({}, {})", lit(k), expr(v)));
    }
    if let Some((Login::Basic, user, password)) = &n.login {
        line(&format!(
            "    .basic_auth({}, Some({}))",
            expr(user),
            expr(password)
        ));
    }
    match &n.body {
        Body::None => {}
        Body::Text(t) => line(&format!("    .body({})", expr(t))),
        Body::Form(fields) if fields.is_empty() => line("    .form::<[(&str, &str); 0]>(&[])"),
        Body::Form(fields) => {
            let rows: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("({}, String::from({}))", lit(k), expr(v)))
                .collect();
            line(&format!("    .form(&[{}])", rows.join(", ")));
        }
        Body::Multipart(_) => line("    .multipart(form)"),
        Body::File(path) => line(&format!("    .body(std::fs::read({})?)", lit(path))),
    }
    line("    .send()?;");
    line("println!(\"{}\", response.status());");
    line("println!(\"{}\", response.text()?);");
    line("Ok(())");
    out.push_str("}\n");
    out
}
