//! Literal credentials outside auth in what is exported: a credential header (`Authorization:
//! Bearer abc`, `X-API-Key`), a credential-named query parameter (a row or in the URL), form
//! field (a row, or in a URL-encoded text body) or multipart text part, a URL's password. They become `{{variables}}` with a warning, as literal auth secrets do, so an
//! export (curl, HAR, Postman) never carries them in plain text. The names are the model's
//! (`is_secret_name`, `is_secret_param`), the same ones the history and the store use.

use sextant_template::decode_param_name;

use sextant_model::{
    is_secret_name, is_secret_param, ConversionWarning, FolderSettings, HttpRequest, KeyValue,
    PartValue, RequestBody,
};

/// Replaces the literal credentials of `request` by `{{variables}}`, saying so at `location`.
pub(crate) fn strip_request(
    request: &mut HttpRequest,
    location: &str,
    warns: &mut Vec<ConversionWarning>,
) {
    let mut out = Stripper { location, warns };
    out.url(&mut request.url);
    out.headers(&mut request.headers);
    for row in &mut request.query {
        out.param(row);
    }
    match &mut request.body {
        RequestBody::Form { fields } => fields.iter_mut().for_each(|f| out.param(f)),
        RequestBody::Text { content_type, text }
            if content_type.starts_with("application/x-www-form-urlencoded") =>
        {
            *text = out.pairs(text);
        }
        RequestBody::Multipart { parts } => {
            for part in parts {
                if let PartValue::Text { text, .. } = &mut part.value {
                    if is_secret_param(&part.name) {
                        let var = variable_name(&part.name);
                        out.replace(text, &var, &format!("form part {}", part.name));
                    }
                }
            }
        }
        _ => {}
    }
}

/// The same for the headers and base URL a collection or folder gives its requests.
pub(crate) fn strip_settings(
    settings: &mut FolderSettings,
    location: &str,
    warns: &mut Vec<ConversionWarning>,
) {
    let mut out = Stripper { location, warns };
    if let Some(base) = &mut settings.base_url {
        out.url(base);
    }
    out.headers(&mut settings.headers);
}

struct Stripper<'a> {
    location: &'a str,
    warns: &'a mut Vec<ConversionWarning>,
}

impl Stripper<'_> {
    fn replace(&mut self, value: &mut String, var: &str, what: &str) {
        if literal(value) {
            *value = format!("{{{{{var}}}}}");
            self.warn(var, what);
        }
    }

    fn warn(&mut self, var: &str, what: &str) {
        self.warns.push(ConversionWarning {
            location: self.location.to_owned(),
            message: format!(
                "the {what} was replaced by {{{{{var}}}}}: secrets are never exported in plain text"
            ),
        });
    }

    fn param(&mut self, row: &mut KeyValue) {
        if is_secret_param(&row.name) {
            let var = variable_name(&row.name);
            let what = format!("value of {}", row.name);
            self.replace(&mut row.value, &var, &what);
        }
    }

    fn headers(&mut self, headers: &mut [KeyValue]) {
        for h in headers.iter_mut().filter(|h| is_secret_name(&h.name)) {
            if !literal(&h.value) {
                continue;
            }
            let var = variable_name(&h.name);
            // `Bearer abc` keeps its scheme word: `Bearer {{authorization}}`.
            h.value = match h.value.split_once(' ') {
                Some((scheme, _)) if scheme.chars().all(|c| c.is_ascii_alphabetic()) => {
                    format!("{scheme} {{{{{var}}}}}")
                }
                _ => format!("{{{{{var}}}}}"),
            };
            let what = format!("{} header", h.name);
            self.warn(&var, &what);
        }
    }

    /// `a=1&api_key=k` with each credential's value replaced.
    fn pairs(&mut self, text: &str) -> String {
        text.split('&')
            .map(|pair| match pair.split_once('=') {
                Some((name, value))
                    if is_secret_param(&decode_param_name(name)) && literal(value) =>
                {
                    let var = variable_name(&decode_param_name(name));
                    self.warn(&var, &format!("value of {}", decode_param_name(name)));
                    format!("{name}={{{{{var}}}}}")
                }
                _ => pair.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    fn url(&mut self, url: &mut String) {
        if let Some(q) = url.find('?') {
            let end = url[q..].find('#').map_or(url.len(), |i| q + i);
            let query = self.pairs(&url[q + 1..end]);
            *url = format!("{}?{query}{}", &url[..q], &url[end..]);
        }
        let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
            return;
        };
        let authority_end = url[scheme_end..]
            .find(['/', '?', '#'])
            .map_or(url.len(), |i| scheme_end + i);
        let Some(at) = url[scheme_end..authority_end].rfind('@') else {
            return;
        };
        let userinfo = &url[scheme_end..scheme_end + at];
        let Some((user, password)) = userinfo.split_once(':') else {
            return;
        };
        if !literal(password) {
            return;
        }
        *url = format!(
            "{}{user}:{{{{password}}}}{}",
            &url[..scheme_end],
            &url[scheme_end + at..]
        );
        self.warn("password", "URL's password");
    }
}

/// A value typed in, not only made of `{{references}}`.
fn literal(value: &str) -> bool {
    !value.is_empty() && !value.contains("{{")
}

/// `X-API-Key` → `x_api_key`: a variable name a user can define.
fn variable_name(name: &str) -> String {
    let mut out: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() {
        out.push_str("secret");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(name: &str, value: &str) -> KeyValue {
        KeyValue::new(name, value)
    }

    #[test]
    fn literal_credentials_become_variables_and_references_stay() {
        let mut req = HttpRequest::new("POST", "https://u:p4ss@h.example/x?y=1");
        req.headers = vec![
            kv("Authorization", "Bearer abc"),
            kv("X-API-Key", "k1"),
            kv("X-Trace", "t"),
            kv("X-Auth-Token", "{{token}}"),
        ];
        req.query = vec![kv("api_key", "k2"), kv("page", "2")];
        req.body = RequestBody::Form {
            fields: vec![kv("username", "alice"), kv("password", "s3cret")],
        };
        let mut warns = Vec::new();
        strip_request(&mut req, "Login", &mut warns);
        assert_eq!(req.url, "https://u:{{password}}@h.example/x?y=1");
        let values: Vec<&str> = req.headers.iter().map(|h| h.value.as_str()).collect();
        assert_eq!(
            values,
            [
                "Bearer {{authorization}}",
                "{{x_api_key}}",
                "t",
                "{{token}}"
            ]
        );
        assert_eq!(req.query[0].value, "{{api_key}}");
        assert_eq!(req.query[1].value, "2");
        let RequestBody::Form { fields } = &req.body else {
            unreachable!()
        };
        assert_eq!(fields[0].value, "alice");
        assert_eq!(fields[1].value, "{{password}}");
        assert_eq!(warns.len(), 5, "{warns:?}");
        let text = serde_json::to_string(&req).unwrap();
        for secret in ["abc", "k1", "k2", "s3cret", "p4ss"] {
            assert!(!text.contains(secret), "{secret} left in {text}");
        }
    }

    #[test]
    fn query_strings_and_url_encoded_bodies_are_stripped_too() {
        let mut req = HttpRequest::new("POST", "https://h.example/t?api%5Fkey=k1&page=2#top");
        req.body = RequestBody::Text {
            content_type: "application/x-www-form-urlencoded".into(),
            text: "username=alice&password=p%C3%A9&client_secret={{cs}}".into(),
        };
        let mut warns = Vec::new();
        strip_request(&mut req, "x", &mut warns);
        assert_eq!(
            req.url,
            "https://h.example/t?api%5Fkey={{api_key}}&page=2#top"
        );
        let RequestBody::Text { text, .. } = &req.body else {
            unreachable!()
        };
        assert_eq!(
            text,
            "username=alice&password={{password}}&client_secret={{cs}}"
        );
        assert_eq!(warns.len(), 2);
    }

    #[test]
    fn a_url_without_a_password_is_left_alone() {
        let mut req = HttpRequest::get("https://h.example/a@b");
        let mut warns = Vec::new();
        strip_request(&mut req, "x", &mut warns);
        assert_eq!(req.url, "https://h.example/a@b");
        assert!(warns.is_empty());
    }
}
