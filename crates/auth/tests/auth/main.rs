//! sextant-auth against real servers on 127.0.0.1: the FastAPI demo (password grant), the
//! fault server (broken token endpoints), the loopback listener driven by real HTTP requests,
//! and the npm `oidc-provider` (discovery, client credentials, code + PKCE with the scripted
//! browser, refresh, device flow).

mod faults;
mod implicit;
mod loopback;
mod oidc;
mod password;
mod scripted;
mod session;
mod support;
