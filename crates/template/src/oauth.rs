//! An OAuth 2.0 sign-in config with its `{{variables}}` substituted. The token itself is not the
//! template's business (the app obtains it and adds it as a row); what the template does is
//! render every field the flows read, and note the client secret and password as secrets so a
//! record of the exchange masks them.

use sextant_model::{KeyValue, OAuth2Config, OAuth2Redirect, TokenPlacement};

use crate::scope::{Field, Renderer};

pub(crate) fn render(config: &OAuth2Config, r: &mut Renderer<'_>) -> OAuth2Config {
    let mut text = |s: &str| r.render(s, Field::Auth);
    let mut out = OAuth2Config {
        grant: config.grant,
        issuer: text(&config.issuer),
        authorization_url: text(&config.authorization_url),
        token_url: text(&config.token_url),
        device_authorization_url: text(&config.device_authorization_url),
        client_id: text(&config.client_id),
        client_secret: text(&config.client_secret),
        client_auth: config.client_auth,
        username: text(&config.username),
        password: text(&config.password),
        scopes: Vec::new(),
        audience: text(&config.audience),
        resource: text(&config.resource),
        authorize_params: Vec::new(),
        token_params: Vec::new(),
        pkce: config.pkce,
        redirect: match &config.redirect {
            OAuth2Redirect::Loopback { port, path } => OAuth2Redirect::Loopback {
                port: *port,
                path: text(path),
            },
            OAuth2Redirect::EmbeddedWindow { redirect_uri } => OAuth2Redirect::EmbeddedWindow {
                redirect_uri: text(redirect_uri),
            },
        },
        placement: match &config.placement {
            TokenPlacement::Header { prefix } => TokenPlacement::Header {
                prefix: text(prefix),
            },
            TokenPlacement::Query { name } => TokenPlacement::Query { name: text(name) },
        },
        refresh_skew_secs: config.refresh_skew_secs,
    };
    // A scope field may hold several space-separated scopes once rendered.
    out.scopes = config
        .scopes
        .iter()
        .flat_map(|s| {
            r.render(s, Field::Auth)
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    out.authorize_params = params(&config.authorize_params, r);
    out.token_params = params(&config.token_params, r);
    r.add_secret(out.client_secret.clone());
    r.add_secret(out.password.clone());
    out
}

fn params(rows: &[KeyValue], r: &mut Renderer<'_>) -> Vec<KeyValue> {
    rows.iter()
        .filter(|row| row.enabled && !row.name.trim().is_empty())
        .map(|row| {
            KeyValue::new(
                r.render(&row.name, Field::Auth),
                r.render(&row.value, Field::Auth),
            )
        })
        .collect()
}
