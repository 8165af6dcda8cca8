//! The byte stream under a WebSocket: TCP to the server (or to the proxy, then a CONNECT
//! tunnel), then TLS for `wss://`, set up by hand so the connect time and the remote address
//! are known and TLS failures read like HTTP's.

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use super::error::WsError;
use super::proxy::Proxy;
use super::tls::TlsConfigs;
use crate::identity::ClientIdentity;
use crate::EngineError;

pub(crate) trait AsyncIo: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> AsyncIo for T {}

/// Resolves `host` and connects to the first address that answers.
pub(crate) async fn tcp_connect(host: &str, port: u16) -> Result<TcpStream, WsError> {
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

/// TCP to `host:port`, through `proxy`'s tunnel when there is one; also the peer's address.
pub(crate) async fn open(
    host: &str,
    port: u16,
    proxy: Option<&Proxy>,
) -> Result<(TcpStream, Option<String>), WsError> {
    let tcp = match proxy {
        None => tcp_connect(host, port).await?,
        Some(proxy) => {
            let mut tcp = tcp_connect(&proxy.host, proxy.port).await?;
            let target = if host.contains(':') {
                format!("[{host}]:{port}")
            } else {
                format!("{host}:{port}")
            };
            proxy.tunnel(&mut tcp, &target).await?;
            tcp
        }
    };
    let _ = tcp.set_nodelay(true);
    let remote_addr = tcp.peer_addr().ok().map(|a| a.to_string());
    Ok((tcp, remote_addr))
}

/// An I/O error as the user should read it: a TLS alert (a client certificate the server
/// wanted, say, which TLS 1.3 reports on the first read) becomes a TLS error.
pub(crate) fn io_error(e: &std::io::Error, host: &str, verify_tls: bool) -> Option<EngineError> {
    let tls = e.get_ref()?.downcast_ref::<rustls::Error>()?;
    let mut reason = crate::error::describe_tls(tls);
    if verify_tls && reason.contains("certificate") && !reason.contains("turn off") {
        reason.push_str(" (turn off TLS verification for this request to continue anyway)");
    }
    Some(EngineError::Tls {
        host: host.to_owned(),
        reason,
    })
}

/// TLS over `tcp` for `host`, presenting `identity` if the server asks for a certificate.
pub(crate) async fn tls(
    configs: &TlsConfigs,
    verify_tls: bool,
    identity: Option<&ClientIdentity>,
    host: &str,
    tcp: TcpStream,
) -> Result<tokio_rustls::client::TlsStream<TcpStream>, WsError> {
    let config = configs.config(verify_tls, identity)?;
    let name = rustls::pki_types::ServerName::try_from(host.to_owned()).map_err(|e| {
        EngineError::InvalidUrl {
            url: host.to_owned(),
            reason: format!("not a valid TLS server name: {e}"),
        }
    })?;
    tokio_rustls::TlsConnector::from(config)
        .connect(name, tcp)
        .await
        .map_err(|e| {
            io_error(&e, host, verify_tls)
                .unwrap_or_else(|| EngineError::Tls {
                    host: host.to_owned(),
                    reason: e.to_string(),
                })
                .into()
        })
}
