//! Names made from what users typed: Python identifiers, file names, environment variable
//! names. Everything generated is ASCII and cannot escape the output folder.

use std::collections::HashSet;

/// Lower-case words of `text` joined by `_`: `Create item #2` → `create_item_2`.
pub(crate) fn snake(text: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower && !out.ends_with('_') {
                out.push('_');
            }
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            out.push(c.to_ascii_lowercase());
        } else {
            prev_lower = false;
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
        }
    }
    out.trim_matches('_').to_owned()
}

/// `Demo API` → `DemoApi`, for a test class name.
pub(crate) fn camel(text: &str) -> String {
    snake(text)
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|f| f.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The prefix of the environment variables an export reads: the collection's name in capitals
/// (`Demo API` → `DEMO_API`), so two exported suites do not read each other's values and none
/// reads `USER` or `PATH` by accident.
pub fn env_prefix(collection: &str) -> String {
    let s = snake(collection).to_ascii_uppercase();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("API{}{s}", if s.is_empty() { "" } else { "_" })
    } else {
        s
    }
}

/// The environment variable for the variable `name`: `baseUrl` → `DEMO_API_BASE_URL`. The same
/// rule as `env_name` in the generated `sextant_support.py`.
pub(crate) fn env_var(prefix: &str, name: &str) -> String {
    let s = snake(name).to_ascii_uppercase();
    if prefix.is_empty() {
        s
    } else {
        format!("{prefix}_{s}")
    }
}

/// A variable name for a literal credential found under `name` (a header, a parameter).
pub(crate) fn variable_for(name: &str) -> String {
    let words: Vec<String> = snake(name).split('_').map(str::to_owned).collect();
    let mut out = String::new();
    for (i, w) in words.iter().filter(|w| !w.is_empty()).enumerate() {
        if i == 0 {
            out.push_str(w);
        } else {
            out.push_str(&camel(w));
        }
    }
    if out.is_empty() {
        "secret".into()
    } else {
        out
    }
}

/// Hands out names that are unique within one scope by appending `_2`, `_3`, ...
#[derive(Default)]
pub(crate) struct Unique(HashSet<String>);

impl Unique {
    pub(crate) fn take(&mut self, base: &str) -> String {
        let mut name = base.to_owned();
        let mut n = 2;
        while !self.0.insert(name.clone()) {
            name = format!("{base}_{n}");
            n += 1;
        }
        name
    }
}

/// `module.sub:attribute` with Python identifiers only.
pub(crate) fn is_app_spec(spec: &str) -> bool {
    let Some((module, attribute)) = spec.split_once(':') else {
        return false;
    };
    let ident = |s: &str| {
        !s.is_empty()
            && !s.starts_with(|c: char| c.is_ascii_digit())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    module.split('.').all(ident) && attribute.split('.').all(ident)
}

/// Whether `path` is a relative path that stays inside the folder it is joined to: not empty,
/// `/`-separated parts of safe characters, none `.` or `..`, not absolute.
pub fn safe_relative_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && path.split('/').all(|part| {
            !part.is_empty()
                && part != "."
                && part != ".."
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        })
}

/// `s`, or `fallback` when a name made from what users typed came out empty.
pub(crate) fn non_empty(s: String, fallback: &str) -> String {
    if s.is_empty() {
        fallback.to_owned()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_ascii_identifiers() {
        assert_eq!(snake("Create item #2"), "create_item_2");
        assert_eq!(snake("baseUrl"), "base_url");
        assert_eq!(snake("X-API-Key"), "x_api_key");
        assert_eq!(camel("demo api"), "DemoApi");
        assert_eq!(env_prefix("Demo API"), "DEMO_API");
        assert_eq!(env_prefix("2024 stuff"), "API_2024_STUFF");
        assert_eq!(env_prefix("Ω"), "API");
        assert_eq!(env_var("DEMO_API", "baseUrl"), "DEMO_API_BASE_URL");
        assert_eq!(variable_for("X-API-Key"), "xApiKey");
    }

    #[test]
    fn unique_names_get_a_counter() {
        let mut u = Unique::default();
        assert_eq!(u.take("test_a"), "test_a");
        assert_eq!(u.take("test_a"), "test_a_2");
        assert_eq!(u.take("test_a"), "test_a_3");
    }

    #[test]
    fn paths_cannot_escape() {
        assert!(safe_relative_path("conftest.py"));
        assert!(safe_relative_path("tests/test_demo.py"));
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../b",
            "a//b",
            "a/./b",
            "a\\b",
            "ü.py",
        ] {
            assert!(!safe_relative_path(bad), "{bad}");
        }
    }

    #[test]
    fn app_specs_are_module_colon_attribute() {
        assert!(is_app_spec("tests.servers.demo_api.app:app"));
        assert!(is_app_spec("main:create_app.app"));
        for bad in [
            "",
            "main",
            "main:",
            ":app",
            "ma in:app",
            "1x:app",
            "m;rm:app",
        ] {
            assert!(!is_app_spec(bad), "{bad}");
        }
    }
}
