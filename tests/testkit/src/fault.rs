//! [`FaultServer`]: an in-process HTTP/1.1 server that misbehaves on purpose, for the HTTP
//! engine's tests.
//!
//! The engine must cope with servers that stall, reset, lie about lengths, break chunked
//! encoding, loop redirects or send huge heads. Real servers do these things only by accident,
//! so this one does them on request, one route per fault. It speaks hand-written HTTP/1.1 over
//! raw Tokio sockets (see [`http`]) so that each fault is exactly the bytes the route wrote, on a
//! plain port and on a TLS port with a self-signed certificate. It runs on its own thread and
//! runtime so that sync tests and async tests on any runtime can use it alike.

mod http;
pub(crate) mod mtls;
mod paced;
mod routes;
mod runs;
mod sse;
pub(crate) mod support;
mod ws;
mod ws_stream;

use std::net::TcpListener as StdTcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use self::http::{Conn, Incoming, RawStream, Response};
use self::routes::Next;
use self::support::{bind_loopback, local_addr, Background, Ports, SelfSigned};

/// An in-process server with one route per HTTP fault, on a plain port and a TLS port.
///
/// Routes (on both ports): `/ok`, `/json`, `/csv`, `/echo`, `/bytes/{n}`,
/// `/slow-body?chunks=N&delay_ms=M`, `/paced?bytes=N&rate=BYTES_PER_SEC`,
/// `/gate/{key}?first=N&total=M` (held after N bytes until `/gate-open/{key}`), `/stall-head`, `/stall-body`, `/reset-mid-body`,
/// `/close-before-head`, `/broken-chunked`, `/redirect-loop`, `/redirect/{n}`, `/redirect-to?url=U`,
/// `/huge-headers?count=N&size=S`, `/encoded/{gzip|deflate|br|zstd|bogus-gzip}`,
/// `/set-cookie?name=N&value=V`, `/set-cookie-redirect`, `/cookies`,
/// `/sse/slow?count=N&delay_ms=M`, `/sse/resume?count=N&drop_after=K` (drops after event K unless
/// `Last-Event-ID` is sent, then resumes after it), `/sse/fast?count=N&per_sec=R` (N events in
/// 64 KiB chunks, as fast as the client reads or R a second), `/sse/flaky?count=N&every=K` (every
/// connection drops after K events, resuming after `Last-Event-ID`; after event N, at once),
/// `/ws-stream?count=N&per_sec=R` (a WebSocket sending N small text messages, R a second, then
/// closing with 1000); anything else is a 404.
///
/// Dropping it stops the server and closes every connection it still holds.
pub struct FaultServer {
    ports: Ports,
    connections: Arc<AtomicUsize>,
    _background: Background,
}

impl FaultServer {
    /// Starts the server on two ephemeral ports of 127.0.0.1 (plain and TLS, the latter with a
    /// fresh self-signed certificate for `localhost` and `127.0.0.1`). Both ports are listening
    /// when this returns.
    ///
    /// # Panics
    /// If the ports cannot be bound or the certificate cannot be made.
    pub fn start() -> FaultServer {
        Self::try_start().expect("starting the fault server")
    }

    fn try_start() -> anyhow::Result<FaultServer> {
        let plain = bind_loopback()?;
        let tls = bind_loopback()?;
        let (addr, tls_addr) = (local_addr(&plain), local_addr(&tls));
        let cert = SelfSigned::generate()?;
        let acceptor = TlsAcceptor::from(cert.server_config(&[b"http/1.1"])?);
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = connections.clone();
        let background = Background::spawn("fault-server", move || async move {
            tokio::join!(
                accept_plain(plain, counter.clone()),
                accept_tls(tls, acceptor, counter),
            );
        })?;
        Ok(FaultServer {
            ports: Ports {
                addr,
                tls_addr,
                ca_pem: cert.cert_pem,
            },
            connections,
            _background: background,
        })
    }

    /// TCP connections accepted so far on both ports (to test keep-alive reuse).
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

async fn accept_plain(listener: StdTcpListener, counter: Arc<AtomicUsize>) {
    let Ok(listener) = TcpListener::from_std(listener) else {
        return;
    };
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            // Out of file descriptors or similar: back off rather than spin.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        counter.fetch_add(1, Ordering::SeqCst);
        let _ = tcp.set_nodelay(true);
        tokio::spawn(serve_connection(tcp));
    }
}

async fn accept_tls(listener: StdTcpListener, acceptor: TlsAcceptor, counter: Arc<AtomicUsize>) {
    let Ok(listener) = TcpListener::from_std(listener) else {
        return;
    };
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        counter.fetch_add(1, Ordering::SeqCst);
        let _ = tcp.set_nodelay(true);
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            if let Ok(stream) = acceptor.accept(tcp).await {
                serve_connection(stream).await;
            }
        });
    }
}

/// Serves requests on one connection until a route or the client ends it.
async fn serve_connection<S: RawStream>(stream: S) {
    let mut conn = Conn::new(stream);
    loop {
        let next = match conn.read_request().await {
            Incoming::Request(request) => routes::handle(&mut conn, request)
                .await
                .unwrap_or(Next::Abort),
            Incoming::Closed => Next::Abort,
            Incoming::Bad(status) => {
                let response = Response::text(status, "bad request");
                let _ = conn.stream.write_all(&response.encode(true, false)).await;
                Next::Close
            }
        };
        match next {
            Next::KeepAlive => continue,
            Next::Close => {
                let _ = conn.stream.shutdown().await;
                return;
            }
            Next::Abort => return,
        }
    }
}

impl std::ops::Deref for FaultServer {
    type Target = Ports;
    fn deref(&self) -> &Ports {
        &self.ports
    }
}
