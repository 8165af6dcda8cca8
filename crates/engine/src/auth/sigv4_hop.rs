//! Signs one hop with AWS SigV4: the glue between reqwest's request, as it is about to go out,
//! and the pure signer in [`super::sigv4`].
//!
//! A body held in memory is hashed; a body streamed from a file (binary or multipart) is signed
//! as `UNSIGNED-PAYLOAD`, so a large file is not read twice (S3 accepts it; services that
//! require the hash refuse it, and the user sends such bodies inline).

use reqwest::header::{HeaderName, HeaderValue};
use reqwest::RequestBuilder;
use sextant_model::Header;
use time::OffsetDateTime;

use super::sigv4::{self, Credentials, Payload, Request, EMPTY_SHA256};
use crate::EngineError;

/// `builder` with the SigV4 headers added (replacing any of the same name). A request that
/// cannot be built is an error as `classify` says, like any other send error.
pub(crate) fn sign(
    builder: RequestBuilder,
    creds: &Credentials<'_>,
    time: OffsetDateTime,
    classify: impl FnOnce(&reqwest::Error) -> EngineError,
) -> Result<(RequestBuilder, Vec<Header>), EngineError> {
    let (client, request) = builder.build_split();
    let mut request = request.map_err(|e| classify(&e))?;
    let payload = match request.body() {
        None => Payload::Sha256(EMPTY_SHA256.into()),
        Some(body) => match body.as_bytes() {
            Some(bytes) => Payload::Sha256(sigv4::sha256_hex(bytes)),
            None => Payload::Unsigned,
        },
    };
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let added = sigv4::sign(
        &Request {
            method: request.method().as_str(),
            url: request.url(),
            headers: &headers,
            payload: &payload,
        },
        creds,
        time,
    );
    let mut shown = Vec::new();
    for (name, value) in added {
        let invalid = || {
            EngineError::InvalidRequest(format!(
                "the AWS access key or session token cannot be sent in the {name} header \
                 (control characters or line breaks?)"
            ))
        };
        let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
        let header_value = HeaderValue::from_str(&value).map_err(|_| invalid())?;
        request.headers_mut().insert(header_name, header_value);
        shown.push(Header { name, value });
    }
    Ok((RequestBuilder::from_parts(client, request), shown))
}
