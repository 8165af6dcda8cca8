//! Postman's auth blocks (collection, folder and request alike) as Sextant's auth.

use serde_json::Value;
use sextant_model::{ApiKeyLocation, Auth, DigestAlgorithm};

use crate::json::{string, string_or_empty};
use crate::warning::Warnings;

/// A Digest algorithm as Postman writes it: empty is `auto`, an unknown one `auto` with a warning.
fn digest_algorithm(token: &str, path: &str, w: &mut Warnings) -> DigestAlgorithm {
    if token.trim().is_empty() {
        return DigestAlgorithm::Auto;
    }
    DigestAlgorithm::parse(token).unwrap_or_else(|| {
        w.push(
            path,
            format!("digest algorithm {token:?} is not supported; the server's choice is used"),
        );
        DigestAlgorithm::Auto
    })
}

/// Basic, bearer, API key, Digest and AWS SigV4 auth; `noauth` is none, absent or `inherit`
/// inherits. Parameters are a list of `{key, value}` in v2.1 and an object in v2.0.
pub(super) fn auth(auth: Option<&Value>, path: &str, w: &mut Warnings) -> Auth {
    let Some(auth) = auth.filter(|a| a.is_object()) else {
        return Auth::Inherit;
    };
    let kind = string_or_empty(auth, "type");
    let param = |key: &str| -> String {
        match auth.get(&kind) {
            Some(Value::Array(list)) => list
                .iter()
                .find(|p| string(p, "key").as_deref() == Some(key))
                .and_then(|p| string(p, "value"))
                .unwrap_or_default(),
            Some(obj @ Value::Object(_)) => string_or_empty(obj, key),
            _ => String::new(),
        }
    };
    match kind.as_str() {
        "noauth" => Auth::None,
        "inherit" | "" => Auth::Inherit,
        "basic" => Auth::Basic {
            username: param("username"),
            password: param("password"),
        },
        "bearer" => Auth::Bearer {
            token: param("token"),
        },
        "apikey" => Auth::ApiKey {
            name: param("key"),
            value: param("value"),
            location: if param("in") == "query" {
                ApiKeyLocation::Query
            } else {
                ApiKeyLocation::Header
            },
        },
        "digest" => Auth::Digest {
            username: param("username"),
            password: param("password"),
            algorithm: digest_algorithm(&param("algorithm"), path, w),
        },
        "awsv4" => Auth::AwsSigV4 {
            access_key: param("accessKey"),
            secret_key: param("secretKey"),
            session_token: param("sessionToken"),
            region: param("region"),
            service: param("service"),
        },
        other => {
            w.push(
                path,
                format!("{other} auth is not supported; imported without auth"),
            );
            Auth::None
        }
    }
}
