//! The engine's error type, and its translation into the `{code, message}` shape that crosses
//! the IPC boundary. Classification happens here, once, by walking the error's source chain.

use std::error::Error as StdError;
use std::io;

use sextant_model::{ApiError, ErrorCode, TimeoutPhase};

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("invalid URL {url:?}: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("{0}")]
    InvalidRequest(String),
    #[error("could not resolve host {host}: {reason}")]
    Dns { host: String, reason: String },
    #[error("could not connect to {target}: {reason}")]
    Connect { target: String, reason: String },
    #[error("TLS handshake with {host} failed: {reason}")]
    Tls { host: String, reason: String },
    #[error("{}", timeout_sentence(*.phase, *.limit_ms))]
    Timeout { phase: TimeoutPhase, limit_ms: u64 },
    #[error("the request was cancelled")]
    Cancelled,
    #[error("{0}")]
    TooManyRedirects(String),
    #[error("the connection broke while reading the body after {received} bytes: {reason}")]
    BodyRead { received: u64, reason: String },
    #[error("the server sent a response that could not be read: {0}")]
    Protocol(String),
    #[error("the body could not be decoded as {encoding}: {reason}")]
    Decode { encoding: String, reason: String },
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: io::Error,
    },
    #[error("no stored body with id {0}")]
    NotFound(String),
    /// A budget the caller set (the body's decoded size) was exceeded; the message names it.
    #[error("the response body is larger than {}, the limit for {what}; stopped reading there", mib(*.limit))]
    TooLarge { what: String, limit: u64 },
    /// A budget other than the body's (a key file's key-derivation cost); the message names it.
    #[error("{0}")]
    OverBudget(String),
    /// A file would be sent somewhere the user did not choose (a 307/308 to another origin).
    #[error("{0}")]
    FileNotAllowed(String),
    #[error("internal error: {0}")]
    Internal(String),
}

fn mib(bytes: u64) -> String {
    if bytes.is_multiple_of(1024 * 1024) {
        format!("{} MiB", bytes / (1024 * 1024))
    } else {
        format!("{bytes} bytes")
    }
}

fn timeout_sentence(phase: TimeoutPhase, limit_ms: u64) -> String {
    let what = match phase {
        TimeoutPhase::Connect => "connecting to the server",
        TimeoutPhase::FirstByte => "waiting for the response head",
        TimeoutPhase::Body => "reading the response body",
    };
    format!("timed out after {limit_ms} ms while {what}")
}

impl EngineError {
    pub fn io(context: impl Into<String>, source: io::Error) -> Self {
        EngineError::Io {
            context: context.into(),
            source,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            EngineError::InvalidUrl { .. } => ErrorCode::InvalidUrl,
            EngineError::InvalidRequest(_) => ErrorCode::InvalidRequest,
            EngineError::Dns { .. } => ErrorCode::Dns,
            EngineError::Connect { .. } => ErrorCode::Connect,
            EngineError::Tls { .. } => ErrorCode::Tls,
            EngineError::Timeout { .. } => ErrorCode::Timeout,
            EngineError::Cancelled => ErrorCode::Cancelled,
            EngineError::TooManyRedirects(_) => ErrorCode::TooManyRedirects,
            EngineError::BodyRead { .. } => ErrorCode::BodyRead,
            EngineError::Protocol(_) => ErrorCode::Protocol,
            EngineError::Decode { .. } => ErrorCode::Decode,
            EngineError::Io { .. } => ErrorCode::Io,
            EngineError::NotFound(_) => ErrorCode::NotFound,
            EngineError::TooLarge { .. } | EngineError::OverBudget(_) => ErrorCode::TooLarge,
            EngineError::FileNotAllowed(_) => ErrorCode::FileNotAllowed,
            EngineError::Internal(_) => ErrorCode::Internal,
        }
    }

    pub fn to_api(&self) -> ApiError {
        ApiError::new(self.code(), self.to_string())
    }
}

impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> Self {
        e.to_api()
    }
}

/// Marks a resolver failure so it can be told apart from other connect errors.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct DnsFailure(pub String);

/// Classifies a reqwest error raised before the response head arrived.
pub(crate) fn classify_send_error(
    err: &reqwest::Error,
    host: &str,
    target: &str,
    connect_timeout_ms: Option<u64>,
) -> EngineError {
    let chain = || error_chain(err);
    if let Some(dns) = chain().find_map(|e| e.downcast_ref::<DnsFailure>()) {
        return EngineError::Dns {
            host: host.to_string(),
            reason: dns.0.clone(),
        };
    }
    if let Some(tls) = chain().find_map(|e| e.downcast_ref::<rustls::Error>()) {
        return EngineError::Tls {
            host: host.to_string(),
            reason: describe_tls(tls),
        };
    }
    if err.is_timeout() && err.is_connect() {
        return EngineError::Timeout {
            phase: TimeoutPhase::Connect,
            limit_ms: connect_timeout_ms.unwrap_or(0),
        };
    }
    if let Some(io) = chain().find_map(|e| e.downcast_ref::<io::Error>()) {
        let reason = match io.kind() {
            io::ErrorKind::ConnectionRefused => Some("connection refused (is the server running?)"),
            io::ErrorKind::HostUnreachable => Some("host unreachable"),
            io::ErrorKind::NetworkUnreachable => Some("network unreachable"),
            io::ErrorKind::AddrNotAvailable => Some("address not available"),
            _ => None,
        };
        if let Some(reason) = reason {
            return EngineError::Connect {
                target: target.to_string(),
                reason: reason.to_string(),
            };
        }
    }
    if err.is_connect() {
        return EngineError::Connect {
            target: target.to_string(),
            reason: innermost(err),
        };
    }
    if let Some(h) = chain().find_map(|e| e.downcast_ref::<hyper::Error>()) {
        if h.is_incomplete_message() {
            return EngineError::Protocol(
                "the server closed the connection before sending a response".into(),
            );
        }
        if h.is_parse() {
            return EngineError::Protocol(innermost(err));
        }
    }
    if err.is_builder() {
        return EngineError::InvalidRequest(innermost(err));
    }
    EngineError::Protocol(innermost(err))
}

/// Every error in `err`'s chain. `io::Error::source` skips the error an `io::Error` wraps, so
/// wrapped errors are visited explicitly (rustls errors arrive as io errors inside io errors).
fn error_chain<'a>(
    err: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(err), |&e: &&'a (dyn StdError + 'static)| {
        match e.downcast_ref::<io::Error>().and_then(|io| io.get_ref()) {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => e.source(),
        }
    })
}

/// The deepest message in an error chain: usually the most specific one.
pub(crate) fn innermost(err: &(dyn StdError + 'static)) -> String {
    let mut last = err;
    while let Some(next) = last.source() {
        last = next;
    }
    last.to_string()
}

pub(crate) fn describe_tls(err: &rustls::Error) -> String {
    use rustls::CertificateError as C;
    match err {
        rustls::Error::InvalidCertificate(c) => match c {
            C::UnknownIssuer => {
                "the certificate is signed by an unknown issuer (self-signed or missing CA); \
                 turn off TLS verification for this request to continue anyway"
                    .into()
            }
            C::Expired | C::ExpiredContext { .. } => "the certificate has expired".into(),
            C::NotValidYet | C::NotValidYetContext { .. } => {
                "the certificate is not valid yet".into()
            }
            C::NotValidForName | C::NotValidForNameContext { .. } => {
                "the certificate is not valid for this host name".into()
            }
            C::Revoked => "the certificate has been revoked".into(),
            C::BadSignature => "the certificate has a bad signature".into(),
            other => format!("invalid certificate: {other:?}"),
        },
        rustls::Error::AlertReceived(rustls::AlertDescription::CertificateRequired) => {
            "the server requires a client certificate and none was sent; add one for this host \
             in the collection's settings (Client certificates)"
                .into()
        }
        rustls::Error::AlertReceived(
            alert @ (rustls::AlertDescription::BadCertificate
            | rustls::AlertDescription::UnknownCA
            | rustls::AlertDescription::CertificateUnknown
            | rustls::AlertDescription::AccessDenied),
        ) => format!(
            "the server rejected the client certificate (TLS alert {alert:?}), or needs one \
             and none was sent for this host"
        ),
        rustls::Error::AlertReceived(alert) => format!("the server sent TLS alert {alert:?}"),
        rustls::Error::InvalidMessage(m) => {
            format!("the server did not speak TLS ({m:?}); is this an http:// port?")
        }
        other => other.to_string(),
    }
}
