//! Auth the template cannot render into a header up front: Digest answers a challenge the server
//! sends first, AWS SigV4 signs the request as it finally goes out (method, URL, headers, body
//! hash). The template resolves their `{{variables}}` into a [`Signing`] on the request and the
//! engine does the rest.

use crate::DigestAlgorithm;

/// Resolved credentials the engine uses while sending. Never serialized: it holds secrets in
/// clear and lives only between templating and the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signing {
    /// Answer a `WWW-Authenticate: Digest` challenge (RFC 7616).
    Digest {
        username: String,
        password: String,
        algorithm: DigestAlgorithm,
    },
    /// Sign with AWS Signature Version 4.
    AwsSigV4 {
        access_key: String,
        secret_key: String,
        /// Empty when the credentials are not temporary.
        session_token: String,
        region: String,
        service: String,
    },
}
