//! Masking credentials by where they sit in a request or response, before it is kept (the
//! history). [`crate::redact`] hides the values the template substituted from secret variables;
//! this hides what is a credential whoever typed it: a URL's user and password, query parameters
//! and headers whose names say they carry one (`api_key`, `X-Auth-Token`, ...), the rows an auth
//! block added, and the values of cookies a response sets. Together they are the one path by
//! which anything sent reaches storage.

use sextant_model::is_secret_name;
/// Whether a query or form parameter carries a credential: the model's classifier, shared with
/// the workspace store so both keep the same names out of what they write.
pub use sextant_model::is_secret_param;

use crate::redact::MASK;

fn is_credential(name: &str, credentials: &[String]) -> bool {
    credentials
        .iter()
        .any(|c| c.trim().eq_ignore_ascii_case(name.trim()))
}

/// A request header's value as it may be kept: a credential header (a secret-looking name, or
/// one in `credentials`, the rows auth added) keeps only its scheme word (`Bearer •••`) when it
/// is `Authorization` or `Proxy-Authorization`, else becomes [`MASK`].
pub fn mask_header(name: &str, value: &str, credentials: &[String]) -> String {
    if !is_secret_name(name) && !is_credential(name, credentials) {
        return value.to_owned();
    }
    let name = name.trim();
    let keeps_scheme = name.eq_ignore_ascii_case("authorization")
        || name.eq_ignore_ascii_case("proxy-authorization");
    match value.trim().split_once(' ') {
        Some((scheme, _)) if keeps_scheme => format!("{scheme} {MASK}"),
        _ => MASK.to_owned(),
    }
}

/// A response header's value as it may be kept: `Set-Cookie` keeps the cookie's name and
/// attributes (`sid=•••; Path=/; HttpOnly`), other secret-looking headers become [`MASK`].
pub fn mask_response_header(name: &str, value: &str) -> String {
    if name.trim().eq_ignore_ascii_case("set-cookie") {
        return mask_set_cookie(value);
    }
    mask_header(name, value, &[])
}

/// `name=value; attributes` → `name=•••; attributes`.
pub fn mask_set_cookie(value: &str) -> String {
    let (pair, attributes) = match value.split_once(';') {
        Some((pair, rest)) => (pair, Some(rest)),
        None => (value, None),
    };
    let masked = match pair.split_once('=') {
        Some((name, _)) => format!("{name}={MASK}"),
        None => MASK.to_owned(),
    };
    match attributes {
        Some(rest) => format!("{masked};{rest}"),
        None => masked,
    }
}

/// The URL with its user and password masked (`http://•••:•••@host/`) and the values of query
/// and fragment parameters that carry credentials (see [`is_secret_param`], plus the names in
/// `credentials`) replaced by [`MASK`]. Text that is not a URL is masked as far as it goes.
pub fn mask_url(url: &str, credentials: &[String]) -> String {
    let (before_fragment, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let (base, query) = match before_fragment.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (before_fragment, None),
    };
    let mut out = mask_userinfo(base);
    if let Some(query) = query {
        out.push('?');
        out.push_str(&mask_params(query, credentials));
    }
    if let Some(fragment) = fragment {
        out.push('#');
        if fragment.contains('=') {
            out.push_str(&mask_params(fragment, credentials));
        } else {
            out.push_str(fragment);
        }
    }
    out
}

fn mask_userinfo(base: &str) -> String {
    let Some(scheme_end) = base.find("://").map(|i| i + 3) else {
        return base.to_owned();
    };
    let rest = &base[scheme_end..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else {
        return base.to_owned();
    };
    let userinfo = if authority[..at].contains(':') {
        format!("{MASK}:{MASK}")
    } else {
        MASK.to_owned()
    };
    format!(
        "{}{userinfo}{}",
        &base[..scheme_end],
        &rest[at..] // `@host...`
    )
}

/// `a=1&api_key=s` → `a=1&api_key=•••`; names are compared percent-decoded.
fn mask_params(params: &str, credentials: &[String]) -> String {
    params
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) if !value.is_empty() => {
                let decoded = decode_param_name(name);
                if is_secret_param(&decoded) || is_credential(&decoded, credentials) {
                    format!("{name}={MASK}")
                } else {
                    pair.to_owned()
                }
            }
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent- and `+`-decoding of a parameter name, lossy: enough to classify it (`api%5Fkey`).
pub fn decode_param_name(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (
            bytes[i],
            bytes.get(i + 1).copied(),
            bytes.get(i + 2).copied(),
        ) {
            (b'+', _, _) => out.push(b' '),
            (b'%', Some(h), Some(l)) if hex(h).is_some() && hex(l).is_some() => {
                let value = hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0);
                out.push(value as u8);
                i += 2;
            }
            (b, _, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_headers_keep_only_the_scheme() {
        assert_eq!(
            mask_header("authorization", "Bearer abc.def", &[]),
            "Bearer •••"
        );
        assert_eq!(
            mask_header("Proxy-Authorization", "Basic dXNlcg==", &[]),
            "Basic •••"
        );
        assert_eq!(mask_header("X-API-Key", "k123", &[]), "•••");
        assert_eq!(mask_header("X-Auth-Token", "Bearer t", &[]), "•••");
        assert_eq!(mask_header("Cookie", "a=1; b=2", &[]), "•••");
        assert_eq!(mask_header("Accept", "text/plain", &[]), "text/plain");
        // A row an auth block added, whatever its name.
        assert_eq!(mask_header("X-Custom", "v", &["x-custom".into()]), "•••");
    }

    #[test]
    fn set_cookie_keeps_the_name_and_attributes() {
        assert_eq!(
            mask_response_header("Set-Cookie", "sid=abc123; Path=/; HttpOnly"),
            "sid=•••; Path=/; HttpOnly"
        );
        assert_eq!(mask_set_cookie("sid=abc"), "sid=•••");
        assert_eq!(mask_set_cookie("garbage"), "•••");
        assert_eq!(
            mask_response_header("Content-Type", "text/html"),
            "text/html"
        );
    }

    #[test]
    fn urls_lose_userinfo_and_secret_parameters() {
        assert_eq!(
            mask_url("http://user:pw@127.0.0.1:9/echo?api_key=S&q=1", &[]),
            "http://•••:•••@127.0.0.1:9/echo?api_key=•••&q=1"
        );
        assert_eq!(
            mask_url(
                "https://tok@h/x?page=2&access_token=a&X-Amz-Signature=f&sig=z",
                &[]
            ),
            "https://•••@h/x?page=2&access_token=•••&X-Amz-Signature=•••&sig=•••"
        );
        assert_eq!(
            mask_url("http://h/a@b?k=v", &["k".into()]),
            "http://h/a@b?k=•••"
        );
        assert_eq!(
            mask_url("http://h/cb#access_token=t&state=s", &[]),
            "http://h/cb#access_token=•••&state=s"
        );
        assert_eq!(
            mask_url("http://h/x?api%5Fkey=s", &[]),
            "http://h/x?api%5Fkey=•••"
        );
        assert_eq!(
            mask_url("not a url ?password=", &[]),
            "not a url ?password="
        );
        assert_eq!(mask_url("http://h/#top", &[]), "http://h/#top");
    }

    #[test]
    fn secret_params_are_recognised() {
        for name in [
            "api_key",
            "apikey",
            "key",
            "token",
            "secret",
            "password",
            "sig",
            "Signature",
        ] {
            assert!(is_secret_param(name), "{name}");
        }
        for name in ["page", "q", "sort", "id"] {
            assert!(!is_secret_param(name), "{name}");
        }
    }
}
