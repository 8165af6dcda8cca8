//! HTTP Digest authentication (RFC 7616), answered by the engine because the credentials can only
//! be hashed once the server has sent its challenge.
//!
//! A request with Digest credentials goes out; a 401 carrying `WWW-Authenticate: Digest ...` is
//! answered once and the request retried (the 401 is recorded as a hop so both exchanges show).
//! A later 401 whose challenge says `stale=true` (the nonce expired, the password was right) is
//! answered once more; any other 401 is the response. The last challenge per origin is kept in
//! the engine with its nonce count, so the next request to that origin sends credentials at once
//! with `nc` one higher. Credentials are only ever sent to the origin of the request itself.
//!
//! `qop=auth` is preferred when offered (it works for any body); `auth-int` hashes the body, which
//! the engine can do for in-memory bodies only: a file or multipart body is a typed error.

use std::collections::HashMap;
use std::sync::Mutex;

use md5::Md5;
use reqwest::header::{HeaderMap, HeaderValue, WWW_AUTHENTICATE};
use sextant_model::{DigestAlgorithm, Signing};
use sha2::{Digest, Sha256};
use url::{Position, Url};

use crate::request_body::PreparedBody;
use crate::EngineError;

/// One `Digest` challenge from a `WWW-Authenticate` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Challenge {
    pub realm: String,
    pub nonce: String,
    pub opaque: Option<String>,
    /// Never `Auto`: a challenge without `algorithm` means MD5.
    pub algorithm: DigestAlgorithm,
    /// The `qop` values offered, lower case; empty for an RFC 2069 challenge.
    pub qop: Vec<String>,
    pub stale: bool,
}

/// The last challenge answered per origin, with how many times its nonce was used.
#[derive(Default)]
pub(crate) struct Nonces(Mutex<HashMap<String, (Challenge, u32)>>);

impl Nonces {
    /// The challenge for `origin` with its next nonce count, counting this use; none when the
    /// remembered challenge is not for the `wanted` algorithm.
    fn next(&self, origin: &str, wanted: DigestAlgorithm) -> Option<(Challenge, u32)> {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let (challenge, nc) = map.get_mut(origin)?;
        if wanted != DigestAlgorithm::Auto && challenge.algorithm != wanted {
            return None;
        }
        *nc += 1;
        Some((challenge.clone(), *nc))
    }

    fn remember(&self, origin: String, challenge: Challenge) {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.insert(origin, (challenge, 0));
    }
}

/// Digest credentials for one send and the retries spent so far.
pub(crate) struct DigestAuth {
    username: String,
    password: String,
    algorithm: DigestAlgorithm,
    origin: String,
    answered: bool,
    stale_answered: bool,
}

impl DigestAuth {
    /// Digest credentials from the request's signing, bound to the origin of `url`.
    pub fn new(signing: Option<&Signing>, url: &Url) -> Option<Self> {
        match signing? {
            Signing::Digest {
                username,
                password,
                algorithm,
            } => Some(Self {
                username: username.clone(),
                password: password.clone(),
                algorithm: *algorithm,
                origin: url.origin().ascii_serialization(),
                answered: false,
                stale_answered: false,
            }),
            Signing::AwsSigV4 { .. } => None,
        }
    }

    /// The `Authorization` value for a hop to `url`, when it goes to the credentials' origin and
    /// a challenge from that origin is known.
    pub fn authorization(
        &self,
        nonces: &Nonces,
        method: &str,
        url: &Url,
        body: &PreparedBody,
    ) -> Result<Option<HeaderValue>, EngineError> {
        let origin = url.origin().ascii_serialization();
        if origin != self.origin {
            return Ok(None);
        }
        let Some((challenge, nc)) = nonces.next(&origin, self.algorithm) else {
            return Ok(None);
        };
        let uri = &url[Position::BeforePath..Position::AfterQuery];
        let cnonce = uuid::Uuid::new_v4().simple().to_string();
        let value = answer(
            &challenge,
            &Answer {
                username: &self.username,
                password: &self.password,
                method,
                uri,
                nc,
                cnonce: &cnonce,
            },
            body,
        )?;
        HeaderValue::from_str(&value).map(Some).map_err(|_| {
            EngineError::InvalidRequest("the Digest username cannot be sent in a header".into())
        })
    }

    /// After a 401 from `url`: whether to send again, having remembered the server's challenge.
    /// The first challenge is answered once; after that only a `stale=true` one, once.
    pub fn on_unauthorized(&mut self, nonces: &Nonces, url: &Url, headers: &HeaderMap) -> bool {
        let origin = url.origin().ascii_serialization();
        if origin != self.origin {
            return false;
        }
        let Some(challenge) = choose(parse_challenges(headers), self.algorithm) else {
            return false;
        };
        if !self.answered {
            self.answered = true;
        } else if challenge.stale && !self.stale_answered {
            self.stale_answered = true;
        } else {
            return false;
        }
        nonces.remember(origin, challenge);
        true
    }
}

/// The request-specific inputs of one answer.
pub(crate) struct Answer<'a> {
    pub username: &'a str,
    pub password: &'a str,
    pub method: &'a str,
    pub uri: &'a str,
    pub nc: u32,
    pub cnonce: &'a str,
}

/// The `Digest ...` credentials answering `challenge` (RFC 7616 §3.4).
pub(crate) fn answer(
    challenge: &Challenge,
    a: &Answer<'_>,
    body: &PreparedBody,
) -> Result<String, EngineError> {
    let h = |text: &[u8]| hash(challenge.algorithm, text);
    let qop = if challenge.qop.iter().any(|q| q == "auth") {
        Some("auth")
    } else if challenge.qop.iter().any(|q| q == "auth-int") {
        Some("auth-int")
    } else {
        None
    };
    let nc = format!("{:08x}", a.nc);
    let mut ha1 = h(format!("{}:{}:{}", a.username, challenge.realm, a.password).as_bytes());
    if matches!(
        challenge.algorithm,
        DigestAlgorithm::Md5Sess | DigestAlgorithm::Sha256Sess
    ) {
        ha1 = h(format!("{ha1}:{}:{}", challenge.nonce, a.cnonce).as_bytes());
    }
    let ha2 = if qop == Some("auth-int") {
        let body_hash = h(body_bytes(body)?);
        h(format!("{}:{}:{body_hash}", a.method, a.uri).as_bytes())
    } else {
        h(format!("{}:{}", a.method, a.uri).as_bytes())
    };
    let response = match qop {
        Some(qop) => {
            h(format!("{ha1}:{}:{nc}:{}:{qop}:{ha2}", challenge.nonce, a.cnonce).as_bytes())
        }
        None => h(format!("{ha1}:{}:{ha2}", challenge.nonce).as_bytes()),
    };
    let mut out = format!(
        "Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{}\", algorithm={}, response=\"{response}\"",
        quote(a.username),
        quote(&challenge.realm),
        quote(&challenge.nonce),
        quote(a.uri),
        challenge.algorithm.as_str(),
    );
    if let Some(qop) = qop {
        out.push_str(&format!(", qop={qop}, nc={nc}, cnonce=\"{}\"", a.cnonce));
    }
    if let Some(opaque) = &challenge.opaque {
        out.push_str(&format!(", opaque=\"{}\"", quote(opaque)));
    }
    Ok(out)
}

fn body_bytes(body: &PreparedBody) -> Result<&[u8], EngineError> {
    match body {
        PreparedBody::None => Ok(&[]),
        PreparedBody::Bytes { bytes, .. } => Ok(bytes),
        PreparedBody::File { .. } | PreparedBody::Multipart(_) => Err(EngineError::InvalidRequest(
            "the server asks for Digest qop=auth-int, which hashes the body; Sextant can do that \
             for text, JSON and form bodies, not for a file or multipart body"
                .into(),
        )),
    }
}

fn hash(algorithm: DigestAlgorithm, text: &[u8]) -> String {
    let bytes: Vec<u8> = match algorithm {
        DigestAlgorithm::Sha256 | DigestAlgorithm::Sha256Sess => Sha256::digest(text).to_vec(),
        _ => Md5::digest(text).to_vec(),
    };
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn quote(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

/// The challenge to answer: with `Auto`, the strongest offered (SHA-256 over MD5); otherwise the
/// one offering exactly `wanted`.
pub(crate) fn choose(challenges: Vec<Challenge>, wanted: DigestAlgorithm) -> Option<Challenge> {
    let strength = |a: DigestAlgorithm| match a {
        DigestAlgorithm::Sha256 | DigestAlgorithm::Sha256Sess => 1,
        _ => 0,
    };
    if wanted == DigestAlgorithm::Auto {
        challenges
            .into_iter()
            .rev()
            .max_by_key(|c| strength(c.algorithm))
    } else {
        challenges.into_iter().find(|c| c.algorithm == wanted)
    }
}

/// Every `Digest` challenge in the `WWW-Authenticate` headers whose algorithm Sextant knows.
pub(crate) fn parse_challenges(headers: &HeaderMap) -> Vec<Challenge> {
    headers
        .get_all(WWW_AUTHENTICATE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(split_challenges)
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("digest"))
        .filter_map(|(_, params)| challenge_from(&params))
        .collect()
}

fn challenge_from(params: &[(String, String)]) -> Option<Challenge> {
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let algorithm = match get("algorithm") {
        None => DigestAlgorithm::Md5,
        Some(a) => DigestAlgorithm::parse(&a).filter(|a| *a != DigestAlgorithm::Auto)?,
    };
    Some(Challenge {
        realm: get("realm").unwrap_or_default(),
        nonce: get("nonce")?,
        opaque: get("opaque"),
        algorithm,
        qop: get("qop")
            .map(|q| {
                q.split(',')
                    .map(|s| s.trim().to_ascii_lowercase())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        stale: get("stale").is_some_and(|s| s.eq_ignore_ascii_case("true")),
    })
}

/// Splits one header value into challenges: a scheme token, then `name=value` parameters (token
/// or quoted string) separated by commas, until the next bare token starts another challenge.
fn split_challenges(value: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out: Vec<(String, Vec<(String, String)>)> = Vec::new();
    let mut chars = value.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        let mut token = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() || c == ',' || c == '=' {
                break;
            }
            token.push(c);
            chars.next();
        }
        if token.is_empty() {
            if chars.next().is_none() {
                return out;
            }
            continue;
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek() != Some(&'=') {
            out.push((token, Vec::new()));
            continue;
        }
        chars.next();
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut val = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => val.extend(chars.next()),
                    '"' => break,
                    c => val.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ',' || c.is_whitespace() {
                    break;
                }
                val.push(c);
                chars.next();
            }
        }
        // A parameter before any scheme (a token68 of a scheme we skip) is ignored.
        if let Some((_, params)) = out.last_mut() {
            params.push((token, val));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append(WWW_AUTHENTICATE, HeaderValue::from_str(v).unwrap());
        }
        map
    }

    #[test]
    fn challenges_are_read_among_other_schemes() {
        let found = parse_challenges(&headers(&[
            r#"Basic realm="b", Digest realm="api@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="n1", opaque="o""#,
            r#"Digest realm="api@example.org", nonce="n2", stale=TRUE"#,
            r#"Digest realm="x", nonce="n3", algorithm=SHA-512-256"#,
        ]));
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].algorithm, DigestAlgorithm::Sha256);
        assert_eq!(found[0].qop, ["auth", "auth-int"]);
        assert_eq!(found[0].opaque.as_deref(), Some("o"));
        assert_eq!(found[1].algorithm, DigestAlgorithm::Md5);
        assert!(found[1].stale);
        let chosen = choose(found.clone(), DigestAlgorithm::Auto).unwrap();
        assert_eq!(chosen.nonce, "n1");
        let chosen = choose(found, DigestAlgorithm::Md5).unwrap();
        assert_eq!(chosen.nonce, "n2");
    }

    /// RFC 7616 §3.9.1, the SHA-256 and MD5 examples.
    #[test]
    fn the_rfc_examples_hash_alike() {
        let challenge = |algorithm| Challenge {
            realm: "http-auth@example.org".into(),
            nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v".into(),
            opaque: Some("FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS".into()),
            algorithm,
            qop: vec!["auth".into(), "auth-int".into()],
            stale: false,
        };
        let a = Answer {
            username: "Mufasa",
            password: "Circle of Life",
            method: "GET",
            uri: "/dir/index.html",
            nc: 1,
            cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
        };
        let sha = answer(&challenge(DigestAlgorithm::Sha256), &a, &PreparedBody::None).unwrap();
        assert!(
            sha.contains(
                r#"response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1""#
            ),
            "{sha}"
        );
        assert!(sha.contains("qop=auth, nc=00000001"), "{sha}");
        let md5 = answer(&challenge(DigestAlgorithm::Md5), &a, &PreparedBody::None).unwrap();
        assert!(
            md5.contains(r#"response="8ca523f5e9506fed4657c9700eebdbec""#),
            "{md5}"
        );
    }

    #[test]
    fn auth_int_over_a_file_body_is_a_typed_error() {
        let challenge = Challenge {
            realm: "r".into(),
            nonce: "n".into(),
            opaque: None,
            algorithm: DigestAlgorithm::Md5,
            qop: vec!["auth-int".into()],
            stale: false,
        };
        let a = Answer {
            username: "u",
            password: "p",
            method: "POST",
            uri: "/",
            nc: 1,
            cnonce: "c",
        };
        let file = PreparedBody::File {
            path: "/tmp/x".into(),
            content_type: None,
        };
        assert!(matches!(
            answer(&challenge, &a, &file),
            Err(EngineError::InvalidRequest(_))
        ));
    }
}
