//! Security schemes and requirements (OpenAPI 3.x), and OAuth flows shared with Swagger 2.0.

use crate::model::{
    OAuthFlow, OAuthFlowKind, OAuthScope, ParameterLocation, SecurityRequirement, SecurityScheme,
    SecuritySchemeKind,
};
use crate::pointer::Loc;
use crate::store::MAIN;
use crate::tree::Node;

use super::Ctx;

impl<'s> Ctx<'s> {
    pub(crate) fn security_schemes3(&mut self, root: &'s Node<'s>) -> Vec<SecurityScheme> {
        let Some(map) = root
            .get("components")
            .and_then(|c| c.get("securitySchemes"))
            .and_then(Node::as_object)
        else {
            return Vec::new();
        };
        let top = Loc::Root("");
        let components = top.key("components");
        let at = components.key("securitySchemes");
        let mut schemes = Vec::new();
        for (name, node) in map.iter() {
            let written = at.key(name);
            let Some(reached) = self.reach(MAIN, node, &written, "security scheme") else {
                continue;
            };
            let here = reached.at(written);
            let node = reached.node;
            let text = |key: &str| node.get_str(key).map(str::to_owned);
            let kind = match node.get_str("type").unwrap_or_default() {
                "apiKey" => {
                    let Some(location) = self.location(node.get_str("in"), &here) else {
                        continue;
                    };
                    SecuritySchemeKind::ApiKey {
                        param_name: text("name").unwrap_or_default(),
                        location,
                    }
                }
                "http" => SecuritySchemeKind::Http {
                    scheme: text("scheme").unwrap_or_default().to_ascii_lowercase(),
                    bearer_format: text("bearerFormat"),
                },
                "oauth2" => {
                    let mut flows = Vec::new();
                    if let Some(map) = node.get("flows").and_then(Node::as_object) {
                        for (key, flow) in map.iter() {
                            let kind = match key {
                                "implicit" => OAuthFlowKind::Implicit,
                                "password" => OAuthFlowKind::Password,
                                "clientCredentials" => OAuthFlowKind::ClientCredentials,
                                "authorizationCode" => OAuthFlowKind::AuthorizationCode,
                                "deviceAuthorization" => OAuthFlowKind::DeviceAuthorization,
                                _ => continue,
                            };
                            flows.push(oauth_flow(kind, flow));
                        }
                    }
                    SecuritySchemeKind::OAuth2 { flows }
                }
                "openIdConnect" => SecuritySchemeKind::OpenIdConnect {
                    url: text("openIdConnectUrl").unwrap_or_default(),
                },
                "mutualTLS" => SecuritySchemeKind::MutualTls,
                other => {
                    let at = here.key("type");
                    self.warn(&at, format!("unknown security scheme type {other:?}"));
                    SecuritySchemeKind::Other {
                        raw_type: other.to_owned(),
                    }
                }
            };
            schemes.push(SecurityScheme {
                name: name.to_owned(),
                description: text("description"),
                kind,
            });
        }
        schemes
    }

    /// Reads a parameter/API key location; warns and gives `None` for anything else.
    pub(crate) fn location(&mut self, name: Option<&str>, loc: &Loc) -> Option<ParameterLocation> {
        match name {
            Some("path") => Some(ParameterLocation::Path),
            Some("query") => Some(ParameterLocation::Query),
            Some("header") => Some(ParameterLocation::Header),
            Some("cookie") => Some(ParameterLocation::Cookie),
            other => {
                let at = loc.key("in");
                self.warn(
                    &at,
                    format!("unknown parameter location {other:?}; skipped"),
                );
                None
            }
        }
    }

    /// Reads a list of security requirements; `None` when the node is absent.
    pub(crate) fn security(
        &mut self,
        node: Option<&'s Node<'s>>,
        loc: &Loc,
    ) -> Option<Vec<Vec<SecurityRequirement>>> {
        let list = node?.as_array()?;
        let mut alternatives = Vec::new();
        for (i, requirement) in list.iter().enumerate() {
            let Some(map) = requirement.as_object() else {
                continue;
            };
            let mut all = Vec::new();
            for (scheme, scopes) in map.iter() {
                if !self.scheme_names.contains(scheme)
                    && self.undeclared_schemes_warned.insert(scheme.to_owned())
                {
                    let at = loc.index(i);
                    self.warn(&at, format!("security scheme {scheme:?} is not declared"));
                }
                all.push(SecurityRequirement {
                    scheme: scheme.to_owned(),
                    scopes: scopes
                        .as_array()
                        .map(|s| s.iter().filter_map(Node::scalar_text).collect())
                        .unwrap_or_default(),
                });
            }
            alternatives.push(all);
        }
        Some(alternatives)
    }
}

pub(crate) fn oauth_flow(kind: OAuthFlowKind, flow: &Node) -> OAuthFlow {
    let text = |key: &str| flow.get_str(key).map(str::to_owned);
    OAuthFlow {
        kind,
        authorization_url: text("authorizationUrl"),
        token_url: text("tokenUrl"),
        refresh_url: text("refreshUrl"),
        device_authorization_url: text("deviceAuthorizationUrl"),
        scopes: flow
            .get("scopes")
            .and_then(Node::as_object)
            .map(|scopes| {
                scopes
                    .iter()
                    .map(|(name, description)| OAuthScope {
                        name: name.to_owned(),
                        description: description.as_str().unwrap_or_default().to_owned(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}
