//! Real servers for Sextant's tests, all on 127.0.0.1 ephemeral ports.
//!
//! - [`FaultServer`]: an in-process Rust server that misbehaves on purpose (resets, stalls,
//!   redirect loops, broken chunking, huge headers, self-signed TLS, encoded bodies).
//! - [`MtlsServer`]: the fault server's routes behind TLS that requires a client certificate
//!   (its own CA, an accepted and a refused client certificate).
//! - [`HyperServer`]: an in-process HTTP/1.1 + HTTP/2 server (h2c and ALPN) for version tests.
//! - [`PyServer`]: launchers for the Python servers in `tests/servers/` (FastAPI demo API under
//!   uvicorn, httpbin under gunicorn), started from the venv that `scripts/setup-python.sh` makes.
//! - [`OidcProvider`]: launcher for the OpenID provider in `tests/servers/oidc/` (npm
//!   `oidc-provider` under Node) that the OAuth tests log in against, with [`test_browser`].
//! - [`ConnectProxy`]: an HTTP CONNECT proxy that counts the tunnels it opened.
//! - [`SilentPort`]: a port that never answers a connection attempt (connect timeouts).

mod connect_proxy;
mod fault;
mod hyper_server;
mod oidc;
mod python;
mod silent;

pub use connect_proxy::ConnectProxy;
pub use fault::mtls::{MtlsServer, PemPair};
pub use fault::support::Ports;
pub use fault::FaultServer;
pub use hyper_server::HyperServer;
pub use oidc::{
    test_browser, OidcOptions, OidcProvider, OIDC_CONFIDENTIAL, OIDC_POST, OIDC_PUBLIC, OIDC_USER,
};
pub use python::PyServer;
pub use silent::SilentPort;
