//! Opening a WebSocket: TCP (and TLS for `wss://`) set up by hand so the connect time and the
//! remote address are known, then the HTTP upgrade through tungstenite, whose request and
//! answer are kept for the handshake view.

use std::time::{Duration, Instant};

use sextant_model::{HttpRequest, KeyValue, TimeoutPhase, WebSocketSettings, WsHandshake};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::{HeaderName, HeaderValue};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Error as TError;
use tokio_tungstenite::WebSocketStream;
use url::Url;

use super::error::WsError;
use super::proxy::Proxy;
use super::tls::TlsConfigs;
use crate::identity::{identity_for, ClientIdentity};
use crate::timing::ms;
use crate::EngineError;

/// When the request sets no connect timeout: DNS, TCP, TLS and the upgrade must be done by then.
const DEFAULT_CONNECT_TIMEOUT_MS: u32 = 30_000;

/// The headers tungstenite writes itself; the request's own rows of these names are left out.
const HANDSHAKE_HEADERS: [&str; 5] = [
    "host",
    "connection",
    "upgrade",
    "sec-websocket-version",
    "sec-websocket-key",
];

pub(crate) trait AsyncIo: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> AsyncIo for T {}

pub(crate) type Socket = WebSocketStream<Box<dyn AsyncIo>>;

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
        let host = self.host();
        let port = self.url.port_or_known_default().unwrap_or(80);
        let target = format!("{host}:{port}");
        let bare_host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let tcp = match &self.proxy {
            None => tcp_connect(&bare_host, port).await?,
            Some(proxy) => {
                let mut tcp = tcp_connect(&proxy.host, proxy.port).await?;
                proxy.tunnel(&mut tcp, &target).await?;
                tcp
            }
        };
        let _ = tcp.set_nodelay(true);
        let remote_addr = tcp.peer_addr().ok().map(|a| a.to_string());
        let io: Box<dyn AsyncIo> = if self.url.scheme() == "wss" {
            Box::new(self.tls(tls, &bare_host, tcp).await?)
        } else {
            Box::new(tcp)
        };
        let connected = Instant::now();

        let request = self.upgrade_request()?;
        let request_headers = header_list(request.headers());
        let config = WebSocketConfig::default()
            .max_message_size(Some(budget(self.settings.max_message_bytes)))
            .max_frame_size(Some(budget(self.settings.max_message_bytes)));
        let (socket, response) =
            tokio_tungstenite::client_async_with_config(request, io, Some(config))
                .await
                .map_err(|e| handshake_error(e, &bare_host))?;
        let response_headers = header_list(response.headers());
        let subprotocol = response
            .headers()
            .get("sec-websocket-protocol")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let extensions = response
            .headers()
            .get_all("sec-websocket-extensions")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect();
        let mut warnings = Vec::new();
        if self.settings.deflate {
            warnings.push(
                "permessage-deflate was not offered: the WebSocket library (tungstenite 0.30) \
                 does not support it yet"
                    .to_owned(),
            );
        }
        if !self.settings.auto_pong {
            warnings.push(
                "auto-pong cannot be turned off: the WebSocket library answers every ping \
                 (RFC 6455 requires it); pings are still logged"
                    .to_owned(),
            );
        }
        let handshake = WsHandshake {
            url: self.url.to_string(),
            status: response.status().as_u16(),
            request_headers,
            response_headers,
            subprotocol,
            extensions,
            remote_addr,
            connect_ms: ms(started, connected),
            handshake_ms: ms(connected, Instant::now()),
            warnings,
        };
        Ok((socket, handshake))
    }

    async fn tls(
        &self,
        tls: &TlsConfigs,
        host: &str,
        tcp: TcpStream,
    ) -> Result<tokio_rustls::client::TlsStream<TcpStream>, WsError> {
        let config = tls.config(self.verify_tls, self.identity.as_ref())?;
        let name = rustls::pki_types::ServerName::try_from(host.to_owned()).map_err(|e| {
            EngineError::InvalidUrl {
                url: self.url.to_string(),
                reason: format!("not a valid TLS server name: {e}"),
            }
        })?;
        let stream = tokio_rustls::TlsConnector::from(config)
            .connect(name, tcp)
            .await
            .map_err(|e| {
                let mut reason = match e.get_ref() {
                    Some(inner) => match inner.downcast_ref::<rustls::Error>() {
                        Some(tls) => crate::error::describe_tls(tls),
                        None => inner.to_string(),
                    },
                    None => e.to_string(),
                };
                if self.verify_tls && reason.contains("certificate") && !reason.contains("turn off")
                {
                    reason.push_str(
                        " (turn off TLS verification for this request to continue anyway)",
                    );
                }
                EngineError::Tls {
                    host: host.to_owned(),
                    reason,
                }
            })?;
        Ok(stream)
    }

    fn upgrade_request(
        &self,
    ) -> Result<tokio_tungstenite::tungstenite::handshake::client::Request, WsError> {
        let mut request = self
            .url
            .as_str()
            .into_client_request()
            .map_err(|e| WsError::Handshake(e.to_string()))?;
        let headers = request.headers_mut();
        let mut has_agent = false;
        for h in &self.headers {
            let lower = h.name.to_ascii_lowercase();
            if HANDSHAKE_HEADERS.contains(&lower.as_str()) {
                continue;
            }
            has_agent |= lower == "user-agent";
            let name = HeaderName::from_bytes(h.name.as_bytes()).map_err(|_| {
                EngineError::InvalidRequest(format!("invalid header name {:?}", h.name))
            })?;
            let value = HeaderValue::from_str(&h.value).map_err(|_| {
                EngineError::InvalidRequest(format!("invalid value for header {}", h.name))
            })?;
            if lower == "sec-websocket-protocol" {
                headers.insert(name, value);
            } else {
                headers.append(name, value);
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
            let value = HeaderValue::from_str(&protocols.join(", ")).map_err(|_| {
                EngineError::InvalidRequest("invalid WebSocket subprotocol name".into())
            })?;
            headers.insert("sec-websocket-protocol", value);
        }
        if !has_agent {
            headers.insert(
                "user-agent",
                HeaderValue::from_static(concat!("sextant/", env!("CARGO_PKG_VERSION"))),
            );
        }
        Ok(request)
    }
}

/// Resolves `host` and connects to the first address that answers.
async fn tcp_connect(host: &str, port: u16) -> Result<TcpStream, WsError> {
    let addrs: Vec<_> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| EngineError::Dns {
            host: host.to_owned(),
            reason: e.to_string(),
        })?
        .collect();
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect(addr).await {
            Ok(s) => return Ok(s),
            Err(e) => last = Some(e),
        }
    }
    Err(EngineError::Connect {
        target: format!("{host}:{port}"),
        reason: match last {
            Some(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                "connection refused (is the server running?)".into()
            }
            Some(e) => e.to_string(),
            None => "the host has no address".into(),
        },
    }
    .into())
}

fn budget(bytes: u64) -> usize {
    usize::try_from(bytes.max(1)).unwrap_or(usize::MAX)
}

fn header_list(
    map: &tokio_tungstenite::tungstenite::http::HeaderMap,
) -> Vec<sextant_model::Header> {
    map.iter()
        .map(|(n, v)| sextant_model::Header {
            name: n.as_str().to_owned(),
            value: String::from_utf8_lossy(v.as_bytes()).into_owned(),
        })
        .collect()
}

fn handshake_error(e: TError, host: &str) -> WsError {
    match e {
        TError::Http(response) => WsError::Rejected {
            status: response.status().as_u16(),
            body: response
                .body()
                .as_deref()
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default(),
        },
        TError::Io(io) => {
            if let Some(tls) = io
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
            {
                return EngineError::Tls {
                    host: host.to_owned(),
                    reason: crate::error::describe_tls(tls),
                }
                .into();
            }
            WsError::Handshake(format!("the connection broke during the upgrade: {io}"))
        }
        TError::Protocol(p) => WsError::Handshake(p.to_string()),
        other => WsError::Handshake(other.to_string()),
    }
}
