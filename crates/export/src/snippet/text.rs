//! A snippet value: literal text and environment variable reads, in order.

/// One piece of a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    Lit(String),
    /// The environment variable of that name.
    Env(String),
}

/// A value as the snippet writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Text(pub Vec<Part>);

impl Text {
    pub(crate) fn lit(s: &str) -> Text {
        if s.is_empty() {
            Text(Vec::new())
        } else {
            Text(vec![Part::Lit(s.to_owned())])
        }
    }

    pub(crate) fn env(var: &str) -> Text {
        Text(vec![Part::Env(var.to_owned())])
    }

    /// The text when it reads no environment variable.
    pub(crate) fn literal(&self) -> Option<String> {
        let mut out = String::new();
        for p in &self.0 {
            match p {
                Part::Lit(s) => out.push_str(s),
                Part::Env(_) => return None,
            }
        }
        Some(out)
    }

    pub(crate) fn push(&mut self, part: Part) {
        match (self.0.last_mut(), part) {
            (_, Part::Lit(s)) if s.is_empty() => {}
            (Some(Part::Lit(prev)), Part::Lit(s)) => prev.push_str(&s),
            (_, p) => self.0.push(p),
        }
    }

    pub(crate) fn concat(mut self, other: Text) -> Text {
        for p in other.0 {
            self.push(p);
        }
        self
    }
}

/// The local variable of an environment variable: `SEXTANT_API_KEY` → `sextant_api_key`.
pub(crate) fn snake_ident(var: &str) -> String {
    var.to_ascii_lowercase()
}

/// `SEXTANT_API_KEY` → `sextantApiKey`.
pub(crate) fn camel_ident(var: &str) -> String {
    let mut out = String::new();
    for (i, w) in var.split('_').filter(|w| !w.is_empty()).enumerate() {
        let w = w.to_ascii_lowercase();
        if i == 0 {
            out.push_str(&w);
        } else {
            let mut cs = w.chars();
            if let Some(f) = cs.next() {
                out.push(f.to_ascii_uppercase());
                out.push_str(cs.as_str());
            }
        }
    }
    out
}

/// `application/x-www-form-urlencoded` bytes of `s`, as the engine writes query pairs.
pub(crate) fn form_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `s` cut after each `\n`, for literals written one line each.
pub(crate) fn lines(s: &str) -> Vec<&str> {
    s.split_inclusive('\n').collect()
}

/// The last part of a `/` or `\` separated path.
pub(crate) fn base_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}
