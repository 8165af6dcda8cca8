//! Redirect rules (RFC 9110 §15.4), applied by the engine itself so every hop can be recorded.

use reqwest::header::{HeaderName, HeaderValue};
use sextant_model::is_secret_name;
use url::Url;

use crate::EngineError;

/// What the next hop looks like after a redirect response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NextHop {
    pub url: Url,
    pub method: String,
    pub drop_body: bool,
    /// The next hop goes to another origin: credentials the user typed must not follow.
    pub cross_origin: bool,
}

pub(crate) fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// Works out the next hop for a redirect `status` with `location`, from `current` sent as
/// `method`. 303 turns every method but HEAD into GET; 301 and 302 turn POST into GET (as
/// browsers and curl do); 307 and 308 keep the method and the body.
pub(crate) fn next_hop(
    current: &Url,
    method: &str,
    status: u16,
    location: &str,
) -> Result<NextHop, EngineError> {
    let url = current.join(location).map_err(|e| {
        EngineError::TooManyRedirects(format!(
            "the server redirected to an invalid Location {location:?}: {e}"
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(EngineError::InvalidUrl {
            url: url.to_string(),
            reason: "redirect to an unsupported scheme".into(),
        });
    }
    let to_get = match status {
        303 => !method.eq_ignore_ascii_case("HEAD"),
        301 | 302 => method.eq_ignore_ascii_case("POST"),
        _ => false,
    };
    let cross_origin = url.origin() != current.origin();
    Ok(NextHop {
        url,
        method: if to_get {
            "GET".into()
        } else {
            method.to_string()
        },
        drop_body: to_get,
        cross_origin,
    })
}

/// Strips the credentials of a request that is about to follow a redirect to another origin:
/// every header auth added (`credentials`) or whose name looks secret (`X-API-Key`,
/// `X-Auth-Token`, `Cookie`, ...), and every query parameter of `next` that repeats one `sent`
/// carried (same name and value) and is either auth's or secret-looking. Parameters the server
/// put in the Location itself stay: a presigned URL keeps its signature. Returns what it dropped.
pub(crate) fn strip_credentials(
    headers: &mut Vec<(HeaderName, HeaderValue)>,
    next: &mut Url,
    sent: &Url,
    credentials: &[String],
) -> Vec<String> {
    let is_credential = |name: &str| {
        is_secret_name(name)
            || credentials
                .iter()
                .any(|c| c.trim().eq_ignore_ascii_case(name.trim()))
    };
    let mut dropped = Vec::new();
    headers.retain(|(name, _)| {
        let keep = !is_credential(name.as_str());
        if !keep {
            dropped.push(name.as_str().to_string());
        }
        keep
    });
    let sent_pairs: Vec<(String, String)> = sent.query_pairs().into_owned().collect();
    type Pairs = Vec<(String, String)>;
    let (kept, gone): (Pairs, Pairs) = next
        .query_pairs()
        .into_owned()
        .partition(|pair| !(is_credential(&pair.0) && sent_pairs.contains(pair)));
    if !gone.is_empty() {
        if kept.is_empty() {
            next.set_query(None);
        } else {
            next.query_pairs_mut().clear().extend_pairs(&kept);
        }
        dropped.extend(gone.into_iter().map(|(name, _)| format!("?{name}")));
    }
    dropped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hop(method: &str, status: u16) -> NextHop {
        let base = Url::parse("http://127.0.0.1:1/a/b").unwrap();
        next_hop(&base, method, status, "c?x=1").unwrap()
    }

    #[test]
    fn relative_locations_resolve_against_the_current_url() {
        assert_eq!(hop("GET", 302).url.as_str(), "http://127.0.0.1:1/a/c?x=1");
    }

    #[test]
    fn see_other_turns_everything_but_head_into_get() {
        assert_eq!(hop("PUT", 303).method, "GET");
        assert!(hop("PUT", 303).drop_body);
        assert_eq!(hop("HEAD", 303).method, "HEAD");
    }

    #[test]
    fn moved_and_found_turn_post_into_get_only() {
        assert_eq!(hop("POST", 301).method, "GET");
        assert_eq!(hop("POST", 302).method, "GET");
        assert_eq!(hop("PUT", 302).method, "PUT");
        assert!(!hop("PUT", 302).drop_body);
    }

    #[test]
    fn temporary_and_permanent_keep_method_and_body() {
        for status in [307, 308] {
            let h = hop("POST", status);
            assert_eq!(h.method, "POST");
            assert!(!h.drop_body);
        }
    }

    #[test]
    fn another_origin_is_flagged() {
        let base = Url::parse("http://127.0.0.1:1/").unwrap();
        assert!(
            next_hop(&base, "GET", 302, "http://localhost:1/")
                .unwrap()
                .cross_origin
        );
        assert!(!next_hop(&base, "GET", 302, "/x").unwrap().cross_origin);
    }

    #[test]
    fn non_http_schemes_are_refused() {
        let base = Url::parse("http://127.0.0.1:1/").unwrap();
        assert!(next_hop(&base, "GET", 302, "file:///etc/passwd").is_err());
    }

    fn headers(names: &[&str]) -> Vec<(HeaderName, HeaderValue)> {
        names
            .iter()
            .map(|n| {
                (
                    HeaderName::from_bytes(n.as_bytes()).unwrap(),
                    HeaderValue::from_static("v"),
                )
            })
            .collect()
    }

    #[test]
    fn secret_looking_and_auth_headers_are_stripped() {
        let mut h = headers(&["X-API-Key", "X-Auth-Token", "Accept", "X-Custom", "Cookie"]);
        let sent = Url::parse("http://a/").unwrap();
        let mut next = Url::parse("http://b/").unwrap();
        let dropped = strip_credentials(&mut h, &mut next, &sent, &["x-custom".into()]);
        let left: Vec<&str> = h.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(left, ["accept"]);
        assert_eq!(dropped, ["x-api-key", "x-auth-token", "x-custom", "cookie"]);
    }

    #[test]
    fn query_credentials_we_sent_are_stripped_and_the_servers_own_kept() {
        let sent = Url::parse("http://a/x?api_key=s3&page=2&sig=abc").unwrap();
        let mut next =
            Url::parse("http://b/y?page=2&api_key=s3&sig=abc&X-Amz-Security-Token=t").unwrap();
        let dropped = strip_credentials(&mut Vec::new(), &mut next, &sent, &["sig".into()]);
        assert_eq!(next.as_str(), "http://b/y?page=2&X-Amz-Security-Token=t");
        assert_eq!(dropped, ["?api_key", "?sig"]);

        let mut only = Url::parse("http://b/y?api_key=s3").unwrap();
        strip_credentials(&mut Vec::new(), &mut only, &sent, &[]);
        assert_eq!(only.as_str(), "http://b/y");
    }

    #[test]
    fn a_url_without_credentials_is_left_as_it_was() {
        let sent = Url::parse("http://a/x?q=a%20b").unwrap();
        let mut next = Url::parse("http://b/y?q=a%20b").unwrap();
        assert!(strip_credentials(&mut Vec::new(), &mut next, &sent, &[]).is_empty());
        assert_eq!(next.as_str(), "http://b/y?q=a%20b");
    }
}
