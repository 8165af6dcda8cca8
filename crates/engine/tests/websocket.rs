//! Integration tests of the engine's WebSocket sessions against real servers on 127.0.0.1: the
//! Python `websockets` server (`tests/servers/ws_server.py`) and the in-process fault server.

#[path = "websocket/support.rs"]
mod support;

#[path = "websocket/client_certs.rs"]
mod client_certs;
#[path = "websocket/echo.rs"]
mod echo;
#[path = "websocket/extensions.rs"]
mod extensions;
#[path = "websocket/faults.rs"]
mod faults;
#[path = "websocket/proxy.rs"]
mod proxy;
