//! Redirect rules (RFC 9110 §15.4), applied by the engine itself so every hop can be recorded.

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
}
