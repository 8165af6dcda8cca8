//! WebSocket through an HTTP CONNECT proxy (the testkit's, which counts its tunnels): `ws://`
//! and `wss://` (TLS inside the tunnel), proxy credentials from the proxy URL, loopback going
//! direct unless the request asks otherwise, and proxies the engine cannot use.

use std::sync::OnceLock;

use sextant_engine::{Engine, EngineConfig, WsError};
use sextant_model::{
    ErrorCode, HttpRequest, ProxySetting, WebSocketSettings, WsDirection, WsHandshake, WsOpcode,
};
use sextant_testkit::{ConnectProxy, FaultServer, PyServer};

use crate::support::{engine, Recorder};

fn fault() -> &'static FaultServer {
    static SERVER: OnceLock<FaultServer> = OnceLock::new();
    SERVER.get_or_init(FaultServer::start)
}

fn via(url: &str, proxy: &str) -> HttpRequest {
    let mut request = HttpRequest::get(url);
    request.settings.proxy = ProxySetting::Url {
        url: proxy.to_owned(),
    };
    request.settings.proxy_loopback = true;
    request
}

async fn connect(
    engine: &Engine,
    request: &HttpRequest,
) -> Result<(sextant_engine::WsSession, WsHandshake, Recorder), WsError> {
    let recorder = Recorder::default();
    let (session, handshake) = engine
        .ws_connect(request, &WebSocketSettings::default(), recorder.listener())
        .await?;
    Ok((session, handshake, recorder))
}

fn host_port(url: &str) -> String {
    let url = url::Url::parse(url).unwrap();
    format!("{}:{}", url.host_str().unwrap(), url.port().unwrap())
}

#[tokio::test]
async fn ws_goes_through_the_proxy_tunnel() {
    let proxy = ConnectProxy::start();
    let (engine, _dir) = engine();
    let url = PyServer::shared_ws_server().ws_url("/echo");
    let (session, handshake, log) = connect(&engine, &via(&url, &proxy.url())).await.unwrap();
    assert_eq!(handshake.status, 101);
    session.send_text("through the proxy".into()).await.unwrap();
    log.frame(WsDirection::Received, WsOpcode::Text, "through the proxy")
        .await;
    assert_eq!(proxy.tunnels(), vec![host_port(&url)]);
}

#[tokio::test]
async fn wss_runs_tls_inside_the_tunnel() {
    let proxy = ConnectProxy::start();
    let dir = tempfile::tempdir().unwrap();
    let mut config = EngineConfig::new(dir.path().join("bodies"));
    config.extra_root_pems = vec![fault().ca_pem()];
    let engine = Engine::new(config).unwrap();
    let url = fault()
        .tls_url("/ws/hold")
        .replacen("https://", "wss://", 1);
    let (_session, handshake, _) = connect(&engine, &via(&url, &proxy.url())).await.unwrap();
    assert_eq!(handshake.status, 101);
    assert!(handshake.url.starts_with("wss://"));
    assert_eq!(proxy.tunnels(), vec![host_port(&url)]);
}

#[tokio::test]
async fn proxy_credentials_come_from_the_proxy_url() {
    // base64("user:p@ss")
    let proxy = ConnectProxy::with_credentials("Basic dXNlcjpwQHNz");
    let (engine, _dir) = engine();
    let url = PyServer::shared_ws_server().ws_url("/echo");

    let err = connect(&engine, &via(&url, &proxy.url()))
        .await
        .err()
        .expect("the proxy wants credentials");
    assert_eq!(err.code(), ErrorCode::Connect, "{err}");
    assert!(
        err.to_string().contains("needs credentials (HTTP 407)"),
        "{err}"
    );
    assert_eq!(proxy.refused(), 1);
    assert!(proxy.tunnels().is_empty());

    let with_user = proxy.url().replacen("http://", "http://user:p%40ss@", 1);
    let (_session, handshake, _) = connect(&engine, &via(&url, &with_user)).await.unwrap();
    assert_eq!(handshake.status, 101);
    assert_eq!(proxy.tunnels().len(), 1);
}

#[tokio::test]
async fn loopback_goes_direct_unless_asked() {
    let proxy = ConnectProxy::start();
    let (engine, _dir) = engine();
    let url = PyServer::shared_ws_server().ws_url("/echo");
    let mut request = via(&url, &proxy.url());
    request.settings.proxy_loopback = false;
    let (_session, handshake, _) = connect(&engine, &request).await.unwrap();
    assert_eq!(handshake.status, 101);
    assert!(proxy.tunnels().is_empty());
}

#[tokio::test]
async fn a_socks_proxy_is_refused_in_plain_words() {
    let (engine, _dir) = engine();
    let url = PyServer::shared_ws_server().ws_url("/echo");
    let err = connect(&engine, &via(&url, "socks5://127.0.0.1:9"))
        .await
        .err()
        .expect("refused");
    assert_eq!(err.code(), ErrorCode::InvalidRequest);
    assert!(
        err.to_string()
            .contains("cannot go through a socks5:// proxy yet"),
        "{err}"
    );
}
