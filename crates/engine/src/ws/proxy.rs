//! WebSocket through a proxy: which proxy a URL takes (the request's, or the environment's as
//! for HTTP, with loopback going direct unless asked), and an HTTP `CONNECT` tunnel through it
//! (with Basic credentials from the proxy URL's userinfo). TLS for `wss://` then runs inside the
//! tunnel, end to end with the server.

use base64::Engine as _;
use sextant_model::{ProxySetting, RequestSettings};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use url::Url;

use super::error::WsError;
use crate::EngineError;

/// The longest proxy answer head read before giving up.
const MAX_HEAD: usize = 16 * 1024;

/// A proxy to tunnel through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Proxy {
    pub host: String,
    pub port: u16,
    /// `Basic …`, from the URL's userinfo.
    authorization: Option<String>,
}

fn invalid(url: &str, reason: impl Into<String>) -> WsError {
    EngineError::InvalidUrl {
        url: url.to_owned(),
        reason: reason.into(),
    }
    .into()
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn env(name: &str) -> Option<String> {
    std::env::var(name)
        .or_else(|_| std::env::var(name.to_lowercase()))
        .ok()
        .filter(|v| !v.trim().is_empty())
}

/// Whether `NO_PROXY` (comma-separated hosts or domain suffixes, `*` for all) names `host`.
fn no_proxy_matches(list: &str, host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    list.split(',')
        .map(|e| e.trim().to_ascii_lowercase())
        .filter(|e| !e.is_empty())
        .any(|entry| {
            let entry = entry.split(':').next().unwrap_or_default();
            let suffix = entry.trim_start_matches('*').trim_start_matches('.');
            entry == "*"
                || host == suffix
                || host.strip_suffix(suffix).is_some_and(|p| p.ends_with('.'))
        })
}

impl Proxy {
    /// The proxy `url` (a `ws://`/`wss://` URL) goes through, if any.
    pub fn for_url(settings: &RequestSettings, url: &Url) -> Result<Option<Proxy>, WsError> {
        let host = url.host_str().unwrap_or_default();
        if is_loopback(host) && !settings.proxy_loopback {
            return Ok(None);
        }
        let raw = match &settings.proxy {
            ProxySetting::None => return Ok(None),
            ProxySetting::Url { url } => url.clone(),
            ProxySetting::System => {
                if env("NO_PROXY").is_some_and(|list| no_proxy_matches(&list, host)) {
                    return Ok(None);
                }
                let scheme_var = if url.scheme() == "wss" {
                    "HTTPS_PROXY"
                } else {
                    "HTTP_PROXY"
                };
                match env(scheme_var).or_else(|| env("ALL_PROXY")) {
                    Some(raw) => raw,
                    None => return Ok(None),
                }
            }
        };
        Proxy::parse(&raw).map(Some)
    }

    /// An `http://[user:password@]host[:port]` proxy URL (no scheme: `http://`).
    pub fn parse(raw: &str) -> Result<Proxy, WsError> {
        let trimmed = raw.trim();
        let with_scheme = if trimmed.contains("://") {
            trimmed.to_owned()
        } else {
            format!("http://{trimmed}")
        };
        let parsed = Url::parse(&with_scheme)
            .map_err(|e| invalid(raw, format!("invalid proxy URL: {e}")))?;
        match parsed.scheme() {
            "http" => {}
            other => {
                return Err(WsError::Unsupported(format!(
                    "a WebSocket cannot go through a {other}:// proxy yet; use an http:// proxy \
                     (HTTP CONNECT) or none"
                )))
            }
        }
        let host = parsed
            .host_str()
            .ok_or_else(|| invalid(raw, "the proxy URL has no host"))?
            .to_owned();
        let authorization = (!parsed.username().is_empty()).then(|| {
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(s)
                    .decode_utf8_lossy()
                    .into_owned()
            };
            let pair = format!(
                "{}:{}",
                decode(parsed.username()),
                decode(parsed.password().unwrap_or_default())
            );
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(pair)
            )
        });
        Ok(Proxy {
            host,
            port: parsed.port().unwrap_or(80),
            authorization,
        })
    }

    /// Asks the proxy, over `tcp`, for a tunnel to `target` (`host:port`); on success `tcp` is
    /// the tunnel.
    pub async fn tunnel(&self, tcp: &mut TcpStream, target: &str) -> Result<(), WsError> {
        let mut head = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n");
        if let Some(auth) = &self.authorization {
            head.push_str("Proxy-Authorization: ");
            head.push_str(auth);
            head.push_str("\r\n");
        }
        head.push_str("\r\n");
        let broke = |e: std::io::Error| EngineError::Connect {
            target: format!("{}:{}", self.host, self.port),
            reason: format!("the proxy connection broke: {e}"),
        };
        tcp.write_all(head.as_bytes()).await.map_err(broke)?;
        // Byte by byte: nothing of the tunnel may be read past the answer's head.
        let mut answer = Vec::with_capacity(128);
        while !answer.ends_with(b"\r\n\r\n") {
            if answer.len() >= MAX_HEAD {
                return Err(WsError::Handshake(format!(
                    "the proxy's answer to CONNECT is over {MAX_HEAD} bytes"
                )));
            }
            let byte = tcp.read_u8().await.map_err(broke)?;
            answer.push(byte);
        }
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut response = httparse::Response::new(&mut headers);
        response.parse(&answer).map_err(|e| {
            WsError::Handshake(format!("the proxy's answer to CONNECT is not HTTP ({e})"))
        })?;
        let status = response.code.unwrap_or_default();
        match status {
            200..=299 => Ok(()),
            407 => Err(EngineError::Connect {
                target: format!("{}:{}", self.host, self.port),
                reason: if self.authorization.is_some() {
                    "the proxy refused the credentials in its URL (HTTP 407)".into()
                } else {
                    "the proxy needs credentials (HTTP 407): put them in the proxy URL \
                     (http://user:password@host:port)"
                        .into()
                },
            }
            .into()),
            other => Err(EngineError::Connect {
                target: target.to_owned(),
                reason: format!(
                    "the proxy {}:{} refused the tunnel with HTTP {other}",
                    self.host, self.port
                ),
            }
            .into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_urls_and_no_proxy_lists() {
        let p = Proxy::parse("http://us%40er:p%3Ass@proxy.example:3128").unwrap();
        assert_eq!((p.host.as_str(), p.port), ("proxy.example", 3128));
        let expected = base64::engine::general_purpose::STANDARD.encode("us@er:p:ss");
        assert_eq!(p.authorization, Some(format!("Basic {expected}")));
        assert_eq!(Proxy::parse("proxy:8080").unwrap().authorization, None);
        let err = Proxy::parse("socks5://127.0.0.1:1080").unwrap_err();
        assert!(err.to_string().contains("socks5:// proxy"), "{err}");
        assert!(no_proxy_matches("a.com, .example.org", "api.example.org"));
        assert!(no_proxy_matches("example.org:443", "example.org"));
        assert!(no_proxy_matches("*", "anything"));
        assert!(!no_proxy_matches("example.org", "badexample.org"));
    }
}
