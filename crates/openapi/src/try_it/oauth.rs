//! OAuth 2.0 and OpenID Connect schemes as an [`Auth::OAuth2`] the app can sign in with: the
//! spec knows the endpoints and scopes, the user only brings the client id (and secret, or user
//! name and password). Those are `{{clientId}}`-style variables, defined empty by the request
//! (or the collection), for the reason the security module gives.
//!
//! When a scheme offers several flows, the one taken is the first of authorization code, client
//! credentials, password, device authorization (OpenAPI 3.2) and implicit (the last is
//! discouraged by RFC 9700). A flow's `refreshUrl` is not kept: refreshing uses the token URL. A relative token or
//! authorization URL (FastAPI writes `tokenUrl: "token"`) is resolved against the server URL,
//! which counts as a directory: `token` under `https://h/api` is `https://h/api/token`, while
//! `/auth/token` is `https://h/auth/token`.

use sextant_model::{OAuth2Config, OAuth2Grant, PkceMethod};

use super::{has_scheme, Auth, OAuthFlow, OAuthFlowKind, SecurityRequirement};

/// The flows in the order one is preferred when a scheme offers several.
const PREFERENCE: [OAuthFlowKind; 5] = [
    OAuthFlowKind::AuthorizationCode,
    OAuthFlowKind::ClientCredentials,
    OAuthFlowKind::Password,
    OAuthFlowKind::DeviceAuthorization,
    OAuthFlowKind::Implicit,
];

/// The variable names a scheme's credentials use (numbered like the other credentials).
pub(super) struct Names<'a> {
    pub client_id: &'a str,
    pub client_secret: &'a str,
    pub username: &'a str,
    pub password: &'a str,
}

/// `placeholder(name, secret)` defines a variable and gives its `{{name}}`.
pub(super) fn oauth2_config(
    scheme_name: &str,
    flows: &[OAuthFlow],
    requirement: &SecurityRequirement,
    server: &str,
    names: &Names,
    placeholder: &mut dyn FnMut(&str, bool) -> String,
    notes: &mut Vec<String>,
) -> Option<Auth> {
    let Some(flow) = PREFERENCE
        .iter()
        .find_map(|kind| flows.iter().find(|f| f.kind == *kind))
    else {
        notes.push(format!(
            "Security scheme \"{scheme_name}\" is OAuth 2.0 without a flow Sextant knows; set \
             up the auth yourself."
        ));
        return None;
    };
    let mut config = OAuth2Config {
        client_id: placeholder(names.client_id, false),
        scopes: if requirement.scopes.is_empty() {
            flow.scopes.iter().map(|s| s.name.clone()).collect()
        } else {
            requirement.scopes.clone()
        },
        ..OAuth2Config::default()
    };
    let mut url = |field: &str, value: &Option<String>| {
        let value = value.as_deref().unwrap_or("").trim();
        match resolve(server, value) {
            Some(url) => url,
            None => {
                notes.push(format!(
                    "The {field} \"{value}\" of security scheme \"{scheme_name}\" is relative \
                     and no server address is known; prefix it with the API's address."
                ));
                value.to_owned()
            }
        }
    };
    match flow.kind {
        OAuthFlowKind::AuthorizationCode => {
            config.grant = OAuth2Grant::AuthorizationCode;
            config.pkce = PkceMethod::S256;
            config.authorization_url = url("authorization URL", &flow.authorization_url);
            config.token_url = url("token URL", &flow.token_url);
            config.client_secret = placeholder(names.client_secret, true);
        }
        OAuthFlowKind::ClientCredentials => {
            config.grant = OAuth2Grant::ClientCredentials;
            config.token_url = url("token URL", &flow.token_url);
            config.client_secret = placeholder(names.client_secret, true);
        }
        OAuthFlowKind::Password => {
            config.grant = OAuth2Grant::Password;
            config.token_url = url("token URL", &flow.token_url);
            config.username = placeholder(names.username, true);
            config.password = placeholder(names.password, true);
        }
        OAuthFlowKind::DeviceAuthorization => {
            config.grant = OAuth2Grant::DeviceCode;
            config.device_authorization_url =
                url("device authorization URL", &flow.device_authorization_url);
            config.token_url = url("token URL", &flow.token_url);
        }
        OAuthFlowKind::Implicit => {
            config.grant = OAuth2Grant::Implicit;
            config.authorization_url = url("authorization URL", &flow.authorization_url);
            notes.push(format!(
                "Security scheme \"{scheme_name}\" only offers the implicit flow, which RFC 9700 \
                 discourages: use another grant if the provider has one."
            ));
        }
    }
    if flows.len() > 1 {
        notes.push(format!(
            "Security scheme \"{scheme_name}\" offers several OAuth 2.0 flows; the {} flow was \
             set up.",
            flow_name(flow.kind)
        ));
    }
    Some(Auth::OAuth2(Box::new(config)))
}

/// An OpenID Connect scheme: the issuer's discovery document fills the endpoints at sign-in.
pub(super) fn openid_config(
    url: &str,
    requirement: &SecurityRequirement,
    server: &str,
    client_id: String,
    client_secret: String,
) -> Auth {
    let url = url.trim();
    let url = resolve(server, url).unwrap_or_else(|| url.to_owned());
    let issuer = url
        .strip_suffix("/.well-known/openid-configuration")
        .unwrap_or(&url)
        .trim_end_matches('/')
        .to_owned();
    Auth::OAuth2(Box::new(OAuth2Config {
        grant: OAuth2Grant::AuthorizationCode,
        pkce: PkceMethod::S256,
        issuer,
        client_id,
        client_secret,
        scopes: if requirement.scopes.is_empty() {
            vec!["openid".to_owned()]
        } else {
            requirement.scopes.clone()
        },
        ..OAuth2Config::default()
    }))
}

fn flow_name(kind: OAuthFlowKind) -> &'static str {
    match kind {
        OAuthFlowKind::AuthorizationCode => "authorization code",
        OAuthFlowKind::ClientCredentials => "client credentials",
        OAuthFlowKind::Password => "password",
        OAuthFlowKind::DeviceAuthorization => "device authorization",
        OAuthFlowKind::Implicit => "implicit",
    }
}

/// `url` resolved against the server URL `base` (a directory), as text so that a base holding
/// `{{variables}}` works too. `None` when `url` is relative and `base` is not absolute. Empty and
/// templated URLs stay as they are.
pub(crate) fn resolve(base: &str, url: &str) -> Option<String> {
    if url.is_empty() || has_scheme(url) || url.starts_with("{{") {
        return Some(url.to_owned());
    }
    let (scheme, rest) = base.split_once("://").filter(|_| has_scheme(base))?;
    if let Some(network) = url.strip_prefix("//") {
        return Some(format!("{scheme}://{network}"));
    }
    if url.starts_with('/') {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
        return Some(format!("{scheme}://{authority}{url}"));
    }
    let directory = base.split(['?', '#']).next().unwrap_or(base);
    Some(format!(
        "{}/{}",
        directory.trim_end_matches('/'),
        url.trim_start_matches("./")
    ))
}

/// A saved request's relative OAuth 2.0 URLs (left so because its server is `{{var}}`)
/// resolved against `base`, the variable's value, and written over `{{var}}` again when they
/// fall under it: switching environments then switches the token endpoint along with the API.
pub(crate) fn rebase(auth: &mut Auth, var: &str, base: &str) {
    let Auth::OAuth2(config) = auth else {
        return;
    };
    let base = base.trim_end_matches('/');
    for url in [
        &mut config.issuer,
        &mut config.authorization_url,
        &mut config.token_url,
        &mut config.device_authorization_url,
    ] {
        if url.is_empty() || has_scheme(url) || url.starts_with("{{") {
            continue;
        }
        *url = match resolve(base, url) {
            Some(joined) => match joined.strip_prefix(base) {
                Some(rest) if !base.is_empty() && (rest.is_empty() || rest.starts_with('/')) => {
                    format!("{{{{{var}}}}}{rest}")
                }
                _ => joined,
            },
            None if url.starts_with('/') => format!("{{{{{var}}}}}{url}"),
            None => format!("{{{{{var}}}}}/{}", url.trim_start_matches("./")),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token_url(auth: &Auth) -> &str {
        match auth {
            Auth::OAuth2(config) => &config.token_url,
            _ => "",
        }
    }

    #[test]
    fn rebased_urls_under_the_base_refer_to_its_variable() {
        let with = |url: &str| {
            Auth::OAuth2(Box::new(OAuth2Config {
                token_url: url.into(),
                ..OAuth2Config::default()
            }))
        };
        for (base, url, expected) in [
            ("https://h/api", "token", "{{baseUrl}}/token"),
            ("https://h/api", "/auth/token", "https://h/auth/token"),
            ("https://h", "/auth/token", "{{baseUrl}}/auth/token"),
            ("", "/auth/token", "{{baseUrl}}/auth/token"),
            ("/api", "token", "{{baseUrl}}/token"),
            ("https://h", "https://idp/t", "https://idp/t"),
        ] {
            let mut auth = with(url);
            rebase(&mut auth, "baseUrl", base);
            assert_eq!(token_url(&auth), expected, "{base} + {url}");
        }
    }

    #[test]
    fn relative_urls_resolve_against_the_server_as_a_directory() {
        let base = "https://h.example/api";
        assert_eq!(
            resolve(base, "token").unwrap(),
            "https://h.example/api/token"
        );
        assert_eq!(
            resolve(base, "./token").unwrap(),
            "https://h.example/api/token"
        );
        assert_eq!(
            resolve(base, "/auth/token").unwrap(),
            "https://h.example/auth/token"
        );
        assert_eq!(
            resolve(base, "//o.example/t").unwrap(),
            "https://o.example/t"
        );
        assert_eq!(resolve(base, "http://x/t").unwrap(), "http://x/t");
        assert_eq!(
            resolve("https://{{region}}.h.example/api/", "token").unwrap(),
            "https://{{region}}.h.example/api/token"
        );
        assert_eq!(resolve("http://h:8000", "/t").unwrap(), "http://h:8000/t");
        assert_eq!(resolve("/api", "token"), None);
        assert_eq!(resolve("{{baseUrl}}", "token"), None);
    }
}
