//! rustls client configurations for `wss://`: the same trust as HTTP requests (Mozilla's roots,
//! the system's, and the extra CA certificates the engine was given), or none at all when the
//! request turns TLS verification off, so `verifyTls: false` means the same for both.

use std::sync::{Arc, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::EngineError;

/// The two configurations, built on first use (loading the system's roots reads many files).
pub(crate) struct TlsConfigs {
    extra_roots: Vec<CertificateDer<'static>>,
    verified: OnceLock<Arc<ClientConfig>>,
    unverified: OnceLock<Arc<ClientConfig>>,
}

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
            verified: OnceLock::new(),
            unverified: OnceLock::new(),
        })
    }

    pub fn config(&self, verify: bool) -> Result<Arc<ClientConfig>, EngineError> {
        let cell = if verify {
            &self.verified
        } else {
            &self.unverified
        };
        if let Some(config) = cell.get() {
            return Ok(Arc::clone(config));
        }
        let builder = ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(|e| EngineError::Internal(format!("TLS setup: {e}")))?;
        let mut config = if verify {
            let mut roots = RootCertStore::empty();
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            for cert in rustls_native_certs::load_native_certs().certs {
                let _ = roots.add(cert);
            }
            for cert in &self.extra_roots {
                let _ = roots.add(cert.clone());
            }
            builder.with_root_certificates(roots).with_no_client_auth()
        } else {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AnyCertificate(provider())))
                .with_no_client_auth()
        };
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Arc::clone(cell.get_or_init(|| Arc::new(config))))
    }
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
