//! Go with net/http: a complete `package main` that checks every error, imports exactly what it
//! uses (Go refuses unused imports), and reads secrets with `os.Getenv`.

use std::collections::BTreeSet;

use super::norm::{Body, Login, MPart, Norm};
use super::text::{camel_ident, form_encode, lines, Part, Text};

/// A Go interpreted string literal.
pub(crate) fn lit(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // `\xNN` would be a raw byte in Go, not the character: C1 controls need `\u`.
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A raw string for multi-line text when it can be one (no backquote, no CR: Go drops CRs
/// from raw strings), else a literal.
fn text_lit(s: &str) -> String {
    if lines(s).len() > 1
        && !s.contains(['`', '\r'])
        && !s
            .chars()
            .any(|c| (c as u32) < 0x20 && c != '\n' && c != '\t')
    {
        format!("`{s}`")
    } else {
        lit(s)
    }
}

fn expr(t: &Text) -> String {
    if t.0.is_empty() {
        return "\"\"".into();
    }
    let pieces: Vec<String> =
        t.0.iter()
            .map(|p| match p {
                Part::Env(var) => camel_ident(var),
                Part::Lit(s) => text_lit(s),
            })
            .collect();
    pieces.join(" + ")
}

pub(crate) fn write(n: &Norm) -> String {
    let mut imports: BTreeSet<&str> = ["fmt", "io", "net/http", "os"].into();
    let mut body = String::new();
    let mut b = |line: &str| {
        body.push('\t');
        body.push_str(line);
        body.push('\n');
    };
    let opening = n.opening(
        "//",
        "Secrets are read from the environment:",
        false,
        |e, what| {
            format!(
                "{} := os.Getenv({}) // {what}",
                camel_ident(&e.var),
                lit(&e.var)
            )
        },
    );
    for line in opening {
        b(&line);
    }
    if matches!(n.login, Some((Login::Digest, _, _))) {
        b("// Digest auth is not built into net/http: answer the server's challenge yourself.");
    }
    if let Some((Login::Digest, user, password)) = &n.login {
        b(&format!(
            "username, password := {}, {}",
            expr(user),
            expr(password)
        ));
        b("_, _ = username, password");
    }

    let mut target = expr(&n.url);
    let mut has_query = n.url_has_query;
    for (k, v) in &n.env_query {
        imports.insert("net/url");
        let sep = if has_query { "&" } else { "?" };
        has_query = true;
        target.push_str(&format!(
            " + {} + url.QueryEscape({})",
            lit(&format!("{sep}{}=", form_encode(k))),
            expr(v)
        ));
    }
    b(&format!("target := {target}"));

    let mut content_type = None;
    let reader = match &n.body {
        Body::None => "nil".to_owned(),
        Body::Text(t) => {
            imports.insert("strings");
            b(&format!("body := strings.NewReader({})", expr(t)));
            "body".into()
        }
        Body::Form(fields) => {
            imports.extend(["net/url", "strings"]);
            b("form := url.Values{}");
            for (k, v) in fields {
                b(&format!("form.Add({}, {})", lit(k), expr(v)));
            }
            b("body := strings.NewReader(form.Encode())");
            content_type = Some("\"application/x-www-form-urlencoded\"".to_owned());
            "body".into()
        }
        Body::Multipart(parts) => {
            imports.extend(["bytes", "mime/multipart"]);
            b("var body bytes.Buffer");
            b("mw := multipart.NewWriter(&body)");
            for p in parts {
                match p {
                    MPart::Text { name, value } => b(&format!(
                        "check(mw.WriteField({}, {}))",
                        lit(name),
                        expr(value)
                    )),
                    MPart::File {
                        name,
                        path,
                        filename,
                        content_type,
                    } => {
                        imports.extend(["mime", "net/textproto"]);
                        b("{");
                        b(&format!("\tf, err := os.Open({})", lit(path)));
                        b("\tcheck(err)");
                        b("\th := make(textproto.MIMEHeader)");
                        b(&format!(
                            "\th.Set(\"Content-Disposition\", mime.FormatMediaType(\"form-data\", map[string]string{{\"name\": {}, \"filename\": {}}}))",
                            lit(name),
                            lit(filename)
                        ));
                        let ct = content_type
                            .as_deref()
                            .unwrap_or("application/octet-stream");
                        b(&format!("\th.Set(\"Content-Type\", {})", lit(ct)));
                        b("\tw, err := mw.CreatePart(h)");
                        b("\tcheck(err)");
                        b("\t_, err = io.Copy(w, f)");
                        b("\tcheck(err)");
                        b("\tcheck(f.Close())");
                        b("}");
                    }
                }
            }
            b("check(mw.Close())");
            content_type = Some("mw.FormDataContentType()".to_owned());
            "&body".into()
        }
        Body::File(path) => {
            imports.insert("bytes");
            b(&format!("data, err := os.ReadFile({})", lit(path)));
            b("check(err)");
            "bytes.NewReader(data)".into()
        }
    };
    b(&format!(
        "req, err := http.NewRequest({}, target, {reader})",
        lit(n.method())
    ));
    b("check(err)");
    for (k, v) in &n.headers {
        if k.eq_ignore_ascii_case("Host") {
            b(&format!("req.Host = {}", expr(v)));
        } else {
            b(&format!("req.Header.Add({}, {})", lit(k), expr(v)));
        }
    }
    if let Some(ct) = content_type {
        b(&format!("req.Header.Set(\"Content-Type\", {ct})"));
    }
    if let Some((Login::Basic, user, password)) = &n.login {
        b(&format!(
            "req.SetBasicAuth({}, {})",
            expr(user),
            expr(password)
        ));
    }

    b("client := &http.Client{");
    if let Some(ms) = n.timeout_ms {
        imports.insert("time");
        b(&format!("\tTimeout: {ms} * time.Millisecond,"));
    }
    if !n.verify_tls {
        imports.insert("crypto/tls");
        b("\tTransport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}},");
    }
    if !n.follow_redirects {
        b("\tCheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },");
    }
    b("}");
    b("resp, err := client.Do(req)");
    b("check(err)");
    b("defer resp.Body.Close()");
    b("text, err := io.ReadAll(resp.Body)");
    b("check(err)");
    b("fmt.Println(resp.Status)");
    b("fmt.Println(string(text))");

    let mut out = String::from(
        "// Go net/http: save as main.go, then `go run main.go`.\npackage main\n\nimport (\n",
    );
    for i in &imports {
        out.push_str(&format!("\t\"{i}\"\n"));
    }
    out.push_str(")\n\nfunc check(err error) {\n\tif err != nil {\n\t\tfmt.Fprintln(os.Stderr, err)\n\t\tos.Exit(1)\n\t}\n}\n\nfunc main() {\n");
    out.push_str(&body);
    out.push_str("}\n");
    out
}
