//! [`HyperServer`]: an in-process, well-behaved hyper 1.x server speaking HTTP/1.1 and HTTP/2,
//! for the engine's protocol-version tests.
//!
//! The fault server only speaks HTTP/1.1 (by hand, on purpose). To check which version the
//! engine negotiates, tests need a server that really speaks both: its plain port takes
//! HTTP/1.1 or h2c with prior knowledge, and its TLS port offers ALPN `h2` and `http/1.1`.
//! `GET /version` answers with the version the request arrived on.

use std::convert::Infallible;
use std::net::TcpListener as StdTcpListener;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response, Version};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::fault::support::{bind_loopback, local_addr, Background, Ports, SelfSigned};

/// An in-process HTTP/1.1 + HTTP/2 server on a plain port (h2c prior knowledge) and a TLS port
/// (ALPN). `GET /version` → `HTTP/1.1` or `HTTP/2`; any other path → `ok`.
///
/// Dropping it stops the server.
pub struct HyperServer {
    ports: Ports,
    _background: Background,
}

impl HyperServer {
    /// Starts the server on two ephemeral ports of 127.0.0.1 (plain and TLS, the latter with a
    /// fresh self-signed certificate for `localhost` and `127.0.0.1`). Both ports are listening
    /// when this returns.
    ///
    /// # Panics
    /// If the ports cannot be bound or the certificate cannot be made.
    pub fn start() -> HyperServer {
        Self::try_start().expect("starting the hyper server")
    }

    fn try_start() -> anyhow::Result<HyperServer> {
        let plain = bind_loopback()?;
        let tls = bind_loopback()?;
        let (addr, tls_addr) = (local_addr(&plain), local_addr(&tls));
        let cert = SelfSigned::generate()?;
        let acceptor = TlsAcceptor::from(cert.server_config(&[b"h2", b"http/1.1"])?);
        let background = Background::spawn("hyper-server", move || async move {
            tokio::join!(accept(plain, None), accept(tls, Some(acceptor)));
        })?;
        Ok(HyperServer {
            ports: Ports {
                addr,
                tls_addr,
                ca_pem: cert.cert_pem,
            },
            _background: background,
        })
    }
}

async fn accept(listener: StdTcpListener, tls: Option<TlsAcceptor>) {
    let Ok(listener) = TcpListener::from_std(listener) else {
        return;
    };
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            // Out of file descriptors or similar: back off rather than spin.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let _ = tcp.set_nodelay(true);
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                Some(acceptor) => {
                    if let Ok(stream) = acceptor.accept(tcp).await {
                        serve(stream).await;
                    }
                }
                None => serve(tcp).await,
            }
        });
    }
}

/// Serves one connection, HTTP/1.1 or HTTP/2 as the client's first bytes say.
async fn serve<S>(stream: S)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let _ = Builder::new(TokioExecutor::new())
        .serve_connection(TokioIo::new(stream), service_fn(respond))
        .await;
}

async fn respond(request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let body = if request.uri().path() == "/version" {
        match request.version() {
            Version::HTTP_09 => "HTTP/0.9",
            Version::HTTP_10 => "HTTP/1.0",
            Version::HTTP_11 => "HTTP/1.1",
            Version::HTTP_2 => "HTTP/2",
            Version::HTTP_3 => "HTTP/3",
            _ => "unknown",
        }
    } else {
        "ok"
    };
    let mut response = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    Ok(response)
}

impl std::ops::Deref for HyperServer {
    type Target = Ports;
    fn deref(&self) -> &Ports {
        &self.ports
    }
}
