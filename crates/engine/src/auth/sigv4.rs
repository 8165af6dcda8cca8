//! AWS Signature Version 4, as a pure function of the request as it finally goes out.
//!
//! The signature covers the method, path, query, headers and body hash, so it can only be made
//! after everything else about the request is settled (and again on a redirect hop). Keeping it
//! pure (the time is passed in) lets a test hold it to botocore's signer byte for byte.
//!
//! Canonicalisation follows botocore, AWS's reference signer: the path has its dot segments and
//! empty segments removed and is percent-encoded once more (so a path the URL already encodes is
//! encoded twice), except for S3, which signs the path as it is; query pairs are decoded, encoded
//! strictly (RFC 3986 unreserved characters only) and sorted by name, then value; header names are
//! lowercased and sorted, values trimmed with inner whitespace runs collapsed, repeated headers
//! joined with commas; hop-by-hop and tracing headers and `User-Agent` are not signed.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use url::Url;

type HmacSha256 = Hmac<Sha256>;

/// The hash of an empty body, the common case of a GET.
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Headers AWS's signers leave out: hop-by-hop headers a proxy may rewrite, tracing headers, and
/// `User-Agent`.
const UNSIGNED_HEADERS: [&str; 14] = [
    "baggage",
    "connection",
    "expect",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "traceparent",
    "tracestate",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "x-amzn-trace-id",
];

/// Headers the signer sets itself: values the caller had for them are replaced.
const SET_BY_SIGNER: [&str; 4] = [
    "authorization",
    "x-amz-date",
    "x-amz-content-sha256",
    "x-amz-security-token",
];

/// What the body contributes to the signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    /// The lowercase hex SHA-256 of the body bytes (see [`sha256_hex`]; [`EMPTY_SHA256`] for no
    /// body).
    Sha256(String),
    /// `UNSIGNED-PAYLOAD`: for a body streamed from a file, which would otherwise be read twice.
    /// S3 accepts it over https; most other services require the hash.
    Unsigned,
}

impl Payload {
    fn value(&self) -> &str {
        match self {
            Payload::Sha256(hex) => hex,
            Payload::Unsigned => "UNSIGNED-PAYLOAD",
        }
    }
}

/// Who signs, and for which service and region.
#[derive(Debug, Clone, Copy)]
pub struct Credentials<'a> {
    pub access_key: &'a str,
    pub secret_key: &'a str,
    /// The session token of temporary credentials, sent as `X-Amz-Security-Token`.
    pub session_token: Option<&'a str>,
    pub region: &'a str,
    pub service: &'a str,
}

/// The request as it will go out.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub method: &'a str,
    pub url: &'a Url,
    /// Every header that will be sent (`Host` is derived from the URL when absent).
    pub headers: &'a [(String, String)],
    pub payload: &'a Payload,
}

/// The headers to add to `request` (replacing any of the same name): `X-Amz-Date`,
/// `X-Amz-Content-Sha256`, `X-Amz-Security-Token` when there is a session token, and
/// `Authorization`, signed at `time`.
pub fn sign(
    request: &Request<'_>,
    creds: &Credentials<'_>,
    time: OffsetDateTime,
) -> Vec<(String, String)> {
    let stamp = amz_date(time);
    let mut added = vec![
        ("X-Amz-Date".to_string(), stamp.clone()),
        (
            "X-Amz-Content-Sha256".to_string(),
            request.payload.value().to_string(),
        ),
    ];
    if let Some(token) = creds.session_token.filter(|t| !t.is_empty()) {
        added.push(("X-Amz-Security-Token".to_string(), token.to_string()));
    }
    let signed = signed_headers(request, &added);
    let names: Vec<&str> = signed.iter().map(|(n, _)| n.as_str()).collect();
    let names = names.join(";");
    let canonical_headers: String = signed.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
    let canonical_request = [
        request.method.to_ascii_uppercase().as_str(),
        &canonical_path(request.url.path(), creds.service == "s3"),
        &canonical_query(request.url.query()),
        &canonical_headers,
        &names,
        request.payload.value(),
    ]
    .join("\n");

    let date = &stamp[..8];
    let scope = format!("{date}/{}/{}/aws4_request", creds.region, creds.service);
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{stamp}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    let mut key = hmac(format!("AWS4{}", creds.secret_key).as_bytes(), date);
    for part in [creds.region, creds.service, "aws4_request"] {
        key = hmac(&key, part);
    }
    let signature = hex(&hmac(&key, &string_to_sign));
    added.push((
        "Authorization".to_string(),
        format!(
            "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={names}, Signature={signature}",
            creds.access_key
        ),
    ));
    added
}

/// The lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// `YYYYMMDD'T'HHMMSS'Z'` in UTC.
fn amz_date(time: OffsetDateTime) -> String {
    let t = time.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Lowercased names with their canonical values, sorted by name; repeated headers joined by
/// commas in the order they appear.
fn signed_headers(request: &Request<'_>, added: &[(String, String)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let from_request = request
        .headers
        .iter()
        .filter(|(n, _)| !SET_BY_SIGNER.contains(&n.to_ascii_lowercase().as_str()));
    for (name, value) in from_request.chain(added) {
        let name = name.to_ascii_lowercase();
        if UNSIGNED_HEADERS.contains(&name.as_str()) {
            continue;
        }
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        match out.iter_mut().find(|(n, _)| *n == name) {
            Some((_, joined)) => {
                joined.push(',');
                joined.push_str(&value);
            }
            None => out.push((name, value)),
        }
    }
    if !out.iter().any(|(n, _)| n == "host") {
        out.push(("host".to_string(), host_of(request.url)));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The `Host` header reqwest sends: the host, and the port when it is not the scheme's default.
fn host_of(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

fn canonical_path(path: &str, s3: bool) -> String {
    if s3 {
        return if path.is_empty() {
            "/".into()
        } else {
            path.into()
        };
    }
    encode(&remove_dot_segments(path), true)
}

/// RFC 3986 §5.2.4, and empty segments dropped, as AWS requires of every service but S3.
fn remove_dot_segments(path: &str) -> String {
    if path.is_empty() {
        return "/".into();
    }
    let mut kept: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                kept.pop();
            }
            s => kept.push(s),
        }
    }
    let first = if path.starts_with('/') { "/" } else { "" };
    let last = if path.ends_with('/') && !kept.is_empty() {
        "/"
    } else {
        ""
    };
    format!("{first}{}{last}", kept.join("/"))
}

fn canonical_query(query: Option<&str>) -> String {
    let Some(query) = query.filter(|q| !q.is_empty()) else {
        return String::new();
    };
    let mut pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (encode(&k, false), encode(&v, false)))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes every byte but the unreserved ones (and `/` when `keep_slash`), uppercase hex.
fn encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.' | b'~')
            || (keep_slash && b == b'/')
        {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    // HMAC accepts a key of any length.
    let mut mac = HmacSha256::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of AWS's SigV4 documentation ("GET https://iam.amazonaws.com/?Action=ListUsers").
    #[test]
    fn matches_the_aws_documentation_example() {
        let url =
            Url::parse("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08").unwrap();
        let headers = vec![(
            "Content-Type".to_string(),
            "application/x-www-form-urlencoded; charset=utf-8".to_string(),
        )];
        let payload = Payload::Sha256(EMPTY_SHA256.into());
        let time = OffsetDateTime::from_unix_timestamp(1_440_938_160).unwrap(); // 20150830T123600Z
        let added = sign(
            &Request {
                method: "GET",
                url: &url,
                headers: &headers,
                payload: &payload,
            },
            &Credentials {
                access_key: "AKIDEXAMPLE",
                secret_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                session_token: None,
                region: "us-east-1",
                service: "iam",
            },
            time,
        );
        assert_eq!(added[0], ("X-Amz-Date".into(), "20150830T123600Z".into()));
        let auth = &added.last().unwrap().1;
        assert!(
            auth.starts_with(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, \
                 SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature="
            ),
            "{auth}"
        );
    }

    #[test]
    fn dot_segments_and_double_slashes_go_except_for_s3() {
        assert_eq!(canonical_path("/a/./b/../c//d/", false), "/a/c/d/");
        assert_eq!(canonical_path("/a%20b/c d", false), "/a%2520b/c%20d");
        assert_eq!(canonical_path("/a%20b//c", true), "/a%20b//c");
        assert_eq!(remove_dot_segments("/.."), "/");
    }

    #[test]
    fn query_is_decoded_encoded_strictly_and_sorted() {
        assert_eq!(
            canonical_query(Some("b=2&a=z&a=y&c&sp=a+b%20c&u=%C3%A9")),
            "a=y&a=z&b=2&c=&sp=a%20b%20c&u=%C3%A9"
        );
        assert_eq!(canonical_query(None), "");
    }
}
