//! The cookie jar shared by every request of a workspace.
//!
//! reqwest's own jar cannot be listed or cleared, so this wraps `cookie_store` behind reqwest's
//! `CookieStore` trait. Because the engine follows redirects itself, each hop is a separate
//! reqwest call and `Set-Cookie` is honoured on every hop.

use std::sync::{Mutex, MutexGuard};

use reqwest::header::HeaderValue;
use sextant_model::CookieInfo;
use url::Url;

#[derive(Debug, Default)]
pub struct CookieJar {
    store: Mutex<cookie_store::CookieStore>,
}

impl CookieJar {
    fn lock(&self) -> MutexGuard<'_, cookie_store::CookieStore> {
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Every unexpired cookie in the jar.
    pub fn list(&self) -> Vec<CookieInfo> {
        self.lock().iter_unexpired().map(cookie_info).collect()
    }

    pub fn clear(&self) {
        self.lock().clear();
    }
}

pub(crate) fn cookie_info(c: &cookie_store::Cookie<'_>) -> CookieInfo {
    let domain = match &c.domain {
        cookie_store::CookieDomain::HostOnly(d) | cookie_store::CookieDomain::Suffix(d) => {
            d.clone()
        }
        _ => String::new(),
    };
    let expires = match &c.expires {
        cookie_store::CookieExpiration::AtUtc(t) => t
            .format(&time::format_description::well_known::Rfc3339)
            .ok(),
        cookie_store::CookieExpiration::SessionEnd => None,
    };
    CookieInfo {
        name: c.name().to_string(),
        value: c.value().to_string(),
        domain,
        path: String::from(&c.path),
        expires,
        secure: c.secure().unwrap_or(false),
        http_only: c.http_only().unwrap_or(false),
    }
}

/// Parses the `Set-Cookie` headers of one response for display, resolved against its URL.
pub(crate) fn parse_set_cookies<'a>(
    values: impl Iterator<Item = &'a HeaderValue>,
    url: &Url,
) -> Vec<CookieInfo> {
    values
        .filter_map(|v| v.to_str().ok())
        .filter_map(|s| cookie_store::Cookie::parse(s.to_string(), url).ok())
        .map(|c| cookie_info(&c))
        .collect()
}

impl reqwest::cookie::CookieStore for CookieJar {
    fn set_cookies(&self, headers: &mut dyn Iterator<Item = &HeaderValue>, url: &Url) {
        let cookies = headers
            .filter_map(|v| v.to_str().ok())
            .filter_map(|s| cookie::Cookie::parse(s.to_string()).ok());
        self.lock().store_response_cookies(cookies, url);
    }

    fn cookies(&self, url: &Url) -> Option<HeaderValue> {
        let header = self
            .lock()
            .get_request_values(url)
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ");
        if header.is_empty() {
            None
        } else {
            HeaderValue::from_str(&header).ok()
        }
    }
}
