//! Opening a WebSocket: the byte stream (`transport`), then our own HTTP upgrade (`upgrade`)
//! whose request and answer are kept for the handshake view, and the extensions the server
//! chose checked against the offer before the session starts.

use std::time::{Duration, Instant};

use reqwest::header::{HeaderName, HeaderValue};
use sextant_model::{HttpRequest, KeyValue, TimeoutPhase, WebSocketSettings, WsHandshake};
use url::Url;

use super::deflate::{self, Deflate};
use super::error::WsError;
use super::proxy::Proxy;
use super::socket::Socket;
use super::tls::TlsConfigs;
pub(crate) use super::transport::AsyncIo;
use super::{transport, upgrade};
use crate::identity::{identity_for, ClientIdentity};
use crate::timing::ms;
use crate::EngineError;

/// When the request sets no connect timeout: DNS, TCP, TLS and the upgrade must be done by then.
const DEFAULT_CONNECT_TIMEOUT_MS: u32 = 30_000;

/// The headers the upgrade writes itself; the request's own rows of these names are left out.
const HANDSHAKE_HEADERS: [&str; 6] = [
    "host",
    "connection",
    "upgrade",
    "sec-websocket-version",
    "sec-websocket-key",
    "sec-websocket-extensions",
];

/// Where and how to connect, checked once and reused by every reconnect.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub url: Url,
    headers: Vec<KeyValue>,
    pub settings: WebSocketSettings,
    verify_tls: bool,
    timeout_ms: u32,
    /// The client certificate presented on `wss://`, when one matches the host.
    identity: Option<ClientIdentity>,
    /// The HTTP proxy to tunnel through, if any.
    proxy: Option<Proxy>,
}

/// Parses the URL (`ws://` when no scheme was typed; `http(s)://` taken as `ws(s)://`) with the
/// enabled query rows appended.
fn ws_url(raw: &str, query: &[KeyValue]) -> Result<Url, EngineError> {
    let trimmed = raw.trim();
    let (scheme, rest) = match trimmed.split_once("://") {
        Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
        None => ("ws".to_owned(), trimmed),
    };
    let (http, ws) = match scheme.as_str() {
        "ws" | "http" => ("http", "ws"),
        "wss" | "https" => ("https", "wss"),
        other => {
            return Err(EngineError::InvalidUrl {
                url: raw.into(),
                reason: format!("unsupported scheme {other:?} (use ws or wss)"),
            })
        }
    };
    let mut url = crate::prepare::build_url(&format!("{http}://{rest}"), query)?;
    url.set_scheme(ws).map_err(|()| EngineError::InvalidUrl {
        url: raw.into(),
        reason: "the URL cannot be a WebSocket URL".into(),
    })?;
    Ok(url)
}

impl Target {
    pub fn new(
        request: &HttpRequest,
        settings: &WebSocketSettings,
        identities: &[ClientIdentity],
    ) -> Result<Self, WsError> {
        if request.signing.is_some() {
            return Err(WsError::Unsupported(
                "Digest and AWS SigV4 auth are not supported for WebSocket yet".into(),
            ));
        }
        let url = ws_url(&request.url, &request.query)?;
        let mut https = url.clone();
        let _ = https.set_scheme(if url.scheme() == "wss" {
            "https"
        } else {
            "http"
        });
        Ok(Self {
            proxy: Proxy::for_url(&request.settings, &url)?,
            identity: identity_for(identities, &https).cloned(),
            url,
            headers: request
                .headers
                .iter()
                .filter(|h| h.enabled && !h.name.is_empty())
                .cloned()
                .collect(),
            settings: settings.clone(),
            verify_tls: request.settings.verify_tls,
            timeout_ms: request
                .settings
                .connect_timeout_ms
                .unwrap_or(DEFAULT_CONNECT_TIMEOUT_MS),
        })
    }

    /// The `http(s)://` twin of the URL, for the cookie jar.
    pub fn http_url(&self) -> Url {
        let mut url = self.url.clone();
        let scheme = if url.scheme() == "wss" {
            "https"
        } else {
            "http"
        };
        let _ = url.set_scheme(scheme);
        url
    }

    pub fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case(name))
    }

    pub fn add_header(&mut self, name: &str, value: String) {
        self.headers.push(KeyValue::new(name, value));
    }

    fn host(&self) -> String {
        self.url.host_str().unwrap_or_default().to_owned()
    }

    /// Connects and upgrades within the connect timeout.
    pub async fn connect(&self, tls: &TlsConfigs) -> Result<(Socket, WsHandshake), WsError> {
        let limit = Duration::from_millis(u64::from(self.timeout_ms));
        match tokio::time::timeout(limit, self.connect_unbounded(tls)).await {
            Ok(result) => result,
            Err(_) => Err(EngineError::Timeout {
                phase: TimeoutPhase::Connect,
                limit_ms: u64::from(self.timeout_ms),
            }
            .into()),
        }
    }

    async fn connect_unbounded(&self, tls: &TlsConfigs) -> Result<(Socket, WsHandshake), WsError> {
        let started = Instant::now();
        let port = self.url.port_or_known_default().unwrap_or(80);
        let host = self.host();
        let bare_host = host.trim_start_matches('[').trim_end_matches(']');
        let (tcp, remote_addr) = transport::open(bare_host, port, self.proxy.as_ref()).await?;
        let mut io: Box<dyn AsyncIo> = if self.url.scheme() == "wss" {
            Box::new(
                transport::tls(tls, self.verify_tls, self.identity.as_ref(), bare_host, tcp)
                    .await?,
            )
        } else {
            Box::new(tcp)
        };
        let connected = Instant::now();

        let key = tungstenite::handshake::client::generate_key();
        let (path, host_header) = upgrade::request_target(&self.url);
        let request_headers = self.upgrade_headers(host_header, &key)?;
        let verify = self.verify_tls;
        let answer =
            upgrade::upgrade(
                &mut io,
                &path,
                &request_headers,
                &key,
                |e| match transport::io_error(&e, bare_host, verify) {
                    Some(tls) => tls.into(),
                    None => {
                        WsError::Handshake(format!("the connection broke during the upgrade: {e}"))
                    }
                },
            )
            .await?;
        let subprotocol = answer
            .values("sec-websocket-protocol")
            .next()
            .map(str::to_owned);
        if let Some(chosen) = &subprotocol {
            let offered = request_headers
                .iter()
                .filter(|(name, _)| name == "sec-websocket-protocol")
                .flat_map(|(_, value)| value.split(','))
                .any(|p| p.trim() == chosen);
            if !offered {
                return Err(WsError::Handshake(format!(
                    "the server chose the subprotocol {chosen:?}, which was not offered"
                )));
            }
        }
        let extensions: Vec<String> = answer
            .values("sec-websocket-extensions")
            .flat_map(|v| v.split(','))
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect();
        let deflate =
            deflate::negotiate(&extensions, self.settings.deflate).map_err(WsError::Handshake)?;
        let socket = Socket::new(
            io,
            &answer.rest,
            deflate.map(Deflate::new),
            self.settings.max_message_bytes,
        );
        let header = |(name, value): &(String, String)| sextant_model::Header {
            name: name.clone(),
            value: value.clone(),
        };
        let handshake = WsHandshake {
            url: self.url.to_string(),
            status: answer.status,
            request_headers: request_headers.iter().map(header).collect(),
            response_headers: answer.headers.iter().map(header).collect(),
            subprotocol,
            extensions,
            remote_addr,
            connect_ms: ms(started, connected),
            handshake_ms: ms(connected, Instant::now()),
            warnings: Vec::new(),
        };
        Ok((socket, handshake))
    }

    /// The upgrade request's headers, lowercase names, in the order written.
    fn upgrade_headers(&self, host: String, key: &str) -> Result<Vec<(String, String)>, WsError> {
        let mut headers = vec![
            ("host".to_owned(), host),
            ("connection".to_owned(), "Upgrade".to_owned()),
            ("upgrade".to_owned(), "websocket".to_owned()),
            ("sec-websocket-version".to_owned(), "13".to_owned()),
            ("sec-websocket-key".to_owned(), key.to_owned()),
        ];
        let mut protocol = None;
        let mut has_agent = false;
        for h in &self.headers {
            let name = HeaderName::from_bytes(h.name.trim().as_bytes()).map_err(|_| {
                EngineError::InvalidRequest(format!("invalid header name {:?}", h.name))
            })?;
            HeaderValue::from_str(&h.value).map_err(|_| {
                EngineError::InvalidRequest(format!("invalid value for header {}", h.name))
            })?;
            let name = name.as_str();
            if HANDSHAKE_HEADERS.contains(&name) {
                continue;
            }
            has_agent |= name == "user-agent";
            if name == "sec-websocket-protocol" {
                protocol = Some(h.value.clone());
            } else {
                headers.push((name.to_owned(), h.value.clone()));
            }
        }
        let protocols: Vec<&str> = self
            .settings
            .subprotocols
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        if !protocols.is_empty() {
            let joined = protocols.join(", ");
            HeaderValue::from_str(&joined).map_err(|_| {
                EngineError::InvalidRequest("invalid WebSocket subprotocol name".into())
            })?;
            protocol = Some(joined);
        }
        if let Some(protocol) = protocol {
            headers.push(("sec-websocket-protocol".to_owned(), protocol));
        }
        if self.settings.deflate {
            headers.push((
                "sec-websocket-extensions".to_owned(),
                deflate::OFFER.to_owned(),
            ));
        }
        if !has_agent {
            headers.push((
                "user-agent".to_owned(),
                concat!("sextant/", env!("CARGO_PKG_VERSION")).to_owned(),
            ));
        }
        Ok(headers)
    }
}
