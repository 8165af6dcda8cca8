//! Plumbing shared by the in-process servers ([`crate::FaultServer`] and [`crate::HyperServer`]).
//!
//! Both servers must be usable from sync tests and from async tests on any runtime, so each one
//! runs its own Tokio runtime on a background thread, and each one needs a fresh self-signed
//! certificate for its TLS port. This module holds those two pieces so the servers don't repeat
//! them. It lives under `fault/` only because the crate root's module list is fixed.

use std::future::Future;
use std::net::{SocketAddr, TcpListener as StdTcpListener};
use std::sync::Arc;
use std::thread::JoinHandle;

use anyhow::{Context, Result};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::ServerConfig;
use tokio::sync::oneshot;

/// A self-signed certificate for `localhost` and `127.0.0.1`, with its key.
pub(crate) struct SelfSigned {
    pub(crate) cert_pem: String,
    cert_der: CertificateDer<'static>,
    key_der: Vec<u8>,
}

impl SelfSigned {
    pub(crate) fn generate() -> Result<SelfSigned> {
        let certified =
            rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()])
                .context("generating the self-signed certificate")?;
        Ok(SelfSigned {
            cert_pem: certified.cert.pem(),
            cert_der: certified.cert.der().clone(),
            key_der: certified.key_pair.serialize_der(),
        })
    }

    /// A rustls server config (ring provider, TLS 1.2 and 1.3) that offers `alpn`.
    pub(crate) fn server_config(&self, alpn: &[&[u8]]) -> Result<Arc<ServerConfig>> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key_der.clone()));
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .context("choosing TLS versions")?
            .with_no_client_auth()
            .with_single_cert(vec![self.cert_der.clone()], key)
            .context("loading the self-signed certificate")?;
        config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
        Ok(Arc::new(config))
    }
}

/// Binds a listener on an ephemeral loopback port, ready to hand to Tokio.
pub(crate) fn bind_loopback() -> Result<StdTcpListener> {
    let listener = StdTcpListener::bind("127.0.0.1:0").context("binding 127.0.0.1:0")?;
    listener
        .set_nonblocking(true)
        .context("making the listener non-blocking")?;
    Ok(listener)
}

pub(crate) fn local_addr(listener: &StdTcpListener) -> SocketAddr {
    listener
        .local_addr()
        .expect("a bound listener has a local address")
}

/// A Tokio runtime on its own thread. The future given to [`Background::spawn`] runs until the
/// `Background` is dropped; dropping it then drops the runtime, which cancels every task and so
/// closes every socket the server still holds.
pub(crate) struct Background {
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Background {
    pub(crate) fn spawn<F, Fut>(name: &str, serve: F) -> Result<Background>
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = ()> + 'static,
    {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name(format!("{name}-worker"))
            .enable_all()
            .build()
            .context("building the server's Tokio runtime")?;
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                runtime.block_on(async move {
                    tokio::select! {
                        _ = stopped => {}
                        () = serve() => {}
                    }
                });
                runtime.shutdown_background();
            })
            .context("spawning the server thread")?;
        Ok(Background {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The addresses and certificate of an in-process test server: a plain port and a TLS port on
/// 127.0.0.1, the latter with a self-signed certificate for `localhost` and `127.0.0.1`. The
/// servers deref to this, so `server.url("/x")` works on any of them.
pub struct Ports {
    pub(crate) addr: SocketAddr,
    pub(crate) tls_addr: SocketAddr,
    pub(crate) ca_pem: String,
}

impl Ports {
    /// The plain port's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The TLS port's address.
    pub fn tls_addr(&self) -> SocketAddr {
        self.tls_addr
    }

    /// `http://127.0.0.1:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// `https://localhost:PORT{path}` (the certificate is for `localhost` and `127.0.0.1`).
    pub fn tls_url(&self, path: &str) -> String {
        format!("https://localhost:{}{path}", self.tls_addr.port())
    }

    /// The TLS port's self-signed certificate, PEM; trust it as a root to connect.
    pub fn ca_pem(&self) -> String {
        self.ca_pem.clone()
    }
}
