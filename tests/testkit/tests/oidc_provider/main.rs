//! The test OpenID provider (`tests/servers/oidc/`) and its scripted browser do what the OAuth
//! tests rely on: discovery, client credentials with both client auth methods, auth code + PKCE
//! through `test_browser.py` to a loopback callback, refresh, the device flow, a protected
//! resource that rejects expired tokens, and a login page that rejects a wrong password.
//! Needs `npm ci` in `tests/servers/oidc` (done by `scripts/setup.sh`) and `python3`.
//!
//! Helpers: `http` (the client), `codec` (Basic, base64, SHA-256, JWT claims), `browser` (the
//! loopback callback and the scripted browser). Tests: `tokens`, `auth_code`, `device`.

use std::time::Duration;

mod browser;
mod codec;
mod http;

mod auth_code;
mod device;
mod tokens;

/// A ceiling that only catches a hang.
const HANG: Duration = Duration::from_secs(60);
