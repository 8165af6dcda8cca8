//! Credentials for "Try it": API keys, HTTP basic and bearer become `{{...}}` placeholders in
//! the place the security scheme names; schemes that need a login flow become notes. As an
//! [`Auth`] (for saved requests), digest, cookie API keys, OAuth 2.0 and OpenID Connect are
//! prefilled too (see the `oauth` module).
//!
//! The placeholders' names are Sextant's (`apiKey`, `token`, `username`, `password`, `clientId`,
//! `clientSecret`), never the
//! scheme's: a spec naming its scheme `githubToken` must not pick the user's `{{githubToken}}`.
//! Each is defined, secret and empty, by the request itself (or the spec's collection), so the
//! user's other scopes are never consulted for it.

#[allow(clippy::wildcard_imports)]
use super::*;

/// The credential kinds that get variables.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    ApiKey,
    Bearer,
    /// A user name and password: HTTP basic or digest.
    Basic,
    /// A client id (and secret, or a user's name and password): OAuth 2.0 and OpenID Connect.
    OAuth,
}

fn kind(scheme: &SecurityScheme) -> Option<Kind> {
    match &scheme.kind {
        SecuritySchemeKind::ApiKey { .. } => Some(Kind::ApiKey),
        SecuritySchemeKind::Http { scheme, .. } if scheme.eq_ignore_ascii_case("bearer") => {
            Some(Kind::Bearer)
        }
        SecuritySchemeKind::Http { scheme, .. }
            if scheme.eq_ignore_ascii_case("basic") || scheme.eq_ignore_ascii_case("digest") =>
        {
            Some(Kind::Basic)
        }
        SecuritySchemeKind::OAuth2 { .. } | SecuritySchemeKind::OpenIdConnect { .. } => {
            Some(Kind::OAuth)
        }
        _ => None,
    }
}

/// `base`, numbered by the scheme's place among the document's schemes of its kind: `apiKey`
/// for the first API-key scheme, `apiKey2` for the second, ...
fn variable_name(spec: &ApiSpec, scheme: &SecurityScheme, base: &str) -> String {
    let place = kind(scheme).and_then(|k| {
        spec.security_schemes
            .iter()
            .filter(|s| kind(s) == Some(k))
            .position(|s| s.name == scheme.name)
    });
    match place {
        Some(n) if n > 0 => format!("{base}{}", n + 1),
        _ => base.to_owned(),
    }
}

/// Defines `name` as a secret, empty request variable (once) and returns its placeholder.
fn secret(variables: &mut Vec<Variable>, name: &str) -> String {
    define(variables, name, true)
}

/// Defines `name` as an empty request variable (once) and returns its placeholder.
fn define(variables: &mut Vec<Variable>, name: &str, secret: bool) -> String {
    if !variables.iter().any(|v| v.name == name) {
        variables.push(Variable {
            secret,
            ..Variable::new(name, "")
        });
    }
    format!("{{{{{name}}}}}")
}

pub(super) fn add_security(
    spec: &ApiSpec,
    op: &Operation,
    out: &mut TryItRequest,
    cookies: &mut Cookies,
) {
    let TryItRequest {
        request,
        notes,
        variables,
        ..
    } = out;
    if op.security.is_empty() {
        return;
    }
    let chosen: Option<Vec<(&SecurityScheme, &SecurityRequirement)>> = op
        .security
        .iter()
        .find_map(|alternative| alternative.iter().map(|req| declared(spec, req)).collect());
    let Some(chosen) = chosen else {
        let mut names: Vec<&str> = Vec::new();
        for requirement in op.security.iter().flatten() {
            if !names.contains(&requirement.scheme.as_str()) {
                names.push(&requirement.scheme);
            }
        }
        notes.push(format!(
            "The operation asks for security scheme(s) {} that the document does not declare; \
             no credentials were added.",
            names.join(", ")
        ));
        return;
    };
    for (scheme, requirement) in chosen {
        let name = &scheme.name;
        match &scheme.kind {
            SecuritySchemeKind::ApiKey {
                param_name,
                location,
            } => {
                let variable = variable_name(spec, scheme, "apiKey");
                let placeholder = secret(variables, &variable);
                let place = match location {
                    ParameterLocation::Header => {
                        request
                            .headers
                            .push(KeyValue::new(param_name, &placeholder));
                        "header"
                    }
                    ParameterLocation::Query => {
                        request.query.push(KeyValue::new(param_name, &placeholder));
                        "query parameter"
                    }
                    ParameterLocation::Cookie => {
                        cookies.push(param_name, &placeholder, true);
                        "cookie"
                    }
                    ParameterLocation::Path => {
                        notes.push(format!(
                            "Security scheme \"{name}\" puts its API key in the path, which \
                             OpenAPI does not allow; it was not added."
                        ));
                        continue;
                    }
                };
                notes.push(format!(
                    "{placeholder} in the {place} {param_name} stands for the API key of \
                     security scheme \"{name}\": set the request's variable {variable} to \
                     your key."
                ));
            }
            SecuritySchemeKind::Http { scheme: http, .. } if http.eq_ignore_ascii_case("basic") => {
                request.headers.push(KeyValue::new(
                    "Authorization",
                    "Basic {{username:password}}",
                ));
                notes.push(format!(
                    "Security scheme \"{name}\" is HTTP basic authentication: replace \
                     {{{{username:password}}}} in the Authorization header with the Base64 \
                     encoding of your user name and password joined by a colon."
                ));
            }
            SecuritySchemeKind::Http {
                scheme: http,
                bearer_format,
            } if http.eq_ignore_ascii_case("bearer") => {
                let variable = variable_name(spec, scheme, "token");
                let placeholder = secret(variables, &variable);
                request.headers.push(KeyValue::new(
                    "Authorization",
                    format!("Bearer {placeholder}"),
                ));
                let format = bearer_format
                    .as_deref()
                    .map(|f| format!(" (a {f})"))
                    .unwrap_or_default();
                notes.push(format!(
                    "Security scheme \"{name}\" is a bearer token: set the request's variable \
                     {variable} to your token{format}."
                ));
            }
            SecuritySchemeKind::Http { scheme: http, .. } => notes.push(format!(
                "Security scheme \"{name}\" is HTTP {http} authentication, which is not \
                 prefilled: add the Authorization header yourself."
            )),
            SecuritySchemeKind::OAuth2 { .. } | SecuritySchemeKind::OpenIdConnect { .. } => {
                let kind = match scheme.kind {
                    SecuritySchemeKind::OAuth2 { .. } => "OAuth 2.0",
                    _ => "OpenID Connect",
                };
                let scopes = if requirement.scopes.is_empty() {
                    String::new()
                } else {
                    format!(" with scope(s) {}", requirement.scopes.join(", "))
                };
                notes.push(format!(
                    "Security scheme \"{name}\" is {kind}: get an access token{scopes} and \
                     send it as \"Authorization: Bearer <token>\", or save the request and \
                     let its OAuth 2.0 auth get the token."
                ));
            }
            SecuritySchemeKind::MutualTls => notes.push(format!(
                "Security scheme \"{name}\" needs a client TLS certificate, which is not \
                 configured here."
            )),
            SecuritySchemeKind::Other { raw_type } => notes.push(format!(
                "Security scheme \"{name}\" has the unknown type \"{raw_type}\"; no \
                 credentials were added for it."
            )),
        }
    }
}

/// The credentials of the first security alternative whose schemes are all declared, as an
/// [`Auth`] whose secrets are `{{variables}}` defined (secret, empty) in `variables`: an API
/// key as `{{apiKey}}` (header, query or cookie), basic and digest as `{{username}}` /
/// `{{password}}`, bearer as `{{token}}`, OAuth 2.0 and OpenID Connect as an OAuth 2.0 config
/// over `{{clientId}}` (and `{{clientSecret}}`, or `{{username}}` / `{{password}}`) with its
/// relative URLs resolved against `server`. `None` when the operation needs no credentials or none that an [`Auth`] can carry (a note
/// then says why).
pub(super) fn security_auth(
    spec: &ApiSpec,
    op: &Operation,
    server: &str,
    variables: &mut Vec<Variable>,
    notes: &mut Vec<String>,
) -> Option<Auth> {
    let alternative: Vec<(&SecurityScheme, &SecurityRequirement)> = op
        .security
        .iter()
        .find_map(|alternative| alternative.iter().map(|req| declared(spec, req)).collect())?;
    let mut found = None;
    for (scheme, requirement) in alternative {
        if found.is_some() && kind(scheme).is_some() {
            notes.push(format!(
                "The operation combines several security schemes; only the first is set as \
                 auth, add \"{}\" yourself.",
                scheme.name
            ));
            continue;
        }
        let auth = match &scheme.kind {
            SecuritySchemeKind::ApiKey {
                param_name,
                location:
                    location @ (ParameterLocation::Header
                    | ParameterLocation::Query
                    | ParameterLocation::Cookie),
            } => Auth::ApiKey {
                name: param_name.clone(),
                value: secret(variables, &variable_name(spec, scheme, "apiKey")),
                location: match location {
                    ParameterLocation::Header => ApiKeyLocation::Header,
                    ParameterLocation::Query => ApiKeyLocation::Query,
                    _ => ApiKeyLocation::Cookie,
                },
            },
            SecuritySchemeKind::Http { scheme: http, .. }
                if http.eq_ignore_ascii_case("digest") =>
            {
                Auth::Digest {
                    username: secret(variables, &variable_name(spec, scheme, "username")),
                    password: secret(variables, &variable_name(spec, scheme, "password")),
                    algorithm: DigestAlgorithm::Auto,
                }
            }
            SecuritySchemeKind::OAuth2 { flows } => {
                let [client_id, client_secret, username, password] =
                    ["clientId", "clientSecret", "username", "password"]
                        .map(|base| variable_name(spec, scheme, base));
                let names = oauth::Names {
                    client_id: &client_id,
                    client_secret: &client_secret,
                    username: &username,
                    password: &password,
                };
                let mut placeholder =
                    |name: &str, is_secret: bool| define(variables, name, is_secret);
                match oauth::oauth2_config(
                    &scheme.name,
                    flows,
                    requirement,
                    server,
                    &names,
                    &mut placeholder,
                    notes,
                ) {
                    Some(auth) => auth,
                    None => continue,
                }
            }
            SecuritySchemeKind::OpenIdConnect { url } => oauth::openid_config(
                url,
                requirement,
                server,
                define(variables, &variable_name(spec, scheme, "clientId"), false),
                secret(variables, &variable_name(spec, scheme, "clientSecret")),
            ),
            SecuritySchemeKind::Http { scheme: http, .. } if http.eq_ignore_ascii_case("basic") => {
                Auth::Basic {
                    username: secret(variables, &variable_name(spec, scheme, "username")),
                    password: secret(variables, &variable_name(spec, scheme, "password")),
                }
            }
            SecuritySchemeKind::Http { scheme: http, .. }
                if http.eq_ignore_ascii_case("bearer") =>
            {
                Auth::Bearer {
                    token: secret(variables, &variable_name(spec, scheme, "token")),
                }
            }
            _ => {
                notes.push(format!(
                    "Security scheme \"{}\" cannot be expressed as Sextant auth; add its \
                     credentials yourself.",
                    scheme.name
                ));
                continue;
            }
        };
        notes.push(format!(
            "The credentials of security scheme \"{}\" are {}: fill them in. They are defined \
             for this API only, so no variable of yours with the same name is sent to its server.",
            scheme.name,
            variables
                .iter()
                .map(|v| format!("{{{{{}}}}}", v.name))
                .collect::<Vec<_>>()
                .join(" and ")
        ));
        found = Some(auth);
    }
    found
}

/// The declared scheme a requirement names, paired with it.
pub(super) fn declared<'a>(
    spec: &'a ApiSpec,
    requirement: &'a SecurityRequirement,
) -> Option<(&'a SecurityScheme, &'a SecurityRequirement)> {
    spec.security_schemes
        .iter()
        .find(|s| s.name == requirement.scheme)
        .map(|scheme| (scheme, requirement))
}
