//! rustls client configurations for `wss://`: the same trust as HTTP requests (Mozilla's roots,
//! the system's, and the extra CA certificates the engine was given), or none at all when the
//! request turns TLS verification off, so `verifyTls: false` means the same for both. A client
//! certificate (mTLS) chosen for the host is presented the same way as for HTTP.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::identity::ClientIdentity;
use crate::EngineError;

/// The configurations, built on first use (loading the system's roots reads many files): one
/// per TLS verification setting and client certificate.
pub(crate) struct TlsConfigs {
    extra_roots: Vec<CertificateDer<'static>>,
    roots: OnceLock<Arc<RootCertStore>>,
    configs: Mutex<Configs>,
}

/// Keyed by TLS verification and the client certificate's digest.
type Configs = HashMap<(bool, Option<[u8; 32]>), Arc<ClientConfig>>;

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

impl TlsConfigs {
    pub fn new(extra_root_pems: &[String]) -> Result<Self, EngineError> {
        let mut extra_roots = Vec::new();
        for pem in extra_root_pems {
            for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
                extra_roots.push(cert.map_err(|e| {
                    EngineError::InvalidRequest(format!("invalid CA certificate: {e}"))
                })?);
            }
        }
        Ok(Self {
            extra_roots,
            roots: OnceLock::new(),
            configs: Mutex::new(HashMap::new()),
        })
    }

    fn roots(&self) -> Arc<RootCertStore> {
        let roots = self.roots.get_or_init(|| {
            let mut roots = RootCertStore::empty();
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            for cert in rustls_native_certs::load_native_certs().certs {
                let _ = roots.add(cert);
            }
            for cert in &self.extra_roots {
                let _ = roots.add(cert.clone());
            }
            Arc::new(roots)
        });
        Arc::clone(roots)
    }

    /// The configuration for `verify`, presenting `identity` when the server asks for one.
    pub fn config(
        &self,
        verify: bool,
        identity: Option<&ClientIdentity>,
    ) -> Result<Arc<ClientConfig>, EngineError> {
        let key = (verify, identity.map(ClientIdentity::digest));
        if let Some(config) = self.lock().get(&key) {
            return Ok(Arc::clone(config));
        }
        let builder = ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(|e| EngineError::Internal(format!("TLS setup: {e}")))?;
        let builder = if verify {
            builder.with_root_certificates(self.roots())
        } else {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AnyCertificate(provider())))
        };
        let mut config = match identity {
            None => builder.with_no_client_auth(),
            Some(identity) => {
                let (chain, key) = parts(identity)?;
                builder.with_client_auth_cert(chain, key).map_err(|e| {
                    EngineError::InvalidRequest(format!("the client certificate: {e}"))
                })?
            }
        };
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let config = Arc::new(config);
        self.lock().insert(key, Arc::clone(&config));
        Ok(config)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Configs> {
        self.configs.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The certificate chain and private key of an identity (already checked when it was made).
fn parts(
    identity: &ClientIdentity,
) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), EngineError> {
    let bad = |what: String| EngineError::InvalidRequest(format!("the client certificate: {what}"));
    let chain = CertificateDer::pem_slice_iter(identity.pem())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| bad(e.to_string()))?;
    let key = PrivateKeyDer::from_pem_slice(identity.pem()).map_err(|e| bad(e.to_string()))?;
    Ok((chain, key))
}

/// Accepts any certificate (the user turned verification off), still checking the handshake's
/// signatures so the session is at least bound to the certificate shown.
#[derive(Debug)]
struct AnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
