//! [`MtlsServer`]: the fault server's routes behind a TLS port that requires a client
//! certificate, for the engine's mTLS tests.
//!
//! It makes its own small PKI with `rcgen` on every start: a CA, a server certificate for
//! `localhost` and `127.0.0.1` signed by it, a client certificate signed by it (accepted), and a
//! client certificate from an unrelated CA (refused). Nothing is written to disk; tests that need
//! files write the PEM text themselves.

use std::net::TcpListener as StdTcpListener;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use super::serve_connection;
use super::support::{bind_loopback, local_addr, Background};

/// A certificate and its private key, PEM.
#[derive(Clone, Debug)]
pub struct PemPair {
    pub cert_pem: String,
    pub key_pem: String,
}

/// The fault server's routes on `https://localhost:PORT`, which completes a request only for a
/// client that presents a certificate signed by this server's own CA. Stopped on drop.
pub struct MtlsServer {
    port: u16,
    ca_pem: String,
    client: PemPair,
    stranger: PemPair,
    _background: Background,
}

struct Ca {
    cert: rcgen::Certificate,
    key: KeyPair,
}

impl Ca {
    fn new(name: &str) -> Result<Ca> {
        let mut params = CertificateParams::new(Vec::<String>::new())?;
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let key = KeyPair::generate()?;
        let cert = params.self_signed(&key)?;
        Ok(Ca { cert, key })
    }

    fn issue(
        &self,
        names: &[&str],
        usage: ExtendedKeyUsagePurpose,
    ) -> Result<(rcgen::Certificate, KeyPair)> {
        let mut params =
            CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())?;
        params.distinguished_name.push(
            DnType::CommonName,
            names.first().copied().unwrap_or("client"),
        );
        params.extended_key_usages = vec![usage];
        let key = KeyPair::generate()?;
        let cert = params.signed_by(&key, &self.cert, &self.key)?;
        Ok((cert, key))
    }
}

impl MtlsServer {
    /// Starts the server on an ephemeral port of 127.0.0.1; it is listening when this returns.
    ///
    /// # Panics
    /// If the port cannot be bound or the certificates cannot be made.
    pub fn start() -> MtlsServer {
        Self::try_start().expect("starting the mTLS server")
    }

    fn try_start() -> Result<MtlsServer> {
        let ca = Ca::new("Sextant test CA").context("making the CA")?;
        let (server_cert, server_key) = ca.issue(
            &["localhost", "127.0.0.1"],
            ExtendedKeyUsagePurpose::ServerAuth,
        )?;
        let (client_cert, client_key) =
            ca.issue(&["sextant-client"], ExtendedKeyUsagePurpose::ClientAuth)?;
        let other = Ca::new("Unrelated CA")?;
        let (stranger_cert, stranger_key) =
            other.issue(&["stranger"], ExtendedKeyUsagePurpose::ClientAuth)?;

        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = RootCertStore::empty();
        roots
            .add(ca.cert.der().clone())
            .context("trusting the test CA")?;
        let verifier =
            WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()
                .context("building the client certificate verifier")?;
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
        let chain: Vec<CertificateDer<'static>> = vec![server_cert.der().clone()];
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .context("choosing TLS versions")?
            .with_client_cert_verifier(verifier)
            .with_single_cert(chain, key)
            .context("loading the server certificate")?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let acceptor = TlsAcceptor::from(Arc::new(config));

        let listener = bind_loopback()?;
        let port = local_addr(&listener).port();
        let background = Background::spawn("mtls-server", move || accept(listener, acceptor))?;
        Ok(MtlsServer {
            port,
            ca_pem: ca.cert.pem(),
            client: PemPair {
                cert_pem: client_cert.pem(),
                key_pem: client_key.serialize_pem(),
            },
            stranger: PemPair {
                cert_pem: stranger_cert.pem(),
                key_pem: stranger_key.serialize_pem(),
            },
            _background: background,
        })
    }

    /// `https://localhost:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("https://localhost:{}{path}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The CA that signed the server's and the accepted client's certificates; trust it as a
    /// root to connect.
    pub fn ca_pem(&self) -> String {
        self.ca_pem.clone()
    }

    /// A client certificate (and PKCS#8 key) the server accepts.
    pub fn client(&self) -> PemPair {
        self.client.clone()
    }

    /// A client certificate from an unrelated CA, which the server refuses.
    pub fn stranger(&self) -> PemPair {
        self.stranger.clone()
    }
}

async fn accept(listener: StdTcpListener, acceptor: TlsAcceptor) {
    let Ok(listener) = TcpListener::from_std(listener) else {
        return;
    };
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let _ = tcp.set_nodelay(true);
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            if let Ok(stream) = acceptor.accept(tcp).await {
                serve_connection(stream).await;
            }
        });
    }
}
