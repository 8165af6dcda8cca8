//! Checks and normalises a composed request before anything touches the network: URL, query
//! rows, method and header rows. Every problem here is the user's to fix, so each error names it.

use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Method;
use sextant_model::HttpRequest;
use url::Url;

use crate::EngineError;

pub(crate) struct Prepared {
    pub url: Url,
    pub method: Method,
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

pub(crate) fn prepare(req: &HttpRequest) -> Result<Prepared, EngineError> {
    Ok(Prepared {
        url: build_url(&req.url, &req.query)?,
        method: parse_method(&req.method)?,
        headers: parse_headers(req)?,
    })
}

/// Parses the URL (adding `http://` when no scheme was typed, as browsers do) and appends the
/// enabled query rows in order.
pub(crate) fn build_url(raw: &str, query: &[sextant_model::KeyValue]) -> Result<Url, EngineError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(EngineError::InvalidUrl {
            url: raw.into(),
            reason: "the URL is empty".into(),
        });
    }
    let with_scheme = if trimmed.contains("://") {
        trimmed.to_string()
    } else {
        format!("http://{trimmed}")
    };
    let mut url = Url::parse(&with_scheme).map_err(|e| EngineError::InvalidUrl {
        url: raw.into(),
        reason: e.to_string(),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(EngineError::InvalidUrl {
            url: raw.into(),
            reason: format!("unsupported scheme {:?} (use http or https)", url.scheme()),
        });
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(EngineError::InvalidUrl {
            url: raw.into(),
            reason: "the URL has no host".into(),
        });
    }
    let enabled: Vec<_> = query
        .iter()
        .filter(|q| q.enabled && !q.name.is_empty())
        .collect();
    if !enabled.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for q in enabled {
            pairs.append_pair(&q.name, &q.value);
        }
    }
    Ok(url)
}

fn parse_method(raw: &str) -> Result<Method, EngineError> {
    let m = raw.trim();
    let m = if m.is_empty() { "GET" } else { m };
    Method::from_bytes(m.as_bytes())
        .map_err(|_| EngineError::InvalidRequest(format!("{m:?} is not a valid HTTP method")))
}

fn parse_headers(req: &HttpRequest) -> Result<Vec<(HeaderName, HeaderValue)>, EngineError> {
    req.headers
        .iter()
        .filter(|h| h.enabled && !h.name.trim().is_empty())
        .map(|h| {
            let name = HeaderName::from_bytes(h.name.trim().as_bytes()).map_err(|_| {
                EngineError::InvalidRequest(format!("{:?} is not a valid header name", h.name))
            })?;
            let value = HeaderValue::from_str(&h.value).map_err(|_| {
                EngineError::InvalidRequest(format!(
                    "the value of header {:?} contains characters HTTP does not allow",
                    h.name
                ))
            })?;
            Ok((name, value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sextant_model::{ErrorCode, KeyValue};

    #[test]
    fn enabled_query_rows_are_appended_in_order() {
        let mut off = KeyValue::new("off", "1");
        off.enabled = false;
        let url = build_url(
            "http://127.0.0.1:8000/items?a=1",
            &[KeyValue::new("b", "x y"), off, KeyValue::new("a", "2")],
        )
        .unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:8000/items?a=1&b=x+y&a=2");
    }

    #[test]
    fn a_missing_scheme_means_http() {
        assert_eq!(
            build_url("127.0.0.1:9/x", &[]).unwrap().as_str(),
            "http://127.0.0.1:9/x"
        );
    }

    #[test]
    fn bad_urls_are_invalid_url_errors() {
        for bad in ["", "http://", "ftp://127.0.0.1/", "http://exa mple.com/"] {
            let err = build_url(bad, &[]).unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidUrl, "{bad:?}: {err}");
        }
    }

    #[test]
    fn custom_methods_are_accepted_and_junk_refused() {
        assert_eq!(parse_method("PURGE").unwrap().as_str(), "PURGE");
        assert!(parse_method("BAD METHOD").is_err());
    }
}
