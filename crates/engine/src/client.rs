//! reqwest clients, one per combination of settings that reqwest fixes at build time (TLS
//! verification, HTTP version, proxy, connect timeout, client certificate). They share the
//! cookie jar, the timed resolver and the timing layer, and keep their own connection pools.
//!
//! A plain-http request without a proxy gets a client without root certificates: loading the
//! system's means reading a few hundred files, a large part of a one-shot `sextant send`. Such a
//! client refuses any https URL (no trusted roots), so a mix-up fails loudly, never insecurely.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::{redirect::Policy, Certificate, NoProxy, Proxy};
use sextant_model::{HttpVersionPref, ProxySetting, RequestSettings};

use crate::cookies::CookieJar;
use crate::identity::ClientIdentity;
use crate::timing::{TimedResolver, TimingLayer};
use crate::EngineError;

/// Loopback never goes through a proxy unless the request asks for it.
const LOOPBACK: &str = "localhost,127.0.0.0/8,::1";

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ClientKey {
    /// Whether the client may speak TLS (an https URL, or any proxy): only then roots are loaded.
    tls: bool,
    verify_tls: bool,
    http_version: HttpVersionPref,
    proxy: ProxySetting,
    proxy_loopback: bool,
    connect_timeout_ms: Option<u32>,
    /// The digest of the client certificate presented, if any.
    identity: Option<[u8; 32]>,
}

impl ClientKey {
    fn of(s: &RequestSettings, https: bool, identity: Option<&ClientIdentity>) -> Self {
        Self {
            tls: https || s.proxy != ProxySetting::None,
            verify_tls: s.verify_tls,
            http_version: s.http_version,
            proxy: s.proxy.clone(),
            proxy_loopback: s.proxy_loopback,
            connect_timeout_ms: s.connect_timeout_ms,
            identity: identity.map(ClientIdentity::digest),
        }
    }
}

pub(crate) struct ClientPool {
    jar: Arc<CookieJar>,
    extra_roots: Vec<Certificate>,
    clients: Mutex<HashMap<ClientKey, reqwest::Client>>,
}

impl ClientPool {
    pub fn new(jar: Arc<CookieJar>, extra_root_pems: &[String]) -> Result<Self, EngineError> {
        let extra_roots = extra_root_pems
            .iter()
            .map(|pem| {
                Certificate::from_pem(pem.as_bytes()).map_err(|e| {
                    EngineError::InvalidRequest(format!("invalid CA certificate: {e}"))
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            jar,
            extra_roots,
            clients: Mutex::new(HashMap::new()),
        })
    }

    /// The client for `settings`, for a URL that is `https` or not, presenting `identity` when
    /// the server asks for a client certificate.
    pub fn client_for(
        &self,
        settings: &RequestSettings,
        https: bool,
        identity: Option<&ClientIdentity>,
    ) -> Result<reqwest::Client, EngineError> {
        let key = ClientKey::of(settings, https, identity);
        let mut clients = self.clients.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = clients.get(&key) {
            return Ok(c.clone());
        }
        let client = self.build(&key, identity)?;
        clients.insert(key, client.clone());
        Ok(client)
    }

    fn build(
        &self,
        key: &ClientKey,
        identity: Option<&ClientIdentity>,
    ) -> Result<reqwest::Client, EngineError> {
        let mut b = reqwest::Client::builder()
            .redirect(Policy::none())
            .cookie_provider(Arc::clone(&self.jar))
            .dns_resolver(Arc::new(TimedResolver))
            .connector_layer(TimingLayer)
            .user_agent(concat!("sextant/", env!("CARGO_PKG_VERSION")))
            .tcp_nodelay(true)
            .pool_idle_timeout(Duration::from_secs(90));
        if !key.tls {
            b = b.tls_built_in_root_certs(false);
        } else {
            if !key.verify_tls {
                b = b.danger_accept_invalid_certs(true);
            }
            for cert in &self.extra_roots {
                b = b.add_root_certificate(cert.clone());
            }
            if let Some(identity) = identity {
                b = b.identity(identity.reqwest_identity()?);
            }
        }
        b = match key.http_version {
            HttpVersionPref::Auto => b,
            HttpVersionPref::Http1 => b.http1_only(),
            HttpVersionPref::Http2PriorKnowledge => b.http2_prior_knowledge(),
        };
        if let Some(ms) = key.connect_timeout_ms {
            b = b.connect_timeout(Duration::from_millis(u64::from(ms)));
        }
        let bypass = if key.proxy_loopback { "" } else { LOOPBACK };
        b = match &key.proxy {
            ProxySetting::None => b.no_proxy(),
            ProxySetting::Url { url } => {
                let proxy = Proxy::all(url).map_err(|e| EngineError::InvalidUrl {
                    url: url.clone(),
                    reason: format!("invalid proxy URL: {e}"),
                })?;
                b.no_proxy()
                    .proxy(proxy.no_proxy(NoProxy::from_string(bypass)))
            }
            ProxySetting::System => {
                let env_no_proxy = std::env::var("NO_PROXY")
                    .or_else(|_| std::env::var("no_proxy"))
                    .unwrap_or_default();
                let no_proxy = format!("{env_no_proxy},{bypass}");
                let mut b = b.no_proxy();
                for var in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"] {
                    let value = std::env::var(var)
                        .or_else(|_| std::env::var(var.to_lowercase()))
                        .unwrap_or_default();
                    if value.is_empty() {
                        continue;
                    }
                    let proxy = match var {
                        "HTTP_PROXY" => Proxy::http(&value),
                        "HTTPS_PROXY" => Proxy::https(&value),
                        _ => Proxy::all(&value),
                    };
                    if let Ok(p) = proxy {
                        b = b.proxy(p.no_proxy(NoProxy::from_string(&no_proxy)));
                    }
                }
                b
            }
        };
        b.build()
            .map_err(|e| EngineError::Internal(format!("cannot build HTTP client: {e}")))
    }
}
