//! Which header and query names carry credentials. One list shared by every layer that must
//! treat them specially: the engine drops them on a redirect to another origin, history masks
//! them, and the workspace store keeps their literal values out of collection files.

/// Parts of a name that mark it as a credential, lower case. A header or query parameter whose
/// name contains any of them (ignoring case) is treated as secret: `X-API-Key`, `X-Auth-Token`,
/// `api_key`, `Authorization`, `Cookie`, `X-Session-Id`, ...
pub const SECRET_NAME_PARTS: [&str; 9] = [
    "token",
    "key",
    "secret",
    "auth",
    "session",
    "password",
    "passwd",
    "credential",
    "cookie",
];

/// Whether `name` (a header or query parameter name) looks like it carries a credential.
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    SECRET_NAME_PARTS.iter().any(|part| lower.contains(part))
}

/// Query (and form) parameter names that carry credentials though [`is_secret_name`] does not
/// catch them: signed-URL signatures and short password names.
const SECRET_PARAMS: [&str; 6] = ["sig", "signature", "pwd", "pass", "jwt", "otp"];

/// Whether a query parameter, form field or multipart part named `name` carries a credential.
pub fn is_secret_param(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    is_secret_name(&lower)
        || SECRET_PARAMS.contains(&lower.as_str())
        || lower.ends_with("-signature")
        || lower.ends_with("_signature")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_params_are_recognised() {
        for name in [
            "password",
            "passwd",
            "pwd",
            "client_secret",
            "access_token",
            "refresh_token",
            "api_key",
            "apikey",
            "key",
            "sig",
            "X-Amz-Signature",
        ] {
            assert!(is_secret_param(name), "{name}");
        }
        for name in ["username", "grant_type", "scope", "page", "q"] {
            assert!(!is_secret_param(name), "{name}");
        }
    }

    #[test]
    fn credential_names_are_recognised_whatever_their_case() {
        for name in [
            "Authorization",
            "Proxy-Authorization",
            "Cookie",
            "X-API-Key",
            "x-auth-token",
            "api_key",
            "X-Session-Id",
            "client_secret",
            "Password",
            "X-Amz-Security-Token",
            "X-Credential",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn ordinary_names_are_not_secret() {
        for name in [
            "Accept",
            "Content-Type",
            "User-Agent",
            "X-Request-Id",
            "page",
            "q",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }
}
